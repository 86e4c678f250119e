"""Locale-aware formatting of figures and dates, through Babel; edition rules from editions.py."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from babel.dates import format_date as _babel_date
from babel.numbers import format_decimal

from esgreport.editions import EDITIONS, SCALE_FACTORS

# Scales used in prose: 1,100萬元 / RMB11 million. Which scales an edition writes is on its definition.
SCALES: dict[str, Decimal] = {name: Decimal(factor) for name, factor in SCALE_FACTORS.items()}


def round_half_up(value: Decimal, decimals: int) -> Decimal:
    """Round the way reports do (2.5 → 3), not banker's rounding."""
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def format_number(value: Decimal | int | float, decimals: int, edition: str) -> str:
    """1097.47 → '1,097.47'; 0.081 with 4 decimals → '0.0810' (the stated precision is kept)."""
    value = round_half_up(Decimal(str(value)), decimals)
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(value, format=pattern, locale=EDITIONS[edition].locale,
                          decimal_quantization=True)


def format_percent(value: Decimal | int | float, decimals: int, edition: str) -> str:
    """A value already in per cent (27 → '27%')."""
    return format_number(value, decimals, edition) + "%"


def format_date(value: date, edition: str) -> str:
    """2023-12-31 → '2023年12月31日' / '31 December 2023'."""
    ed = EDITIONS[edition]
    return _babel_date(value, format=ed.date_format, locale=ed.locale)


def format_period(start: date, end: date, edition: str) -> str:
    """2023-01-01, 2023-12-31 → '2023年1月1日至2023年12月31日' / '1 January 2023 to 31 December 2023'.
    Each date whole (Babel's intervals leave out a year the two share, which the reports write out)."""
    return EDITIONS[edition].period.format(start=format_date(start, edition), end=format_date(end, edition))


# Babel has no spelled-out numbers: the report's ordinal (the company's second, third … report) is
# written from these, up to 99 (a larger one is written in digits: 第100份, 100th).
_HANZI = "零一二三四五六七八九"
_FIRSTS = ("", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
           "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
           "eighteenth", "nineteenth")
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")


def _hanzi(n: int) -> str:
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    return ((_HANZI[tens] if tens > 1 else "") + ("十" if tens else "") + (_HANZI[ones] if ones else "")) or _HANZI[0]


def _english(n: int) -> str:
    if not 0 < n < 100:
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        return f"{n}{suffix}"
    if n < 20:
        return _FIRSTS[n]
    tens, ones = divmod(n, 10)
    if not ones:
        return _TENS[tens][:-1] + "ieth"
    return f"{_TENS[tens]}-{_FIRSTS[ones]}"


def format_ordinal(n: int, edition: str) -> str:
    """2 → '第二份' / 'second': the report's place in the company's series of reports."""
    return EDITIONS[edition].ordinal.format(hanzi=_hanzi(n), english=_english(n))


def format_money(value: Decimal | int | float, decimals: int, edition: str, scale: str | None = None) -> str:
    """Renminbi amounts: '12,029元' / 'RMB12,029'; with a scale, '1,100萬元' / 'RMB11 million'."""
    ed = EDITIONS[edition]
    amount = Decimal(str(value))
    if scale:
        amount = amount / SCALES[scale]
    return ed.money.format(amount=format_number(amount, decimals, edition) + ed.scale_word(scale or ""))
