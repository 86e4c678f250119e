"""Chinese typography: the text rules an edition names (editions.py `text_rules`), applied at build time.

- `cjk_latin_spacing`: no space between Chinese and Latin letters or digits;
- `full_width_punctuation`: punctuation and brackets next to Chinese set full width, no spaces around;
- the last two characters of a text kept together, so no Chinese character stands alone on a line.

Every pattern runs in time proportional to the text, whatever it holds.
"""

from __future__ import annotations

import html
import re

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
