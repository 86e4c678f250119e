"""A metric's history, kept once: each report's folder holds the figures of its own year; a report reads
its comparatives from the earlier reports that published them.

- content/2024/data holds the 2024 values. The 2023 and 2022 figures of the 2024 report are read from
  content/2023/data, where the 2023 report published them (the latest publication of a year wins, so a
  figure the 2024 report restated is, for the 2025 report, the 2024 report's figure).
- A folder may hold figures of earlier years only where no earlier report in content/ published them
  (the first report in the repository holds its comparatives; a metric reported for the first time may
  bring its earlier years).
- To correct a figure an earlier report published, a report restates it: `restated: {2023: {value: …,
  reason: {zh-hant: …, en: …}}}` on the metric. The report prints the corrected figure with a marker
  and the reason; the published report itself never changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from esgreport.errors import Problems
from esgreport.model.inputs import Acknowledgement, Localized
from esgreport.model.numbers import NOT_REPORTED
from esgreport.model.report import Location, Restatement
from esgreport.prepare.content import DataItems


@dataclass
class History:
    """The values a report shows, by metric and year, and where each came from."""

    values: dict[str, dict[int, Decimal | None]] = field(default_factory=dict)   # None: not reported
    pending: dict[str, set[int]] = field(default_factory=dict)                   # empty: to be filled in
    published_in: dict[str, dict[int, int]] = field(default_factory=dict)
    qualifiers: dict[str, dict[int, Localized]] = field(default_factory=dict)
    restatements: list[Restatement] = field(default_factory=list)
    acknowledged: list[tuple[Acknowledgement, Location]] = field(default_factory=list)   # of earlier reports


def _figure(value):
    """A written value as the report holds it: a Decimal, None for n/a; `...` for empty."""
    if value is None:
        return ...
    return None if value == NOT_REPORTED else value


def comparatives(own: DataItems, year: int, earlier: list[tuple[int, DataItems]], problems: Problems) -> History:
    """Every metric of `own` (the report of `year`) with its own values and those of earlier years.
    `earlier` are the data of the earlier reports in content/, latest first."""
    history = History()
    for _, items in earlier:
        history.acknowledged.extend(items.acknowledged)
    for mid, (spec, where) in own.metrics.items():
        values: dict[int, Decimal | None] = {}
        pending: set[int] = set()
        published_in: dict[int, int] = {}
        qualifiers: dict[int, Localized] = {}

        # Earlier years, from the latest report that published each of them.
        for report_year, items in earlier:
            if mid not in items.metrics:
                continue
            old, _ = items.metrics[mid]
            written = {y: _figure(v) for y, v in old.values.items() if y <= report_year}
            written.update({y: r.value for y, r in old.restated.items() if y < report_year})
            for y, v in written.items():
                if y in published_in or v is ...:
                    continue
                values[y] = v
                published_in[y] = report_year
                if y in old.qualifiers:
                    qualifiers[y] = old.qualifiers[y]

        # The report's own figures.
        for y, v in spec.values.items():
            line = own.value_line(mid, y)
            if y > year:
                problems.add(where.path, line, f"`{mid}` has a value for {y} in the {year} report",
                             f"a report holds figures up to its own year; move it to content/{y}/")
                continue
            if y < year and y in published_in:
                problems.add(where.path, line,
                             f"the {y} figure of `{mid}` was published by the {published_in[y]} report "
                             f"(content/{published_in[y]}/data); this report reads it from there",
                             f"remove it here; to correct the published figure, restate it: "
                             f"`restated: {{{y}: {{value: …, reason: {{zh-hant: …, en: …}}}}}}`")
                continue
            figure = _figure(v)
            if figure is ...:
                pending.add(y)
            else:
                values[y] = figure
            published_in[y] = year
        qualifiers.update(spec.qualifiers)

        # Corrections of earlier reports' figures.
        for y, restated in sorted(spec.restated.items()):
            line = own.docs[where.path].line_of(("metrics", mid, "restated", y))
            if y >= year:
                problems.add(where.path, line, f"`{mid}` restates {y}, which is not an earlier year",
                             f"restate only figures of years before {year}; write this year's figure under `values:`")
                continue
            if y not in published_in or published_in[y] == year:
                problems.add(where.path, line,
                             f"`{mid}` restates its {y} figure, but no earlier report in content/ published one",
                             f"give the {y} figure under `values:` instead")
                continue
            history.restatements.append(Restatement(
                metric=mid, year=y, published=values.get(y), published_in=published_in[y],
                value=restated.value, reason=restated.reason, location=Location(where.path, line)))
            values[y] = restated.value

        history.values[mid] = values
        history.published_in[mid] = published_in
        history.qualifiers[mid] = qualifiers
        if pending:
            history.pending[mid] = pending
    return history
