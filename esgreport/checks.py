"""What `check` and every build verify beyond the shape of the files: data integrity, and figures
typed into prose instead of read from data."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from .compute import compute
from .content import Report
from .errors import Problems

# Numbers in prose that are not figures: years, dates and times, section numbers, ISO and GB codes,
# phone numbers. Single-digit whole numbers are too common in ordinary text to flag.
_NUMBER = re.compile(r"(?<![\w.,/+-])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?![\w.]\d|\d)")
_NOT_A_FIGURE = [
    re.compile(r"\d+\s*[年月日號時點]"),                            # 2023年, 6月28日
    re.compile(r"(?:January|February|March|April|May|June|July|August|September|October|November|"
               r"December)\s+\d+|\d+\s+(?:January|February|March|April|May|June|July|August|"
               r"September|October|November|December)", re.I),
    re.compile(r"\d+(?:\.\d+){2,}"),                                  # 3.2.1
    re.compile(r"(?:ISO|GB/T|GB|SDG|TC|T\+|ESG)\s*\d+", re.I),
    re.compile(r"\d{7,}"),                                            # phone numbers
]
_REFERENCE = re.compile(r"\{\{.*?\}\}", re.S)
_TABLE_SETTINGS = re.compile(r"^\s*(widths|numeric|header_column|class):.*$")


def kpi_values(report: Report) -> dict[Decimal, list[tuple[str, int, str]]]:
    """Every figure the data holds, with the metrics (id, year, unit) that hold it."""
    values: dict[Decimal, list[tuple[str, int, str]]] = {}
    for mid, metric in report.metrics.items():
        for year, v in metric.values.items():
            if v is None:
                continue
            places = metric.precision_for(year)
            shown = v.quantize(Decimal(1).scaleb(-places))
            if shown == shown.to_integral_value() and abs(shown) < 10:
                continue
            values.setdefault(shown.normalize(), []).append((mid, year, metric.unit))
    return values


def _looks_like_the_figure(token: str, value: Decimal, after: str, owners, report: Report,
                           edition: str) -> bool:
    """A distinctive number (decimals, or 100 and more) is the figure; a small whole number is the
    figure only when the metric's unit follows it (30% / 20場 / 20 sessions), not in '30多年'."""
    after = after.lstrip()
    if all(unit == "percent" for _, _, unit in owners):
        return after.startswith(("%", "％", "per cent", "percent"))   # 'FinTech 100' is a name
    if "." in token or abs(value) >= 100:
        return True
    for _, _, unit_key in owners:
        unit = report.units.get(unit_key)
        label = unit.label(edition) if unit else ""
        if label and after.startswith(label):
            return True
    return False


def literal_figures(report: Report, problems: Problems) -> None:
    """Flag a number typed into prose that equals a KPI value, so the editor binds it to the data."""
    values = kpi_values(report)
    for section in report.sections():
        for edition, source in section.sources.items():
            text = source.body
            lines = text.split("\n")
            start = 0
            if lines and lines[0].strip() == "---":
                start = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), 0) + 1
            for number, line in enumerate(lines[start:], start + 1):
                if _TABLE_SETTINGS.match(line):
                    continue
                masked = _REFERENCE.sub(lambda m: " " * len(m.group()), line)
                for pattern in _NOT_A_FIGURE:
                    masked = pattern.sub(lambda m: " " * len(m.group()), masked)
                for m in _NUMBER.finditer(masked):
                    token = m.group(0)
                    try:
                        value = Decimal(token.replace(",", ""))
                    except InvalidOperation:
                        continue
                    owners = values.get(value.normalize())
                    if owners and _looks_like_the_figure(token, value, masked[m.end():], owners, report, edition):
                        named = ", ".join(f"{mid} ({year})" for mid, year, _ in owners[:3])
                        problems.add(source.path, number,
                                     f"the figure {token} is typed into the text; it is the value of {named}",
                                     f'write {{{{ kpi("{owners[0][0]}") }}}} instead, so the text '
                                     "reads the figure from the data")


def check_data(report: Report, problems: Problems) -> None:
    """Integrity findings (not acknowledged) and literal figures, added to `problems`."""
    for finding in compute(report, problems):
        hint = finding.hint
        if finding.found:
            hint += (f"; to accept it as published: add to `acknowledged:` in {finding.source.name} "
                     f'{{finding: "{finding.id}", found: "{finding.found}", expected: "{finding.expected}", '
                     "reason: {zh-hant: …, en: …}}")
        problems.add(finding.source, finding.line, finding.message, hint)
    literal_figures(report, problems)
