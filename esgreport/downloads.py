"""The KPI data an edition offers for download: every metric of the report with its values, as CSV,
XLSX and JSON, made from the prepared report (never from the rendered pages).

One row per metric: its id, its label and unit in the edition's language, the decimals it is stated
to, each year's value, its notes, and whether it is stated or derived (a derived metric has a
formula; a stated value of a derived metric is the company's figure, checked against the formula).
CSV and JSON use stable English keys for machines; the workbook is for people, headed in the
edition's language.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import datetime, time
from decimal import Decimal
from typing import Callable

from .editions import EDITIONS
from .formatting import round_half_up
from .report import Report
from .writers import DATA_FOLDER as FOLDER

# The columns of the CSV (one row per metric and year), in order.
CSV_COLUMNS = ("metric_id", "label", "unit", "unit_label", "year", "value", "precision", "value_basis",
               "qualifier", "metric_basis", "formula", "note")


@dataclass(frozen=True)
class KpiValue:
    year: int
    value: Decimal | None
    precision: int
    basis: str            # stated | computed (by the formula) | not_reported | pending (a draft's empty value)
    qualifier: str = ""   # words around the figure: "nearly {}", "{}+"
    restated: str = ""    # why a figure of an earlier year was corrected


@dataclass(frozen=True)
class KpiRow:
    id: str
    label: str
    unit: str
    unit_label: str
    formula: str | None
    note: str
    values: tuple[KpiValue, ...]

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

    @property
    def stem(self) -> str:
        return f"esg-kpi-{self.year}-{self.code}"

    def file(self, fmt: str) -> str:
        """Its path in the edition's folder: data/esg-kpi-2023-en.csv."""
        return f"{FOLDER}/{self.stem}.{fmt}"


def kpi_data(report: Report, code: str, gettext: Callable[[str], str],
             pgettext: Callable[[str, str], str]) -> KpiData:
    """Every metric of the report, labelled for the edition `code`."""
    edition = EDITIONS[code]
    lang = edition.content_edition

    def text(localized) -> str:
        return str(localized.get(lang, "")) if localized else ""

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
                                   text(metric.qualifiers.get(year)), text(restated.reason) if restated else ""))
        rows.append(KpiRow(metric.id, text(metric.label), metric.unit, unit.label(lang) if unit else "",
                           metric.formula, text(metric.note), tuple(values)))
    m = report.manifest
    years = sorted({v.year for r in rows for v in r.values})
    _ = gettext
    words = {
        "sheet": _("KPI data"), "about": _("About"), "id": _("Metric ID"), "label": _("Indicator"),
        "unit": _("Unit"), "basis": _("Stated or derived"), "formula": _("Formula"), "notes": _("Notes"),
        "stated": _("stated"), "derived": _("derived"), "computed": _("computed from the formula"),
        "not_reported": _("not reported"), "pending": _("not yet known"),
        "restated": _("restated"),
        "intro": _("Every metric of the report, with each year's value as the report states it. A derived "
                   "metric's formula names the metrics it is computed from; its stated values are checked "
                   "against the formula when the report is built."),
        "year": _("%(year)s"), "colon": pgettext("punctuation", ": "), "gap": edition.sentence_gap,
    }
    return KpiData(code=code, language=edition.html_lang, company=text(m.company.name), title=text(m.title),
                   year=report.year, period=(m.period.start.isoformat(), m.period.end.isoformat()),
                   published=m.published.isoformat() if m.published else None, years=tuple(years),
                   rows=tuple(rows), words=words)


def plain_number(value: Decimal | None, precision: int) -> str:
    """A value as data: its stated decimals, a full stop, no grouping ("0.0810", "1097.47")."""
    if value is None:
        return ""
    return f"{round_half_up(value, precision):f}"


def to_csv(data: KpiData) -> bytes:
    """One row per metric and year, UTF-8 with a byte-order mark (Excel then reads Chinese correctly)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in data.rows:
        for v in row.values:
            writer.writerow([row.id, row.label, row.unit, row.unit_label, v.year,
                             plain_number(v.value, v.precision), v.precision, v.basis, v.qualifier, row.basis,
                             row.formula or "", _join(row.note, v.restated)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_json(data: KpiData) -> bytes:
    document = {
        "report": {"company": data.company, "title": data.title, "year": data.year,
                   "period": {"start": data.period[0], "end": data.period[1]}, "published": data.published,
                   "edition": data.code, "language": data.language},
        "years": list(data.years),
        "metrics": [{
            "id": row.id, "label": row.label, "unit": row.unit, "unit_label": row.unit_label,
            "basis": row.basis, "formula": row.formula, "note": row.note or None,
            "values": [{"year": v.year, "value": _json_number(v),
                        "text": plain_number(v.value, v.precision) or None, "precision": v.precision,
                        "basis": v.basis, "qualifier": v.qualifier or None, "restated": v.restated or None}
                       for v in row.values],
        } for row in data.rows],
    }
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def to_xlsx(data: KpiData) -> bytes:
    """A workbook for people: one row per metric, a column per year, numbers as numbers with their
    decimals; headed in the edition's language; header row and indicator column frozen. Its document
    date is the report's, so a rebuild writes the same bytes."""
    import xlsxwriter

    w = data.words
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    when = data.published or data.period[1]
    book.set_properties({"title": f"{data.company} {data.title}", "author": data.company,
                         "created": datetime.combine(datetime.fromisoformat(when).date(), time())})
    head = book.add_format({"bold": True, "bg_color": "#23324D", "font_color": "#FFFFFF", "text_wrap": True,
                            "valign": "top"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    numbers: dict[int, object] = {}

    def number_format(precision: int):
        if precision not in numbers:
            numbers[precision] = book.add_format(
                {"num_format": "#,##0" + ("." + "0" * precision if precision else ""), "valign": "top"})
        return numbers[precision]

    sheet = book.add_worksheet(w["sheet"][:31])
    header = [w["id"], w["label"], w["unit"], *(w["year"] % {"year": y} for y in data.years),
              w["basis"], w["formula"], w["notes"]]
    sheet.write_row(0, 0, header, head)
    first_year = 3
    for r, row in enumerate(data.rows, start=1):
        sheet.write_string(r, 0, row.id, wrap)
        sheet.write_string(r, 1, row.label, wrap)
        sheet.write_string(r, 2, row.unit_label, wrap)
        notes = []
        for c, year in enumerate(data.years, start=first_year):
            v = row.value(year)
            if v is None:
                continue
            if v.value is None:
                sheet.write_string(r, c, "-" if v.basis == "not_reported" else "", wrap)
            else:
                sheet.write_number(r, c, float(plain_number(v.value, v.precision)), number_format(v.precision))
            when = w["year"] % {"year": year} + w["colon"]
            if v.basis not in ("stated",):
                notes.append(when + w[v.basis])
            if v.qualifier:
                notes.append(when + _around(v.qualifier))
            if v.restated:
                notes.append(when + w["restated"] + w["colon"] + v.restated)
        sheet.write_string(r, first_year + len(data.years), w[row.basis], wrap)
        sheet.write_string(r, first_year + len(data.years) + 1, row.formula or "", wrap)
        sheet.write_string(r, first_year + len(data.years) + 2, w["gap"].join(filter(None, [row.note, *notes])), wrap)
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 1, 48)
    sheet.set_column(2, 2, 16)
    sheet.set_column(first_year, first_year + len(data.years) - 1, 14)
    sheet.set_column(first_year + len(data.years), first_year + len(data.years), 12)
    sheet.set_column(first_year + len(data.years) + 1, first_year + len(data.years) + 2, 48)
    sheet.freeze_panes(1, 2)
    sheet.autofilter(0, 0, len(data.rows), len(header) - 1)

    about = book.add_worksheet(w["about"][:31])
    about.set_column(0, 0, 100)
    for r, line in enumerate([f"{data.company} {data.title}", f"{data.period[0]} – {data.period[1]}", "",
                              w["intro"]]):
        about.write_string(r, 0, line, wrap if r == 3 else None)
    book.close()
    return out.getvalue()


def _json_number(v: KpiValue) -> int | float | None:
    """A value as a JSON number: whole when it is stated without decimals."""
    if v.value is None:
        return None
    number = round_half_up(v.value, v.precision)
    return int(number) if v.precision == 0 else float(number)


def _around(qualifier: str) -> str:
    """A qualifier as a note: "nearly {}" → "nearly …", "+" → "…+"."""
    return qualifier.replace("{}", "…") if "{}" in qualifier else "…" + qualifier


def _join(*parts: str) -> str:
    return " ".join(p for p in parts if p)


SERIALISERS: dict[str, Callable[[KpiData], bytes]] = {"csv": to_csv, "xlsx": to_xlsx, "json": to_json}
