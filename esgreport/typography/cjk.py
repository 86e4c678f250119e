"""Chinese typography: the text rules an edition names (editions.py `text_rules`), applied at build time.

- `cjk_latin_spacing`: no space between Chinese and Latin letters or digits;
- `full_width_punctuation`: punctuation and brackets next to Chinese set full width, no spaces around;
- the last two characters of a text kept together, so no Chinese character stands alone on a line.

Every pattern runs in time proportional to the text, whatever it holds.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_left
from functools import lru_cache

_CJK = "[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]"
_CJK_LATIN_SPACE = re.compile(rf"(?<={_CJK})[ \u00a0]+(?=[A-Za-z0-9])|(?<=[A-Za-z0-9%])[ \u00a0]+(?={_CJK})")
_HALF_WIDTH = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}
_HALF_WIDTH_NEAR_CJK = re.compile(rf"(?<={_CJK})([,;:?!])|([,;:?!])(?={_CJK})")
_FULL_WIDTH = "[\u3001-\u3003\u3008-\u3011\uff01-\uff0f\uff1a-\uff1f]"
# Spaces around full-width punctuation; each run of spaces is looked at once, from its start.
_SPACE_AT_FULL_WIDTH = re.compile(rf"(?<![ \u00a0])[ \u00a0]+(?={_FULL_WIDTH})|(?<={_FULL_WIDTH})[ \u00a0]+")
_PARENS = re.compile(r"\(([^()]*)\)")
_CJK_CHAR = re.compile(_CJK)


def cjk_latin_spacing(text: str) -> str:
    """No space between Chinese and Latin letters or digits, as the published Chinese report sets it."""
    return _CJK_LATIN_SPACE.sub("", text)


def _full_width_parens(m: re.Match) -> str:
    """（…） where the brackets stand next to Chinese or hold it; (…) otherwise."""
    text, inner = m.string, m.group(1)
    near = (m.start() > 0 and _CJK_CHAR.match(text, m.start() - 1)) or _CJK_CHAR.match(text, m.end()) \
        or _CJK_CHAR.search(inner)
    return f"（{inner}）" if near else m.group(0)


def full_width_punctuation(text: str) -> str:
    """Punctuation and brackets next to Chinese characters set full width, without spaces around them.
    Every pattern here is matched in time proportional to the text (a bracket is paired with the
    nearest one after it, once), so a long or unclosed run cannot slow the build down."""
    text = _HALF_WIDTH_NEAR_CJK.sub(lambda m: _HALF_WIDTH[m.group(1) or m.group(2)], text)
    text = _PARENS.sub(_full_width_parens, text)
    return _SPACE_AT_FULL_WIDTH.sub("", text)


# The last two "units" of a text, a unit being a Chinese character or a Latin word or number, and the
# punctuation after them: they stay together on the last line.
_UNIT_CHAR = re.compile(r"[A-Za-z0-9.]")
_LAST_CJK_PAIR = re.compile(r"(?:[\u3400-\u9fff\uf900-\ufaff]|[A-Za-z0-9.]+){2}[\u3000-\u303f\uff00-\uffef]*\s*$")


SHORTEST_WRAPPING = 7   # characters: a shorter text (a name, a label) fits on one line wherever it stands


def last_pair(text: str) -> int | None:
    """Where the last two units of `text` start, when they hold a Chinese character. Only the end of
    the text is searched, so the time does not grow with the text (a long run of digits or letters
    would otherwise be tried from every position)."""
    tail_at = max(0, len(text) - TAIL)
    match = _LAST_CJK_PAIR.search(text, tail_at)
    if not match or not re.search(r"[\u3400-\u9fff]", match.group()):
        return None
    start = match.start()
    while start == tail_at and start > 0 and _UNIT_CHAR.match(text, start - 1):
        start -= 1          # the unit began before the end that was searched: find its start
        tail_at = start
    return start or None


TAIL = 80    # characters: the last two units and the punctuation after them are well within it


def keep_last_html(text: str) -> str:
    """`text` as HTML, its last two Chinese characters kept together (see keep_last_characters)."""
    at = last_pair(text) if len(text) >= SHORTEST_WRAPPING else None
    if at is None:
        return html.escape(text, quote=False)
    return (html.escape(text[:at], quote=False) + '<span class="keep">'
            + html.escape(text[at:], quote=False) + "</span>")


# --- Adjacent punctuation and the gap between Han and Western text (W3C clreq) --------------------
# Applied to an edition's finished HTML (web pages and print document) as markup only: a span around
# the one character that carries the adjustment, so the text a reader copies or searches is the text
# as written. templates/static/report.css gives the spans their effect; both renderers (WeasyPrint's
# Pango and the browsers) apply the same CSS, so the PDF and the web agree.

# clreq §3.1.6.2 "Adjustment of adjacent punctuation marks": two adjacent marks of 2 em are set in
# 1.5 em, the brackets kept close to what they enclose. One of the two is set half width with the
# font's `halt` feature (Noto Sans CJK 2.004 carries `halt`, not `chws`), trimming its blank side.
_OPENING = "「『（《〈【〔〖｛“‘"
_CLOSING = "」』）》〉】〕〗｝”’"
# Full stop, comma, enumeration comma, colon, semicolon: centered in the em box in Hong Kong and
# Taiwan (blank both sides), at the left in the Mainland (blank at the right). ？ and ！ are full width
# and never adjusted (clreq §3.1.6.1).
_STOPS = "。，、：；"
_PUNCTUATION_PAIR = re.compile(f"(?=[{_OPENING}{_CLOSING}{_STOPS}]{{2}})")
# clreq §3.2.2: between Han characters and Western letters or digits a gap of at most a quarter em,
# none at the start or end of a line. The gap is the end margin of the character before the boundary
# (a margin at a line's end falls in the ragged edge), so typed spaces are removed first
# (cjk_latin_spacing) and every boundary gets the same gap.
_HAN = "[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]"
_WESTERN = "[A-Za-z0-9\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0370-\u03ff]"
_SCRIPT_BOUNDARY = re.compile(f"(?<={_HAN})(?={_WESTERN})|(?<={_WESTERN})(?={_HAN})")
HALF_PUNCTUATION_CLASS = "punct-half"
# Two adjacent brackets (」（ 》《 （「 」）) are brought 0.15 em closer (report.css), by a margin on the
# side of the one whose blank faces the other, not halved with `halt`: poppler's pdftotext reads a
# line whose bracket is halved next to another bracket as two lines (the glyphs' boxes overlap by half
# an em; from 0.2 em in its -raw mode), and reads it whole with a 0.15 em overlap.
TRIM_END_CLASS = "punct-trim-end"
TRIM_START_CLASS = "punct-trim-start"
PUNCTUATION_CLASSES = (HALF_PUNCTUATION_CLASS, TRIM_END_CLASS, TRIM_START_CLASS)
GAP_CLASS = "han-latin-gap"

_MARKUP = re.compile(r"<!--.*?-->|<[^>]*>", re.S)
_TAG_NAME = re.compile(r"</?([a-zA-Z0-9]+)")
# Elements whose text is not laid out as the page's text (or must not hold markup): left alone.
_UNTOUCHED = {"head", "script", "style", "svg", "math", "textarea", "pre", "code", "template"}
# Elements inside a line: text on either side of them is one run of text; any other tag ends a run.
_INLINE = {"a", "span", "strong", "em", "b", "i", "u", "s", "sup", "sub", "small", "abbr", "mark",
           "cite", "q", "bdi", "time", "data", "del", "ins", "wbr"}


def _adjustment(first: str, second: str, centered_stops: bool) -> tuple[int, str] | None:
    """Which of two adjacent marks carries the adjustment (0 or 1) and how (its class), or None. A
    centered stop where there is one is set half width (trimmed both sides, it moves no glyph across
    its neighbour, so text extraction keeps the line whole); else the mark whose blank side faces the
    other is adjusted: set half width next to a stop, trimmed by 0.15 em next to a bracket."""
    if centered_stops and first in _STOPS:
        return 0, HALF_PUNCTUATION_CLASS
    if centered_stops and second in _STOPS:
        return 1, HALF_PUNCTUATION_CLASS
    brackets = first not in _STOPS and second not in _STOPS
    if first in _CLOSING or first in _STOPS:    # its blank is on its right, towards the second
        return 0, TRIM_END_CLASS if brackets else HALF_PUNCTUATION_CLASS
    if second in _OPENING:                      # its blank is on its left, towards the first
        return 1, TRIM_START_CLASS if brackets else HALF_PUNCTUATION_CLASS
    return None


# The preview renders an edition again at each save; its unchanged pages come back from the cache.
@lru_cache(maxsize=64)
def punctuation_and_spacing(markup: str, centered_stops: bool) -> str:
    """`markup` with each adjacent pair of full-width marks compressed (one of them in a span of one of
    PUNCTUATION_CLASSES) and each boundary between Han and Western letters or digits given the
    one gap (the character before it in a span of class GAP_CLASS). Text is read across inline
    elements (a figure in its own span, a link) and not across blocks; tags, attributes, the head,
    scripts, styles and drawings are left as they are. Linear in the length of the markup."""
    pieces = _MARKUP.split(markup)
    tags = _MARKUP.findall(markup)
    runs: list[str] = []        # the visible text, a "\n" where a block ends a run
    starts: list[int] = []      # where each text piece starts in it (-1: left alone)
    texts: list[str] = []
    at, skipping = 0, ""
    for index, piece in enumerate(pieces):
        text = "" if skipping else html.unescape(piece)
        texts.append(text)
        starts.append(at if text else -1)
        runs.append(text)
        at += len(text)
        if index < len(tags):
            name_match = _TAG_NAME.match(tags[index])
            name = name_match.group(1).lower() if name_match else ""
            if skipping:
                if tags[index].startswith("</") and name == skipping:
                    skipping = ""
            elif name in _UNTOUCHED and not tags[index].startswith("</") and not tags[index].endswith("/>"):
                skipping = name
            if name not in _INLINE:
                runs.append("\n")
                at += 1
    visible = "".join(runs)
    marks: dict[int, str] = {}
    for match in _SCRIPT_BOUNDARY.finditer(visible):
        marks[match.start() - 1] = GAP_CLASS
    for match in _PUNCTUATION_PAIR.finditer(visible):
        adjusted = _adjustment(visible[match.start()], visible[match.start() + 1], centered_stops)
        if adjusted is not None:
            marks[match.start() + adjusted[0]] = adjusted[1]
    if not marks:
        return markup
    positions = sorted(marks)
    out: list[str] = []
    for index, piece in enumerate(pieces):
        start, text = starts[index], texts[index]
        here = positions[bisect_left(positions, start):bisect_left(positions, start + len(text))] if text else []
        if not here:
            out.append(piece)
        else:
            done = 0
            for p in here:
                i = p - start
                out.append(html.escape(text[done:i], quote=False))
                out.append(f'<span class="{marks[p]}">{html.escape(text[i], quote=False)}</span>')
                done = i + 1
            out.append(html.escape(text[done:], quote=False))
        if index < len(tags):
            out.append(tags[index])
    return "".join(out)
