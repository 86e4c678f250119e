"""`python build.py import WORKBOOK…`: the owners' figures into the data files, all or nothing.

Each workbook is one `requests` wrote (layout.py), filled in by its owner. Every figure goes through
the one number parser (model/numbers.py) and the rules a data file's figures keep to (its unit's
range, whole numbers for counts, percentages written 0–100), then the year-on-year rules
(prepare/changes.py: a change beyond the threshold needs an explanation, a running total never falls).
Every problem names the workbook, the sheet and the cell (`HR.xlsx: People!H14: …`), with what to do.

With any problem nothing is written. Otherwise the figures go into content/<year>/data/*.yaml, each
with its provenance (owner, source, evidence file and its SHA-256, workbook and cell, date of import)
and the owner's explanation, by a round-trip edit that keeps the files' comments and layout
(yamledit.py). Before writing, the report is checked with the new figures in place, so that an import
never leaves a report that does not build (a breakdown that no longer adds up is refused too).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from esgreport.collect import yamledit
from esgreport.collect.layout import (
    FIRST_ROW,
    HEADER_ROW,
    INSTRUCTIONS_SHEET,
    LAYOUT_VERSION,
    NOT_REPORTED_CHOICES,
    PROPERTY_LAYOUT,
    PROPERTY_OWNER,
    PROPERTY_YEAR,
    column_letter,
    columns,
)
from esgreport.errors import Problem, Problems, ReportError, did_you_mean
from esgreport.model.numbers import NOT_REPORTED, NumberError, parse_number
from esgreport.model.report import Report
from esgreport.project import Project

EXPLAIN = "in the workbook's explanation cell ({cell}), or under the metric's `explanations:` in its data file"


@dataclass
class Incoming:
    """One figure an owner supplied, with where it stands and where it came from."""

    metric: str
    value: Decimal | str              # a number, or NOT_REPORTED
    source: str
    workbook: Path
    owner: str
    cell: str                         # Sheet!H5: the figure's cell
    not_reported: str | None = None   # not_applicable | not_available
    evidence: str | None = None
    sha256: str | None = None
    explanation: str | None = None


@dataclass
class Imported:
    year: int
    figures: list[Incoming] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)          # data files written
    left_empty: list[str] = field(default_factory=list)      # cells of rows the owner left empty


class _Workbook:
    """Problems of one workbook, each at a sheet and cell."""

    def __init__(self, path: Path, problems: Problems):
        self.path, self.problems = path, problems

    def problem(self, cell: str | None, message: str, hint: str = "") -> None:
        self.problems.add(self.path, None, f"{cell}: {message}" if cell else message, hint)


def import_workbooks(project: Project, workbooks: list[Path], year: int | None = None,
                     today: date | None = None) -> Imported:
    """Read every workbook, check every figure, and write them all, or raise ReportError and write none.
    `today`: the date of import recorded with each figure (the day's date by default)."""
    from esgreport.prepare.report import prepare

    today = today or date.today()
    report = prepare(project.content, year)
    problems = Problems()
    result = Imported(report.year)
    seen: dict[str, str] = {}                  # metric → where it was given first
    for path in workbooks:
        for incoming in _read(path, report, problems, result):
            first = seen.get(incoming.metric)
            if first is not None:
                _Workbook(path, problems).problem(incoming.cell, f"`{incoming.metric}` is given twice (also {first})",
                                                  "keep one row per figure")
                continue
            seen[incoming.metric] = f"{path.name}: {incoming.cell}"
            result.figures.append(incoming)
    problems.raise_if_any()
    if not result.figures:
        return result
    texts = _edited_texts(report, result.figures, today)
    _check_with(project, report, texts, result.figures)
    for path, text in texts.items():
        temporary = path.with_name(f".{path.name}.importing")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
        result.files.append(path)
    return result


# --- reading a workbook -----------------------------------------------------------------------------

def _read(path: Path, report: Report, problems: Problems, result: Imported) -> Iterator[Incoming]:
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    book = _Workbook(path, problems)
    if not path.is_file():
        book.problem(None, "file not found", "give the path of a workbook `python build.py requests` wrote")
        return
    if path.suffix.lower() in (".xlf", ".xliff"):
        book.problem(None, "this is an XLIFF file, not a request workbook",
                     f"bring a translation back with `python build.py import-xliff {path.name}`")
        return
    try:
        values = load_workbook(path, data_only=True)
        formulas = load_workbook(path, data_only=False)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, InvalidFileException) as exc:
        book.problem(None, f"this is not an Excel workbook (.xlsx) that can be read ({type(exc).__name__})",
                     "save it as an Excel workbook (.xlsx) and import that")
        return
    properties = {p.name: str(p.value) for p in values.custom_doc_props.props}
    owner = properties.get(PROPERTY_OWNER)
    if owner is None or properties.get(PROPERTY_LAYOUT) != LAYOUT_VERSION:
        book.problem(None, "this is not a data request of `python build.py requests`",
                     "fill in the workbook `requests` wrote for the owner, and import that")
        return
    if properties.get(PROPERTY_YEAR) != str(report.year):
        book.problem(None, f"this is the request for {properties.get(PROPERTY_YEAR)}; the report is {report.year}'s",
                     f"import it with --year {properties.get(PROPERTY_YEAR)}, or fill in the {report.year} request")
        return
    expected = columns(report.year)
    for sheet in values.worksheets:
        if sheet.title == INSTRUCTIONS_SHEET:
            continue
        header = [sheet.cell(HEADER_ROW, i + 1).value for i in range(len(expected))]
        moved = next((i for i, c in enumerate(expected) if (header[i] or "") != c.heading), None)
        if moved is not None:
            book.problem(f"{sheet.title}!{column_letter(moved)}{HEADER_ROW}",
                         f"the column reads `{str(header[moved] or '').splitlines()[0] if header[moved] else ''}` "
                         f"where the request has `{expected[moved].en}`: the sheet's columns were moved or changed",
                         "fill in the workbook as `requests` wrote it, without moving its columns")
            continue
        at = {c.key: i for i, c in enumerate(expected)}
        raw_formulas = formulas[sheet.title]
        for row in range(FIRST_ROW, sheet.max_row + 1):
            metric_id = sheet.cell(row, at["metric"] + 1).value
            if metric_id is None or str(metric_id).strip() == "":
                continue
            incoming = _row(book, report, owner, sheet, raw_formulas, row, at, str(metric_id).strip(), result)
            if incoming is not None:
                yield incoming


def _row(book: _Workbook, report: Report, owner: str, sheet, formulas, row: int, at: dict[str, int],
         metric_id: str, result: Imported) -> Incoming | None:
    def ref(key: str) -> str:
        return f"{sheet.title}!{column_letter(at[key])}{row}"

    def cell(key: str):
        return sheet.cell(row, at[key] + 1)

    def text(key: str) -> str:
        value = cell(key).value
        return "" if value is None else str(value).strip()

    metric = report.metrics.get(metric_id)
    if metric is None:
        book.problem(ref("metric"), f"there is no metric `{metric_id}` in the {report.year} report",
                     did_you_mean(metric_id, report.metrics, "keep the metric ids as the request wrote them"))
        return None
    if metric.formula:
        book.problem(ref("metric"), f"`{metric_id}` is computed from other figures ({metric.formula}), not supplied",
                     "leave its row out")
        return None
    if metric.owner != owner:
        book.problem(ref("metric"), f"`{metric_id}` is {metric.owner or 'nobody'}'s to supply, not {owner}'s",
                     f"send it to {metric.owner}, or change the metric's `owner:`" if metric.owner
                     else "give the metric (or its data file) `owner:` first")
        return None
    choice, source, evidence, explanation = text("not_reported"), text("source"), text("evidence"), text("explanation")
    raw = cell("value").value
    written = formulas.cell(row, at["value"] + 1).value
    if raw is None and isinstance(written, str) and written.startswith("="):
        book.problem(ref("value"), f"the cell holds a formula ({written}) with no computed value",
                     "type the figure itself, or open and save the workbook in Excel so that the formula is computed")
        return None
    if raw is None and not choice:
        if source or evidence or explanation:
            book.problem(ref("value"), f"`{metric_id}` has a source or explanation but no figure",
                         "type the figure, or choose Not applicable / Not available in the next column")
        else:
            result.left_empty.append(f"{book.path.name}: {ref('value')}")
        return None
    if choice:
        kind = NOT_REPORTED_CHOICES.get(choice)
        if kind is None:
            book.problem(ref("not_reported"), f"`{choice}` is not one of the choices",
                         f"choose {' or '.join(NOT_REPORTED_CHOICES)} from the cell's list")
            return None
        if raw is not None:
            book.problem(ref("value"), f"the figure {raw} is given, and also `{choice}`",
                         "keep one: the figure, or the choice (with the reason under Explanation)")
            return None
        if not explanation:
            book.problem(ref("explanation"), f"`{metric_id}` is `{choice}` without a reason",
                         "say why under Explanation: the report explains what it does not disclose (comply or explain)")
            return None
        figure: Decimal | str = NOT_REPORTED
    else:
        parsed = _figure(book, ref("value"), raw, cell("value").number_format, metric_id, report)
        if parsed is None:
            return None
        figure = parsed
        if not _keeps_the_rules(book, ref("value"), ref("explanation"), report, metric_id, figure, bool(explanation)):
            return None
    if not source:
        book.problem(ref("source"), f"`{metric_id}` has no source",
                     "say which system, report or record the figure comes from")
        return None
    incoming = Incoming(metric_id, figure, source, book.path, owner, ref("value"),
                        NOT_REPORTED_CHOICES.get(choice), explanation=explanation or None)
    if evidence:
        found = (book.path.parent / evidence)
        if not found.is_file():
            book.problem(ref("evidence"), f"the evidence file `{evidence}` is not beside the workbook",
                         f"put it in {book.path.parent.name or '.'}/ with the workbook, or correct its name")
            return None
        incoming.evidence, incoming.sha256 = evidence, _sha256(found)
    return incoming


def _figure(book: _Workbook, ref: str, raw, number_format: str, metric_id: str, report: Report) -> Decimal | None:
    """The figure of a value cell, through the one number parser; None (and a problem) where it is not one."""
    if isinstance(raw, (datetime, date)):
        book.problem(ref, f"the cell holds a date ({raw:%Y-%m-%d}), not a figure",
                     "type the figure; a spreadsheet turns 1/2 or 3-4 into a date")
        return None
    try:
        figure = parse_number(raw)
    except NumberError as exc:
        book.problem(ref, f"{exc.message}", exc.hint)
        return None
    if figure == NOT_REPORTED:
        book.problem(ref, "n/a is chosen in the next column, not typed as the figure",
                     "leave the figure empty, choose Not applicable or Not available, and give the reason")
        return None
    assert isinstance(figure, Decimal)
    unit = report.units.get(report.metrics[metric_id].unit)
    if unit is not None and unit.percentage and "%" in (number_format or "") and abs(figure) <= 1:
        shown = f"{(figure * 100).normalize():f}"
        book.problem(ref, f"the cell shows {shown}% but holds {figure.normalize():f}: the spreadsheet stored the "
                          "percentage as a fraction", f"percentages are written 0–100: type {shown} in a cell "
                                                      "without the % format")
        return None
    return figure


def _keeps_the_rules(book: _Workbook, ref: str, explain_ref: str, report: Report, metric_id: str, value: Decimal,
                     explained: bool) -> bool:
    """The rules a figure of a data file keeps (range, counts, scale of shares) and the year-on-year rules."""
    from esgreport.prepare.changes import year_on_year
    from esgreport.prepare.ranges import outside_range, scale_slip

    metric = report.metrics[metric_id]
    unit = report.units.get(metric.unit)
    if unit is None:
        return True
    year = report.year
    found = outside_range(metric_id, year, value, metric.spec, unit)
    if found is None and unit.whole and value != value.to_integral_value():
        found = (f"{metric_id} {year}: {value.normalize():f} is not a whole number, and `{metric.unit}` counts",
                 "a count is a whole number: correct the figure")
    if found is None:
        found = scale_slip(metric_id, year, value, metric.spec, unit,
                           {y: v for y, v in metric.values.items() if y != year})
    if found is None:
        before = metric.values.get(year - 1)
        if isinstance(before, Decimal) and year - 1 not in metric.pending:
            found = year_on_year(metric_id, metric.spec, unit, year, value, before,
                                 explained or year in metric.spec.explanations, EXPLAIN.format(cell=explain_ref))
    if found is not None:
        book.problem(ref, *found)
        return False
    return True


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --- writing the data files -------------------------------------------------------------------------

def _edited_texts(report: Report, figures: list[Incoming], today: date) -> dict[Path, str]:
    """The new text of each data file the figures go into."""
    from ruamel.yaml.comments import CommentedMap

    from esgreport.model.load import read_text

    by_file: dict[Path, list[Incoming]] = {}
    for incoming in figures:
        by_file.setdefault(report.metrics[incoming.metric].location.path, []).append(incoming)
    texts = {}
    for path, incoming_figures in by_file.items():
        data = yamledit.load(read_text(path, report.content_root))
        for incoming in incoming_figures:
            metric = data["metrics"][incoming.metric]
            values = metric.get("values")
            if not isinstance(values, CommentedMap):
                values = CommentedMap()
                values.fa.set_flow_style()
                yamledit.insert_after(metric, "precision" if "precision" in metric else "unit", "values", values)
            values[report.year] = incoming.value
            record = yamledit.block_map(
                owner=incoming.owner, source=incoming.source, evidence=incoming.evidence, sha256=incoming.sha256,
                workbook=incoming.workbook.name, cell=incoming.cell, imported=today,
                not_reported=incoming.not_reported)
            provenance = metric.get("provenance")
            if isinstance(provenance, CommentedMap):
                provenance[report.year] = record
            else:
                yamledit.insert_after(metric, "values", "provenance", _keyed(report.year, record))
            if incoming.explanation:
                explanations = metric.get("explanations")
                if isinstance(explanations, CommentedMap):
                    explanations[report.year] = incoming.explanation
                else:
                    yamledit.insert_after(metric, "provenance", "explanations",
                                          _keyed(report.year, incoming.explanation))
        texts[path] = yamledit.dump(data)
    return texts


def _keyed(year: int, value):
    from ruamel.yaml.comments import CommentedMap

    node = CommentedMap()
    node[year] = value
    return node


def _check_with(project: Project, report: Report, texts: dict[Path, str], figures: list[Incoming]) -> None:
    """The report checked and rendered with the new data files in place (in a copy of content/), as a
    build checks it: a problem the import would bring (a breakdown that no longer adds up, a figure the
    text prints now not reported) is refused now, at the cells of the figures it names."""
    from esgreport.pipeline import editions_to_build, verify
    from esgreport.prepare.report import prepare

    def problems_of(where: Project) -> list[Problem]:
        found = Problems()
        try:
            staged = prepare(where.content, report.year, found)
            verify(staged, where, editions_to_build(staged, None), [], found)
        except ReportError as exc:         # a file that cannot be read at all
            found.extend(exc.problems)
        return found.errors

    def key(problem: Problem, content: Path) -> tuple[str, str]:
        return str(_inside(problem.source, content) or problem.source), problem.message

    before = {key(p, project.content) for p in problems_of(project)}
    with tempfile.TemporaryDirectory(prefix="esgreport-import-") as tmp:
        staged = Project(Path(tmp))
        shutil.copytree(project.content, staged.content, ignore=shutil.ignore_patterns(".*"))
        for name in ("templates", "locales"):
            (staged.root / name).symlink_to(getattr(project, name).resolve(), target_is_directory=True)
        for path, text in texts.items():
            (staged.content / path.relative_to(project.content)).write_text(text, encoding="utf-8")
        content = staged.content
        after = [p for p in problems_of(staged) if key(p, content) not in before]
        if not after:
            return
        problems = Problems()
        for problem in after:
            named = [f for f in figures if re.search(rf"(?<![\w.]){re.escape(f.metric)}(?![\w])", problem.message)]
            if named:
                cells = ", ".join(f.cell for f in named if f.workbook == named[0].workbook)
                problems.add(named[0].workbook, None, f"{cells}: {problem.message}", problem.hint)
            else:
                inside = _inside(problem.source, content)
                problems.add(project.content / inside if inside is not None else problem.source, None,
                             f"{problem.message} (with the imported figures in place)", problem.hint)
        raise ReportError(problems.items)


def _inside(path: Path | None, folder: Path) -> Path | None:
    """`path` relative to `folder`, where it is inside it."""
    if path is None:
        return None
    try:
        return path.resolve().relative_to(folder.resolve())
    except ValueError:
        return None
