"""Figures as readers see them: a metric's value for a year, formatted for an edition."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from esgreport.editions import EDITIONS
from esgreport.errors import did_you_mean
from esgreport.model.inputs import Unit
from esgreport.model.report import Metric
from esgreport.typography.formatting import SCALES, format_money, format_number, round_half_up


class FigureError(Exception):
    """A reference to data that cannot be resolved; the message says what to do."""

    def __init__(self, message: str, hint: str = "", reported: bool = False, pending: bool = False):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.reported = reported   # the cause (a malformed metric, an empty value) is a problem of its own
        self.pending = pending     # the value is still empty: a draft shows a placeholder


@dataclass(frozen=True)
class Figures:
    """Read-only access to the report's metrics for one reporting year."""

    metrics: Mapping[str, Metric]
    units: Mapping[str, Unit]
    year: int
    invalid: frozenset[str] = frozenset()   # metrics defined but malformed
    # The figures of the report's year within its independent assurance, and the mark they carry.
    assured: frozenset[str] = frozenset()
    assured_symbol: str = ""

    def assurance_mark(self, metric_id: str, year: int | None = None) -> str:
        """The assurance symbol where the figure is assured (the report's year's figure of a metric the
        manifest names under `assurance: figures:`), else nothing."""
        return self.assured_symbol if metric_id in self.assured and self.year_of(year) == self.year else ""

    def metric(self, metric_id: str) -> Metric:
        try:
            return self.metrics[metric_id]
        except (KeyError, TypeError):
            if metric_id in self.invalid:
                raise FigureError(f"metric `{metric_id}` is malformed", reported=True) from None
            hint = did_you_mean(str(metric_id), [*self.metrics, *self.invalid],
                                "define it in a file under data/ or correct the id")
            raise FigureError(f"unknown metric `{metric_id}`", hint) from None

    def year_of(self, year: int | None) -> int:
        """A year as written in a reference: none is the report's year, -1 the year before it."""
        if year is None:
            return self.year
        if not isinstance(year, int) or isinstance(year, bool):
            raise FigureError(f"year={year!r} is not a year", "write year=2022, or year=-1 for the year before")
        return self.year + year if -20 <= year <= 0 else year

    def value(self, metric_id: str, year: int | None = None) -> Decimal:
        metric = self.metric(metric_id)
        year = self.year_of(year)
        if year in metric.pending:
            raise FigureError(f"metric `{metric_id}` has no value for {year} yet", reported=True, pending=True)
        if year not in metric.values:
            raise FigureError(f"metric `{metric_id}` has no value for {year}",
                              f"years with values: {', '.join(map(str, sorted(metric.values))) or 'none'}")
        value = metric.values[year]
        if value is None:
            raise FigureError(f"metric `{metric_id}` is not reported for {year} (n/a)",
                              "refer to a year with a value")
        return value

    def unit_label(self, metric_id: str, edition: str) -> str:
        unit = self.units.get(self.metric(metric_id).unit)
        return unit.label(EDITIONS[edition].content_edition) if unit else ""

    def format(self, metric_id: str, edition: str, year: int | None = None, unit: bool = False,
               scale: str | None = None, decimals: int | None = None) -> str:
        metric = self.metric(metric_id)
        year = self.year_of(year)
        value = self.value(metric_id, year)
        places = metric.precision_for(year) if decimals is None else decimals
        if not isinstance(places, int) or not 0 <= places <= 8:
            raise FigureError(f"decimals={decimals!r} is not a number of decimals", "write decimals=0 to decimals=8")
        if scale is not None:
            if scale not in EDITIONS[edition].scales:
                raise FigureError(f"the {edition} edition does not write figures in `{scale}`",
                                  f"use one of: {', '.join(EDITIONS[edition].scales) or 'no scale'}")
            if unit and metric.unit == "rmb":
                return format_money(value, places, edition, scale)
            value = value / SCALES[scale]
        text = format_number(value, places, edition)
        if unit:
            text = self.with_unit(text, metric, edition)
        return text

    def with_unit(self, number: str, metric: Metric, edition: str) -> str:
        """A figure with its unit, as the edition sets units: 2,440人 / 2,440 persons / RMB12,029."""
        unit = self.units.get(metric.unit)
        ed = EDITIONS[edition]
        label = unit.label(ed.content_edition) if unit else ""
        if unit is None or not label:
            return number
        if ed.unit_style == "attached":
            return f"{number}{label}"
        if unit.prefix:
            return f"{label}{number}"
        return f"{number}{' ' if unit.space else ''}{label}"

    def change(self, metric_id: str, start: int, end: int, decimals: int = 0) -> Decimal:
        """Per cent change from `start` to `end`, absolute, rounded as the prose states it."""
        start, end = self.year_of(start), self.year_of(end)
        before, after = self.value(metric_id, start), self.value(metric_id, end)
        if before == 0:
            raise FigureError(f"cannot compute a change of `{metric_id}` from {start}: the value is 0")
        return round_half_up(abs(after - before) / before * 100, decimals)

    def format_change(self, metric_id: str, start: int, end: int, edition: str, decimals: int = 0) -> str:
        return format_number(self.change(metric_id, start, end, decimals), decimals, edition)

    def qualifier(self, metric_id: str, year: int, edition: str) -> tuple[str, str]:
        """Words around one year's figure: '近{}' → ('近', ''); '（滿分9分）' → ('', '（滿分9分）')."""
        q = self.metric(metric_id).qualifiers.get(year)
        text = q.get(EDITIONS[edition].content_edition, "") if q else ""
        if "{}" in text:
            before, after = text.split("{}", 1)
            return before, after
        return "", text
