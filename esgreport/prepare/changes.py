"""Year-on-year rules: a figure against the same metric's figure of the year before.

- A running total (`cumulative: true`) never falls: 11,000,000 last year and 20 this year is a slip
  (a scale, a wrong cell), not a fact.
- A figure that moved by more than its unit's `max_change` (per cent, either way; a metric may set
  its own) needs an explanation: under the metric's `explanations:` for that year, or, on import, in
  the owner's workbook. A tenfold rise is more often a unit or a stray digit than a real change.

One mistake is one problem: a falling running total is not also reported as a change. The import of
an owner's workbook applies these rules to each incoming figure (at its cell); `check` applies them to
the report's own figures against the year before where an earlier report published that one.
"""

from __future__ import annotations

from decimal import Decimal

from esgreport.model.inputs import MetricSpec, Unit


def _plain(value: Decimal) -> str:
    """A figure as an editor wrote it: grouped thousands, its own decimals (11,000,000; 0.57)."""
    text = f"{value.normalize():f}"
    whole, _, decimals = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    grouped = f"{int(whole.lstrip('-') or 0):,}"
    return f"{sign}{grouped}" + (f".{decimals}" if decimals else "")


def _times(ratio: Decimal) -> str:
    """A ratio as words a reader takes in at once: "10 times", "a tenth"."""
    if ratio >= 2:
        return f"{_plain(ratio.quantize(Decimal(1)) if ratio >= 10 else ratio.quantize(Decimal('0.1')))} times"
    if 0 < ratio <= Decimal("0.5"):
        return f"1/{_plain((1 / ratio).quantize(Decimal(1) if ratio <= Decimal('0.1') else Decimal('0.1')))} of"
    return ""


def year_on_year(metric: str, spec: MetricSpec, unit: Unit, year: int, value: Decimal, before: Decimal,
                 explained: bool, explain_where: str) -> tuple[str, str] | None:
    """What is wrong with `value` (the `year` figure of `metric`) against `before` (the year before's),
    as (message, hint), or None. `explained`: the change is explained; `explain_where`: how to explain one
    where the figure comes from ("in the workbook's explanation cell, or …")."""
    previous = year - 1
    if spec.cumulative and value < before:
        return (f"{metric} {year}: {_plain(value)} is less than {previous}'s {_plain(before)}, and the figure "
                "is a running total (`cumulative: true`), which never falls",
                f"check the figure and its scale (a total since the start, in {spec.unit}); if {previous}'s "
                f"total was wrong, restate it in this report's data (`restated: {{{previous}: …}}`)")
    limit = spec.change_limit(unit)
    if limit is None or explained or before == 0:
        return None
    change = (value - before) / abs(before) * 100
    if abs(change) <= limit:
        return None
    ratio = value / before if before > 0 and value >= 0 else Decimal(0)
    size = _times(ratio)
    moved = (f"{size} {previous}'s {_plain(before)}" if size
             else f"{'+' if change > 0 else ''}{_plain(change.quantize(Decimal(1)))} % on {previous}'s {_plain(before)}")
    return (f"{metric} {year}: {_plain(value)} is {moved}, a change beyond ±{_plain(limit)} % that has no explanation",
            f"check the figure (a unit, a scale or a stray digit?); if it is right, explain the change {explain_where}")
