"""The report's year in its texts: words of report.yaml written out, and years left from an earlier report.

- `write_out_words`: every text of report.yaml, disclosures.yaml and data/ (titles, labels, notes …) with
  its words of report.yaml (`{{ year }}`, `{{ period_end() }}` …, markup/years.py) written out in its
  edition's form and its marks taken off, once, before anything reads them; a call that is wrong is a
  problem at the text's line. Figures in notes (`{{ kpi() }}`) are left for the page to draw.
- `earlier_years`: in a report started from an earlier one, every line of its content (sections of the
  editions written by hand, and the texts of those files) that still writes out a year before the
  report's, not marked as history: a warning, and a problem in a final build.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from esgreport.editions import EDITIONS
from esgreport.errors import Problems
from esgreport.markup.years import Calendar, expand, plain_problems, year_mentions
from esgreport.model.inputs import Manifest
from esgreport.model.load import YamlDoc, compose_yaml, read_text
from esgreport.model.report import Report
from esgreport.prepare.content import DataItems, report_folders

# --- words of report.yaml in the texts of YAML files --------------------------------------------------

def calendar_of(manifest: Manifest) -> Calendar:
    return Calendar(manifest.year, manifest.period.start, manifest.period.end, manifest.ordinal)


def _texts(obj: Any, loc: tuple) -> Iterator[tuple[tuple, dict]]:
    """Every text given per edition ({zh-hant: …, en: …}) in a model, with where it stands in its file."""
    if isinstance(obj, BaseModel):
        for name, spec in type(obj).model_fields.items():
            yield from _texts(getattr(obj, name), loc + (spec.alias or name,))
    elif isinstance(obj, dict):
        if obj and all(key in EDITIONS and isinstance(value, str) for key, value in obj.items()):
            yield loc, obj
            return
        for key, value in obj.items():
            yield from _texts(value, loc + (key,))
    elif isinstance(obj, list):
        for i, value in enumerate(obj):
            yield from _texts(value, loc + (i,))


# Texts of data/ drawn as Markdown with their directives (prepare/references.py checks those); every other
# text is shown as it is written (a label, a title), so it may hold words of report.yaml only.
_DRAWN = ("notes", "caption", "note", "composition", "duties", "reason")


def write_out_words(manifest: Manifest, manifest_doc: YamlDoc, data: DataItems, disclosures: Any,
                    disclosures_doc: YamlDoc | None, problems: Problems) -> None:
    """The words of report.yaml written out in every text of the report's YAML files, in place."""
    calendar = calendar_of(manifest)
    written = [e for e in manifest.editions if e in EDITIONS and EDITIONS[e].source is None]
    items: list[tuple[YamlDoc, tuple, Any]] = [(manifest_doc, (), manifest)]
    for key in ("metrics", "tables", "charts", "orgcharts"):
        for name, (item, where) in getattr(data, key).items():
            items.append((data.docs[where.path], (key, name), item))
    if disclosures is not None and disclosures_doc is not None:
        items.append((disclosures_doc, (), disclosures))
    for doc, prefix, item in items:
        for loc, localized in _texts(item, prefix):
            drawn = any(part in _DRAWN for part in loc if isinstance(part, str))
            for edition in written:
                text = localized.get(edition)
                if not text or "{{" not in text and "]{." not in text:
                    continue
                localized[edition], found = expand(text, calendar, edition)
                if not drawn and doc is not disclosures_doc:      # a label, a title: words only
                    found += [p for p in plain_problems(text) if p not in found]
                for message, hint in found:
                    problems.add(doc.path, doc.line_of(loc + (edition,)), message, hint)


# --- years left from an earlier report ----------------------------------------------------------------

EARLIER_YEAR = "earlier-year"       # the kind of the problem, for the tests and the console
HINT = ("where it means this report's year, write {{ year }} ({{ year - 1 }} for the year before, "
        "{{ period_end() }} for its last day); where it is history, mark it: [2019年12月]{.history}, "
        "[in 2019]{.history} (docs/authoring.md, The reporting year)")

# Texts of data/ that speak of an earlier year by nature: a restatement's reason, an acknowledgement's.
_HISTORY_KEYS = ("restated", "acknowledged")


def earlier_years(report: Report, problems: Problems, final: bool = False) -> None:
    """Every line of a rolled-forward report that still writes out a year before the report's."""
    if not any(year < report.year for year in report_folders(report.content_root)):
        return      # the first report in content/: its years are as it was written
    written = [e for e in report.editions if e in EDITIONS and EDITIONS[e].source is None]
    found: dict[tuple[Path, int], list[int]] = {}
    for path, number, line in _lines(report, written):
        years = [year for _, year in year_mentions(line, report.year)]
        if years:
            found.setdefault((path, number), []).extend(years)
    add = problems.add if final else problems.warn
    for (path, number), years in sorted(found.items(), key=lambda item: (str(item[0][0]), item[0][1])):
        named = " and ".join(dict.fromkeys(map(str, years)))
        add(path, number, f"the text still says {named}, before this report's year ({report.year})", HINT,
            kind=EARLIER_YEAR)


def _lines(report: Report, editions: list[str]) -> Iterator[tuple[Path, int, str]]:
    """The lines a reader's text comes from: section bodies, and the texts of the YAML files."""
    for section in report.sections():
        for edition in editions:
            source = section.sources.get(edition)
            if source is None:
                continue
            lines = source.body.split("\n")
            for number in range(source.body_start, len(lines) + 1):
                yield source.path, number, lines[number - 1]
    folder = report.folder
    for path in [folder / "report.yaml", folder / "disclosures.yaml", *sorted((folder / "data").glob("*.yaml"))]:
        if path.is_file():
            yield from text_lines(path, report.content_root, editions)


def text_lines(path: Path, root: Path, editions: list[str]) -> Iterator[tuple[Path, int, str]]:
    """The lines of a YAML file's texts given per edition, each with its line in the file."""
    text = read_text(path, root)
    node, _ = compose_yaml(text)
    for scalar in text_scalars(node, editions):
        first = scalar.start_mark.line + 1
        for offset, line in enumerate(text[scalar.start_mark.index:scalar.end_mark.index].split("\n")):
            yield path, first + offset, line


def text_scalars(node: yaml.Node | None, editions: list[str], skip: tuple[str, ...] = _HISTORY_KEYS
                 ) -> Iterator[yaml.ScalarNode]:
    """The texts of a YAML file given per edition (the values of `zh-hant:`, `en:` …), in file order,
    leaving out those under `skip` keys."""
    stack = [node] if node is not None else []
    found = []
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                if not isinstance(key, yaml.ScalarNode) or key.value in skip:
                    continue
                if key.value in editions and isinstance(value, yaml.ScalarNode):
                    found.append(value)
                else:
                    stack.append(value)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
    return iter(sorted(found, key=lambda n: n.start_mark.index))
