"""The one door for figures: every number the build reads (YAML data, later an owner's workbook) is
parsed here, by the same rules.

- A figure is a number as published: digits, a minus sign, a decimal point (a full stop), and
  commas only as thousands separators, in groups of three (2,832 or 2832; 1,234,567.5).
- `n/a` is a figure not reported (published as "-"); nothing (None, an empty text) is a figure not
  known yet.
- Anything else is refused with what is wrong and what to write: a decimal comma (2,5), groups that
  are not of three (1,23,456), a leading zero (0123: YAML 1.1 read it as an octal number), a unit or
  a word in the figure (22%, 12 kg), yes/no, a figure beyond 10¹⁵.

`parse_number` takes the raw value and does no I/O; the caller says where the value stands.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Literal, Union

NOT_REPORTED: Literal["n/a"] = "n/a"
LARGEST = Decimal(10) ** 15

Figure = Union[Decimal, Literal["n/a"], None]
"""A parsed figure: a number, not reported (`n/a`) or empty (None: not known yet)."""

Raw = Union[str, int, float, Decimal, bool, None]

_FIGURE = re.compile(r"(?P<sign>[-+]?)(?P<whole>[0-9][0-9,]*)?(?:\.(?P<decimals>[0-9]*))?")
_GROUPED = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})*")
_EXPONENT = re.compile(r"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)[eE][-+]?[0-9]{1,3}")
_WHAT_TO_WRITE = ("write a number such as 2832, 2,832 or 0.45; n/a where the figure is not reported; nothing "
                  "where it is not known yet")
_UNITS_AND_WORDS = _WHAT_TO_WRITE + "; the unit comes from the metric's `unit:`, not the figure"


class NumberError(ValueError):
    """A value that is not a figure: what is wrong (`message`) and what to write instead (`hint`)."""

    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.message, self.hint = message, hint


class SplitFigure(str):
    """A figure a YAML flow mapping cut at its thousands comma (`{2024: 6,890}` reads as
    `{2024: 6, 890: null}`), put together again by `mend_split_figures` so that it is refused where
    it was written, with what happened."""


def parse_number(raw: Raw) -> Figure:
    """A figure as written: a Decimal, NOT_REPORTED or None (empty). Raises NumberError."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise NumberError(f"{str(raw).lower()} is not a figure", _WHAT_TO_WRITE)
    if isinstance(raw, int):
        return _within_reach(Decimal(raw), raw)
    if isinstance(raw, float):
        # repr() is the shortest text that reads back as the same float: the digits as written.
        return _within_reach(_finite(Decimal(repr(raw)), raw), raw)
    if isinstance(raw, Decimal):
        return _within_reach(_finite(raw, raw), raw)
    if isinstance(raw, SplitFigure):
        if _GROUPED.fullmatch(raw.lstrip("-+").partition(".")[0]):
            pieces = _PIECES.get(raw.count(",") + 1, "pieces")
            raise NumberError(f"a comma inside {{…}} splits {raw} in {pieces}",
                              f'write {raw.replace(",", "")}, or quote it: "{raw}"')
        return _parse_text(str(raw))      # a decimal comma (2,5): refused as written
    if isinstance(raw, str):
        return _parse_text(raw)
    raise NumberError(f"{raw!r} is not a figure", _WHAT_TO_WRITE)


_PIECES = {2: "two", 3: "three", 4: "four", 5: "five"}


def _parse_text(raw: str) -> Figure:
    text = raw.strip()
    if not text:
        return None
    if text.lower() == NOT_REPORTED:
        return NOT_REPORTED
    match = _FIGURE.fullmatch(text)
    if match is None or not (match["whole"] or match["decimals"]):
        raise NumberError(*_not_a_figure(text))
    whole = match["whole"] or ""
    if "," in whole and not _GROUPED.fullmatch(whole):
        raise NumberError(*_misplaced_comma(text, match))
    digits = whole.replace(",", "")
    if len(digits) > 1 and digits.startswith("0"):
        plain = f"{match['sign']}{digits.lstrip('0') or '0'}" + (f".{match['decimals']}" if match["decimals"] else "")
        raise NumberError(f"{text} starts with a zero",
                          f"write {plain}: a figure starts with 0 only before its decimal point (0.5)")
    number = Decimal(f"{match['sign']}{digits or '0'}.{match['decimals'] or '0'}") if match["decimals"] \
        else Decimal(f"{match['sign']}{digits}")
    return _within_reach(number, raw)


def _not_a_figure(text: str) -> tuple[str, str]:
    """Why `text` (which is not a number) is refused, and what to write."""
    if text.endswith("%") and _FIGURE.fullmatch(text[:-1].strip()):
        return f"{text} has a percent sign", f"write {text[:-1].strip()}: percentages are written 0–100, " \
                                              "and the % comes from the metric's unit"
    if re.fullmatch(r"[-+]?[0-9][0-9, '\u00a0\u202f]*(\.[0-9]+)?", text):
        plain = re.sub(r"[, '\u00a0\u202f]", "", text)
        return (f"{text} separates thousands with a space or an apostrophe",
                f"write {plain}, or with commas between groups of three digits")
    if text[0] in "\u2212\u2013\u2014" and _FIGURE.fullmatch(text[1:]):
        return f"{text} starts with a dash", f"write -{text[1:]}: a negative figure starts with a hyphen-minus (-)"
    if _EXPONENT.fullmatch(text):
        if abs(Decimal(text)) >= LARGEST:
            return _too_large(text)
        return f"{text} is written with an exponent", f"write the figure out in full: {Decimal(text):f}"
    if re.search(r"[0-9]", text):
        return f"{text} is not a number", _UNITS_AND_WORDS
    return f"{text} is not a figure", _WHAT_TO_WRITE


def _misplaced_comma(text: str, match: re.Match) -> tuple[str, str]:
    """A comma that does not separate groups of three digits: a decimal comma (2,5) or a slip (1,23,456)."""
    whole, sign = match["whole"], match["sign"]
    head, _, tail = whole.partition(",")
    if whole.count(",") == 1 and match["decimals"] is None and head and tail and len(tail) != 3:
        return (f"{text} has a decimal comma",
                f"write {sign}{head}.{tail}: decimals follow a full stop; a comma only separates thousands, "
                "in groups of three digits (2,832)")
    digits = whole.replace(",", "").lstrip("0") or "0"
    decimals = f".{match['decimals']}" if match["decimals"] else ""
    plain, grouped = f"{sign}{digits}{decimals}", f"{sign}{int(digits):,}{decimals}"
    return (f"{text}: a comma separates thousands, in groups of three digits",
            f"write {plain}" + (f" or {grouped}" if grouped != plain else ""))


def _finite(number: Decimal, raw: Raw) -> Decimal:
    if not number.is_finite():
        raise NumberError(f"{raw} is not a figure", _WHAT_TO_WRITE)
    return number


def _within_reach(number: Decimal, raw: Raw) -> Decimal:
    if abs(number) >= LARGEST:
        raise NumberError(*_too_large(raw))
    return number


def _too_large(raw: Raw) -> tuple[str, str]:
    return (f"{raw} is larger than any figure a report states (at most 10¹⁵)",
            "check the figure: is a scale (thousand, million) written out in it?")


def parse_bound(raw: Raw) -> Decimal | None:
    """A range's end (`min:`, `max:`): a number, or nothing for no bound."""
    value = parse_number(raw)
    if value == NOT_REPORTED:
        raise NumberError("a bound is a number, or nothing where there is none", "write `min: 0`, say")
    return value


# What a flow mapping cut off after a comma: a thousands group (the last with its decimals), or the
# decimals of a decimal comma; never four digits, which a year has.
_GROUP = re.compile(r"[0-9]{1,3}(?:\.[0-9]+)?")


def mend_split_figures(mapping: dict, keys: frozenset | None = None) -> dict:
    """`mapping` with each figure a YAML flow mapping split at its commas put together again, as a
    SplitFigure. In `{2024: 6,890}` the comma ends the entry: YAML reads {2024: 6, 890: null}, so a
    key of one to three digits with no value, right after a small whole number, is the rest of that
    number.
    `keys`: the entries that hold figures (every entry when None)."""
    out: dict = {}
    last = None
    for key, value in mapping.items():
        group = key if isinstance(key, str) else repr(key) if type(key) in (int, float) else None
        if value is None and last is not None and group is not None and _GROUP.fullmatch(group) \
                and _joinable(out[last]):
            out[last] = SplitFigure(f"{out[last]},{group}")
            continue
        out[key] = value
        last = key if keys is None or key in keys else None
    return out


def _joinable(value) -> bool:
    """A value a thousands group may follow: a whole number of one to three digits, or a figure being
    put together whose last group has no decimals."""
    if isinstance(value, SplitFigure):
        return "." not in value
    return type(value) is int and abs(value) < 1000
