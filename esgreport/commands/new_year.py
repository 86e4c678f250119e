"""`python build.py new-year 2024`: start next year's report from the latest one.

The new folder is a copy of the latest report with what belongs to a new year changed, and nothing
else: the manifest's year, period and published date, the year in titles (and in section ids that
carry it, with their files); every section set back to the start of the review cycle; every figure of
the new year empty; the figures of earlier years left where they were published (history.py), with
their acknowledgements and restatements. Files are edited as text at the places the YAML parser
names, so comments and layout stay as the team wrote them. The latest report is not touched.
"""

from __future__ import annotations

import argparse
import re
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from esgreport.commands.console import Progress, relative
from esgreport.commands.options import year as a_year
from esgreport.errors import problem_at
from esgreport.project import Project

NAME = "new-year"
HELP = "start the report of YEAR from the latest one: content/YEAR/ with empty values"
FAILURE = "new-year found"
EXAMPLE = "python build.py new-year 2024"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("year", metavar="YEAR", type=a_year, help="the year of the new report, e.g. 2024")


def run(args: argparse.Namespace, project: Project, progress: Progress) -> int:
    created = new_year(project, args.year)
    progress.say(f"started the {args.year} report in {relative(created.folder, project.root)}/ from the "
                 f"{created.source_year} report: {created.sections} section files, {created.empty_values} "
                 f"empty values to fill in")
    progress.say(f"next: python build.py --year {args.year} check   (lists the empty values)")
    progress.say(f"      python build.py --year {args.year} --draft (a preview with placeholders)")
    return 0


@dataclass
class NewYear:
    folder: Path
    source_year: int
    sections: int
    empty_values: int


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


def new_year(project: Project, year: int) -> NewYear:
    from esgreport.model.inputs import STATUSES
    from esgreport.model.load import read_text
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
    source = folders[source_year]
    delta = year - source_year
    year_word = re.compile(rf"(?<!\d){source_year}(?!\d)")

    def new_id(section_id: str) -> str:
        return year_word.sub(str(year), section_id)

    staging = project.content / f".new-{year}"
    if staging.exists():
        shutil.rmtree(staging)
    # The editorial record is about the text last year's report published: it stays with that report.
    shutil.copytree(source, staging, ignore=lambda folder, names: ["editorial.yaml"] if Path(folder) == source else [])

    # The manifest: year, period, published date, titles; ids that carry the year.
    manifest_path = staging / "report.yaml"
    text = read_text(manifest_path, project.content)
    root = yaml.compose(text)
    edits = _Edits(text)
    renamed: dict[str, str] = {}
    if (found := _get(root, "year")):
        edits.scalar(found[1], lambda raw: str(year))
    for key in ("period", "published"):
        if (found := _get(root, key)):
            dates = [found[1]] if key == "published" else [v for _, v in found[1].value]
            for node in dates:
                edits.scalar(node, lambda raw: re.sub(r"\d{4}-\d{2}-\d{2}",
                                                      lambda m: _shift(date.fromisoformat(m.group()), delta).isoformat(), raw))

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
        root = yaml.compose(text)
        edits = _Edits(text)
        if (found := _get(root, "metrics")) and isinstance(found[1], yaml.MappingNode):
            for _, metric in found[1].value:
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
                if (entry := _get(metric, "restated")) and not metric.flow_style:
                    edits.remove_entry(*entry)
        if (found := _get(root, "acknowledged")):
            edits.remove_entry(*found)
        for key in ("tables", "charts"):
            if (found := _get(root, key)) and isinstance(found[1], yaml.MappingNode):
                for _, item in found[1].value:
                    if (years := _get(item, "years")) and isinstance(years[1], yaml.SequenceNode):
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

    staging.rename(project.content / str(year))
    return NewYear(project.content / str(year), source_year, sections, empty)


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
