"""`python build.py requests`: a data-request workbook per owner, for the report's year.

Each owner (a role: HR, Administration …, named by `owner:` in a data file or on a metric) gets one
workbook with the metrics they supply and that the report states (a derived figure computes itself):
what each figure is, the rules it keeps to, its earlier years, and the cells to fill in (layout.py).
The value cells carry data validation from the metric's unit (a whole number, its range); "not
applicable" and "not available" are chosen from a list, with the reason as the explanation. Sheets are
protected, so that only those cells can be edited (without a password: the protection guards against
slips, not people). The workbook's date is the day it was made (`today`), so the same request written
twice is the same file.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

from esgreport.collect.layout import (
    FIRST_ROW,
    HEADER_ROW,
    INSTRUCTIONS_SHEET,
    LAYOUT_VERSION,
    NOT_REPORTED_CHOICES,
    PROPERTY_LAYOUT,
    PROPERTY_OWNER,
    PROPERTY_YEAR,
    Column,
    columns,
    sheet_name,
)
from esgreport.model.report import Metric, Report
from esgreport.typography.formatting import round_half_up

INPUT_FILL = "#FFF2CC"      # the cells to fill in: a pale yellow, as spreadsheets mark input cells
HEAD_FILL = "#23324D"


@dataclass(frozen=True)
class Request:
    owner: str
    file: str                              # HR.xlsx
    sheets: dict[str, list[str]]           # sheet → metric ids, in order
    content: bytes


def requested(report: Report) -> tuple[dict[str, dict[Path, list[Metric]]], list[Metric]]:
    """The metrics each owner is asked for, by data file, in the files' order; and those with no owner."""
    by_owner: dict[str, dict[Path, list[Metric]]] = {}
    unowned: list[Metric] = []
    for metric in report.metrics.values():
        if metric.formula or report.year not in metric.spec.values:
            continue            # computed, or not a figure of this year's report
        if metric.owner is None:
            unowned.append(metric)
            continue
        by_owner.setdefault(metric.owner, {}).setdefault(metric.location.path, []).append(metric)
    return {owner: dict(sorted(files.items())) for owner, files in sorted(by_owner.items())}, unowned


def requests(report: Report, today: date) -> tuple[list[Request], list[Metric]]:
    """Every owner's request workbook, and the metrics no owner is asked for."""
    by_owner, unowned = requested(report)
    return [_workbook(report, owner, files, today) for owner, files in by_owner.items()], unowned


def _text(localized, edition: str) -> str:
    return str(localized.get(edition, "")) if localized else ""


def _plain(value: Decimal) -> str:
    return f"{value.normalize():f}"


def rules(report: Report, metric: Metric) -> tuple[list[str], list[str]]:
    """What a figure of the metric keeps to, in Chinese and in English: the rules `import` applies."""
    unit = report.units.get(metric.unit)
    zh: list[str] = []
    en: list[str] = []
    if unit is None:
        return zh, en
    low, high = metric.spec.bounds(unit)
    if unit.percentage:
        zh.append("百分比，以0至100填寫（22即22%）")
        en.append("a percentage, written 0–100 (22 for 22 %)")
    elif unit.whole:
        zh.append("整數")
        en.append("a whole number")
    if not unit.percentage or (low, high) != (Decimal(0), Decimal(100)):
        if low is not None and high is not None:
            zh.append(f"{_plain(low)}至{_plain(high)}")
            en.append(f"{_plain(low)} to {_plain(high)}")
        elif low is not None:
            zh.append(f"{_plain(low)}或以上")
            en.append(f"{_plain(low)} or more")
        elif high is not None:
            zh.append(f"不超過{_plain(high)}")
            en.append(f"at most {_plain(high)}")
    places = metric.precision_for(report.year)
    if places:
        zh.append(f"{places}位小數")
        en.append(f"{places} decimals")
    if metric.spec.cumulative:
        zh.append("累計數，不會少於上年")
        en.append("a running total: never below last year's")
    limit = metric.spec.change_limit(unit)
    if limit is not None:
        zh.append(f"較上年變動超過±{_plain(limit)}%須說明")
        en.append(f"a change beyond ±{_plain(limit)} % from last year needs an explanation")
    return zh, en


def _workbook(report: Report, owner: str, files: dict[Path, list[Metric]], today: date) -> Request:
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    company = {e: _text(report.manifest.company.name, e) for e in ("zh-hant", "en")}
    book.set_properties({"title": f"{company['en']} {report.year} ESG data request: {owner}",
                         "subject": f"ESG data request {report.year}", "author": company["en"],
                         "created": datetime.combine(today, time())})
    book.set_custom_property(PROPERTY_YEAR, str(report.year))
    book.set_custom_property(PROPERTY_OWNER, owner)
    book.set_custom_property(PROPERTY_LAYOUT, LAYOUT_VERSION)
    formats = _Formats(book)

    taken: set[str] = set()
    sheets: dict[str, list[Path]] = {}
    for path in files:
        name = sheet_name(path.stem, taken)
        taken.add(name)
        sheets[name] = [path]
    _instructions(book, formats, report, owner, company, {n: len(files[p[0]]) for n, p in sheets.items()}, today)
    listed: dict[str, list[str]] = {}
    for name, (path,) in sheets.items():
        listed[name] = [m.id for m in files[path]]
        _data_sheet(book, formats, report, name, files[path])
    book.close()
    return Request(owner, f"{owner}.xlsx", listed, out.getvalue())


class _Formats:
    def __init__(self, book):
        base = {"text_wrap": True, "valign": "top", "font_size": 10}
        self.head = book.add_format({**base, "bold": True, "bg_color": HEAD_FILL, "font_color": "#FFFFFF",
                                     "border": 1, "border_color": "#BFBFBF"})
        self.head_input = book.add_format({**base, "bold": True, "bg_color": "#7F6000", "font_color": "#FFFFFF",
                                           "border": 1, "border_color": "#BFBFBF"})
        self.text = book.add_format({**base, "border": 1, "border_color": "#D9D9D9"})
        self.id = book.add_format({**base, "border": 1, "border_color": "#D9D9D9", "font_name": "Consolas"})
        self.input = book.add_format({**base, "locked": False, "bg_color": INPUT_FILL, "border": 1,
                                      "border_color": "#BF9000"})
        self.title = book.add_format({"bold": True, "font_size": 14})
        self.heading = book.add_format({"bold": True, "font_size": 11, "text_wrap": True, "valign": "top"})
        self.para = book.add_format({"text_wrap": True, "valign": "top", "font_size": 10})
        self.numbers: dict[int, object] = {}
        self.book = book

    def number(self, places: int):
        if places not in self.numbers:
            self.numbers[places] = self.book.add_format({
                "num_format": "#,##0" + ("." + "0" * places if places else ""), "valign": "top", "font_size": 10,
                "border": 1, "border_color": "#D9D9D9"})
        return self.numbers[places]


INSTRUCTIONS = [
    ("heading", "如何填寫", "How to fill in this workbook"),
    ("para", "每個工作表列出一個數據範疇的指標，每行一項。請只填寫黃色儲存格：其他儲存格已鎖定，請勿移動欄、行或更改工作表名稱。",
     "Each sheet lists the indicators of one topic, one row each. Fill in the yellow cells only: the others are "
     "locked. Do not move columns or rows, and do not rename the sheets."),
    ("para", "數值：只填數字，不加單位或文字。千位分隔用逗號，每三位一組（2,832）；小數用句點（2.5）。百分比以0至100填寫：22%填22，不要填0.22。"
     "「數值要求」一欄列出該指標的範圍及規則。",
     "Figure: a number only, without a unit or words. Thousands are separated by commas in groups of three "
     "(2,832); decimals follow a full stop (2.5). Percentages are written 0–100: 22 for 22 %, never 0.22. The "
     "column “What the figure keeps to” gives each indicator's range and rules."),
    ("para", "如某項數據不適用或未能提供，請勿填寫數值，在下一欄選擇「不適用」或「未能提供」，並在「說明」欄寫明原因（「不遵守就解釋」）。",
     "Where a figure does not apply or is not available, leave the figure empty, choose “Not applicable” or "
     "“Not available” in the next column, and give the reason under Explanation (comply or explain)."),
    ("para", "數據來源：必填，寫明數據取自哪個系統、報表或記錄（例如：人力資源系統，截至12月31日）。",
     "Source: required. Say which system, report or record the figure comes from (for example: HR system, as at "
     "31 December)."),
    ("para", "證明文件：填寫證明文件的檔案名稱，並將該檔案與本工作簿放在同一文件夾交回。導入時會記錄其SHA-256指紋，供鑒證機構核對。",
     "Evidence file: the file name of the evidence, returned in the same folder as this workbook. The import "
     "records its SHA-256 fingerprint for the assurance provider."),
    ("para", "說明：如數值較上年變動超過「數值要求」所列幅度，或累計數有變，請說明原因；否則導入時會被拒絕。",
     "Explanation: where a figure moved from last year by more than the change its rules allow, say why; "
     "otherwise the import refuses it."),
    ("para", "填妥後請將工作簿（及證明文件）交回ESG團隊。所有數據會一併檢查：任何一項有誤，整份工作簿都不會導入，並會列明工作表及儲存格。",
     "Return the workbook (with the evidence files) to the ESG team. Every figure is checked at once: if any is "
     "wrong, nothing is imported, and each problem names its sheet and cell."),
]


def _instructions(book, formats: _Formats, report: Report, owner: str, company: dict[str, str],
                  counts: dict[str, int], today: date) -> None:
    sheet = book.add_worksheet(INSTRUCTIONS_SHEET)
    sheet.set_column(0, 0, 62)
    sheet.set_column(1, 1, 62)
    row = 0
    sheet.write_string(row, 0, f"{company['zh-hant']}{report.year}年ESG數據收集表", formats.title)
    sheet.write_string(row, 1, f"{company['en']} {report.year} ESG data request", formats.title)
    row += 2
    for zh, en in (("負責單位：" + owner, "Owner: " + owner), (f"報告年度：{report.year}", f"Report year: {report.year}"),
                   (f"發出日期：{today.isoformat()}", f"Sent: {today.isoformat()}")):
        sheet.write_string(row, 0, zh, formats.para)
        sheet.write_string(row, 1, en, formats.para)
        row += 1
    row += 1
    for kind, zh, en in INSTRUCTIONS:
        style = formats.heading if kind == "heading" else formats.para
        sheet.write_string(row, 0, zh, style)
        sheet.write_string(row, 1, en, style)
        sheet.set_row(row, None if kind == "heading" else 15 * max(len(en) // 70 + 1, len(zh) // 34 + 1))
        row += 1
    row += 1
    sheet.write_string(row, 0, "工作表", formats.heading)
    sheet.write_string(row, 1, "Sheets", formats.heading)
    row += 1
    for name, count in counts.items():
        sheet.write_string(row, 0, f"{name}：{count}項指標", formats.para)
        sheet.write_string(row, 1, f"{name}: {count} indicator{'s' if count != 1 else ''}", formats.para)
        row += 1
    sheet.protect("", {"format_columns": True, "format_rows": True})
    sheet.activate()


def _data_sheet(book, formats: _Formats, report: Report, name: str, metrics: Iterable[Metric]) -> None:
    sheet = book.add_worksheet(name)
    cols = columns(report.year)
    at = {c.key: i for i, c in enumerate(cols)}
    for i, column in enumerate(cols):
        sheet.write_string(HEADER_ROW - 1, i, column.heading, formats.head_input if column.input else formats.head)
        sheet.set_column(i, i, column.width)
    sheet.set_row(HEADER_ROW - 1, 42)
    row = FIRST_ROW - 1
    for metric in metrics:
        _metric_row(sheet, formats, report, metric, row, cols, at)
        row += 1
    sheet.freeze_panes(FIRST_ROW - 1, 1)
    sheet.protect("", {"format_columns": True, "format_rows": True})


def _metric_row(sheet, formats: _Formats, report: Report, metric: Metric, row: int, cols: list[Column],
                at: dict[str, int]) -> None:
    unit = report.units.get(metric.unit)
    unit_text = "\n".join(filter(None, [unit.label("zh-hant"), unit.label("en")])) if unit else metric.unit
    definition = metric.spec.definition or metric.note
    zh_rules, en_rules = rules(report, metric)
    sheet.write_string(row, at["metric"], metric.id, formats.id)
    sheet.write_string(row, at["label_zh"], _text(metric.label, "zh-hant"), formats.text)
    sheet.write_string(row, at["label_en"], _text(metric.label, "en"), formats.text)
    sheet.write_string(row, at["unit"], unit_text, formats.text)
    sheet.write_string(row, at["definition"], "\n".join(filter(None, [_text(definition, "zh-hant"),
                                                                      _text(definition, "en")])), formats.text)
    sheet.write_string(row, at["rules"], "\n".join(filter(None, ["；".join(zh_rules), "; ".join(en_rules)])),
                       formats.text)
    for column in cols:
        if not column.key.startswith("year:"):
            continue
        year = int(column.key.removeprefix("year:"))
        places = metric.precision_for(year)
        if year in metric.values and year not in metric.pending:
            value = metric.values[year]
            if value is None:
                sheet.write_string(row, at[column.key], "-", formats.text)
            else:
                sheet.write_number(row, at[column.key], float(round_half_up(value, places)), formats.number(places))
        else:
            sheet.write_blank(row, at[column.key], None, formats.text)
    # Every input cell starts empty, a figure the data already has too: a figure comes back from its
    # owner with its source, or the data keeps what it has.
    for key in ("value", "not_reported", "source", "evidence", "explanation"):
        sheet.write_blank(row, at[key], None, formats.input)
    sheet.set_row(row, 45)
    _validation(sheet, report, metric, row, at["value"], zh_rules, en_rules)
    sheet.data_validation(row, at["not_reported"], row, at["not_reported"], {
        "validate": "list", "source": list(NOT_REPORTED_CHOICES),
        "input_title": "不適用／未能提供", "input_message": "Leave the figure empty and give the reason under Explanation.",
        "error_title": "請從清單中選擇", "error_message": "Choose from the list: Not applicable, or Not available."})


def _validation(sheet, report: Report, metric: Metric, row: int, col: int, zh: list[str], en: list[str]) -> None:
    """The value cell accepts a number within the metric's range (a whole number for a count): Excel and
    LibreOffice refuse anything else as it is typed. The import checks it again (a pasted value is
    not validated by the spreadsheet)."""
    unit = report.units.get(metric.unit)
    low, high = metric.spec.bounds(unit) if unit else (None, None)
    rule: dict[str, object] = {"validate": "integer" if unit is not None and unit.whole else "decimal"}
    largest = 10 ** 15 - 1

    def number(bound: Decimal) -> int | float:
        return int(bound) if bound == bound.to_integral_value() else float(bound)

    if low is not None and high is not None:
        rule |= {"criteria": "between", "minimum": number(low), "maximum": number(high)}
    elif low is not None:
        rule |= {"criteria": ">=", "value": number(low)}
    elif high is not None:
        rule |= {"criteria": "<=", "value": number(high)}
    else:
        rule |= {"criteria": "between", "minimum": -largest, "maximum": largest}
    message_zh, message_en = "；".join(zh) or "數字", "; ".join(en) or "a number"
    sheet.data_validation(row, col, row, col, {
        **rule, "ignore_blank": True,
        "input_title": f"{report.year}年數值"[:32], "input_message": f"{message_zh}\n{message_en}"[:255],
        "error_title": "數值不符合要求"[:32],
        "error_message": f"{message_zh}\n{message_en}\n(不適用／未能提供：請在下一欄選擇 — not applicable or not "
                         "available: choose it in the next column)"[:255]})
