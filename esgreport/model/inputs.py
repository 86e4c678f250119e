"""The shapes of the input files, validated at the edge so the rest of the code can trust them.

These are the files as editors write them. What the build computes from them (values from earlier
years, derived figures, restatements) is the prepared report of esgreport/report.py.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Collection
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Literal, Optional, Union

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    RootModel,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from esgreport.editions import EDITIONS
from esgreport.errors import did_you_mean
from esgreport.model.numbers import NumberError, mend_split_figures, parse_bound, parse_number

if TYPE_CHECKING:
    from esgreport.errors import Problems
    from esgreport.model.load import YamlDoc

METRIC_ID = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")
SECTION_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
CHART_ID = re.compile(r"^[a-z0-9]+([_-][a-z0-9]+)*$")


def one_of(names: Collection[str], what: str = "key") -> AfterValidator:
    """A name from a fixed set (a key of a map, or a value): another is `unknown <what> `x``, with the
    closest names as the hint. validate() reports it at the name's own line."""
    def check(name: str) -> str:
        if name not in names:
            raise PydanticCustomError("unknown_name", "unknown {what} `{name}`", {
                "what": what, "name": name,
                "hint": did_you_mean(name, names, f"use one of: {', '.join(f'`{n}`' for n in names)}")})
        return name
    return AfterValidator(check)


EditionCode = Annotated[str, one_of(EDITIONS, "edition")]
GeneratedEdition = Annotated[str, one_of([c for c, e in EDITIONS.items() if e.source], "generated edition")]

Localized = dict[EditionCode, str]
"""Text per edition code: {zh-hant: 員工總人數, en: Total number of employees}. A key that is not an
edition the tool knows (`zh-hnat`) is a problem: its text would be dropped."""

FAMILIES = ("hkex", "gri")
Family = Annotated[str, one_of(FAMILIES, "framework family")]

# The review cycle of a section file, in order. `new-year` sets every section back to the first.
STATUSES = ("draft", "translated", "reviewed", "approved")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


# A figure of a data file, parsed by the one number parser (esgreport/model/numbers.py).
FigureValue = Annotated[Union[Decimal, Literal["n/a"], None], BeforeValidator(parse_number)]
Bound = Annotated[Optional[Decimal], BeforeValidator(parse_bound)]


def _year(value: int) -> int:
    if not 1900 < value < 2200:
        raise NumberError(f"{value} is not a year", "values map years to figures, e.g. {2024: 2832, 2025: 2440}")
    return value


Year = Annotated[int, AfterValidator(_year)]


class HintedError(ValueError):
    """A validator's refusal with what to do about it: validate() gives the hint with the message."""

    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.hint = hint


class Unit(Strict):
    """A unit of measure of content/units.yaml: its label in each edition (`zh-hant: 人, en: persons`),
    how the label stands beside a figure, and the range its figures keep to."""

    model_config = ConfigDict(extra="allow")     # the labels, by edition code (checked in _keys)
    space: bool = True          # where units stand apart (English): "2,440 persons" vs "30%"
    prefix: bool = False        # where units stand apart (English): before the figure, "RMB12,029"
    whole: bool = False         # counts of people, suppliers, cases: whole numbers only
    percentage: bool = False    # written 0–100 (22 for 22 %): a fraction such as 0.22 is a likely slip
    min: Bound = None           # the range of a figure in this unit (none where unbounded); a metric
    max: Bound = None           # may declare its own (a change may be negative)
    # The largest change from the year before, per cent either way, that needs no explanation (none: no
    # rule); a metric may declare its own.
    max_change: Bound = None

    @model_validator(mode="before")
    @classmethod
    def _keys(cls, data):
        """Labels are given for edition codes only: any other key is a setting, or a mistake."""
        for key, value in data.items() if isinstance(data, dict) else ():
            if key in cls.model_fields:
                continue
            if key not in EDITIONS:
                allowed = [*EDITIONS, *cls.model_fields]
                raise HintedError(f"unknown key `{key}`", did_you_mean(
                    str(key), allowed, f"a unit has a label per edition ({', '.join(EDITIONS)}) and the "
                                       f"settings {', '.join(cls.model_fields)}"))
            if not isinstance(value, str):
                raise HintedError(f"the {key} label of a unit must be text", f'write `{key}: "…"`')
        return data

    def label(self, edition: str) -> str:
        return str((self.model_extra or {}).get(edition, ""))


class YearSpan(Strict):
    """Years relative to the report's: `{last: 3}` is the report's year and the two before it."""

    last: int = Field(ge=1, le=20)

    def resolve(self, report_year: int) -> list[int]:
        return list(range(report_year - self.last + 1, report_year + 1))


def _years(value):
    """`years:` is a list of years, or `{last: N}` (the report's year and the N-1 before it)."""
    if isinstance(value, dict):
        if set(value) == {"last"} and isinstance(value["last"], int) and not isinstance(value["last"], bool) \
                and 1 <= value["last"] <= 20:
            return YearSpan(last=value["last"])
    elif isinstance(value, list):
        if all(isinstance(y, int) and not isinstance(y, bool) and 1900 < y < 2200 for y in value):
            return value
    elif value is None:
        return value
    raise ValueError("write the years as {last: 2} (the report's year and the one before; a new year needs "
                     "no edit), or as a list of years such as [2022, 2023]")


Years = Annotated[Union[YearSpan, list[int]], BeforeValidator(_years)]


class RestatementSpec(Strict):
    """A figure of an earlier year, corrected in this report: the new value and why, in every language."""

    value: Decimal
    reason: Localized

    @model_validator(mode="before")
    @classmethod
    def _mend(cls, data):
        return mend_split_figures(data, frozenset({"value"})) if isinstance(data, dict) else data

    @field_validator("value", mode="before")
    @classmethod
    def _number(cls, v):
        v = parse_number(v)
        if not isinstance(v, Decimal):
            raise NumberError("a restated value must be a number", "write the corrected figure")
        return v


OWNER = re.compile(r"^[^\W\d_][\w &.-]{0,39}$")


def _owner(value: str) -> str:
    if not OWNER.match(value) or value != value.strip():
        raise HintedError(f"`{value}` is not an owner's name",
                          "an owner is a role, as short as HR or Administration: letters, digits, spaces, - & . "
                          "(it names the owner's request workbook, HR.xlsx)")
    return value


Owner = Annotated[str, AfterValidator(_owner)]
"""Who supplies a figure: a role (HR, Administration, Procurement), never a person's name, so that the
request goes to whoever holds the role that year. It names the owner's request workbook (HR.xlsx)."""

SHA256 = r"^[0-9a-f]{64}$"
CELL = r"^[^!]{1,31}![A-Z]{1,3}[1-9][0-9]{0,6}$"
NOT_REPORTED_KINDS = ("not_applicable", "not_available")


class Provenance(Strict):
    """Where one year's figure of a metric came from, as `python build.py import` recorded it: the owner
    who supplied it, their source, the evidence file and its SHA-256, the workbook and cell it was read
    from, and the date of the import. A figure not reported (`n/a`) says whether it is not applicable or
    not available; the reason is under the metric's `explanations:`."""

    owner: Owner
    source: str = Field(min_length=1)
    evidence: Optional[str] = None
    sha256: Optional[str] = Field(default=None, pattern=SHA256)
    workbook: str = Field(min_length=1)
    cell: str = Field(pattern=CELL)
    imported: date
    not_reported: Optional[Literal["not_applicable", "not_available"]] = None

    @model_validator(mode="after")
    def _evidence_and_hash(self):
        if (self.evidence is None) != (self.sha256 is None):
            raise ValueError("an evidence file is recorded with its sha256, and a sha256 with its file")
        return self


Percent = Annotated[Decimal, Field(gt=0)]


class MetricSpec(Strict):
    label: Localized
    unit: str
    precision: Union[int, dict[int, int]] = 0
    values: dict[Year, FigureValue] = Field(default_factory=dict)
    # A derived metric: computed from other metrics of the same year, e.g. `ghg.scope2 / workforce.total`;
    # `prev(x)` is x in the year before. Stated values are kept and checked against the computation.
    formula: Optional[str] = None
    note: Optional[Localized] = None
    qualifiers: dict[int, Localized] = Field(default_factory=dict)
    source: Optional[Localized] = None
    restated: dict[int, RestatementSpec] = Field(default_factory=dict)
    # The metric's own range, where its unit's does not hold (a change may be negative); `max: null`
    # (or nothing) takes the bound away. Left out, the unit's range applies.
    min: Bound = None
    max: Bound = None
    # Who supplies the figure (a role), where it differs from the data file's `owner:`.
    owner: Optional[Owner] = None
    # What the figure counts and its boundary (which entities, sites, period), shown to its owner in the
    # request workbook; not printed.
    definition: Optional[Localized] = None
    # A running total (since a start date): it never falls from one year to the next.
    cumulative: bool = False
    # The largest change from the year before (per cent, either way) that needs no explanation, where
    # the unit's `max_change` does not suit the metric; `null` takes the rule away.
    max_change: Optional[Percent] = None
    # Why a year's figure moved (or why it is not reported): for reviewers and the assurance provider,
    # not printed. The import writes the owner's explanation here.
    explanations: dict[Year, str] = Field(default_factory=dict)
    # Where each year's figure came from (written by `python build.py import`).
    provenance: dict[Year, Provenance] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _mend(cls, data):
        return mend_split_figures(data, frozenset({"min", "max", "max_change"})) if isinstance(data, dict) else data

    @field_validator("max_change", mode="before")
    @classmethod
    def _change(cls, v):
        return parse_bound(v)

    def change_limit(self, unit: Unit) -> Decimal | None:
        """The largest per cent change from the year before that needs no explanation (None: no rule)."""
        return self.max_change if "max_change" in self.model_fields_set else unit.max_change

    @field_validator("values", mode="before")
    @classmethod
    def _numbers(cls, v):
        if v is None:
            return {}
        if not isinstance(v, dict):
            raise NumberError("values must map years to numbers", "write them as {2022: 2832, 2023: 2440}")
        return mend_split_figures(v)

    @field_validator("precision")
    @classmethod
    def _precision(cls, v):
        for p in (v.values() if isinstance(v, dict) else [v]):
            if not 0 <= p <= 8:
                raise ValueError("precision is the number of decimals shown, from 0 to 8")
        return v

    def precision_for(self, year: int) -> int:
        if isinstance(self.precision, dict):
            return self.precision.get(year, max(self.precision.values(), default=0))
        return self.precision

    def bounds(self, unit: Unit) -> tuple[Decimal | None, Decimal | None]:
        """The least and the most a figure of the metric may be (None: no bound): its own where it
        declares them, else its unit's."""
        return (self.min if "min" in self.model_fields_set else unit.min,
                self.max if "max" in self.model_fields_set else unit.max)


class TableRow(Strict):
    metric: Optional[str] = None
    label: Optional[Localized] = None
    rows: list["TableRow"] = Field(default_factory=list)
    note_refs: dict[int, int] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _metric_or_rows(self):
        if not self.metric and not self.rows:
            raise ValueError("a row needs `metric:` or nested `rows:`")
        if not self.metric and not self.label:
            raise ValueError("a row of nested rows needs a `label:`")
        return self


class TableGroup(Strict):
    label: Localized
    rows: list[TableRow]


class KpiTable(Strict):
    title: Localized
    years: Years
    groups: list[TableGroup] = Field(default_factory=list)
    rows: list[TableRow] = Field(default_factory=list)
    notes: list[Localized] = Field(default_factory=list)

    def all_groups(self) -> list[TableGroup]:
        """Ungrouped rows behave as one group without a label."""
        if self.rows:
            return [TableGroup(label={}, rows=self.rows), *self.groups]
        return self.groups

    def metric_ids(self) -> list[str]:
        def walk(rows: list[TableRow]):
            for row in rows:
                if row.metric:
                    yield row.metric
                yield from walk(row.rows)
        return [m for g in self.all_groups() for m in walk(g.rows)]


class Rule(Strict):
    """An integrity rule declared beside the data.

    - `sum: [a, b]` with `equals: total` (or `equals: [x, y]`, another breakdown of the same total):
      the breakdown adds up, in every year all its metrics have values;
    - `within: [0, 100]` with `metrics: [women.*, ...]` (patterns allowed): values stay in range.
    """

    id: str
    sum: Optional[list[str]] = None
    equals: Union[str, list[str], None] = None
    within: Optional[tuple[Decimal, Decimal]] = None
    metrics: list[str] = Field(default_factory=list)
    note: Optional[Localized] = None

    @model_validator(mode="after")
    def _kind(self):
        if self.sum is not None and self.equals is None:
            raise ValueError("a `sum:` rule needs `equals:` (the total, or another breakdown)")
        if self.within is not None and not self.metrics:
            raise ValueError("a `within:` rule needs `metrics:`")
        if self.sum is None and self.within is None:
            raise ValueError("a rule is either `sum:` … `equals:` or `within:` … `metrics:`")
        return self


class ChartSeries(Strict):
    """One metric drawn in a chart; `label` replaces the metric's label in the legend and axis."""

    metric: str
    label: Optional[Localized] = None


class ChartSpec(Strict):
    """A chart drawn from KPI data (the drawing is esgreport/charts.py).

    bar: one metric over `years`; grouped_bar: one group of bars per metric, a bar per year;
    stacked_bar: the metrics stacked, a bar per year; donut: the metrics' shares of one `year`.
    """

    title: Localized
    type: Literal["bar", "grouped_bar", "stacked_bar", "donut"]
    series: list[ChartSeries] = Field(min_length=1)
    years: Optional[Years] = None
    year: Optional[int] = None           # donut only; defaults to the report's year
    caption: Optional[Localized] = None  # a line under the title
    note: Optional[Localized] = None     # a note under the chart (source, scope)
    wide: bool = False                   # the full text width instead of half of it

    @model_validator(mode="after")
    def _shape(self):
        if self.type == "donut":
            if self.years:
                raise ValueError("a donut shows one year: leave `years:` out (it shows the report's year)")
            if len(self.series) < 2:
                raise ValueError("a donut needs at least two series (the parts of the whole)")
        else:
            if self.year is not None:
                raise ValueError(f"a {self.type} chart shows `years:`, not `year:`")
            if not self.years:
                raise ValueError(f"a {self.type} chart needs `years:`, e.g. {{last: 2}} for the report's year "
                                 "and the one before")
            if isinstance(self.years, list) and len(set(self.years)) != len(self.years):
                raise ValueError("`years:` lists a year twice")
            if self.type == "bar" and len(self.series) != 1:
                raise ValueError("a bar chart shows one metric; use grouped_bar or stacked_bar for several")
        metrics = [s.metric for s in self.series]
        if len(set(metrics)) != len(metrics):
            raise ValueError("a chart names the same metric twice in `series:`")
        return self


class OrgUnit(Strict):
    """One box of an organisation chart: a body, who it is made of, what it does, whom it reports to."""

    id: str
    name: Localized
    composition: Optional[Localized] = None
    duties: list[Localized] = Field(default_factory=list)
    reports_to: Optional[str] = None


class OrgChart(Strict):
    """An organisation chart drawn from data: units in order from the top, each reporting to one above it.
    Placed in a section with {{ org_chart("id") }}."""

    title: Localized
    units: list[OrgUnit] = Field(min_length=1)

    @model_validator(mode="after")
    def _tree(self):
        ids = [u.id for u in self.units]
        if len(set(ids)) != len(ids):
            raise ValueError("two units of the chart have the same `id`")
        seen: set[str] = set()
        for unit in self.units:
            if unit.reports_to is not None and unit.reports_to not in seen:
                raise ValueError(f"unit `{unit.id}` reports to `{unit.reports_to}`, which is not a unit above it "
                                 "(list the units from the top down)")
            seen.add(unit.id)
        if sum(1 for u in self.units if u.reports_to is None) != 1:
            raise ValueError("one unit, the first, is at the top (no `reports_to:`); every other reports to one above it")
        return self

    def depth(self, unit: OrgUnit) -> int:
        by_id = {u.id: u for u in self.units}
        depth = 0
        while unit.reports_to is not None:
            unit, depth = by_id[unit.reports_to], depth + 1
        return depth


# A reason that leans on the one before it ("As above"): readers see each note on its own. The words
# stand alone: 同上年度 ("the previous year") and "As aboveground" read on their own.
LEANING_ON_ANOTHER = re.compile(r"(同上|同前|如上所述|如上|[參参]?[見见]上文?|same as above|as above|see above|ditto"
                                r"|ibid\.?)(?!\w)", re.IGNORECASE)


class Acknowledgement(Strict):
    """A published discrepancy editors have reviewed and accept, recorded with its reason.

    It matches one finding exactly (its id, the value found and the value expected), so any change to
    the data makes the finding, and the need to review it, come back.
    """

    finding: str
    found: str
    expected: str
    reason: Localized
    # What the team still has to settle about it (who confirms what): for the team and the assurer,
    # never printed. The reason is what readers see, as the figure's note.
    follow_up: str | None = None

    @field_validator("follow_up", mode="before")
    @classmethod
    def _one_line_of_text(cls, v):
        if v is not None and (not isinstance(v, str) or not v.strip()):
            raise HintedError("follow_up is what the team must still settle, as one line of text",
                              "write who is to confirm what (e.g. `follow_up: Human Resources to confirm the base`), "
                              "or leave the key out")
        return v

    @field_validator("reason")
    @classmethod
    def _reads_on_its_own(cls, v: dict[str, str]) -> dict[str, str]:
        for code, text in v.items():
            found = LEANING_ON_ANOTHER.match(text.strip())
            if found:
                raise ValueError(
                    f"the {code} reason starts with “{found.group(1)}”: it is printed as a note of its "
                    "own under the figure, where nothing stands above it — write it so that it reads on its own")
        return v


class DataFile(Strict):
    """A file under data/. content.py validates its top-level keys against this model and then each
    item on its own (DATA_ITEMS), so that a mistake in one metric, table, chart, rule or acknowledgement
    leaves the rest loaded."""

    owner: Optional[Owner] = None       # who supplies the file's figures (a role); a metric may name its own
    metrics: dict[str, MetricSpec] = Field(default_factory=dict)
    tables: dict[str, KpiTable] = Field(default_factory=dict)
    charts: dict[str, ChartSpec] = Field(default_factory=dict)
    orgcharts: dict[str, OrgChart] = Field(default_factory=dict)
    checks: list[Rule] = Field(default_factory=list)
    acknowledged: list[Acknowledgement] = Field(default_factory=list)


# What each collection of a data file holds, and how its items are named in messages.
DATA_ITEMS: dict[str, tuple[type[BaseModel], str]] = {
    "metrics": (MetricSpec, "metric"),
    "tables": (KpiTable, "table"),
    "charts": (ChartSpec, "chart"),
    "orgcharts": (OrgChart, "organisation chart"),
    "checks": (Rule, "rule"),
    "acknowledged": (Acknowledgement, "acknowledgement"),
}


class SectionMeta(Strict):
    """The front matter of a section file. `translated_from` is written by `build.py translated`:
    the source's paragraphs, hashed, as the translation was made from them (translations.py)."""

    status: Literal["draft", "translated", "reviewed", "approved"] = "draft"
    translated_from: Optional[str] = Field(default=None, pattern=r"^([0-9a-f]{8}( [0-9a-f]{8})*)?$")


class Approval(Strict):
    """A section's sign-off, as `python build.py approve` records it in content/<year>/approvals.yaml: who
    approved it, when, and a SHA-256 of what they approved (each edition's text, and the figures the
    section prints). Any later edit of either makes the section unapproved (prepare/approvals.py)."""

    by: str = Field(min_length=1)
    date: date
    text: dict[EditionCode, Annotated[str, Field(pattern=SHA256)]]
    figures: str = Field(pattern=SHA256)


class Approvals(RootModel[dict[Annotated[str, Field(pattern=SECTION_ID.pattern)], Approval]]):
    """content/<year>/approvals.yaml: section id → its approval."""


# --- the files shared by every year: style.yaml, glossary.yaml, terminology.yaml, sdgs.yaml -------------

class StyleRule(Strict):
    """A phrase of content/style.yaml: what to write instead, and how often it may occur in an edition."""

    phrase: str = Field(min_length=1)
    forms: list[str] = Field(default_factory=list)
    prefer: str = ""
    max: int = Field(default=0, ge=0)


class StyleGuide(RootModel[dict[EditionCode, list[StyleRule]]]):
    """content/style.yaml: the phrases of each edition."""


def _written(text: str) -> str:
    if not text.strip():
        raise ValueError("write the term: it is empty")
    return text


Written = Annotated[str, AfterValidator(_written)]


class GlossaryTerm(Strict):
    """An agreed term of content/glossary.yaml: a Chinese term and its English rendering."""

    model_config = ConfigDict(populate_by_name=True)
    zh_hant: Written = Field(alias="zh-hant")
    en: Written
    variants: list[Written] = Field(default_factory=list)   # other acceptable English forms
    banned: list[Written] = Field(default_factory=list)     # renderings not to use, checked paragraph by paragraph
    note: Optional[str] = None


class Terminology(RootModel[dict[GeneratedEdition, dict[str, str]]]):
    """content/terminology.yaml: for an edition made with OpenCC, `converted: preferred` terms."""


SdgNumber = Annotated[int, Field(ge=1, le=17)]


class SdgNames(RootModel[dict[SdgNumber, Localized]]):
    """content/sdgs.yaml: the names of the UN Sustainable Development Goals, by number."""


# --- the editorial record: content/<year>/editorial.yaml ------------------------------------------------

DEPARTURES = ("reconstruction", "filled", "removed", "corrected-label", "correction")
"""Why an edition departs from the published text: text the extraction of the published report lost,
rebuilt; an element left empty in print, filled (or removed); a label corrected; an error corrected."""


class Departure(Strict):
    """One place where an edition departs on purpose from the text the company published: what was
    published, what this edition says instead (per edition; none where the element was removed), why,
    and who decided. `section` names the section file; `file` another file of the report's folder or
    of content/ (a data file, sdgs.yaml)."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
    kind: Annotated[str, one_of(DEPARTURES, "kind of departure")]
    section: Optional[Annotated[str, Field(pattern=SECTION_ID.pattern)]] = None
    file: Optional[str] = None
    published: str                      # as printed ("" where the printed element was empty)
    published_at: str = ""              # where in the published report (page, heading)
    ours: Localized = Field(default_factory=dict)
    reason: Written
    decided_by: Written

    @model_validator(mode="after")
    def _where(self):
        if (self.section is None) == (self.file is None):
            raise HintedError("a departure names its `section:` (a section id) or its `file:`, one of them",
                              "write `section: climate-change`, or `file: data/community.yaml`")
        return self


# --- disclosure frameworks (content/frameworks/*.yaml) and a report's disclosures.yaml ---------------

LEVELS = ("mandatory", "comply_or_explain", "recommended", "voluntary")
# The status column of an index: what render/indexes.py gives each row, and a framework labels.
INDEX_STATUSES = ("disclosed", "not_applicable", "explained", "cited", "relief", "missing")
# Who must disclose what may depend on the issuer: a Main Board issuer, a LargeCap issuer (a Hang Seng
# Composite LargeCap Index constituent, judged on the preceding year), a GEM issuer.
ISSUER_CATEGORIES = ("main_board", "largecap", "gem")
IssuerCategory = Annotated[str, one_of(ISSUER_CATEGORIES, "issuer category")]
INDEX_COLUMNS = ("requirement", "status", "location", "standard", "disclosure")
STATEMENTS_OF_USE = ("with_reference", "in_accordance")

# A text per edition that may say its translation is not the official one: `translation: unofficial`.
StatementText = dict[Annotated[str, one_of((*EDITIONS, "translation"))], str]


class FrameworkItem(Strict):
    """One disclosure of a framework: an HKEX provision or KPI, a GRI disclosure."""

    code: str
    level: Optional[Annotated[str, one_of(LEVELS, "level")]] = None
    paragraph: Optional[str] = None          # the paragraph of the rulebook
    title: Optional[Localized] = None
    requirement: Optional[Localized] = None
    note: Optional[Localized] = None         # the official note printed under a general disclosure
    translation: Optional[Literal["unofficial"]] = None   # the Chinese is not the official wording
    verified: Optional[bool] = None          # false: not yet checked against the rulebook text
    repealed: bool = False
    # Answered by the report itself, where it makes any (history.py): the index needs no note there.
    answered_by: Optional[Literal["restatements"]] = None
    # Its level by issuer category and year: a schedule of the framework's `phasing:` (else `level:`).
    phasing: Optional[str] = None
    # Where the same matter stands in other standards, by paragraph number only (their text is licensed).
    ifrs_s2: Optional[str] = None
    hkfrs_s2: Optional[str] = None
    gri: list[str] = Field(default_factory=list)


class Relief(Strict):
    """An implementation relief of a framework: the items it may be applied to, for whom, until when."""

    title: Localized
    covers: list[str] = Field(min_length=1)            # item codes
    issuers: list[IssuerCategory] = Field(default_factory=lambda: list(ISSUER_CATEGORIES))
    until: Optional[int] = None          # the last financial year it may be applied to; none: no expiry
    verified: Optional[bool] = None
    note: Optional[Localized] = None


Phasing = dict[IssuerCategory, dict[int, Annotated[str, one_of(LEVELS, "level")]]]
"""Levels by issuer category and the first financial year they apply: {largecap: {2025: comply_or_explain,
2026: mandatory}}."""


class FrameworkGroup(Strict):
    id: str
    title: Localized
    area: Optional[str] = None               # a key of the framework's `areas:`
    year: Optional[int] = None               # the year of a GRI Standard
    items: list[FrameworkItem]


class StatementOfUse(Strict):
    """GRI's statement of use: its label, and the text of each way of reporting ({company}, {start},
    {end}, {year} are filled in)."""

    label: Optional[Localized] = None
    with_reference: Optional[StatementText] = None
    in_accordance: Optional[StatementText] = None


class LabelledValue(Strict):
    label: Localized
    value: Localized


class InForce(Strict):
    """The financial years a framework version applies to, by the day they commence: on or after `from`,
    and before `before` (none: until a later version says otherwise)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    start: date = Field(alias="from")
    before: Optional[date] = None

    def covers(self, commencing: date) -> bool:
        return self.start <= commencing and (self.before is None or commencing < self.before)


class Framework(Strict):
    id: str
    family: Family
    title: Localized
    long_title: Optional[Localized] = None
    short_title: Optional[Localized] = None
    publisher: Optional[Localized] = None
    reference: Optional[Localized] = None
    version: Optional[Localized] = None
    applies_to: Optional[str] = None
    in_force: Optional[InForce] = None      # the financial years it applies to (new-year chooses by it)
    superseded_by: Optional[str] = None
    supersedes: Optional[str] = None
    sources: list[str] = Field(default_factory=list)
    groups: list[FrameworkGroup]
    statuses: dict[Annotated[str, one_of(INDEX_STATUSES, "status")], Localized] = Field(default_factory=dict)
    index_columns: dict[Annotated[str, one_of(INDEX_COLUMNS, "column")], Localized] = Field(default_factory=dict)
    levels: dict[Annotated[str, one_of(LEVELS, "level")], Localized] = Field(default_factory=dict)
    areas: dict[str, Localized] = Field(default_factory=dict)     # subject areas, by id (A, B.labour …)
    statement_of_use: Optional[StatementOfUse] = None
    gri1_used: Optional[LabelledValue] = None
    effective: Optional[int] = None          # the first financial year it applies to
    phasing: dict[str, Phasing] = Field(default_factory=dict)
    reliefs: dict[str, Relief] = Field(default_factory=dict)
    unconfirmed: list[str] = Field(default_factory=list)   # what is not yet checked against the rulebook

    def codes(self) -> dict[str, FrameworkItem]:
        return {item.code: item for group in self.groups for item in group.items}

    @model_validator(mode="after")
    def _references(self):
        codes = self.codes()
        for item in codes.values():
            if item.phasing is not None and item.phasing not in self.phasing:
                raise HintedError(f"item {item.code} follows unknown phasing `{item.phasing}`",
                                  did_you_mean(item.phasing, self.phasing, "name a schedule of `phasing:`"))
        for rid, relief in self.reliefs.items():
            for code in relief.covers:
                if code not in codes:
                    raise HintedError(f"relief `{rid}` covers unknown item `{code}`",
                                      did_you_mean(code, codes, "name an item code of this framework"))
        return self


class IndexAnswers(Strict):
    """What a report says in one index about items no section is tagged with, by code."""

    not_applicable: dict[str, Localized] = Field(default_factory=dict)   # why it does not apply
    explained: dict[str, Localized] = Field(default_factory=dict)        # comply or explain: why not
    notes: dict[str, Localized] = Field(default_factory=dict)            # a location said in words
    reliefs: dict[str, str] = Field(default_factory=dict)                # code → a relief of the framework


class GriAnswers(IndexAnswers):
    statement_of_use: Annotated[str, one_of(STATEMENTS_OF_USE, "statement of use")] = "with_reference"


class ReportDisclosures(Strict):
    """A report's disclosures.yaml: what its indexes say about items it does not disclose in a section
    (content, every language)."""

    hkex: IndexAnswers = Field(default_factory=IndexAnswers)
    gri: GriAnswers = Field(default_factory=GriAnswers)


# --- the manifest (content/<year>/report.yaml) --------------------------------------------------------

class Disclose(Strict):
    hkex: list[str] = Field(default_factory=list)
    gri: list[str] = Field(default_factory=list)


class SectionNode(Strict):
    id: str
    number: Optional[str] = None
    title: Localized
    disclose: Optional[Disclose] = None
    sections: list["SectionNode"] = Field(default_factory=list)

    @field_validator("id")
    @classmethod
    def _id(cls, v):
        if not SECTION_ID.match(v):
            raise ValueError(f"section id {v!r} must be lowercase words joined by hyphens")
        return v


class Part(SectionNode):
    kind: Literal["front", "feature", "chapter"]
    # The UN Sustainable Development Goals the part advances, by number (content/sdgs.yaml names
    # them); a chapter's opener shows them.
    sdgs: list[int] = Field(default_factory=list)

    @field_validator("sdgs")
    @classmethod
    def _sdgs(cls, v):
        bad = [n for n in v if not 1 <= n <= 17]
        if bad:
            raise ValueError(f"SDG {bad[0]} does not exist: the goals are numbered 1 to 17")
        if len(set(v)) != len(v):
            raise ValueError("a goal is named twice in `sdgs:`")
        return v


class Contact(Strict):
    email: str = Field(pattern=r"^[^@\s<>\"']+@[^@\s<>\"']+\.[A-Za-z]{2,}$")
    address: Localized


class Company(Strict):
    name: Localized
    legal_name: Localized
    slogan: Localized
    # Codes of the company's listings, by exchange (the cover prints them).
    listing: dict[Annotated[str, one_of(("hkex", "nyse"))], str] = Field(default_factory=dict)
    website: str
    contact: Contact

    @field_validator("website")
    @classmethod
    def _web_address(cls, v):
        # Printed as a live link in the PDF and on every web page: only a web address will do.
        if not re.fullmatch(r"https?://[^\s<>\"']+", v):
            raise ValueError(f"{v!r} is not a web address: write it as https://…")
        return v


class Period(Strict):
    start: date
    end: date


class AssuranceScope(Strict):
    """The independent assurance of the report (report.yaml `assurance:`): who gives it, on what scope,
    and the figures it covers, marked with `symbol` wherever they are printed and in the downloads."""

    provider: Localized
    scope: Localized
    symbol: str = Field(min_length=1, max_length=2)
    # The assured figures, by metric id: the report's year's figure of each.
    figures: list[str] = Field(min_length=1)

    @field_validator("figures")
    @classmethod
    def _ids(cls, v):
        bad = [m for m in v if not METRIC_ID.match(m)]
        if bad:
            raise ValueError(f"`{bad[0]}` is not a metric id (lowercase words joined by dots, like workforce.total)")
        if len(set(v)) != len(v):
            raise ValueError("a figure is named twice in `figures:`")
        return v


class Manifest(Strict):
    company: Company
    year: int
    period: Period
    # The report's place in the company's series of ESG reports (2: its second), for {{ ordinal() }};
    # `new-year` counts it on.
    ordinal: Optional[int] = Field(default=None, ge=1)
    published: Optional[date] = None
    title: Localized
    editions: list[str]
    # OpenCC configuration of each edition made from another (default: the edition's, in editions.py)
    conversion: dict[GeneratedEdition, str] = Field(default_factory=dict)
    frameworks: dict[Family, str] = Field(default_factory=dict)     # family → a file of content/frameworks
    # The issuer's category in this report's year (LargeCap: a constituent throughout the year before);
    # frameworks that phase their requirements in by category read it.
    issuer: Optional[IssuerCategory] = None
    parts: list[Part]
    # The figures the web edition's home page shows first, by chapter (part id → metric ids), e.g. the
    # environmental, social and governance chapters' three figures each.
    key_figures: dict[str, list[str]] = Field(default_factory=dict)
    # The independent assurance of the report, where there is one: its provider, scope and figures.
    assurance: Optional[AssuranceScope] = None

    # Where the web edition is published: the address of the folder that holds each edition's folder
    # (https://esg.example.com/2023/ → …/2023/en/index.html). Pages then name their translations and
    # their own address in full (hreflang, canonical, share metadata); without it, relatively.
    site: Optional[str] = None

    @field_validator("site")
    @classmethod
    def _site_address(cls, v):
        if v is not None and not re.fullmatch(r"https://[^\s<>\"'?#]+", v):
            raise ValueError(f"{v!r} is not the address of a folder on the web: write it as https://…/")
        return v if v is None or v.endswith("/") else v + "/"


# --- validation: every error becomes a problem at its file and line ------------------------------------

_NO_DATA = object()


def _alternatives(annotation) -> list:
    """The types a value of `annotation` may be: Optional, Union and Annotated taken apart, a root
    model replaced by its root."""
    origin = typing.get_origin(annotation)
    if origin in (Union, types.UnionType, Annotated):
        args = typing.get_args(annotation)
        return [t for arg in (args[:1] if origin is Annotated else args) for t in _alternatives(arg)]
    if isinstance(annotation, type) and issubclass(annotation, RootModel):
        return _alternatives(annotation.model_fields["root"].annotation)
    return [annotation]


def _keys_at(model: type[BaseModel], path: tuple) -> set[str]:
    """The keys accepted at `path` of `model` (where an unknown key was found): what it is compared with."""
    here: list = [model]
    for step in path:
        below = []
        for annotation in here:
            for kind in _alternatives(annotation):
                origin, args = typing.get_origin(kind), typing.get_args(kind)
                if isinstance(kind, type) and issubclass(kind, BaseModel):
                    below += [f.annotation for name, f in kind.model_fields.items() if step in (name, f.alias)]
                elif origin is dict and len(args) == 2:
                    below.append(args[1])
                elif origin in (list, tuple) and args:
                    below.append(args[0])
        here = below
    return {f.alias or name for annotation in here for kind in _alternatives(annotation)
            if isinstance(kind, type) and issubclass(kind, BaseModel) for name, f in kind.model_fields.items()}


def validate(model: type[BaseModel], doc: "YamlDoc", problems: "Problems", prefix: tuple = (), data=_NO_DATA):
    """Validate `data` (by default the whole of `doc`) against `model`; every error becomes a problem
    at its line, and None is returned. `prefix` is where `data` stands in the file, so lines are found
    in `doc`. A misspelt key is one problem (with the key it resembles), not "unknown" plus "missing";
    a name from a fixed set (an edition code, a level) is reported at its own line, with the closest."""
    import difflib

    from pydantic import ValidationError

    data = doc.data if data is _NO_DATA else data
    try:
        return model.model_validate(data if data is not None else {})
    except ValidationError as exc:
        # "[key]" marks an error in a key of a map: its line is the key's.
        errors = [(tuple(prefix) + tuple(x for x in e["loc"] if x != "[key]" and not str(x).startswith("function-")), e)
                  for e in exc.errors()]
        unknown = {loc: loc[-1] for loc, e in errors if e["type"] == "extra_forbidden"}
        missing = {loc: loc[-1] for loc, e in errors if e["type"] == "missing"}
        typos: dict[tuple, str] = {}
        for loc, key in unknown.items():
            twins = [m for m in missing if m[:-1] == loc[:-1]]
            close = difflib.get_close_matches(str(key), [str(m[-1]) for m in twins], n=1, cutoff=0.6)
            if close:
                typos[loc] = close[0]
                missing.pop(next(m for m in twins if str(m[-1]) == close[0]))
        reported: set[tuple] = set()
        for loc, err in errors:
            where = ".".join(str(x) for x in loc) or "file"
            if any(loc[:n] in reported for n in range(len(loc) + 1)):
                # One message per place: a union reports an error per alternative, a misspelt name
                # of a map is followed by its value's errors.
                continue
            if loc in typos:
                msg, hint = f"unknown key `{loc[-1]}`", f"did you mean `{typos[loc]}`?"
            elif err["type"] == "extra_forbidden":
                msg = f"unknown key `{loc[-1]}`"
                hint = did_you_mean(str(loc[-1]), _keys_at(model, loc[len(prefix):-1]),
                                    "check the spelling of the key; the keys allowed here are described "
                                    "in docs/authoring.md")
            elif err["type"] == "unknown_name":
                msg, hint = err["msg"], err["ctx"]["hint"]
            elif err["type"] == "missing":
                if loc not in missing:
                    continue
                msg = f"`{loc[-1]}` is missing"
                hint = f"add `{loc[-1]}:` under {'.'.join(str(x) for x in loc[:-1]) or 'the top level'}"
            else:
                # A union reports one error per alternative; one message per place is enough.
                if loc in reported:
                    continue
                # A validator's refusal may say what to do (numbers.NumberError, HintedError).
                hint = getattr((err.get("ctx") or {}).get("error"), "hint", "")
                msg = f"{where}: {err['msg'].removeprefix('Value error, ')}"
            reported.add(loc)
            problems.add(doc.path, doc.line_of(loc), msg, hint)
        return None
