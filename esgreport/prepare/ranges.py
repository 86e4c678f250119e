"""Figures within their range, and percentages in their scale.

- Every figure a report writes (its values and restatements) keeps to the range of its unit
  (content/units.yaml `min:`, `max:`: a percentage 0–100, a count 0 or more, a grid emission factor
  0–2 t/MWh), or to the metric's own where it declares one (a change may be negative). A figure
  outside is a problem at its line. A metric a `within:` rule holds is left to the rule, whose
  findings may be acknowledged: one range per figure, one problem per mistake.
- A percentage is written 0–100. A fraction (0 < |v| < 1) in a percentage metric is a likely slip
  (0.22 for 22 %) where every other year of the metric is 1 or more and over ten times the fraction,
  or where the metric's precision would print it as 0 %. That is a finding: a correct small
  percentage is acknowledged, or given the precision that shows it.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator, Mapping
from decimal import Decimal
from pathlib import Path

from esgreport.errors import Problems
from esgreport.model.inputs import MetricSpec, Unit
from esgreport.prepare.compute import Finding, Values
from esgreport.prepare.content import DataItems
from esgreport.prepare.history import History
from esgreport.typography.formatting import round_half_up


def figure_findings(own: DataItems, year: int, history: History, values: Values, units: Mapping[str, Unit],
                    checked: set[tuple[str, int]], problems: Problems) -> list[Finding]:
    """Figures outside their range go to `problems`; likely scale slips are returned as findings.
    `values`: every metric's values of every year (the other years a fraction is compared with);
    `checked`: the (metric, year) figures a formula found wrong already, reported once, there."""
    held = _held_by_rules(own)
    findings = []
    for mid, year_of, value, line in _written(own, year, history):
        spec, where = own.metrics[mid]
        unit = units.get(spec.unit)
        if unit is None or (mid, year_of) in checked:      # reported where the metric names it; by its formula
            continue
        if not _within(value, *spec.bounds(unit)):
            if mid not in held:
                problems.add(where.path, line, *_outside(mid, year_of, value, spec, unit))
        elif unit.percentage:
            finding = _scale_slip(mid, year_of, value, spec, values.get(mid, {}), where.path, line)
            if finding is not None:
                findings.append(finding)
    return findings


def _written(own: DataItems, year: int, history: History) -> Iterator[tuple[str, int, Decimal, int | None]]:
    """(metric, year, value, line) of every figure the report itself writes and keeps: its values
    (a value in the wrong report is reported as such, and not here) and its restatements."""
    for mid, (spec, _) in own.metrics.items():
        for y, value in spec.values.items():
            if isinstance(value, Decimal) and history.published_in.get(mid, {}).get(y) == year:
                yield mid, y, value, own.value_line(mid, y)
    for restatement in history.restatements:
        mid, y = restatement.metric, restatement.year
        doc = own.docs[own.metrics[mid][1].path]
        yield mid, y, restatement.value, doc.line_of(("metrics", mid, "restated", y, "value"))


def _held_by_rules(own: DataItems) -> set[str]:
    names = set(own.metrics)
    held: set[str] = set()
    for rule, _ in own.checks:
        if rule.within is not None:
            for pattern in rule.metrics:
                held.update(fnmatch.filter(names, pattern) if any(c in pattern for c in "*?[") else [pattern])
    return held


def _within(value: Decimal, low: Decimal | None, high: Decimal | None) -> bool:
    return (low is None or value >= low) and (high is None or value <= high)


def _span(low: Decimal | None, high: Decimal | None) -> str:
    if low is not None and high is not None:
        return f"{low} to {high}"
    return f"{low} or more" if low is not None else f"{high} or less"


def _outside(mid: str, year: int, value: Decimal, spec: MetricSpec, unit: Unit) -> tuple[str, str]:
    low, high = spec.bounds(unit)
    own_range = {"min", "max"} & spec.model_fields_set
    if own_range:
        what = "the metric's range"
        hint = "correct the value, or the metric's `min:`/`max:`"
    elif unit.percentage:
        what = "the range of a percentage"
        hint = ("percentages are written 0–100 (22 for 22 %); correct the value, or, where the metric may go "
                "beyond (a change may be negative), give it its own `min:` and `max:` beside `unit:`")
    elif unit.whole:
        what = "the range of a count"
        hint = "a count is a whole number, 0 or more: correct the value"
    else:
        what = f"the range of `{spec.unit}`"
        hint = (f"correct the value (is it in {spec.unit}, not another unit?), or, where the metric may go "
                "beyond, give it its own `min:` and `max:` beside `unit:`")
    return f"{mid} {year}: {value} is outside {what} ({_span(low, high)})", hint


def _plain(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _scale_slip(mid: str, year: int, value: Decimal, spec: MetricSpec, series: Mapping[int, Decimal | None],
                path: Path, line: int | None) -> Finding | None:
    size = abs(value)
    if not 0 < size < 1:
        return None
    others = [abs(v) for y, v in series.items() if y != year and v is not None and v != 0]
    places = spec.precision_for(year)
    as_percent = _plain(value * 100)
    if others and all(v >= 1 and v > 10 * size for v in others):
        shown = ", ".join(_plain(v) for v in others)
        message = (f"{mid} {year}: {value} looks like a share written as a fraction: the metric's other years "
                   f"are {shown}")
        hint = f"percentages are written 0–100: write {as_percent} for {as_percent} %"
    elif round_half_up(size, places) == 0:
        message = (f"{mid} {year}: {value} would show as 0 % (precision {places}): is it a share written as "
                   "a fraction?")
        shows = max(-int(value.as_tuple().exponent), 1)
        hint = (f"percentages are written 0–100: write {as_percent} for {as_percent} %; if {value} % is meant, "
                f"give the metric the precision that shows it (`precision: {shows}`)")
    else:
        return None
    return Finding(f"scale:{mid}:{year}", path, line, message, expected=as_percent, found=str(value), hint=hint)


def outside_range(mid: str, year: int, value: Decimal, spec: MetricSpec, unit: Unit) -> tuple[str, str] | None:
    """(message, hint) where `value` is outside the metric's range, for a figure from elsewhere than a data
    file (an owner's workbook): the same rule and words as a data file's."""
    return None if _within(value, *spec.bounds(unit)) else _outside(mid, year, value, spec, unit)


def scale_slip(mid: str, year: int, value: Decimal, spec: MetricSpec, unit: Unit,
               series: Mapping[int, Decimal | None]) -> tuple[str, str] | None:
    """(message, hint) where a percentage looks like a share written as a fraction, against the metric's
    other years (`series`), for a figure from elsewhere than a data file."""
    if not unit.percentage:
        return None
    finding = _scale_slip(mid, year, value, spec, series, Path(), None)
    return (finding.message, finding.hint) if finding is not None else None


def changes_from_last_report(own: DataItems, year: int, history: History, units: Mapping[str, Unit],
                             checked: set[tuple[str, int]], problems: Problems) -> None:
    """The year-on-year rules (changes.py) on the report's own figures, against the year before's where
    an earlier report published it: the first report in the repository holds its comparatives as
    published, and is not asked to explain them."""
    from esgreport.prepare.changes import year_on_year

    for mid, (spec, where) in own.metrics.items():
        value = spec.values.get(year)
        unit = units.get(spec.unit)
        if not isinstance(value, Decimal) or unit is None or spec.formula or (mid, year) in checked:
            continue
        published = history.published_in.get(mid, {}).get(year - 1)
        before = history.values.get(mid, {}).get(year - 1)
        if published is None or published >= year or not isinstance(before, Decimal):
            continue
        found = year_on_year(mid, spec, unit, year, value, before, year in spec.explanations,
                             f"under the metric's `explanations:` ({{{year}: …}})")
        if found is not None:
            problems.add(where.path, own.value_line(mid, year), *found)
