"""The data-request workbook's layout, declared once: `requests` writes it and `import` reads it back.

A request workbook (one per owner, e.g. HR.xlsx) has an instructions sheet in both languages, then a
sheet per data file with the owner's metrics, one row each, in these columns: what the figure is (id,
labels, unit, definition and boundary, the rules it keeps to), its earlier years' values, and the
cells the owner fills in — the report year's figure, or the choice of "not applicable" / "not
available"; the source; the evidence file; an explanation. Only those cells can be edited.

The workbook carries its report year, owner and layout version as custom document properties, so that
a workbook of another year or owner, or one that is not a request at all, is refused as such.
"""

from __future__ import annotations

from dataclasses import dataclass

LAYOUT_VERSION = "1"
# Custom document properties of a request workbook.
PROPERTY_YEAR = "ESG report year"
PROPERTY_OWNER = "ESG data owner"
PROPERTY_LAYOUT = "ESG request layout"

INSTRUCTIONS_SHEET = "說明 Instructions"
HEADER_ROW = 1             # 1-based, as a spreadsheet counts
FIRST_ROW = 2
EARLIER_YEARS = 2          # the years before the report's shown beside its input cell

# What an owner chooses instead of a figure (HKEX's comply or explain: with a reason).
NOT_REPORTED_CHOICES = {"不適用 Not applicable": "not_applicable", "未能提供 Not available": "not_available"}


@dataclass(frozen=True)
class Column:
    key: str             # metric, label_zh, …, year:2023, value, not_reported, source, evidence, explanation
    zh: str
    en: str
    width: int
    input: bool = False  # filled in by the owner (unlocked)

    @property
    def heading(self) -> str:
        return f"{self.zh}\n{self.en}"


def columns(year: int) -> list[Column]:
    """The columns of a data sheet of the `year` request, in order."""
    earlier = [Column(f"year:{y}", f"{y}年", str(y), 13) for y in range(year - EARLIER_YEARS, year)]
    return [
        Column("metric", "指標編號", "Metric ID", 26),
        Column("label_zh", "指標（中文）", "Indicator (Chinese)", 30),
        Column("label_en", "指標（英文）", "Indicator (English)", 36),
        Column("unit", "單位", "Unit", 14),
        Column("definition", "定義及範圍", "Definition and boundary", 36),
        Column("rules", "數值要求", "What the figure keeps to", 34),
        *earlier,
        Column("value", f"{year}年數值", f"{year} figure", 15, input=True),
        Column("not_reported", "如不適用或未能提供", "Or: not applicable / not available", 22, input=True),
        Column("source", "數據來源", "Source", 30, input=True),
        Column("evidence", "證明文件", "Evidence file", 28, input=True),
        Column("explanation", "說明（變動原因／不適用原因）", "Explanation (of a change, or why not reported)", 40,
               input=True),
    ]


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column: 0 → A, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def sheet_name(stem: str, taken: set[str]) -> str:
    """A data file's sheet: its name in words, as a spreadsheet allows (31 characters, no []:*?/\\)."""
    name = stem.replace("_", " ").replace("-", " ").strip().capitalize() or "Data"
    name = "".join(c for c in name if c not in "[]:*?/\\")[:31]
    candidate, n = name, 2
    while candidate in taken or candidate == INSTRUCTIONS_SHEET:
        candidate = f"{name[:28]} {n}"
        n += 1
    return candidate
