"""Figures and dates read the way each edition's readers expect."""

from datetime import date
from decimal import Decimal

import pytest

from esgreport.typography.formatting import format_date, format_money, format_number, format_percent


@pytest.mark.parametrize("edition", ["zh-hant", "en"])
def test_numbers_keep_their_stated_precision(edition):
    assert format_number(Decimal("1097.47"), 2, edition) == "1,097.47"
    assert format_number(Decimal("0.081"), 4, edition) == "0.0810"    # the published 0.0810
    assert format_number(Decimal("16098.54"), 2, edition) == "16,098.54"
    assert format_number(2440, 0, edition) == "2,440"
    assert format_number(Decimal("11.1"), 2, edition) == "11.10"


def test_rounding_is_half_up_as_in_reports():
    assert format_number(Decimal("0.125"), 2, "en") == "0.13"
    assert format_number(Decimal("2.5"), 0, "en") == "3"


def test_percentages():
    assert format_percent(27, 0, "zh-hant") == "27%"
    assert format_percent(Decimal("98.8"), 1, "en") == "98.8%"


def test_long_dates_per_locale():
    assert format_date(date(2023, 12, 31), "zh-hant") == "2023年12月31日"
    assert format_date(date(2023, 12, 31), "en") == "31 December 2023"


def test_renminbi_amounts():
    assert format_money(12029, 0, "zh-hant") == "12,029元"
    assert format_money(12029, 0, "en") == "RMB12,029"
    assert format_money(11_000_000, 0, "zh-hant", scale="wan") == "1,100萬元"
    assert format_money(11_000_000, 0, "en", scale="million") == "RMB11 million"
