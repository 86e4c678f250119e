"""Prepare once: load → validate → compute, into one complete, read-only report model.

The stage reads a report folder (and, for comparatives, the earlier report folders), validates every
item on its own, computes derived figures, restatements and integrity findings, resolves the years of
tables and charts, and returns the Report of esgreport/report.py. Problems go to the `problems` given;
one mistake affects one item, and derived figures are computed whatever else is wrong. Rendering and
writing only read what this returns.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from pathlib import Path
from types import MappingProxyType

from esgreport.editions import EDITIONS
from esgreport.errors import Problems, ReportError, did_you_mean
from esgreport.model.inputs import ChartSpec, KpiTable, ReportDisclosures, YearSpan
from esgreport.model.load import UNREADABLE, read_yaml
from esgreport.model.report import Metric, Report, Restatement, Section
from esgreport.prepare import bounds
from esgreport.prepare.approvals import check_sections as check_approved_sections
from esgreport.prepare.approvals import read_approvals
from esgreport.prepare.compute import (
    Finding,
    acknowledge,
    acknowledged_figures,
    count_findings,
    derive,
    rule_findings,
    rule_skipped,
)
from esgreport.prepare.content import (
    DataItems,
    find_report_dir,
    read_data,
    read_glossary,
    read_manifest,
    read_sdgs,
    read_sections,
    read_style,
    read_units,
    report_folders,
    unfinished_folders,
)
from esgreport.prepare.editorial import read_editorial
from esgreport.prepare.frameworks import answered_codes, check_tags, load_frameworks
from esgreport.prepare.generate import add_sections, add_text, conversions, converter
from esgreport.prepare.history import comparatives
from esgreport.prepare.inventory import apply_inventory, apply_targets
from esgreport.prepare.ranges import changes_from_last_report, figure_findings
from esgreport.prepare.references import check_references
from esgreport.prepare.years import write_out_words


def prepare(content_root: Path, year: int | None = None, problems: Problems | None = None) -> Report:
    """The report of `year` (default: the latest under content/). Without `problems`, an error raises
    ReportError; with it, problems are collected there and the report is as complete as it can be."""
    found = Problems() if problems is None else problems
    folder = find_report_dir(content_root, year)
    year = int(folder.name)
    for unfinished in unfinished_folders(content_root):
        found.warn(unfinished, None, f"the folder of {unfinished.name} has no report.yaml: it is no report and is "
                   "not built", "add its report.yaml (docs/authoring.md describes it), or remove the folder")
    manifest, manifest_doc = read_manifest(folder, found)
    editions = [e for e in manifest.editions if e in EDITIONS]
    units = read_units(content_root, found)

    own = read_data(folder, found, editions)
    folders = report_folders(content_root)
    earlier = [(y, read_data(folders[y], Problems(), editions)) for y in sorted(folders, reverse=True) if y < year]
    history = comparatives(own, year, earlier, found)

    specs = {mid: spec for mid, (spec, _) in own.metrics.items()}
    where = {mid: loc for mid, (_, loc) in own.metrics.items()}
    for mid, spec in specs.items():
        if spec.unit not in units:
            doc = own.docs[where[mid].path]
            found.add(doc.path, doc.line_of(("metrics", mid, "unit")), f"metric `{mid}` has unknown unit `{spec.unit}`",
                      did_you_mean(spec.unit, units, f"use a key of content/units.yaml ({', '.join(sorted(units))})"))

    climate = apply_inventory(content_root, folder, specs, where, units, history.values, history.pending, found,
                              own.invalid)
    derived = derive(specs, where, climate.values, climate.pending, found, own.invalid | climate.failed)
    derived.invalid |= apply_targets(climate, specs, where, derived.values, derived.pending, found, derived.invalid)
    invalid = own.invalid | derived.invalid | climate.failed
    findings = list(derived.findings) + climate.findings
    for rule, rule_where in own.checks:
        findings.extend(rule_findings(rule, rule_where, specs, derived.values, derived.pending, found, invalid))
    findings.extend(count_findings(specs, where, derived.values, units))
    by_formula = {(mid, int(y)) for _, mid, y in (f.id.split(":") for f in derived.findings)}   # formula:mid:year
    findings.extend(figure_findings(own, year, history, derived.values, units, by_formula, found))
    changes_from_last_report(own, year, history, units, by_formula, found)
    unchecked = invalid | {rule.id for rule, _ in own.checks if rule_skipped(rule, invalid)} | \
        own.malformed.get("rule", set())
    # A finding a malformed acknowledgement was meant for is not reported: the acknowledgement is.
    _report_findings([f for f in acknowledge(findings, own.acknowledged + climate.acknowledged,
                                             history.acknowledged + climate.inherited, unchecked)
                      if f.id not in own.malformed.get("finding", set())], found)

    acknowledged = acknowledged_figures([*own.acknowledged, *history.acknowledged], own.checks, list(specs))
    restated = {(r.metric, r.year): r for r in history.restatements}
    metrics = {mid: Metric(
        id=mid, spec=spec,
        values=MappingProxyType(dict(sorted(derived.values.get(mid, {}).items()))),
        pending=frozenset(derived.pending.get(mid, ())),
        derived=frozenset(derived.derived.get(mid, set()) | climate.computed.get(mid, set())),
        restated=MappingProxyType({y: r for (m, y), r in restated.items() if m == mid}),
        published_in=MappingProxyType(history.published_in.get(mid, {})),
        qualifiers=MappingProxyType(history.qualifiers.get(mid, {})),
        location=where[mid], owner=spec.owner or own.owners.get(where[mid].path),
        acknowledged=MappingProxyType({y: tuple(r) for y, r in sorted(acknowledged.get(mid, {}).items())}))
        for mid, spec in specs.items() if mid not in derived.invalid}

    tables = {tid: _resolve_years(spec, tid, "table", year, own, found) for tid, (spec, _) in own.tables.items()}
    charts = {cid: _resolve_years(spec, cid, "chart", year, own, found) for cid, (spec, _) in own.charts.items()}
    for kind, items in (("table", tables), ("chart", charts)):
        for name, spec in items.items():
            _check_metrics_shown(kind, name, spec, metrics, invalid, own, found)

    beyond = bounds.before_reading(manifest, manifest_doc, folder)
    if beyond:
        raise ReportError(found.items + beyond)
    parts = read_sections(manifest, manifest_doc, folder, found)
    unreadable = [p for p in found.items if p.kind == UNREADABLE]
    if unreadable:
        raise ReportError(unreadable)
    frameworks, read_disclosures = load_frameworks(content_root, folder, manifest, manifest_doc, found)
    disclosures = read_disclosures or ReportDisclosures()
    if history.restatements:
        noted_in = _restatement_sections(parts, tables, history.restatements)
        parts = _tag(parts, noted_in, answered_codes(frameworks, "restatements"))

    sdgs = read_sdgs(content_root, manifest, manifest_doc, found)
    disclosures_path = folder / "disclosures.yaml"
    write_out_words(manifest, manifest_doc, own, read_disclosures,
                    read_yaml(disclosures_path, content_root) if read_disclosures and disclosures_path.is_file()
                    else None, found)
    orgcharts = {oid: spec for oid, (spec, _) in own.orgcharts.items()}
    conversion = conversions(manifest, content_root, manifest_doc, found)
    for code, conv in conversion.items():
        source, convert = EDITIONS[code].source, converter(conv)
        assert source is not None, "conversions() holds the editions made from another"
        for texts in (manifest, units, specs, tables, charts, orgcharts, frameworks, disclosures,
                      history.qualifiers, history.restatements, sdgs, acknowledged):
            add_text(texts, source, code, convert)
        parts = add_sections(parts, source, code, convert)

    locations = {f"metric:{m}": loc for m, loc in where.items()}
    locations.update({f"table:{t}": loc for t, (_, loc) in own.tables.items()})
    locations.update({f"chart:{c}": loc for c, (_, loc) in own.charts.items()})
    locations.update({f"orgchart:{c}": loc for c, (_, loc) in own.orgcharts.items()})
    report = Report(
        year=year, folder=folder, content_root=content_root, manifest=manifest, manifest_doc=manifest_doc,
        units=MappingProxyType(units), metrics=MappingProxyType(metrics), tables=MappingProxyType(tables),
        charts=MappingProxyType(charts), locations=MappingProxyType(locations), parts=parts,
        orgcharts=MappingProxyType(orgcharts),
        sdgs=MappingProxyType(sdgs),
        glossary=read_glossary(content_root, found), style=MappingProxyType(read_style(content_root, found)),
        frameworks=MappingProxyType(frameworks), disclosures=disclosures,
        restatements=tuple(history.restatements), invalid_metrics=frozenset(invalid),
        invalid_items=MappingProxyType({kind: frozenset(ids) for kind, ids in own.malformed.items()}),
        conversions=MappingProxyType(conversion), inventory=climate.result,
        approvals=MappingProxyType(read_approvals(folder, content_root, found)))
    report = dataclasses.replace(report, editorial=read_editorial(report, found))
    check_tags(report, found, explanations_known=read_disclosures is not None)
    check_references(report, own, found)
    check_approved_sections(report, found)
    beyond = bounds.before_rendering(report)
    if beyond:
        raise ReportError(found.items + beyond)
    if problems is None:
        found.raise_if_any()
    return report


def _report_findings(findings: list[Finding], problems: Problems) -> None:
    for finding in findings:
        hint = finding.hint
        if finding.found:
            hint += (f"; to accept it as published: add to `acknowledged:` in {finding.source.name} "
                     f'{{finding: "{finding.id}", found: "{finding.found}", expected: "{finding.expected}", '
                     "reason: {zh-hant: …, en: …}}")
        problems.add(finding.source, finding.line, finding.message, hint)


def _resolve_years(spec: KpiTable | ChartSpec, name: str, kind: str, year: int, own: DataItems,
                   problems: Problems):
    """The years a table or chart shows, for this report. A literal list must include the report's year."""
    where = getattr(own, kind + "s")[name][1]
    doc = own.docs[where.path]
    if isinstance(spec, ChartSpec) and spec.type == "donut":
        if spec.year is not None and spec.year != year:
            problems.add(doc.path, doc.line_of((kind + "s", name, "year")),
                         f"chart `{name}` shows {spec.year}, not the report's year {year}",
                         "leave `year:` out: a donut shows the report's year")
        return spec.model_copy(update={"year": spec.year or year})
    if isinstance(spec.years, YearSpan):
        return spec.model_copy(update={"years": spec.years.resolve(year)})
    assert spec.years is not None, "ChartSpec requires `years:` of every chart but a donut"
    if year not in spec.years:
        problems.add(doc.path, doc.line_of((kind + "s", name, "years")),
                     f"{kind} `{name}` shows {', '.join(map(str, spec.years))} but not the report's year {year}",
                     f"write `years: {{last: {len(spec.years)}}}` so that the {kind} follows the report's year")
    return spec


def _check_metrics_shown(kind: str, name: str, spec, metrics: dict[str, Metric], invalid: set[str],
                         own: DataItems, problems: Problems) -> None:
    """Every metric a table or chart names exists and has a value (or an empty one) for every year shown."""
    where = getattr(own, kind + "s")[name][1]
    doc = own.docs[where.path]
    if kind == "table":
        rows = _table_rows(spec)
        years = spec.years
        for path, row in rows:
            if row.metric is None:
                continue
            loc = ("tables", name) + path + ("metric",)
            _check_metric_ref(f"table `{name}`", row.metric, years, metrics, invalid, doc, loc, problems)
            for n in row.note_refs.values():
                if not 1 <= n <= len(spec.notes):
                    problems.add(doc.path, doc.line_of(("tables", name) + path + ("note_refs",)),
                                 f"table `{name}` refers to note ({n}) but has {len(spec.notes)} notes",
                                 "add the note under `notes:` or correct the number")
        return
    years = [spec.year] if spec.type == "donut" else spec.years
    units: dict[str, str] = {}      # unit → the first metric in it
    for i, series in enumerate(spec.series):
        metric = _check_metric_ref(f"chart `{name}`", series.metric, years, metrics, invalid, doc,
                                   ("charts", name, "series", i, "metric"), problems)
        if metric is not None:
            units.setdefault(metric.unit, series.metric)
    if len(units) > 1:
        problems.add(doc.path, doc.line_of(("charts", name, "series")),
                     f"chart `{name}` mixes units ({', '.join(f'`{u}` of {m}' for u, m in units.items())})",
                     "a chart has one axis: draw metrics of the same unit together")


def _table_rows(table: KpiTable):
    def walk(rows, loc):
        for i, row in enumerate(rows):
            yield loc + (i,), row
            yield from walk(row.rows, loc + (i, "rows"))
    yield from walk(table.rows, ("rows",))
    for g, group in enumerate(table.groups):
        yield from walk(group.rows, ("groups", g, "rows"))


def _check_metric_ref(what: str, metric_id: str, years: list[int], metrics: dict[str, Metric],
                      invalid: set[str], doc, loc: tuple, problems: Problems) -> Metric | None:
    metric = metrics.get(metric_id)
    if metric is None:
        if metric_id not in invalid:     # a malformed metric is reported once, where it is defined
            problems.add(doc.path, doc.line_of(loc), f"{what} names unknown metric `{metric_id}`",
                         did_you_mean(metric_id, metrics, "define the metric in a data file or correct the id"))
        return None
    missing = [y for y in years if y not in metric.values and y not in metric.pending]
    if missing:
        problems.add(doc.path, doc.line_of(loc),
                     f"{what} shows {', '.join(map(str, missing))} but metric `{metric_id}` has no value for it",
                     "add the year to the metric's values (n/a where it is not reported)")
    return metric


def _restatement_sections(parts: Iterable[Section], tables: dict[str, KpiTable],
                          restatements: list[Restatement]) -> set[str]:
    """Sections that print a restatement's note: those showing a KPI table with a restated figure, and
    those showing the report's restatements (`{{ restatements() }}`)."""
    restated = {(r.metric, r.year) for r in restatements}
    noting = {tid for tid, t in tables.items()
              if any((m, y) in restated for m in t.metric_ids() for y in t.years)}
    out = set()
    stack = list(parts)
    while stack:
        section = stack.pop()
        stack.extend(section.children)
        for source in section.sources.values():
            for ref in source.references:
                if ref.refers_to("restatements") or noting.intersection(ref.ids("table")):
                    out.add(section.id)
    return out


def _tag(parts: tuple[Section, ...], section_ids: set[str], codes: dict[str, list[str]]) -> tuple[Section, ...]:
    """The sections with `codes` added to their disclosure tags where their id is in `section_ids`."""
    def retag(section: Section) -> Section:
        children = tuple(retag(c) for c in section.children)
        if section.id not in section_ids:
            return dataclasses.replace(section, children=children)
        extra = {family: tuple(c for c in codes.get(family, ()) if c not in getattr(section, family))
                 for family in ("hkex", "gri")}
        return dataclasses.replace(section, children=children, hkex=section.hkex + extra["hkex"],
                                   gri=section.gri + extra["gri"])
    return tuple(retag(p) for p in parts)
