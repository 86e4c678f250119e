"""The KPI data an edition offers for download: every metric of the report with its values, as CSV,
XLSX and JSON, made from the prepared report (never from the rendered pages).

One row per metric: its id, its label and unit in the edition's language, the decimals it is stated
to, each year's value, its notes, and whether it is stated or derived (a derived metric has a
formula; a stated value of a derived metric is the company's figure, checked against the formula).
CSV and JSON use stable English keys for machines; the workbook is for people, headed in the
edition's language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from esgreport.editions import EDITIONS
from esgreport.model.report import Report, Section
from esgreport.typography.formatting import round_half_up

DATA_FOLDER = "data"      # where an edition's KPI downloads are (the data writer names the files)

# The columns of the CSV (one row per metric and year), in order.


@dataclass(frozen=True)
class KpiValue:
    year: int
    value: Decimal | None
    precision: int
    basis: str            # stated | computed (by the formula) | not_reported | pending (a draft's empty value)
    qualifier: str = ""   # words around the figure: "nearly {}", "{}+"
    restated: str = ""    # why a figure of an earlier year was corrected
    acknowledged: str = ""   # why the figure as published disagrees with others (the note the report prints)
    assured: bool = False  # within the scope of the report's independent assurance (report.yaml `assurance:`)


@dataclass(frozen=True)
class KpiRow:
    id: str
    label: str
    unit: str
    unit_label: str
    formula: str | None
    note: str
    values: tuple[KpiValue, ...]
    # Where the report tells of it: the chapter, the section's HKEX and GRI codes, and the address of
    # its row in a KPI table (or of the section) in the web edition: "appendix.html#water.consumption".
    pillar: str = ""
    hkex: tuple[str, ...] = ()
    gri: tuple[str, ...] = ()
    address: str = ""

    @property
    def basis(self) -> str:
        return "derived" if self.formula else "stated"

    def value(self, year: int) -> KpiValue | None:
        return next((v for v in self.values if v.year == year), None)


@dataclass(frozen=True)
class KpiData:
    """An edition's KPI data set, with the words its workbook is headed with."""

    code: str
    language: str
    company: str
    title: str
    year: int
    period: tuple[str, str]       # ISO dates
    published: str | None
    years: tuple[int, ...]
    rows: tuple[KpiRow, ...]
    words: dict[str, str] = field(default_factory=dict)
    # The report's assurance, where it has one: provider, scope (in the edition's language) and symbol.
    assurance: tuple[tuple[str, str], ...] = ()

    @property
    def stem(self) -> str:
        return f"esg-kpi-{self.year}-{self.code}"

    def file(self, fmt: str) -> str:
        """Its path in the edition's folder: data/esg-kpi-2023-en.csv."""
        return f"{DATA_FOLDER}/{self.stem}.{fmt}"


def kpi_data(report: Report, code: str, gettext: Callable[[str], str],
             pgettext: Callable[[str, str], str]) -> KpiData:
    """Every metric of the report, labelled for the edition `code`."""
    edition = EDITIONS[code]
    lang = edition.content_edition

    def text(localized) -> str:
        return str(localized.get(lang, "")) if localized else ""

    scope = report.manifest.assurance
    assured = {(m, report.year) for m in scope.figures} if scope else set()
    told = _where_told(report, lang)
    parts = {p.id: p for p in report.parts}
    rows = []
    for metric in report.metrics.values():
        unit = report.units.get(metric.unit)
        values = []
        for year in sorted(metric.values):
            value = metric.values[year]
            if year in metric.pending:
                basis = "pending"
            elif value is None:
                basis = "not_reported"
            elif year in metric.derived:
                basis = "computed"
            else:
                basis = "stated"
            restated = metric.restated.get(year)
            values.append(KpiValue(year, value, metric.precision_for(year), basis,
                                   text(metric.qualifiers.get(year)), text(restated.reason) if restated else "",
                                   edition.sentence_gap.join(text(r) for r in metric.acknowledged.get(year, ())),
                                   assured=(metric.id, year) in assured))
        story, row = told.get(metric.id, (None, None))
        part = parts.get(story.part_id) if story else None
        address = (f"{row.part_id}.html#{metric.id}" if row else f"{story.part_id}.html#{story.id}" if story else "")
        rows.append(KpiRow(metric.id, text(metric.label), metric.unit, unit.label(lang) if unit else "",
                           metric.formula, text(metric.note), tuple(values),
                           pillar=text(part.title) if part else "", hkex=story.hkex if story else (),
                           gri=story.gri if story else (), address=address))
    m = report.manifest
    years = sorted({v.year for r in rows for v in r.values})
    _ = gettext
    words = {
        "sheet": _("KPI data"), "about": _("About"), "id": _("Metric ID"), "label": _("Indicator"),
        "unit": _("Unit"), "basis": _("Stated or derived"), "formula": _("Formula"), "notes": _("Notes"),
        "stated": _("stated"), "derived": _("derived"), "computed": _("computed from the formula"),
        "not_reported": _("not reported"), "pending": _("not yet known"),
        "restated": _("restated"), "assured": _("assured"),
        "intro": _("Every metric of the report, with each year's value as the report states it. A derived "
                   "metric's formula names the metrics it is computed from; its stated values are checked "
                   "against the formula when the report is built."),
        "year": _("%(year)s"), "colon": pgettext("punctuation", ": "), "gap": edition.sentence_gap,
    }
    return KpiData(code=code, language=edition.html_lang, company=text(m.company.name), title=text(m.title),
                   year=report.year, period=(m.period.start.isoformat(), m.period.end.isoformat()),
                   published=m.published.isoformat() if m.published else None, years=tuple(years),
                   rows=tuple(rows), words=words,
                   assurance=(("provider", text(scope.provider)), ("scope", text(scope.scope)),
                              ("symbol", scope.symbol)) if scope else ())


def _where_told(report: Report, lang: str) -> dict[str, tuple[Section, Section | None]]:
    """For each metric: the first section that tells of it in its text, cards or charts (else the first
    with its KPI table), and the first section whose KPI table has its row (or None)."""
    story: dict[str, Section] = {}
    table_story: dict[str, Section] = {}
    rows: dict[str, Section] = {}
    for section in report.sections():
        source = section.sources.get(lang)
        for ref in source.references if source else ():
            for metric in ref.metric_ids():
                story.setdefault(metric, section)
            for chart_id in ref.ids("chart"):
                for series in (report.charts[chart_id].series if chart_id in report.charts else ()):
                    story.setdefault(series.metric, section)
            for table_id in ref.ids("table"):
                for metric in (report.tables[table_id].metric_ids() if table_id in report.tables else ()):
                    table_story.setdefault(metric, section)
                    rows.setdefault(metric, section)
    return {m: (story.get(m) or table_story[m], rows.get(m)) for m in {*story, *table_story}}


def plain_number(value: Decimal | None, precision: int) -> str:
    """A value as data: its stated decimals, a full stop, no grouping ("0.0810", "1097.47")."""
    if value is None:
        return ""
    return f"{round_half_up(value, precision):f}"
