"""Numbers typed into prose: what counts as a number, what is not a figure (years, dates, codes, phone
numbers, text marked `{.not-figure}`), and the numbers a line holds once its data references are blanked.
The check of typed figures (checks.py) and the reference parity between editions (bilingual.py) read it."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from esgreport.markup.years import MARK

# A number in prose. The boundaries are ASCII on purpose: in Chinese a figure stands right beside
# characters (員工共2,450人), which are word characters to `\w`.
_NUMBER = re.compile(r"(?<![A-Za-z0-9_.,/+-])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?![A-Za-z0-9_.]\d|\d)")
# Numbers in prose that are not figures: years, dates and times, section numbers, ISO and GB codes,
# phone numbers. Single-digit whole numbers are too common in ordinary text to flag.
# Each starts only where a run of digits starts ((?<!\d)), so that a long run is looked at once.
_NOT_A_FIGURE = [
    re.compile(r"(?<!\d)\d+[ \t]*[年月日號時點]"),                       # 2023年, 6月28日
    re.compile(r"(?:January|February|March|April|May|June|July|August|September|October|November|"
               r"December)[ \t]+\d+|(?<!\d)\d+[ \t]+(?:January|February|March|April|May|June|July|August|"
               r"September|October|November|December)", re.I),
    re.compile(r"(?<![\d.])\d+(?:\.\d+){2,}"),                           # 3.2.1
    re.compile(r"(?:ISO|GB/T|GB|SDG|TC|T\+|ESG)[ \t]*\d+", re.I),
    re.compile(r"(?<!\d)\d{7,}"),                                      # phone numbers
]


def mask_references(line: str) -> str:
    """The line with every `{{ … }}` reference blanked out (an unclosed `{{` is left as it is). A plain
    scan, not a regular expression, so that many unclosed `{{` cost one pass."""
    out, start = [], 0
    while (opening := line.find("{{", start)) >= 0 and (closing := line.find("}}", opening + 2)) >= 0:
        out += [line[start:opening], " " * (closing + 2 - opening)]
        start = closing + 2
    return "".join(out) + line[start:]


# A table block's settings line (widths: [...]) holds numbers that are not figures.
_TABLE_SETTINGS = re.compile(r"^\s*(widths|numeric|header_column|class):.*$")


@lru_cache(maxsize=1 << 16)
def typed_numbers(line: str) -> tuple[str, tuple[tuple[str, Decimal, int], ...]]:
    """A line of prose with its data references and non-figures blanked, and the numbers typed in it
    (as written, their value, where each ends). Remembered by line: a preview reads again only the
    lines that changed."""
    if _TABLE_SETTINGS.match(line):
        return line, ()
    masked = MARK.sub(lambda m: " " * len(m.group()), mask_references(line))   # [400]{.not-figure}
    for pattern in _NOT_A_FIGURE:
        masked = pattern.sub(lambda m: " " * len(m.group()), masked)
    found = []
    for m in _NUMBER.finditer(masked):
        try:
            found.append((m.group(0), Decimal(m.group(0).replace(",", "")).normalize(), m.end()))
        except InvalidOperation:
            continue
    return masked, tuple(found)
