"""Collect a report's files (manifest, data, section bodies) and validate them into a Report."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from pydantic import BaseModel, ValidationError

from .editions import EDITIONS
from .errors import Problems, ReportError, did_you_mean
from .load import SourceFile, YamlDoc, read_markdown, read_yaml
from .model import METRIC_ID, ChartSpec, DataFile, KpiTable, Localized, Manifest, Metric, SectionNode, Unit


@dataclass
class Section:
    """A chapter, section or sub-section in reading order, with its body file per edition."""

    id: str
    number: str | None
    title: Localized
    level: int                  # 1 = part (chapter, front matter), 2 = section, 3 = sub-section
    kind: str                   # front | feature | chapter
    part_id: str
    hkex: list[str]
    gri: list[str]
    children: list["Section"] = field(default_factory=list)
    sources: dict[str, SourceFile] = field(default_factory=dict)
    manifest_line: int | None = None

    def walk(self) -> Iterator["Section"]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class Report:
    root: Path                       # content/<year>
    content_root: Path               # content/
    manifest: Manifest
    manifest_doc: YamlDoc
    units: dict[str, Unit]
    metrics: dict[str, Metric]
    metric_lines: dict[str, tuple[Path, int | None]]
    tables: dict[str, KpiTable]
    parts: list[Section]
    glossary: list[dict]
    data_docs: list[YamlDoc] = field(default_factory=list)
    data_files: list = field(default_factory=list)   # (YamlDoc, DataFile) per file under data/
    invalid_metrics: set[str] = field(default_factory=set)   # defined but malformed (already reported)
    load_problems: list = field(default_factory=list)        # found while reading; see pipeline.load
    frameworks: dict = field(default_factory=dict)   # family → Framework (filled by disclosures.py)
    disclosures: object = None                       # ReportDisclosures
    charts: dict[str, ChartSpec] = field(default_factory=dict)

    @property
    def editions(self) -> list[str]:
        return self.manifest.editions

    def sections(self) -> Iterator[Section]:
        for part in self.parts:
            yield from part.walk()

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.sections() if s.id == section_id), None)


_NO_DATA = object()


def _key_names(model: type[BaseModel], seen: set | None = None) -> set[str]:
    """Every key `model` and the models inside it accept: what a misspelt key is compared with."""
    seen = set() if seen is None else seen
    if model in seen:
        return set()
    seen.add(model)
    names = set(model.model_fields)
    for field in model.model_fields.values():
        for arg in [field.annotation, *getattr(field.annotation, "__args__", ())]:
            for inner in [arg, *getattr(arg, "__args__", ())]:
                if isinstance(inner, type) and issubclass(inner, BaseModel):
                    names |= _key_names(inner, seen)
    return names


def validate(model: type[BaseModel], doc: YamlDoc, problems: Problems, prefix: tuple = (), data=_NO_DATA):
    """Validate `data` (by default the whole of `doc`) against `model`; every error becomes a problem
    at its line. `prefix` is where `data` stands in the file, so lines are found in `doc`."""
    data = doc.data if data is _NO_DATA else data
    try:
        return model.model_validate(data if data is not None else {})
    except ValidationError as exc:
        errors = [(tuple(prefix) + tuple(x for x in e["loc"] if not str(x).startswith("function-")), e)
                  for e in exc.errors()]
        unknown = {loc: loc[-1] for loc, e in errors if e["type"] == "extra_forbidden"}
        missing = {loc: loc[-1] for loc, e in errors if e["type"] == "missing"}
        typos: dict[tuple, str] = {}     # a misspelt key is one problem, not "unknown" plus "missing"
        for loc, key in unknown.items():
            twins = [m for m in missing if m[:-1] == loc[:-1]]
            close = difflib.get_close_matches(str(key), [str(m[-1]) for m in twins], n=1, cutoff=0.6)
            if close:
                typos[loc] = close[0]
                missing.pop(next(m for m in twins if str(m[-1]) == close[0]))
        for loc, err in errors:
            where = ".".join(str(x) for x in loc) or "file"
            if loc in typos:
                msg, hint = f"unknown key `{loc[-1]}`", f"did you mean `{typos[loc]}`?"
            elif err["type"] == "extra_forbidden":
                msg = f"unknown key `{loc[-1]}`"
                hint = did_you_mean(str(loc[-1]), _key_names(model),
                                    "check the spelling of the key; the keys allowed here are described "
                                    "in docs/authoring.md")
            elif err["type"] == "missing":
                if loc not in missing:
                    continue
                msg = f"`{loc[-1]}` is missing"
                hint = f"add `{loc[-1]}:` under {'.'.join(str(x) for x in loc[:-1]) or 'the top level'}"
            else:
                msg, hint = f"{where}: {err['msg'].removeprefix('Value error, ')}", ""
            problems.add(doc.path, doc.line_of(loc), msg, hint)
        return None


def _localized_problems(text: Localized | None, editions: list[str], doc: YamlDoc, loc: tuple,
                        problems: Problems) -> None:
    if text is None:
        return
    for ed in editions:
        if not str(text.get(ed, "")).strip() and EDITIONS[ed].source is None:
            problems.add(doc.path, doc.line_of(loc), f"no {ed} text for {'.'.join(map(str, loc))}",
                         f"add `{ed}: …` beside the other languages")


def _build_sections(nodes: list[SectionNode], level: int, kind: str, part_id: str | None,
                    doc: YamlDoc, loc: tuple, seen: dict, problems: Problems,
                    editions: list[str]) -> list[Section]:
    out = []
    for i, node in enumerate(nodes):
        here = loc + (i,)
        line = doc.line_of(here)
        if node.id in seen:
            problems.add(doc.path, line, f"section id `{node.id}` is used twice (also line {seen[node.id]})",
                         "give every section its own id")
        seen[node.id] = line
        _localized_problems(node.title, editions, doc, here + ("title",), problems)
        node_kind = getattr(node, "kind", kind)
        sec = Section(
            id=node.id, number=node.number, title=node.title, level=level, kind=node_kind,
            part_id=part_id or node.id,
            hkex=list(node.disclose.hkex) if node.disclose else [],
            gri=list(node.disclose.gri) if node.disclose else [],
            manifest_line=line,
        )
        sec.children = _build_sections(node.sections, level + 1, node_kind, sec.part_id, doc,
                                       here + ("sections",), seen, problems, editions)
        out.append(sec)
    return out


def find_report_dir(content_root: Path, year: int | None = None) -> Path:
    """The folder of the requested year, or of the latest year under content/."""
    years = sorted((p for p in content_root.iterdir() if p.is_dir() and p.name.isdigit()),
                   key=lambda p: int(p.name))
    if year is not None:
        wanted = content_root / str(year)
        if wanted not in years:
            raise ReportError(problems_of(content_root, f"there is no report for {year}",
                                          f"available: {', '.join(p.name for p in years) or 'none'}"))
        return wanted
    if not years:
        raise ReportError(problems_of(content_root, "no report folder (such as content/2023) found",
                                      "create content/<year>/report.yaml"))
    return years[-1]


def problems_of(path: Path, message: str, hint: str = ""):
    p = Problems()
    p.add(path, None, message, hint)
    return p.items


def load_report(report_dir: Path) -> Report:
    """Read and validate everything a report is made of.

    An unreadable manifest raises ReportError at once; every other problem is kept in
    `Report.load_problems`, so that a build can go on and report everything in one run."""
    problems = Problems()
    content_root = report_dir.parent
    manifest_doc = read_yaml(report_dir / "report.yaml")
    manifest = validate(Manifest, manifest_doc, problems)
    problems.raise_if_any()
    assert manifest is not None
    editions = manifest.editions
    for i, ed in enumerate(editions):
        if ed not in EDITIONS:
            problems.add(manifest_doc.path, manifest_doc.line_of(("editions", i)),
                         f"unknown edition `{ed}`", f"use one of: {', '.join(EDITIONS)}")
    editions = [e for e in editions if e in EDITIONS]
    for key in ("title",):
        _localized_problems(getattr(manifest, key), editions, manifest_doc, (key,), problems)

    # Units
    units_doc = read_yaml(content_root / "units.yaml")
    units: dict[str, Unit] = {}
    for key, raw in (units_doc.data or {}).items():
        unit = validate(Unit, YamlDoc(units_doc.path, raw, None), problems)
        if unit is not None:
            units[key] = unit

    # Data: metrics and tables, each id defined once across all files
    metrics: dict[str, Metric] = {}
    metric_lines: dict[str, tuple[Path, int | None]] = {}
    tables: dict[str, KpiTable] = {}
    charts: dict[str, ChartSpec] = {}
    chart_docs: dict[str, YamlDoc] = {}
    data_docs = []
    data_files: list[tuple[YamlDoc, DataFile]] = []
    invalid: set[str] = set()      # metrics defined but malformed: reported once, not at every use
    for path in sorted((report_dir / "data").glob("*.yaml")):
        doc = read_yaml(path)
        data_docs.append(doc)
        raw = doc.data if isinstance(doc.data, dict) else {}
        # Each metric is validated on its own, so one mistake does not hide the rest of the file.
        data = validate(DataFile, doc, problems, data={**raw, "metrics": {}})
        if data is None:
            continue
        data_files.append((doc, data))
        for mid, raw_metric in (raw.get("metrics") or {}).items():
            if not METRIC_ID.match(str(mid)):
                problems.add(path, doc.line_of(("metrics", mid)),
                             f"metric id `{mid}` must be lowercase words joined by dots",
                             "write it like workforce.total")
                invalid.add(str(mid))
                continue
            metric = validate(Metric, doc, problems, prefix=("metrics", mid), data=raw_metric)
            if metric is None:
                invalid.add(mid)
                continue
            data.metrics[mid] = metric
        for mid, metric in data.metrics.items():
            line = doc.line_of(("metrics", mid))
            if mid in metrics:
                first = metric_lines[mid]
                problems.add(path, line, f"metric `{mid}` is defined twice (also {first[0].name}:{first[1]})",
                             "keep one definition: a figure lives in one place")
                continue
            metrics[mid] = metric
            metric_lines[mid] = (path, line)
            if metric.unit not in units:
                problems.add(path, doc.line_of(("metrics", mid, "unit")),
                             f"metric `{mid}` has unknown unit `{metric.unit}`",
                             f"use a key of content/units.yaml ({', '.join(sorted(units))})")
            _localized_problems(metric.label, editions, doc, ("metrics", mid, "label"), problems)
        for tid, table in data.tables.items():
            if tid in tables:
                problems.add(path, doc.line_of(("tables", tid)), f"table `{tid}` is defined twice",
                             "keep one definition")
                continue
            tables[tid] = table
        for cid, chart in data.charts.items():
            if cid in charts:
                first = chart_docs[cid]
                problems.add(path, doc.line_of(("charts", cid)),
                             f"chart `{cid}` is defined twice (also {first.path.name}:{first.line_of(('charts', cid))})",
                             "keep one definition")
                continue
            charts[cid] = chart
            chart_docs[cid] = doc
    for tid, table in tables.items():
        doc = next(d for d in data_docs if tid in ((d.data or {}).get("tables") or {}))
        _check_table_rows(table, tid, metrics, doc, problems, invalid)
    for cid, chart in charts.items():
        _check_chart(chart, cid, metrics, manifest.year, editions, chart_docs[cid], problems, invalid)

    # Sections and their body files
    seen: dict = {}
    parts = _build_sections(manifest.parts, 1, "front", None, manifest_doc, ("parts",), seen,
                            problems, editions)
    for part in parts:
        for sec in part.walk():
            for ed in editions:
                if EDITIONS[ed].source:
                    continue
                path = report_dir / ed / f"{sec.id}.md"
                if path.exists():
                    try:
                        sec.sources[ed] = read_markdown(path)
                    except ReportError as exc:
                        problems.extend(exc.problems)
                elif not sec.children:
                    problems.add(manifest_doc.path, sec.manifest_line,
                                 f"section `{sec.id}` has no {ed} text: {path.relative_to(content_root.parent)} is missing",
                                 "create the file, or remove the section from the manifest")
    known = {s.id for p in parts for s in p.walk()}
    for ed in editions:
        folder = report_dir / ed
        if folder.is_dir():
            for path in sorted(folder.glob("*.md")):
                if path.stem not in known:
                    problems.add(path, None, f"`{path.name}` belongs to no section of report.yaml",
                                 "add a section with this id to report.yaml, or rename the file to an existing id")

    glossary: list[dict] = []
    gloss_path = content_root / "glossary.yaml"
    if gloss_path.is_file():
        doc = read_yaml(gloss_path)
        if isinstance(doc.data, list):
            glossary.extend(x for x in doc.data if isinstance(x, dict))
        elif doc.data is not None:
            problems.add(gloss_path, 1, "the glossary is a list of terms", "write `- {zh-hant: 持份者, en: stakeholders}`")

    # Problems that leave the rest readable do not stop here: the caller reports them with the rest.
    return Report(report_dir, content_root, manifest, manifest_doc, units, metrics, metric_lines,
                  tables, parts, glossary, data_docs, charts=charts, data_files=data_files,
                  invalid_metrics=invalid, load_problems=problems.items)


def _check_table_rows(table: KpiTable, tid: str, metrics: dict, doc: YamlDoc, problems: Problems,
                      invalid: set[str] = frozenset()) -> None:
    def walk(rows, loc):
        for i, row in enumerate(rows):
            here = loc + (i,)
            if row.metric:
                _check_metric_ref(f"table `{tid}`", row.metric, table.years, metrics, invalid, doc,
                                  here + ("metric",), problems)
                for year, n in row.note_refs.items():
                    if not 1 <= n <= len(table.notes):
                        problems.add(doc.path, doc.line_of(here + ("note_refs",)),
                                     f"table `{tid}` refers to note ({n}) but has {len(table.notes)} notes",
                                     "add the note under `notes:` or correct the number")
            walk(row.rows, here + ("rows",))

    base = ("tables", tid)
    walk(table.rows, base + ("rows",))
    for g, group in enumerate(table.groups):
        walk(group.rows, base + ("groups", g, "rows"))


def _check_chart(chart: ChartSpec, cid: str, metrics: dict, report_year: int, editions: list[str],
                 doc: YamlDoc, problems: Problems, invalid: set[str] = frozenset()) -> None:
    """Every metric a chart names exists and has a value entry for every year the chart shows."""
    base = ("charts", cid)
    _localized_problems(chart.title, editions, doc, base + ("title",), problems)
    for key in ("caption", "note"):
        _localized_problems(getattr(chart, key), editions, doc, base + (key,), problems)
    years = chart.years if chart.type != "donut" else [chart.year or report_year]
    units = {}
    for i, series in enumerate(chart.series):
        here = base + ("series", i)
        _localized_problems(series.label, editions, doc, here + ("label",), problems)
        metric = _check_metric_ref(f"chart `{cid}`", series.metric, years, metrics, invalid, doc,
                                   here + ("metric",), problems)
        if metric is not None:
            units.setdefault(metric.unit, series.metric)
    if len(units) > 1:
        problems.add(doc.path, doc.line_of(base + ("series",)),
                     f"chart `{cid}` mixes units ({', '.join(f'`{u}` of {m}' for u, m in units.items())})",
                     "a chart has one axis: draw metrics of the same unit together")


def _check_metric_ref(what: str, metric_id: str, years: list[int], metrics: dict, invalid: set[str],
                      doc: YamlDoc, loc: tuple, problems: Problems) -> Metric | None:
    """A table or chart names a metric: it exists, and has an entry for every year shown (a derived
    metric's years are known only after computing, so it is checked then)."""
    metric = metrics.get(metric_id)
    if metric is None:
        if metric_id not in invalid:     # a malformed metric is reported once, where it is defined
            problems.add(doc.path, doc.line_of(loc), f"{what} names unknown metric `{metric_id}`",
                         _did_you_mean(metric_id, metrics))
        return None
    missing = [] if metric.formula else [y for y in years if y not in metric.values]
    if missing:
        problems.add(doc.path, doc.line_of(loc),
                     f"{what} shows {', '.join(map(str, missing))} but metric `{metric_id}` has no value for it",
                     "add the year to the metric's values (null where it is not reported)")
    return metric


def _did_you_mean(metric_id: str, metrics: dict) -> str:
    return did_you_mean(metric_id, metrics, "define the metric in a data file or correct the id")
