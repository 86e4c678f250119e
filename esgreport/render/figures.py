"""Figures as readers see them: a metric's value for a year, formatted for an edition."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from esgreport.editions import EDITIONS
from esgreport.markup.directives import resolve_year
from esgreport.model.inputs import Unit
from esgreport.model.report import Metric
from esgreport.typography.formatting import SCALES, format_money, format_number, round_half_up


class FigureError(Exception):
    """A figure that cannot be drawn. Prepare has reported why (prepare/references.py: an unknown or
    malformed metric, a year without a value), or the value is still empty (`pending`: a draft shows a
    placeholder naming the metric, and the check of empty values names it)."""

    def __init__(self, message: str, metric: str | None = None, pending: bool = False):
        super().__init__(message)
        self.metric = metric
        self.pending = pending


@dataclass(frozen=True)
class Figures:
    """Read-only access to the report's metrics for one reporting year."""

    metrics: Mapping[str, Metric]
    units: Mapping[str, Unit]
    year: int
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
        except KeyError:
            raise FigureError(f"no metric `{metric_id}`", metric_id) from None

    def year_of(self, year: int | None) -> int:
        """A year as written in a directive: none is the report's year, -1 the year before it."""
        return resolve_year(year, self.year)

    def value(self, metric_id: str, year: int | None = None) -> Decimal:
        metric = self.metric(metric_id)
        year = self.year_of(year)
        if year in metric.pending:
            raise FigureError(f"metric `{metric_id}` has no value for {year} yet", metric_id, pending=True)
        value = metric.values.get(year)
        if value is None:
            raise FigureError(f"metric `{metric_id}` has no value for {year}", metric_id)
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
        if scale is not None:
            if scale not in EDITIONS[edition].scales:
                raise FigureError(f"the {edition} edition does not write figures in `{scale}`", metric_id)
            if unit and metric.unit == "rmb":
                return format_money(value, places, edition, scale)
            value = value / SCALES[scale]
        text = format_number(value, places, edition)
        if unit:      # the scale's word is part of the unit: 1,100萬噸 / 11 thousand tonnes
            text = self.with_unit(text + (EDITIONS[edition].scale_word(scale) if scale else ""), metric, edition)
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
            raise FigureError(f"cannot compute a change of `{metric_id}` from {start}: the value is 0", metric_id)
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
