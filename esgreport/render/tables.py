"""KPI tables as a template sees them: grouped rows, formatted cells, footnote markers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from esgreport.model.inputs import KpiTable, TableRow
from esgreport.model.report import Restatement
from esgreport.render.figures import Figures
from esgreport.typography.formatting import format_number

# What a table shows where a figure is not reported or does not apply (`n/a` in the data); the table's
# legend explains it.
NOT_REPORTED = "\u2014"


@dataclass
class CellView:
    text: str
    notes: tuple[int, ...] = ()   # numbers of the table notes this figure refers to
    missing: bool = False
    qualifier: str = ""      # words after the figure, e.g. （滿分9分）
    prefix: str = ""         # words before it, e.g. 近
    pending: bool = False    # still empty: a draft shows the metric's id in its place
    assured: str = ""        # the assurance symbol, where the figure is assured

    @property
    def integer(self) -> str:
        return self.text if self.pending else self.text.split(".")[0]

    @property
    def fraction(self) -> str:
        """'.30' of '1,326.30': set in a fixed-width box so that a column aligns on the decimal point."""
        return "." + self.text.split(".", 1)[1] if "." in self.text and not self.pending else ""


@dataclass
class RowView:
    label: str
    level: int                     # 0 = indicator, 1 = breakdown of the indicator above
    unit: str = ""
    cells: list[CellView] = field(default_factory=list)
    metric: str | None = None


@dataclass
class GroupView:
    label: str
    rows: list[RowView]


@dataclass
class KpiTableView:
    id: str
    title: str
    years: list[int]
    groups: list[GroupView]
    notes: list[str]
    assurance: str = ""      # the legend of the assurance symbol, where the table shows an assured figure

    @property
    def rows(self) -> int:
        """Rows in the table's body, group labels included."""
        return sum(len(g.rows) + bool(g.label) for g in self.groups)

    @property
    def has_missing(self) -> bool:
        """Some figure is shown as the sign for "not reported": the table explains the sign."""
        return any(c.missing for g in self.groups for r in g.rows for c in r.cells)

    @property
    def has_assured(self) -> bool:
        return any(c.assured for g in self.groups for r in g.rows for c in r.cells)

    @property
    def fraction_digits(self) -> int:
        """The most decimals any figure of the table shows: the width of the decimal box."""
        return max((len(c.fraction) - 1 for g in self.groups for r in g.rows for c in r.cells
                    if c.fraction and not c.pending), default=0)


def kpi_table_view(table: KpiTable, table_id: str, figures: Figures, edition: str, content_edition: str,
                   restatement_note: Callable[[Restatement], str]) -> KpiTableView:
    """The table as the edition shows it. A restated figure refers to a note, after the table's own
    notes, saying what was published and why it changed; a figure the editors acknowledged as
    inconsistent as published refers to a note giving their reason."""
    notes = [str((n or {}).get(content_edition, "")) for n in table.notes]
    years = table.years
    assert isinstance(years, list), "prepare() resolves `years: {last: N}` against the report's year"

    def text(localized) -> str:
        return str((localized or {}).get(content_edition, ""))

    def rows(items: list[TableRow], level: int) -> list[RowView]:
        out: list[RowView] = []
        for row in items:
            if row.metric:
                metric = figures.metric(row.metric)
                cells = []
                for year in years:
                    refs: tuple[int, ...] = (row.note_refs[year],) if year in row.note_refs else ()
                    if year in metric.restated:
                        notes.append(restatement_note(metric.restated[year]))
                        refs += (len(notes),)
                    for reason in metric.acknowledged.get(year, ()):   # acknowledged as published
                        if text(reason) not in notes:
                            notes.append(text(reason))
                        refs += (notes.index(text(reason)) + 1,)
                    if year in metric.pending:
                        cells.append(CellView(row.metric, refs, pending=True))
                        continue
                    value = metric.values.get(year)
                    if value is None:
                        cells.append(CellView(NOT_REPORTED, refs, missing=True))
                        continue
                    shown = format_number(value, metric.precision_for(year), edition)
                    before, after = figures.qualifier(row.metric, year, content_edition)
                    cells.append(CellView(shown, refs, qualifier=after, prefix=before,
                                          assured=figures.assurance_mark(row.metric, year)))
                out.append(RowView(text(row.label) or text(metric.label), level,
                                   figures.unit_label(row.metric, content_edition), cells, row.metric))
            else:
                out.append(RowView(text(row.label), level))
            out.extend(rows(row.rows, level + 1))
        return out

    groups = [GroupView(text(g.label), rows(g.rows, 0)) for g in table.all_groups()]
    return KpiTableView(id=table_id, title=text(table.title), years=list(years), groups=groups, notes=notes)
