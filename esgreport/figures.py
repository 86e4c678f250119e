"""Figures as readers see them: a metric's value for a year, formatted for an edition."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .errors import did_you_mean
from .formatting import SCALES, format_money, format_number, round_half_up
from .model import Metric, Unit


class FigureError(Exception):
    """A reference to data that cannot be resolved; the message says what to do."""

    def __init__(self, message: str, hint: str = "", reported: bool = False):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.reported = reported   # the cause (a malformed metric) is already a problem of its own


@dataclass
class Figures:
    """Read-only access to the report's metrics for one reporting year."""

    metrics: dict[str, Metric]
    units: dict[str, Unit]
    year: int
    invalid: frozenset[str] = frozenset()   # metrics defined but malformed

    def metric(self, metric_id: str) -> Metric:
        try:
            return self.metrics[metric_id]
        except KeyError:
            if metric_id in self.invalid:
                raise FigureError(f"metric `{metric_id}` is malformed", reported=True) from None
            hint = did_you_mean(metric_id, [*self.metrics, *self.invalid],
                                "define it in a file under data/ or correct the id")
            raise FigureError(f"unknown metric `{metric_id}`", hint) from None

    def value(self, metric_id: str, year: int | None = None) -> Decimal:
        metric = self.metric(metric_id)
        year = year or self.year
        if year not in metric.values:
            raise FigureError(f"metric `{metric_id}` has no value for {year}",
                              f"years with values: {', '.join(map(str, sorted(metric.values)))}")
        value = metric.values[year]
        if value is None:
            raise FigureError(f"metric `{metric_id}` is not reported for {year} (null)",
                              "refer to a year with a value")
        return value

    def unit_label(self, metric_id: str, edition: str) -> str:
        unit = self.units.get(self.metric(metric_id).unit)
        return unit.label(edition) if unit else ""

    def format(self, metric_id: str, edition: str, year: int | None = None, unit: bool = False,
               scale: str | None = None, decimals: int | None = None) -> str:
        metric = self.metric(metric_id)
        year = year or self.year
        value = self.value(metric_id, year)
        places = metric.precision_for(year) if decimals is None else decimals
        if scale is not None:
            if scale not in SCALES:
                raise FigureError(f"unknown scale `{scale}`", f"use one of: {', '.join(SCALES)}")
            if unit and metric.unit == "rmb":
                return format_money(value, places, edition, scale)
            value = value / SCALES[scale]
        text = format_number(value, places, edition)
        if unit:
            text = self.with_unit(text, metric, edition)
        return text

    def with_unit(self, number: str, metric: Metric, edition: str) -> str:
        unit = self.units.get(metric.unit)
        if unit is None:
            return number
        label = unit.label(edition)
        if not label:
            return number
        if edition.startswith("zh"):
            return f"{number}{label}"
        if unit.prefix_en:
            return f"{label}{number}"
        return f"{number}{' ' if unit.space else ''}{label}"

    def change(self, metric_id: str, start: int, end: int, decimals: int = 0) -> Decimal:
        """Per cent change from `start` to `end`, absolute, rounded as the prose states it."""
        before, after = self.value(metric_id, start), self.value(metric_id, end)
        if before == 0:
            raise FigureError(f"cannot compute a change of `{metric_id}` from {start}: the value is 0")
        return round_half_up(abs(after - before) / before * 100, decimals)

    def format_change(self, metric_id: str, start: int, end: int, edition: str, decimals: int = 0) -> str:
        return format_number(self.change(metric_id, start, end, decimals), decimals, edition)

    def qualifier(self, metric_id: str, year: int, edition: str) -> tuple[str, str]:
        """Words around one year's figure: '近{}' → ('近', ''); '（滿分9分）' → ('', '（滿分9分）')."""
        q = self.metric(metric_id).qualifiers.get(year)
        text = q.get(edition, "") if q else ""
        if "{}" in text:
            before, after = text.split("{}", 1)
            return before, after
        return "", text
