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


def format_money(value: Decimal | int | float, decimals: int, edition: str, scale: str | None = None) -> str:
    """Renminbi amounts: '12,029元' / 'RMB12,029'; with a scale, '1,100萬元' / 'RMB11 million'."""
    ed = EDITIONS[edition]
    amount = Decimal(str(value))
    if scale:
        amount = amount / SCALES[scale]
    return ed.money.format(amount=format_number(amount, decimals, edition) + ed.scale_word(scale or ""))
