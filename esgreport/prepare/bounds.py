"""What a report may hold at most, so that no input makes a build take minutes or gigabytes.

Every content file is at most 1 MB (model/load.py), but a 1 MB table of 100,000 rows would keep the
PDF's layout busy for minutes and take gigabytes. Each limit here is far above what a report needs
(the 2023 report's measure is beside it) and is checked before the work it bounds: the number of
sections and the size of each edition's text before a section file is read, the rows and the drawn
items before anything is rendered. A report beyond a limit stops at once, naming the file, the line
and the limit.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from esgreport.editions import EDITIONS
from esgreport.errors import Problem
from esgreport.markup.markdown import scan
from esgreport.model.inputs import KpiTable, Manifest, SectionNode, TableRow
from esgreport.model.load import MAX_FILE_BYTES, YamlDoc
from esgreport.model.report import Report, SectionFile

MAX_SECTIONS = 300                 # sections of one report (2023: 50)
MAX_EDITION_BYTES = 600 * 1024     # the section files of one edition together (2023: 128 KB en, 97 KB zh-hant)
MAX_TABLE_ROWS = 500               # rows of one table: a KPI table, a table block, a Markdown table (2023: 26)
MAX_EDITION_ROWS = 3000            # rows of every table one edition shows, each use counted (2023: 308)
MAX_DRAWN = 400                    # cards, KPI tables, charts, organisation charts and indexes of one edition (2023: 66)

_SPLIT = "split the report's content, or shorten it"


def before_reading(manifest: Manifest, doc: YamlDoc, folder: Path) -> list[Problem]:
    """The report's sections and the size of each edition's section files, from report.yaml and the
    files' sizes, before any is read."""
    nodes = list(_nodes(manifest.parts, ("parts",)))
    if len(nodes) > MAX_SECTIONS:
        return [Problem(doc.path, doc.line_of(nodes[MAX_SECTIONS][1]),
                        f"report.yaml lists {len(nodes)} sections, more than the {MAX_SECTIONS} a report may have "
                        f"(this is section {MAX_SECTIONS + 1})", "join short sections, or " + _SPLIT)]
    problems = []
    for edition in (e for e in manifest.editions if e in EDITIONS and EDITIONS[e].source is None):
        sizes = {path: _size(path) for path in (folder / edition / f"{node.id}.md" for node, _ in nodes)}
        total = sum(sizes.values())
        if total > MAX_EDITION_BYTES:
            largest = sorted(sizes, key=lambda p: -sizes[p])
            listed = ", ".join(f"{p.name} ({_kb(sizes[p])})" for p in largest[:3])
            problems.append(Problem(largest[0], None,
                                    f"the {edition} edition's section files hold {_kb(total)} together, more than "
                                    f"the {_kb(MAX_EDITION_BYTES)} an edition may have", f"the largest: {listed}; "
                                    + _SPLIT))
    return problems


def _nodes(nodes: Sequence[SectionNode], loc: tuple) -> Iterator[tuple[SectionNode, tuple]]:
    for i, node in enumerate(nodes):
        yield node, loc + (i,)
        yield from _nodes(node.sections, loc + (i, "sections"))


def _size(path: Path) -> int:
    """A section file's size; 0 for one refused when it is read (too large, not a file, missing)."""
    try:
        size = path.stat().st_size if path.is_file() else 0
    except OSError:
        return 0
    return size if size <= MAX_FILE_BYTES else 0


def _kb(size: int) -> str:
    return f"{-(-size // 1024):,} KB"


def before_rendering(report: Report) -> list[Problem]:
    """The rows of every table, and what each edition draws: tables (each use of a KPI table or an
    index counts its rows) and the cards, charts and indexes drawn from data."""
    problems = []
    for table_id, table in report.tables.items():
        rows = table_rows(table)
        where = report.locations.get(f"table:{table_id}")
        if rows > MAX_TABLE_ROWS and where is not None:
            problems.append(Problem(where.path, where.line, f"KPI table `{table_id}` has {rows:,} rows, more than "
                                    f"the {MAX_TABLE_ROWS} a table may have", "split it into several tables"))
    index_rows = {family: sum(len(g.items) for g in framework.groups) for family, framework in report.frameworks.items()}
    for edition in report.editions:
        if edition not in EDITIONS or EDITIONS[edition].source is not None:
            continue          # an edition made from another shows what its source does
        rows = drawn = 0
        rows_reported = drawn_reported = False
        for source in (s.sources[edition] for s in report.sections() if edition in s.sources):
            for line, table_rows_here, draws in _uses(source, report, index_rows):
                if table_rows_here > MAX_TABLE_ROWS and not draws:
                    problems.append(Problem(source.path, line, f"the table has {table_rows_here:,} rows, more than "
                                            f"the {MAX_TABLE_ROWS} a table may have", "split it into several tables"))
                rows += table_rows_here
                drawn += draws
                if rows > MAX_EDITION_ROWS and not rows_reported:
                    rows_reported = True
                    problems.append(Problem(source.path, line, f"with this table, the tables of the {edition} "
                                            f"edition have {rows:,} rows, more than the {MAX_EDITION_ROWS:,} an "
                                            "edition may have", "each use of a KPI table or an index counts its "
                                            "rows: show each once, or " + _SPLIT))
                if drawn > MAX_DRAWN and not drawn_reported:
                    drawn_reported = True
                    problems.append(Problem(source.path, line, f"with this one, the {edition} edition draws {drawn} "
                                            "cards, tables, charts and indexes from data, more than the "
                                            f"{MAX_DRAWN} an edition may have", _SPLIT))
    return problems


def _uses(source: SectionFile, report: Report, index_rows: dict[str, int]) -> list[tuple[int | None, int, int]]:
    """What a section file shows, in the order of its lines: (line, table rows, items drawn from data)."""
    scanned = scan(source.body)
    uses = [(line, rows, 0) for line, rows in scanned.tables]
    for call, line in scanned.calls:
        declared = call.directive
        if declared is None or call.arguments is None or not declared.counts_as:
            continue
        rows = 0
        for target in call.targets():
            if target.kind == "table" and target.id in report.tables:
                rows += table_rows(report.tables[target.id])
            elif target.kind == "framework":
                rows += index_rows.get(target.id, 0)
        uses.append((line, rows, declared.count(call.arguments)))
    return sorted(uses, key=lambda use: use[0] or 0)


def table_rows(table: KpiTable) -> int:
    """The rows a KPI table shows: a row per metric or label, and a label row per group."""
    def count(rows: list[TableRow]) -> int:
        return sum(1 + count(row.rows) for row in rows)
    return sum(count(group.rows) + (1 if group.label else 0) for group in table.all_groups())

