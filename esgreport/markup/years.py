"""Years and periods as data: the words of report.yaml in the text, and the years a text writes out.

A text says the report's year, the years it compares with, the reporting period and the report's place
in the company's series through the manifest, so that it follows the report into the next year:

    本報告涵蓋{{ period() }}。截至{{ period_end() }}，員工總數為{{ kpi("workforce.total") }}人，較{{ year - 1 }}年……
    This is the Company's {{ ordinal() }} ESG report. In {{ year }}, …

These directives (declared in directives.py, `plain`) print words, not figures: each edition's own
form of a date, a period and an ordinal (Babel's dates). They are written out before the Markdown is
read, so the text around them is set exactly as if the words had been typed.

A year typed as it is, and meant as history ("since 2013", "listed in December 2019"), or a number that
is not a figure (a phone line, part of a name), is marked, and reads as it is on the page:

    金融壹賬通於[2019年12月]{.history}登陸紐約交易所  ·  [400]{.not-figure}電話

`year_mentions` finds the years a line still writes out, leaving aside directives, marks and link
targets: the check of a report started from an earlier one (prepare/years.py) and `new-year` use it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from esgreport.markup.directives import Call, Message, PeriodArguments, YearArguments, parse_call, resolve_year
from esgreport.typography.formatting import format_date, format_ordinal, format_period

# --- marks: as written, neither the report's year nor a figure -------------------------------------------

MARKS = ("history", "not-figure")
MARK = re.compile(r"\[([^\[\]\n]*)\]\{\.(history|not-figure)\}")


def unmarked(text: str) -> str:
    """The text as a reader sees it: `[2019年12月]{.history}` is 2019年12月."""
    return MARK.sub(lambda m: m.group(1), text) if "]{." in text else text


# --- the words of report.yaml ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Calendar:
    """What the words of a text read from report.yaml: the year, the period and the report's ordinal."""

    year: int
    start: date
    end: date
    ordinal: int | None = None

    def shifted(self, day: date, year: int | None) -> date:
        years = resolve_year(year, self.year) - self.year
        try:
            return day.replace(year=day.year + years)
        except ValueError:                  # 29 February
            return day.replace(year=day.year + years, day=28)


class WordsError(Exception):
    """A word of report.yaml that report.yaml does not give (an ordinal not set)."""

    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.message, self.hint = message, hint


def words(call: Call, calendar: Calendar, edition: str) -> str:
    """What a valid call of a plain directive prints in `edition`."""
    name, a = call.name, call.arguments
    assert a is not None and call.directive is not None and call.directive.plain
    if isinstance(a, YearArguments):
        return str(calendar.year + a.offset)
    if name == "ordinal":
        if calendar.ordinal is None:
            raise WordsError("ordinal() needs the report's place in the series: report.yaml has no `ordinal:`",
                             "add `ordinal: 2` to report.yaml for the company's second report "
                             "(new-year counts it on)")
        return format_ordinal(calendar.ordinal, edition)
    assert isinstance(a, PeriodArguments)
    year = a.year
    start, end = calendar.shifted(calendar.start, year), calendar.shifted(calendar.end, year)
    if name == "period_start":
        return format_date(start, edition)
    if name == "period_end":
        return format_date(end, edition)
    return format_period(start, end, edition)


def directive_spans(text: str) -> list[tuple[int, int]]:
    """Where each `{{ … }}` of a text stands, the outer one where one holds another (a card's label
    holds words: `{{ card("x", label="{{ year }}年…") }}`). An unclosed `{{` is text."""
    spans: list[tuple[int, int]] = []
    depth, start, at = 0, 0, 0
    while True:
        opening, closing = text.find("{{", at), text.find("}}", at)
        if closing < 0:
            return spans
        if 0 <= opening < closing:
            if depth == 0:
                start = opening
            depth += 1
            at = opening + 2
            continue
        if depth:
            depth -= 1
            if depth == 0:
                spans.append((start, closing + 2))
        at = closing + 2


def expand(text: str, calendar: Calendar, edition: str) -> tuple[str, list[Message]]:
    """A text with its words of report.yaml written out and its marks taken off (what a reader sees);
    other directives (a figure in a note) are left for the page to draw. Returns what is wrong with any
    call of a plain directive as well."""
    if "{{" not in text:
        return unmarked(text), []
    out: list[str] = []
    problems: list[Message] = []
    at = 0
    for start, end in directive_spans(text):
        inner = text[start + 2:end - 2]
        if "{{" in inner:
            continue                        # a directive holding words: drawn with them (a card's label)
        call = parse_call(inner, "inline")
        if call.directive is None or not call.directive.plain:
            continue
        if call.problems:
            problems.extend(call.problems)
            continue
        try:
            shown = words(call, calendar, edition)
        except WordsError as exc:
            problems.append((exc.message, exc.hint))
            continue
        out += [text[at:start], shown]
        at = end
    out.append(text[at:])
    return unmarked("".join(out)), problems


def plain_problems(text: str) -> list[Message]:
    """What is wrong with the words in a text that takes words only (a card's label)."""
    found: list[Message] = []
    for start, end in directive_spans(text):
        call = parse_call(text[start + 2:end - 2], "inline")
        if call.problems:
            found.extend(call.problems)
        elif call.directive is not None and not call.directive.plain:
            found.append((f"a label holds words only: `{{{{ {call.text} }}}}` is not one",
                          "write the label as text; {{ year }}, {{ year - 1 }} and {{ period_end() }} may stand "
                          "in it"))
    return found


# --- years a text writes out --------------------------------------------------------------------------

# A year: four digits on their own, not a figure's (1,924.37) but a date's (2023.02, a year and a month).
YEAR = re.compile(r"(?<![\d.,])(1[89]\d\d|2\d\d\d)(?!\d)(?!\.(?!(?:0[1-9]|1[0-2])\b)\d)")
_LINK_TARGET = re.compile(r"\]\([^)\n]*\)|<[a-z][a-z0-9+.-]*:[^>\s]*>|\bhttps?://\S+", re.I)
_LABEL = re.compile(r'\blabel\s*=\s*"((?:[^"\\\n]|\\.)*)"')


def _blank(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]


def masked(line: str) -> str:
    """The line as the text it shows and writes out: directives, marked text and link targets blanked
    (same length, so positions hold); a card's label stays, as the text a reader sees."""
    for start, end in reversed(directive_spans(line)):
        label = _LABEL.search(line, start, end)
        keep = masked(line[label.start(1):label.end(1)]) if label else ""
        line = _blank(line, start, end)
        if label:
            line = line[:label.start(1)] + keep + line[label.end(1):]
    line = MARK.sub(lambda m: " " * len(m.group()), line)
    return _LINK_TARGET.sub(lambda m: " " * len(m.group()), line)


def year_mentions(line: str, before: int) -> list[tuple[int, int]]:
    """Each year before `before` that the line writes out, not marked, with where it stands."""
    if not any(ch.isdigit() for ch in line):
        return []
    return [(m.start(), int(m.group())) for m in YEAR.finditer(masked(line)) if int(m.group()) < before]
