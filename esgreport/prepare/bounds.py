"""What a report may hold at most, so that no input makes a build take minutes or gigabytes.

Every content file is at most 1 MB (model/load.py), but a 1 MB table of 100,000 rows, or as many
one-word list items, keeps the PDF's layout busy for many minutes and takes gigabytes: its cost is in
the boxes it lays out (a list item, a table row: about 10 ms each), not in the bytes. Each limit here
is far above what a report needs (the 2023 report's measure beside it) and is checked before the work
it bounds: the sections, and each edition's bytes and lines, before a section file is parsed; the rows
of each table, the blocks of each edition and what it draws from data before anything is rendered. A
report beyond a limit stops at once, naming the file, the line and the limit.
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
MAX_EDITION_LINES = 10_000         # their lines (2023: 1,009 en, 970 zh-hant)
MAX_TABLE_ROWS = 500               # rows of one table: a KPI table, a table block, a Markdown table (2023: 26, a KPI table)
# Paragraphs, headings, list items, boxes, table rows (each use of a KPI table or an index counting
# its rows), cards and charts of one edition (2023: 629)
MAX_EDITION_BLOCKS = 3_000
MAX_DRAWN = 400                    # cards, KPI tables, charts, organisation charts, indexes of one edition (2023: 66)

_SPLIT = "split the report's content, or shorten it"


def before_reading(manifest: Manifest, doc: YamlDoc, folder: Path) -> list[Problem]:
    """The report's sections, and each edition's section files' bytes and lines, before any is parsed."""
    nodes = list(_nodes(manifest.parts, ("parts",)))
    if len(nodes) > MAX_SECTIONS:
        return [Problem(doc.path, doc.line_of(nodes[MAX_SECTIONS][1]),
                        f"report.yaml lists {len(nodes)} sections, more than the {MAX_SECTIONS} a report may have "
                        f"(this is section {MAX_SECTIONS + 1})", "join short sections, or " + _SPLIT)]
    problems = []
    for edition in (e for e in manifest.editions if e in EDITIONS and EDITIONS[e].source is None):
        files = [folder / edition / f"{node.id}.md" for node, _ in nodes]
        sizes = {path: _size(path) for path in files}
        if sum(sizes.values()) > MAX_EDITION_BYTES:
            problems.append(_too_much(edition, sizes, "hold", _kb, MAX_EDITION_BYTES))
            continue
        lines = {path: _lines(path) if sizes[path] else 0 for path in files}
        if sum(lines.values()) > MAX_EDITION_LINES:
            problems.append(_too_much(edition, lines, "have", lambda n: f"{n:,} lines", MAX_EDITION_LINES))
    return problems


def _too_much(edition: str, measures: dict[Path, int], verb: str, shown, limit: int) -> Problem:
    """An edition's section files beyond a limit together, named at the largest of them."""
    largest = sorted(measures, key=lambda p: -measures[p])
    listed = ", ".join(f"{p.name} ({shown(measures[p])})" for p in largest[:3])
    return Problem(largest[0], None, f"the {edition} edition's section files {verb} {shown(sum(measures.values()))} "
                   f"together, more than the {shown(limit)} an edition may have", f"the largest: {listed}; " + _SPLIT)


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


def _lines(path: Path) -> int:
    try:
        return path.read_bytes().count(b"\n") + 1
    except OSError:
        return 0          # reported when it is read


def _kb(size: int) -> str:
    return f"{-(-size // 1024):,} KB"


def before_rendering(report: Report) -> list[Problem]:
    """The rows of every table, and each edition's blocks and what it draws from data."""
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
        blocks = drawn = 0
        blocks_reported = drawn_reported = False
        for source in (s.sources[edition] for s in report.sections() if edition in s.sources):
            for line, written_rows, more_blocks, draws in _uses(source, report, index_rows):
                if written_rows > MAX_TABLE_ROWS:
                    problems.append(Problem(source.path, line, f"the table has {written_rows:,} rows, more than "
                                            f"the {MAX_TABLE_ROWS} a table may have", "split it into several tables"))
                blocks += more_blocks
                drawn += draws
                if blocks > MAX_EDITION_BLOCKS and not blocks_reported:
                    blocks_reported = True
                    problems.append(Problem(source.path, line, f"here the {edition} edition comes to {blocks:,} "
                                            "paragraphs, headings, list items, table rows, cards and charts, more "
                                            f"than the {MAX_EDITION_BLOCKS:,} an edition may have",
                                            "each use of a KPI table or an index counts its rows; " + _SPLIT))
                if drawn > MAX_DRAWN and not drawn_reported:
                    drawn_reported = True
                    problems.append(Problem(source.path, line, f"here the {edition} edition comes to {drawn} cards, "
                                            "tables, charts and indexes drawn from data, more than the "
                                            f"{MAX_DRAWN} an edition may have", _SPLIT))
    return problems


def _uses(source: SectionFile, report: Report,
          index_rows: dict[str, int]) -> list[tuple[int | None, int, int, int]]:
    """What a section file shows, in the order of its lines: (line, rows of a table written there,
    blocks, items drawn from data)."""
    scanned = scan(source.body)
    uses = [(line, rows, rows, 0) for line, rows in scanned.tables] + [(line, 0, 1, 0) for line in scanned.blocks]
    for call, line in scanned.calls:
        declared = call.directive
        if declared is None or call.arguments is None or not declared.counts_as:
            continue
        drawn = declared.count(call.arguments)
        rows = 0
        for target in call.targets():
            if target.kind == "table" and target.id in report.tables:
                rows += table_rows(report.tables[target.id])
            elif target.kind == "framework":
                rows += index_rows.get(target.id, 0)
        uses.append((line, 0, rows or drawn, drawn))
    return sorted(uses, key=lambda use: use[0] or 0)


def table_rows(table: KpiTable) -> int:
    """The rows a KPI table shows: a row per metric or label, and a label row per group."""
    def count(rows: list[TableRow]) -> int:
        return sum(1 + count(row.rows) for row in rows)
    return sum(count(group.rows) + (1 if group.label else 0) for group in table.all_groups())
