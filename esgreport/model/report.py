"""The prepared report: one complete, read-only model of a report year, made once by prepare.py.

Everything rendering and writing need is here, already computed: every metric's values for every year
the report shows (its own year from its folder, earlier years from the reports that published them),
derived figures, restatements, resolved table and chart years, frameworks and disclosures, and each
section's files with the data references they make. Nothing fills it in later.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import Literal

from esgreport.model.inputs import (
    Approval,
    ChartSpec,
    Departure,
    Framework,
    KpiTable,
    Localized,
    Manifest,
    MetricSpec,
    OrgChart,
    ReportDisclosures,
    SectionMeta,
    StyleRule,
    Unit,
)
from esgreport.model.inventory import InventoryResult
from esgreport.model.load import YamlDoc

EMPTY: Mapping = MappingProxyType({})


@dataclass(frozen=True)
class Location:
    path: Path
    line: int | None = None


TargetKind = Literal["metric", "table", "chart", "orgchart", "framework", "scale", "restatements", "manifest",
                     "section"]


@dataclass(frozen=True)
class Target:
    """What a directive refers to (markup/directives.py declares it for each): a metric and the year of
    the value it reads, a KPI table, a chart, an organisation chart, a framework, a scale of figures,
    the report's restatements, a setting of report.yaml (its year, period, ordinal), or a section (a
    cross-reference). Prepare resolves every target against the report."""

    kind: TargetKind
    id: str = ""
    year: int | None = None    # a metric's: the year as written (None: the report's; -1 the year before)
    divisor: bool = False      # a metric's value a change is computed from: it must not be 0


@dataclass(frozen=True)
class Reference:
    """A directive called in a section file (`kpi`, `card`, `chart` …), on `line`, with what it refers to."""

    name: str
    targets: tuple[Target, ...]
    line: int | None

    def ids(self, kind: TargetKind) -> tuple[str, ...]:
        """The ids it refers to of one kind (metric, table, chart …), each once."""
        return tuple(dict.fromkeys(t.id for t in self.targets if t.kind == kind))

    def metric_ids(self) -> tuple[str, ...]:
        return self.ids("metric")

    def refers_to(self, kind: TargetKind) -> bool:
        return any(t.kind == kind for t in self.targets)


@dataclass(frozen=True)
class Term:
    """An agreed rendering of content/glossary.yaml: where the Chinese uses `zh`, the English says `en`
    (or one of its variants)."""

    zh: str
    en: str
    variants: tuple[str, ...]
    location: Location
    banned: tuple[str, ...] = ()    # renderings not to use (an earlier or a literal one)
    note: str | None = None


@dataclass(frozen=True)
class Restatement:
    """A figure of an earlier year that this report corrects: printed with a marker and this note."""

    metric: str
    year: int
    published: Decimal | None      # the figure as the earlier report published it
    published_in: int              # the year of that report
    value: Decimal
    reason: Localized
    location: Location


@dataclass(frozen=True)
class EditorialEntry:
    """A recorded departure from the published text (content/<year>/editorial.yaml), where it is recorded."""

    departure: Departure
    location: Location


@dataclass(frozen=True)
class Metric:
    """A metric with its values for every year the report knows."""

    id: str
    spec: MetricSpec
    values: Mapping[int, Decimal | None]      # None: not reported (published as "-")
    pending: frozenset[int]                   # years whose value is still empty (to be filled in)
    derived: frozenset[int]                   # years whose value the formula computed
    restated: Mapping[int, Restatement]
    published_in: Mapping[int, int]           # year → the report whose folder holds that value
    qualifiers: Mapping[int, Localized]
    location: Location
    owner: str | None = None                  # who supplies its figures: its own `owner:`, or its file's
    # year → why the figure as published disagrees with the others, as editors acknowledged it
    # (`acknowledged:` in data/): the report prints it as a note beside the figure
    acknowledged: Mapping[int, tuple[Localized, ...]] = field(default_factory=lambda: EMPTY)

    @property
    def label(self) -> Localized:
        return self.spec.label

    @property
    def unit(self) -> str:
        return self.spec.unit

    @property
    def formula(self) -> str | None:
        return self.spec.formula

    @property
    def note(self) -> Localized | None:
        return self.spec.note

    def precision_for(self, year: int) -> int:
        return self.spec.precision_for(year)


@dataclass(frozen=True)
class SectionFile:
    """One section body in one edition's language."""

    path: Path
    body: str                        # the whole file; the Markdown parser skips the front matter
    meta: SectionMeta
    body_start: int                  # first line after the front matter (1-based)
    references: tuple[Reference, ...] = ()
    structure: Mapping[str, int] = field(default_factory=lambda: EMPTY)   # tables, boxes, cards, charts, lists ... (for parity)
    # What cannot be counted until a directive that does not validate is corrected (charts, cards ...)
    uncounted: frozenset[str] = frozenset()

    @property
    def status(self) -> str:
        return self.meta.status


@dataclass(frozen=True)
class Section:
    """A chapter, section or sub-section in reading order, with its body file per edition."""

    id: str
    number: str | None
    title: Localized
    level: int                  # 1 = part (chapter, front matter), 2 = section, 3 = sub-section
    kind: str                   # front | feature | chapter
    part_id: str
    hkex: tuple[str, ...]
    gri: tuple[str, ...]
    children: tuple["Section", ...] = ()
    sources: Mapping[str, SectionFile] = field(default_factory=lambda: EMPTY)
    manifest_line: int | None = None

    def walk(self) -> Iterator["Section"]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class Report:
    year: int
    folder: Path                               # content/<year>
    content_root: Path                         # content/
    manifest: Manifest
    manifest_doc: YamlDoc
    units: Mapping[str, Unit]
    metrics: Mapping[str, Metric]
    tables: Mapping[str, KpiTable]             # years resolved against the report's year
    charts: Mapping[str, ChartSpec]            # years (and a donut's year) resolved
    orgcharts: Mapping[str, OrgChart]          # organisation charts
    locations: Mapping[str, Location]          # "metric:x", "table:x", "chart:x" → where it is defined
    parts: tuple[Section, ...]
    glossary: tuple[Term, ...] = ()
    style: Mapping[str, tuple[StyleRule, ...]] = field(default_factory=lambda: EMPTY)
    frameworks: Mapping[str, Framework] = field(default_factory=lambda: EMPTY)
    disclosures: ReportDisclosures = field(default_factory=ReportDisclosures)
    restatements: tuple[Restatement, ...] = ()
    invalid_metrics: frozenset[str] = frozenset()   # defined but malformed: reported once, where defined
    # Items defined but malformed ("table", "chart", "orgchart", "rule", "finding" → ids):
    # reported once, where defined, not again where they are placed
    invalid_items: Mapping[str, frozenset[str]] = field(default_factory=lambda: EMPTY)
    # Editions made from another's text: OpenCC configuration and terminology (generate.py)
    conversions: Mapping[str, tuple] = field(default_factory=lambda: EMPTY)
    sdgs: Mapping[int, Localized] = field(default_factory=lambda: EMPTY)   # UN SDG number → its name
    inventory: InventoryResult | None = None   # the emission inventory, computed (content/<year>/inventory.yaml)
    # Sections signed off with `python build.py approve` (content/<year>/approvals.yaml), by id.
    approvals: Mapping[str, Approval] = field(default_factory=lambda: EMPTY)
    editorial: tuple[EditorialEntry, ...] = ()     # departures from the published text, as recorded

    @property
    def editions(self) -> list[str]:
        return list(self.manifest.editions)

    def sections(self) -> Iterator[Section]:
        for part in self.parts:
            yield from part.walk()

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.sections() if s.id == section_id), None)

    def location(self, kind: str, name: str) -> Location | None:
        return self.locations.get(f"{kind}:{name}")

    def malformed(self, kind: TargetKind, name: str) -> bool:
        """Whether `name` is defined, but so malformed that it was left out (and reported where defined)."""
        if kind == "metric":
            return name in self.invalid_metrics
        if kind == "framework":       # named in report.yaml, but its file is missing or malformed
            return name in self.manifest.frameworks and name not in self.frameworks
        return name in self.invalid_items.get(kind, ())
