"""Collect a report folder's files and validate them item by item.

One mistake affects one item: a metric, table, chart, rule or acknowledgement that does not validate is
reported at its line and left out, and the rest of its file loads. The pieces collected here are put
together into the prepared report by prepare.py.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from pydantic import BaseModel

from esgreport.editions import EDITIONS
from esgreport.errors import Problems, ReportError, problem_at
from esgreport.markup.markdown import scan
from esgreport.markup.years import plain_problems
from esgreport.model.inputs import (
    CHART_ID,
    DATA_ITEMS,
    METRIC_ID,
    STATUSES,
    DataFile,
    GlossaryTerm,
    Localized,
    Manifest,
    SdgNames,
    SectionMeta,
    SectionNode,
    StyleGuide,
    StyleRule,
    Unit,
    validate,
)
from esgreport.model.load import YamlDoc, read_markdown, read_yaml
from esgreport.model.report import Location, Reference, Section, SectionFile, Term

# --- report folders -----------------------------------------------------------------------------------

def report_folders(content_root: Path) -> dict[int, Path]:
    """Every report under content/, by the year in its folder's name."""
    if not content_root.is_dir():
        raise problem_at(content_root, "the content folder is missing",
                         "run the build from the project folder, or create content/<year>/report.yaml")
    return {int(p.name): p for p in sorted(content_root.iterdir(), key=lambda p: p.name)
            if p.is_dir() and p.name.isdigit() and len(p.name) == 4 and (p / "report.yaml").is_file()}


def unfinished_folders(content_root: Path) -> list[Path]:
    """Year folders under content/ without a report.yaml: no report (yet), so never built."""
    return [p for p in sorted(content_root.iterdir(), key=lambda p: p.name)
            if p.is_dir() and p.name.isdigit() and len(p.name) == 4 and not (p / "report.yaml").is_file()]


def find_report_dir(content_root: Path, year: int | None = None) -> Path:
    """The folder of the requested year, or of the latest year under content/."""
    folders = report_folders(content_root)
    if year is not None:
        if year not in folders and (content_root / str(year)).is_dir():
            raise problem_at(content_root / str(year), f"the folder of {year} has no report.yaml, so it holds no report",
                             "add its report.yaml (docs/authoring.md describes it)")
        if year not in folders:
            raise problem_at(content_root, f"there is no report for {year}",
                             f"available: {', '.join(map(str, folders)) or 'none'}; "
                             f"`python build.py new-year {year}` starts one")
        return folders[year]
    if not folders:
        raise problem_at(content_root, "no report folder (such as content/2023) found",
                         "create content/<year>/report.yaml")
    return folders[max(folders)]


# --- the manifest ---------------------------------------------------------------------------------------

def read_manifest(folder: Path, problems: Problems) -> tuple[Manifest, YamlDoc]:
    """The manifest, or ReportError at once: without it nothing else can be read."""
    doc = read_yaml(folder / "report.yaml", folder.parent)
    local = Problems()
    manifest = validate(Manifest, doc, local)
    if manifest is None:
        raise ReportError(local.items)
    for i, ed in enumerate(manifest.editions):
        if ed not in EDITIONS:
            problems.add(doc.path, doc.line_of(("editions", i)), f"unknown edition `{ed}`",
                         f"use one of: {', '.join(EDITIONS)}")
    if not manifest.editions:
        problems.add(doc.path, doc.line_of(("editions",)), "the report lists no edition",
                     "list the editions it is published in, e.g. `editions: [zh-hant, en]`")
    if folder.name.isdigit() and int(folder.name) != manifest.year:
        # Everything a report shows follows from its year: nothing else is worth reading until they agree.
        raise problem_at(doc.path, f"the manifest says {manifest.year}, but this is the folder of {folder.name}",
                         f"set `year: {folder.name}` (and the period, titles and published date), or use "
                         f"`python build.py new-year {folder.name}` to start a report from the latest one",
                         line=doc.line_of(("year",)))
    for key in ("start", "end"):
        when = getattr(manifest.period, key)
        if when.year != manifest.year and not (key == "start" and when.year == manifest.year - 1):
            problems.add(doc.path, doc.line_of(("period", key)),
                         f"the reporting period {key}s on {when.isoformat()}, outside the report's year {manifest.year}",
                         "correct the period")
    localized(manifest.title, manifest.editions, doc, ("title",), problems)
    return manifest, doc


def localized(text: Localized | None, editions: list[str], doc: YamlDoc, loc: tuple, problems: Problems) -> None:
    """Text given per language has a text for every edition written by hand."""
    if text is None:
        return
    for ed in editions:
        if ed in EDITIONS and EDITIONS[ed].source is None and not str(text.get(ed, "")).strip():
            problems.add(doc.path, doc.line_of(loc), f"no {ed} text for {'.'.join(map(str, loc))}",
                         f"add `{ed}: …` beside the other languages")


# --- data files -----------------------------------------------------------------------------------------

@dataclass
class DataItems:
    """What the data files of one report folder define, each item validated on its own."""

    folder: Path
    metrics: dict[str, tuple] = field(default_factory=dict)        # id → (MetricSpec, Location)
    tables: dict[str, tuple] = field(default_factory=dict)         # id → (KpiTable, Location)
    charts: dict[str, tuple] = field(default_factory=dict)         # id → (ChartSpec, Location)
    orgcharts: dict[str, tuple] = field(default_factory=dict)      # id → (OrgChart, Location)
    checks: list[tuple] = field(default_factory=list)              # (Rule, Location)
    acknowledged: list[tuple] = field(default_factory=list)        # (Acknowledgement, Location)
    invalid: set[str] = field(default_factory=set)                 # metric ids defined but malformed
    # Items defined but malformed, by kind ("table", "chart", "orgchart", "rule", "finding" → ids):
    # reported once, where defined, and not again where something names them.
    malformed: dict[str, set[str]] = field(default_factory=dict)
    docs: dict[Path, YamlDoc] = field(default_factory=dict)
    owners: dict[Path, str] = field(default_factory=dict)             # data file → its `owner:`

    def value_line(self, metric_id: str, year: int) -> int | None:
        spec, where = self.metrics[metric_id]
        return self.docs[where.path].line_of(("metrics", metric_id, "values", year))


# Collections of a data file keyed by id (the others are lists).
KEYED = ("metrics", "tables", "charts", "orgcharts")

_ID_RULES = {"metrics": (METRIC_ID, "lowercase words joined by dots, like workforce.total"),
             "charts": (CHART_ID, "lowercase words joined by _ or -, like workforce_gender"),
             "orgcharts": (CHART_ID, "lowercase words joined by _ or -, like esg_governance")}


def read_data(folder: Path, problems: Problems, editions: list[str]) -> DataItems:
    items = DataItems(folder)
    for path in sorted((folder / "data").glob("*.yaml")):
        try:
            doc = read_yaml(path, folder.parent)
        except ReportError as exc:
            problems.extend(exc.problems)
            continue
        items.docs[path] = doc
        if doc.data is None:
            continue
        if not isinstance(doc.data, dict):
            problems.add(path, 1, "a data file holds `metrics:`, `tables:`, `charts:`, `checks:` or "
                                  "`acknowledged:`", "see docs/authoring.md, KPI data")
            continue
        # The top-level keys, each unknown one a problem; the items below are validated one by one.
        unknown = {k: v for k, v in doc.data.items() if k not in DataFile.model_fields}
        validate(DataFile, doc, problems, data=unknown)
        if "owner" in doc.data:
            owned = validate(DataFile, doc, problems, data={"owner": doc.data["owner"]})
            if owned is not None and owned.owner is not None:
                items.owners[path] = owned.owner
        for key, raw in unknown.items():
            meant = difflib.get_close_matches(str(key), DATA_ITEMS, n=1, cutoff=0.6)
            if meant and isinstance(raw, dict if meant[0] in KEYED else list):
                for name, value in (raw.items() if isinstance(raw, dict) else enumerate(raw)):
                    _malformed(items, meant[0], name, value)
        for key, (model, what) in DATA_ITEMS.items():
            raw = doc.data.get(key)
            if raw is None:
                continue
            keyed = key in KEYED
            if not isinstance(raw, dict if keyed else list):
                problems.add(path, doc.line_of((key,)),
                             f"`{key}:` must be {'a mapping of ids' if keyed else 'a list'}",
                             "see docs/authoring.md, KPI data")
                continue
            for name, value in (raw.items() if isinstance(raw, dict) else enumerate(raw)):
                _read_item(items, key, name, value, model, what, doc, problems, editions)
    return items


def _read_item(items: DataItems, key: str, name, value, model: type[BaseModel], what: str, doc: YamlDoc,
               problems: Problems, editions: list[str]) -> None:
    loc = (key, name)
    where = Location(doc.path, doc.line_of(loc))
    if key in _ID_RULES and not _ID_RULES[key][0].match(str(name)):
        problems.add(doc.path, where.line, f"{what} id `{name}` must be {_ID_RULES[key][1]}")
        _malformed(items, key, name, value)
        return
    item = validate(model, doc, problems, prefix=loc, data=value)
    if item is None:
        _malformed(items, key, name, value)
        return
    if key not in KEYED:
        getattr(items, key).append((item, where))
        return
    collection = getattr(items, key)
    if name in collection:
        first = collection[name][1]
        problems.add(doc.path, where.line, f"{what} `{name}` is defined twice (also {first.path.name}:{first.line})",
                     "keep one definition: a figure lives in one place")
        return
    collection[name] = (item, where)
    for text_key in ("label", "title", "caption", "note"):
        localized(getattr(item, text_key, None), editions, doc, loc + (text_key,), problems)
    for i, series in enumerate(getattr(item, "series", [])):
        localized(series.label, editions, doc, loc + ("series", i, "label"), problems)
    for i, unit in enumerate(getattr(item, "units", [])):
        for key_, text in (("name", unit.name), ("composition", unit.composition)):
            localized(text, editions, doc, loc + ("units", i, key_), problems)
        for j, duty in enumerate(unit.duties):
            localized(duty, editions, doc, loc + ("units", i, "duties", j), problems)
    for year, restated in getattr(item, "restated", {}).items():
        localized(restated.reason, editions, doc, loc + ("restated", year, "reason"), problems)


# How a malformed item of each collection is named where something refers to it: its kind, and the
# key of the item that holds its name (None: the item's own key in its collection).
_MALFORMED = {"tables": ("table", None), "charts": ("chart", None), "orgcharts": ("orgchart", None),
              "checks": ("rule", "id"), "acknowledged": ("finding", "finding")}


def _malformed(items: DataItems, key: str, name, value) -> None:
    """Note what a malformed item meant to define (its mistake is reported where it is), so that a table,
    chart, rule, acknowledgement or section naming it is not reported as well."""
    if key == "metrics":
        items.invalid.add(str(name))
        return
    kind, id_key = _MALFORMED[key]
    if id_key is None:
        items.malformed.setdefault(kind, set()).add(str(name))
    elif isinstance(value, dict) and isinstance(value.get(id_key), str):
        items.malformed.setdefault(kind, set()).add(value[id_key])


def read_units(content_root: Path, problems: Problems) -> dict[str, Unit]:
    doc = read_yaml(content_root / "units.yaml", content_root)
    units: dict[str, Unit] = {}
    if not isinstance(doc.data, dict):
        problems.add(doc.path, 1, "units.yaml maps unit keys to their labels",
                     "write `person: {zh-hant: 人, en: persons, whole: true}`, one unit a line")
        return units
    for key, raw in doc.data.items():
        unit = validate(Unit, doc, problems, prefix=(key,), data=raw)
        if unit is not None:
            units[key] = unit
    return units


# --- section files --------------------------------------------------------------------------------------

def read_sections(manifest: Manifest, doc: YamlDoc, folder: Path, problems: Problems) -> tuple[Section, ...]:
    editions = [e for e in manifest.editions if e in EDITIONS and EDITIONS[e].source is None]
    seen: dict[str, int | None] = {}
    parts = _sections(manifest.parts, 1, "front", None, doc, ("parts",), seen, problems, folder, editions)
    for ed in editions:
        if (folder / ed).is_dir():
            for path in sorted((folder / ed).glob("*.md")):
                if path.stem not in seen:
                    problems.add(path, None, f"`{path.name}` belongs to no section of report.yaml",
                                 "add a section with this id to report.yaml, or rename the file to an existing id")
    return parts


def _sections(nodes: Sequence[SectionNode], level: int, kind: str, part_id: str | None, doc: YamlDoc, loc: tuple,
              seen: dict, problems: Problems, folder: Path, editions: list[str]) -> tuple[Section, ...]:
    out = []
    for i, node in enumerate(nodes):
        here = loc + (i,)
        line = doc.line_of(here)
        if node.id in seen:
            problems.add(doc.path, line, f"section id `{node.id}` is used twice (also line {seen[node.id]})",
                         "give every section its own id")
        seen[node.id] = line
        localized(node.title, editions, doc, here + ("title",), problems)
        node_kind = getattr(node, "kind", kind)
        children = _sections(node.sections, level + 1, node_kind, part_id or node.id, doc, here + ("sections",),
                             seen, problems, folder, editions)
        sources = {}
        for ed in editions:
            path = folder / ed / f"{node.id}.md"
            if path.exists():
                source = read_section_file(path, folder.parent, problems)
                if source is not None:
                    sources[ed] = source
            elif not node.sections:
                problems.add(doc.path, line,
                             f"section `{node.id}` has no {ed} text: {ed}/{path.name} is missing",
                             "create the file, or remove the section from the manifest")
        out.append(Section(
            id=node.id, number=node.number, title=node.title, level=level, kind=node_kind,
            part_id=part_id or node.id,
            hkex=tuple(node.disclose.hkex) if node.disclose else (),
            gri=tuple(node.disclose.gri) if node.disclose else (),
            children=children, sources=MappingProxyType(sources), manifest_line=line))
    return tuple(out)


def read_section_file(path: Path, content_root: Path, problems: Problems) -> SectionFile | None:
    try:
        source = read_markdown(path, content_root)
    except ReportError as exc:
        problems.extend(exc.problems)
        return None
    meta = SectionMeta()
    if source.front is not None:
        status = source.meta.get("status")
        if isinstance(status, str) and status not in STATUSES:
            from esgreport.errors import did_you_mean
            problems.add(path, source.front.line_of(("status",)), f"unknown status `{status}`",
                         did_you_mean(status, STATUSES, f"use one of: {' → '.join(STATUSES)}"))
        else:
            meta = validate(SectionMeta, source.front, problems) or meta
    scanned = scan(source.body)
    for line, message, hint in scanned.refused:
        problems.add(path, line, message, hint)
    for call, line in scanned.calls:             # what is wrong with a call itself; what it names, prepare.py
        for message, hint in call.problems:
            problems.add(path, line, message, hint)
        label = getattr(call.arguments, "label", None)       # a card's label may hold words of report.yaml
        for message, hint in plain_problems(label) if isinstance(label, str) and "{{" in label else ():
            problems.add(path, line, message, hint)
    references = tuple(Reference(call.name, call.targets(), line) for call, line in scanned.calls
                       if call.arguments is not None)
    return SectionFile(path, source.body, meta, source.body_start, references,
                       MappingProxyType(dict(scanned.structure)), scanned.uncounted)


# --- files shared by every year -------------------------------------------------------------------------

def read_glossary(content_root: Path, problems: Problems) -> tuple[Term, ...]:
    path = content_root / "glossary.yaml"
    if not path.is_file():
        return ()
    doc = read_yaml(path, content_root)
    if doc.data is None:
        return ()
    if not isinstance(doc.data, list):
        problems.add(path, 1, "the glossary is a list of terms", "write `- {zh-hant: 持份者, en: stakeholders}`")
        return ()
    terms = []
    seen: dict[str, int | None] = {}
    for i, entry in enumerate(doc.data):
        line = doc.line_of((i,))
        if not isinstance(entry, dict):
            problems.add(path, line, "a glossary term needs `zh-hant:` and `en:` texts",
                         "write `- {zh-hant: 持份者, en: stakeholders}` (optional: variants, note)")
            continue
        term = validate(GlossaryTerm, doc, problems, prefix=(i,), data=entry)
        if term is None:
            continue
        if term.zh_hant in seen:
            problems.add(path, line, f"`{term.zh_hant}` is in the glossary twice (also line {seen[term.zh_hant]})",
                         "keep one rendering")
        seen[term.zh_hant] = line
        terms.append(Term(term.zh_hant, term.en, tuple(term.variants), Location(path, line), tuple(term.banned),
                          term.note))
    return tuple(terms)


def read_style(content_root: Path, problems: Problems) -> dict[str, tuple[StyleRule, ...]]:
    path = content_root / "style.yaml"
    if not path.is_file():
        return {}
    doc = read_yaml(path, content_root)
    out: dict[str, tuple[StyleRule, ...]] = {}
    if doc.data is not None and not isinstance(doc.data, dict):
        problems.add(path, 1, "style.yaml lists phrases under an edition code", "write `en:` and the phrases below it")
        return out
    guide = validate(StyleGuide, doc, problems)
    return {edition: tuple(rules) for edition, rules in guide.root.items()} if guide is not None else out


def read_sdgs(content_root: Path, manifest: Manifest, manifest_doc: YamlDoc, problems: Problems) -> dict[int, Localized]:
    """The names of the UN Sustainable Development Goals (content/sdgs.yaml), by number; every goal a
    part of the manifest names (`sdgs:`) must have one in every edition."""
    path = content_root / "sdgs.yaml"
    names: dict[int, Localized] = {}
    if path.is_file():
        doc = read_yaml(path, content_root)
        if doc.data is not None and not isinstance(doc.data, dict):
            problems.add(path, 1, "sdgs.yaml maps each goal's number to its names",
                         "write `13: {zh-hant: 氣候行動, en: Climate Action}`, a goal a line")
            return names
        read = validate(SdgNames, doc, problems)
        if read is None:
            return names        # the mistake is reported; the goals the parts name are not
        names = read.root
        for number, name in names.items():
            localized(name, manifest.editions, doc, (number,), problems)
    for i, part in enumerate(manifest.parts):
        for j, number in enumerate(part.sdgs):
            if number not in names:
                problems.add(manifest_doc.path, manifest_doc.line_of(("parts", i, "sdgs", j)),
                             f"SDG {number} has no name in content/sdgs.yaml", f"add `{number}: {{zh-hant: …, en: …}}` there")
    return names
