"""`python build.py new-year 2024`: start next year's report from the latest one.

The new folder is a copy of the latest report with what belongs to a new year changed, and nothing
else: the manifest's year, period and published date, the year in titles (and in section ids that
carry it, with their files); every section set back to the start of the review cycle; every figure of
the new year empty; the figures of earlier years left where they were published (history.py), with
their acknowledgements and restatements. Files are edited as text at the places the YAML parser
names, so comments and layout stay as the team wrote them. The latest report is not touched.

What it refuses, creating nothing (the new folder is made aside and moved into place only when
complete; any failure removes it):
- a year that is not the latest report's year + 1 to + MAX_YEARS_AHEAD (four digits 0–9 on the
  command line: "２０２４" is refused, though Python's int() reads it);
- a link, or anything that is not a folder or a regular file, in the latest report: new-year never
  follows a link (copying its target would turn a file the build refuses into one it accepts);
- a latest report that does not pass `check`, unless `--force` (then its problems are listed, and
  carried into the new year).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import stat
import sys
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from esgreport.commands.climate_chapter import add_climate_chapter
from esgreport.commands.console import Progress, print_failure, print_problems, relative
from esgreport.commands.options import year as a_year
from esgreport.errors import Problem, ReportError, problem_at
from esgreport.project import Project

if TYPE_CHECKING:
    from esgreport.prepare.rollforward import Rolled

NAME = "new-year"
HELP = "start the report of YEAR from the latest one: content/YEAR/ with empty values"
FAILURE = "new-year found"
EXAMPLE = "python build.py new-year 2024"


# How far ahead of the latest report a new one may start: a later year is a typing mistake.
MAX_YEARS_AHEAD = 5


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("year", metavar="YEAR", type=a_year, help="the year of the new report, e.g. 2024")
    parser.add_argument("--force", action="store_true",
                        help="start from the latest report even though it does not pass check")


def run(args: argparse.Namespace, project: Project, progress: Progress) -> int:
    try:
        created = new_year(project, args.year, force=args.force)
    except SourceFailsCheck as exc:
        print_failure(f"new-year starts from a report that passes check; the {exc.source_year} report has",
                      exc.problems, project.root)
        print(f"Nothing was created. Correct the {exc.source_year} report and run new-year again, or start "
              f"from it as it is: python build.py new-year {args.year} --force", file=sys.stderr)
        return 1
    if created.problems:
        errors = sum(p.severity == "error" for p in created.problems)
        progress.say(f"warning: the {created.source_year} report does not pass check ({errors} problem"
                     f"{'s' if errors != 1 else ''}); --force started from it as it is, and the new report "
                     "has them too:")
        print_problems(created.problems, project.root)
    progress.say(f"started the {args.year} report in {relative(created.folder, project.root)}/ from the "
                 f"{created.source_year} report: {created.sections} section files, {created.empty_values} "
                 f"empty values to fill in")
    for line in created.climate:
        progress.say(f"climate: {line}")
    say_rolled(created, project, progress)
    progress.say(f"next: python build.py --year {args.year} check   (lists the empty values)")
    progress.say(f"      python build.py --year {args.year} --draft (a preview with placeholders)")
    return 0



def say_rolled(created: NewYear, project: Project, progress: Progress) -> None:
    """The ordinal and frameworks of report.yaml, the years written as words, and every line that still
    writes out an earlier year (what `check` will list), each as file:line."""
    from esgreport.markup.years import year_mentions

    rolled = created.rolled
    if rolled is None:
        return
    folder = relative(created.folder, project.root)
    for said in rolled.manifest:
        progress.say(f"report.yaml: {said}")
    if rolled.carried:
        progress.say(f"carried {rolled.carried} mention{'s' if rolled.carried != 1 else ''} of the year forward as "
                     "words of report.yaml ({{ year }}, {{ year - 1 }}, {{ period_end() }} …)")
    if rolled.left:
        year = int(created.folder.name)
        progress.say(f"{len(rolled.left)} line{'s' if len(rolled.left) != 1 else ''} still write out an earlier "
                     "year, as written (an event's date, or what new-year cannot decide); `check` lists them "
                     "until each is rewritten or marked as history:")
        for path, number, line in rolled.left:
            years = ", ".join(dict.fromkeys(str(y) for _, y in year_mentions(line, year)))
            progress.say(f"  {folder}/{path.as_posix()}:{number}: {years}")


@dataclass
class NewYear:
    folder: Path
    source_year: int
    sections: int
    empty_values: int
    problems: list[Problem] = field(default_factory=list)   # the source's, when --force started anyway
    climate: list[str] = field(default_factory=list)    # what the climate step did (climate_chapter.py)
    rolled: Rolled | None = None                         # what the text rewrite did (rollforward.py)


class SourceFailsCheck(ReportError):
    """The latest report does not pass check: its problems."""

    def __init__(self, problems: list[Problem], source_year: int):
        super().__init__(problems)
        self.source_year = source_year


class _Edits:
    """Replacements of character spans of one text, applied from the end so offsets stay valid."""

    def __init__(self, text: str):
        self.text = text
        self.spans: list[tuple[int, int, str]] = []

    def replace(self, start: int, end: int, new: str) -> None:
        self.spans.append((start, end, new))

    def scalar(self, node: yaml.Node, transform) -> None:
        raw = self.text[node.start_mark.index:node.end_mark.index]
        new = transform(raw)
        if new != raw:
            self.replace(node.start_mark.index, node.end_mark.index, new)

    def remove_entry(self, key: yaml.Node, value: yaml.Node) -> None:
        """Remove `key: value` of a block mapping, whole lines, with the comment lines just above it."""
        start = self.text.rfind("\n", 0, key.start_mark.index) + 1
        while start > 0:
            above = self.text.rfind("\n", 0, start - 1) + 1
            if not self.text[above:start].lstrip().startswith("#"):
                break
            start = above
        end = _node_end(value, self.text)
        end = self.text.find("\n", end)
        end = len(self.text) if end < 0 else end + 1
        self.replace(start, end, "")

    def result(self) -> str:
        text = self.text
        for start, end, new in sorted(self.spans, reverse=True):
            text = text[:start] + new + text[end:]
        return text


def _node_end(node: yaml.Node, text: str) -> int:
    """Where a node's own text ends (a block collection's end mark is at the next token)."""
    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and not node.flow_style and node.value:
        last = node.value[-1]
        return _node_end(last[1] if isinstance(node, yaml.MappingNode) else last, text)
    return node.end_mark.index


def _get(node: yaml.Node | None, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if k.value == key:
                return k, v
    return None


def _shift(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:               # 29 February
        return d.replace(year=d.year + years, day=28)


def new_year(project: Project, year: int, force: bool = False) -> NewYear:
    """Start the report of `year` from the latest one (see the module's docstring for what it refuses)."""
    from esgreport.prepare.content import report_folders

    folders = report_folders(project.content)
    if year in folders:
        raise problem_at(folders[year], f"the {year} report already exists",
                         f"edit content/{year}/, or remove it to start again")
    earlier = [y for y in folders if y < year]
    if not earlier:
        raise problem_at(project.content, f"there is no report before {year} to start from",
                         "new-year copies the latest report; create the first one by hand")
    if max(folders) > year:
        raise problem_at(project.content, f"{year} is before the latest report ({max(folders)})",
                         "new-year starts the year after the latest report")
    source_year = max(earlier)
    if year > source_year + MAX_YEARS_AHEAD:
        raise problem_at(project.content, f"{year} is more than {MAX_YEARS_AHEAD} years after the latest "
                         f"report ({source_year})",
                         f"new-year starts the year after the latest report: python build.py new-year {source_year + 1}")
    target = project.content / str(year)
    if os.path.lexists(target):
        raise problem_at(target, f"content/{year} already exists but is not a report (it has no report.yaml)",
                         "remove it (or move it aside) and run new-year again")
    source = folders[source_year]
    refuse_links(source)
    problems = _problems_of(project, source_year)
    if problems and not force:
        raise SourceFailsCheck(problems, source_year)

    staging = project.content / f".new-{year}"
    try:
        if os.path.lexists(staging):        # left by a new-year that was killed
            shutil.rmtree(staging)
        # The editorial record is about the text last year's report published: it stays with that report.
        shutil.copytree(source, staging, symlinks=True,
                        ignore=lambda folder, names: ["editorial.yaml"] if Path(folder) == source else [])
        sections, empty = _roll_forward(project, staging, source_year, year)
        from esgreport.prepare import rollforward  # here: a build with nothing to do never loads it
        rolled = rollforward.roll_forward(staging, project.content, year, source)
        climate = add_climate_chapter(project.content, staging, year)
        staging.rename(target)
    except BaseException as exc:
        shutil.rmtree(staging, ignore_errors=True)      # no half-made year is left behind
        if isinstance(exc, ReportError):                # about the copy: named as the file it came from
            raise ReportError([replace(p, source=source / p.source.relative_to(staging))
                               if p.source is not None and staging in p.source.parents else p
                               for p in exc.problems]) from None
        if isinstance(exc, OSError):
            where = Path(exc.filename) if exc.filename else staging
            raise problem_at(where, f"new-year cannot write the new report here ({exc.strerror or exc})",
                             "check that content/ may be written and the disk has room") from None
        raise
    return NewYear(target, source_year, sections, empty, problems, climate, rolled)


def refuse_links(source: Path) -> None:
    """Every link, and anything not a folder or a regular file, in `source` (the folder itself too),
    each a problem naming it: new-year copies files and never follows a link."""
    found: list[Problem] = []

    def refuse(path: Path) -> None:
        mode = os.lstat(path).st_mode
        if stat.S_ISLNK(mode):
            found.append(Problem(path, None, f"this is a link (to {os.readlink(path)}); new-year copies files, "
                                 "never links", "put the file itself here instead of the link, then run "
                                 "new-year again"))
        elif not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
            found.append(Problem(path, None, "this is not a regular file (a named pipe, a device or a socket); "
                                 "new-year copies files only", "remove it, then run new-year again"))

    refuse(source)
    if not found:
        for folder, dirs, files in os.walk(source):
            for name in sorted(dirs + files):
                refuse(Path(folder) / name)
    if found:
        raise ReportError(found)


def _problems_of(project: Project, source_year: int) -> list[Problem]:
    """The errors `check` finds in the report new-year starts from (none: it passes)."""
    from esgreport.pipeline import check

    try:
        check(project, year=source_year)
    except ReportError as exc:
        return exc.errors
    return []


def _yaml_node(text: str, path: Path) -> yaml.Node | None:
    from esgreport.model.load import parse_yaml

    return parse_yaml(text, path).node


def _roll_forward(project: Project, staging: Path, source_year: int, year: int) -> tuple[int, int]:
    """Edit the copy in `staging` into the report of `year`: (section files, empty values)."""
    from esgreport.model.inputs import STATUSES
    from esgreport.model.load import read_text

    delta = year - source_year
    year_word = re.compile(rf"(?<![0-9]){source_year}(?![0-9])")

    def new_id(section_id: str) -> str:
        return year_word.sub(str(year), section_id)

    def shifted_date(found: re.Match) -> str:
        try:
            return _shift(date.fromisoformat(found.group()), delta).isoformat()
        except ValueError:                  # not a date (2025-02-30): left for check to name
            return found.group()

    # The manifest: year, period, published date, titles; ids that carry the year.
    manifest_path = staging / "report.yaml"
    text = read_text(manifest_path, project.content)
    root = _yaml_node(text, manifest_path)
    edits = _Edits(text)
    renamed: dict[str, str] = {}
    if (found := _get(root, "year")):
        edits.scalar(found[1], lambda raw: str(year))
    for key in ("period", "published"):
        if (found := _get(root, key)):
            dates = [found[1]] if key == "published" else \
                [v for _, v in found[1].value] if isinstance(found[1], yaml.MappingNode) else []
            for node in dates:
                edits.scalar(node, lambda raw: re.sub(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", shifted_date, raw))

    def titles_and_ids(node: yaml.Node) -> None:
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if k.value == "title" and isinstance(v, yaml.MappingNode):
                    for _, t in v.value:
                        edits.scalar(t, lambda raw: year_word.sub(str(year), raw))
                elif k.value == "id" and isinstance(v, yaml.ScalarNode) and year_word.search(v.value):
                    renamed[v.value] = new_id(v.value)
                    edits.scalar(v, new_id)
                else:
                    titles_and_ids(v)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                titles_and_ids(item)

    if (found := _get(root, "title")):
        titles_and_ids(yaml.MappingNode("tag:yaml.org,2002:map", [found]))
    if (found := _get(root, "parts")):
        titles_and_ids(found[1])
    manifest_path.write_text(edits.result(), encoding="utf-8")

    # Data: the new year's figures empty, earlier years read from where they were published.
    empty = 0
    for path in sorted((staging / "data").glob("*.yaml")):
        text = read_text(path, project.content)
        root = _yaml_node(text, path)
        edits = _Edits(text)
        if (found := _get(root, "metrics")) and isinstance(found[1], yaml.MappingNode):
            for _, metric in found[1].value:
                if not isinstance(metric, yaml.MappingNode):
                    continue                # not a metric: check names it
                formula = _get(metric, "formula")
                if (values := _get(metric, "values")):
                    # A derived figure computes itself; a stated one waits for its value.
                    edits.replace(values[1].start_mark.index, _node_end(values[1], text),
                                  "{}" if formula else f"{{{year}: null}}")
                    empty += 0 if formula else 1
                # Words around last year's figure (近, 以上) likely fit the new one: they move to the new
                # year, beside the empty value, for the editor to keep or drop. Restatements stay behind.
                if (entry := _get(metric, "qualifiers")) and isinstance(entry[1], yaml.MappingNode):
                    keys = [k for k, _ in entry[1].value]
                    if len(keys) == 1 and keys[0].value == str(source_year):
                        edits.scalar(keys[0], lambda raw: str(year))
                    elif not metric.flow_style:
                        edits.remove_entry(*entry)
                # Restatements, and the import's records of where last year's figures came from, stay
                # with the figures they are about.
                for key in ("restated", "provenance", "explanations"):
                    if (entry := _get(metric, key)) and not metric.flow_style:
                        edits.remove_entry(*entry)
        if (found := _get(root, "acknowledged")):
            edits.remove_entry(*found)
        for key in ("tables", "charts"):
            if (found := _get(root, key)) and isinstance(found[1], yaml.MappingNode):
                for _, item in found[1].value:
                    if (years := _get(item, "years")) and isinstance(years[1], yaml.SequenceNode) and \
                            all(isinstance(n, yaml.ScalarNode) and re.fullmatch("[0-9]{4}", n.value)
                                for n in years[1].value):
                        listed = [int(n.value) for n in years[1].value]
                        shifted = (f"{{last: {len(listed)}}}" if listed == list(range(source_year - len(listed) + 1, source_year + 1))
                                   else "[" + ", ".join(str(y + delta) for y in listed) + "]")
                        edits.replace(years[1].start_mark.index, _node_end(years[1], text), shifted)
                    if (one := _get(item, "year")):
                        edits.remove_entry(*one)
        path.write_text(edits.result(), encoding="utf-8")

    # Sections: back to the start of the review cycle; ids that carry the year renamed.
    sections = 0
    for path in sorted(staging.glob("*/*.md")):
        text = read_text(path, project.content)
        for old, new in renamed.items():
            text = re.sub(rf"(?<![\w-]){re.escape(old)}(?![\w-])", new, text)
        path.write_text(_with_status(text, STATUSES[0]), encoding="utf-8")
        if path.stem in renamed:
            path.rename(path.with_name(renamed[path.stem] + ".md"))
        sections += 1
    return sections, empty


def _with_status(text: str, status: str) -> str:
    """The section file with `status:` in its front matter set to `status` (front matter added if none)."""
    if text.startswith("---\n"):
        end = text.find("\n---", 3)
        if end > 0:
            front = text[4:end + 1]
            if re.search(r"^status:.*$", front, re.M):
                front = re.sub(r"^status:.*$", f"status: {status}", front, count=1, flags=re.M)
            else:
                front += f"status: {status}\n"
            return "---\n" + front + text[end + 1:]
    return f"---\nstatus: {status}\n---\n\n" + text
