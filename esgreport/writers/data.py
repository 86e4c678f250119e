"""The KPI downloads: every metric of the report as CSV, XLSX and JSON under an edition's data/."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import datetime, time
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from esgreport.project import Project
from esgreport.render.kpi_data import DATA_FOLDER, KpiData, KpiValue, plain_number
from esgreport.typography.formatting import round_half_up
from esgreport.writers import Writer, register
from esgreport.writers.fingerprint import digest

if TYPE_CHECKING:
    from esgreport.render.edition import RenderedEdition


CSV_COLUMNS = ("metric_id", "label", "unit", "unit_label", "year", "value", "precision", "value_basis",
               "qualifier", "metric_basis", "formula", "note", "acknowledged", "restated", "pillar", "hkex", "gri",
               "address")


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def inert(text: str) -> str:
    """Text a spreadsheet will not run: a cell starting with =, +, -, @, a tab or a carriage return is
    read by Excel and LibreOffice as a formula (CSV injection), so it gets a leading apostrophe, which
    they show as text. A lone sign (the qualifier "+") or a signed number is left as it is."""
    if text.startswith(_FORMULA_START) and len(text) > 1 and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def to_csv(data: KpiData) -> bytes:
    """One row per metric and year, UTF-8 with a byte-order mark (Excel then reads Chinese correctly).
    A report with an independent assurance has one more column, `assured` (yes where the figure is)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS + (("assured",) if data.assurance else ()))
    for row in data.rows:
        for v in row.values:
            writer.writerow([inert(row.id), inert(row.label), inert(row.unit), inert(row.unit_label), v.year,
                             plain_number(v.value, v.precision), v.precision, v.basis, inert(v.qualifier),
                             row.basis, inert(row.formula or ""), inert(_join(row.note, v.restated)),
                             inert(v.acknowledged), inert(v.restated), inert(row.pillar), " ".join(row.hkex),
                             " ".join(row.gri), inert(row.address)]
                            + (["yes" if v.assured else ""] if data.assurance else []))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_json(data: KpiData, commit: str | None = None) -> bytes:
    """The KPI data for machines; `commit`: the git commit the report was built from (left out where the
    build is not in git)."""
    report: dict = {"company": data.company, "title": data.title, "year": data.year,
                    "period": {"start": data.period[0], "end": data.period[1]}, "published": data.published,
                    "edition": data.code, "language": data.language}
    if commit:
        report["commit"] = commit
    if data.assurance:
        report["assurance"] = dict(data.assurance)
    document = {
        "report": report,
        "years": list(data.years),
        "metrics": [{
            "id": row.id, "label": row.label, "unit": row.unit, "unit_label": row.unit_label,
            "basis": row.basis, "formula": row.formula, "note": row.note or None,
            "pillar": row.pillar or None, "hkex": list(row.hkex), "gri": list(row.gri), "address": row.address or None,
            "values": [{"year": v.year, "value": _json_number(v),
                        "text": plain_number(v.value, v.precision) or None, "precision": v.precision,
                        "basis": v.basis, "qualifier": v.qualifier or None, "restated": v.restated or None,
                        "acknowledged": v.acknowledged or None,
                        **({"assured": True} if v.assured else {})}
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
    for c, title in enumerate(header):        # as text: write_row would turn a leading = into a formula
        sheet.write_string(0, c, title, head)
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
            if v.assured:
                notes.append(when + dict(data.assurance)["symbol"] + " " + w["assured"])
            if v.acknowledged:
                notes.append(when + v.acknowledged)
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


@register
class DataWriter(Writer):
    name = "data"
    description = "the KPI data: every metric with its values, as CSV, XLSX and JSON under data/"
    media = ()      # made from the prepared report, not from a rendered page

    def owns(self, path: PurePosixPath) -> bool:
        return path.parts[0] == DATA_FOLDER

    def files(self, rendered: "RenderedEdition", commit: str | None = None) -> dict[str, bytes]:
        data = rendered.kpi_data
        if data is None:
            return {}
        return {data.file(fmt): to_json(data, commit) if fmt == "json" else serialise(data)
                for fmt, serialise in SERIALISERS.items()}

    def key(self, rendered: "RenderedEdition", project: Project) -> str:
        return digest(*(f"{name}\0".encode() + content
                        for name, content in sorted(self.files(rendered, project.commit).items())))

    def write(self, rendered: "RenderedEdition", folder: Path, project: Project) -> None:
        for name, content in self.files(rendered, project.commit).items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(content)
