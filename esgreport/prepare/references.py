"""Every directive of the report resolved against it, before anything is drawn.

What a directive refers to (markup/directives.py declares it: a metric and the year of the value it
reads, a KPI table, a chart, an organisation chart, a framework, a scale) must exist in the report,
wherever the directive is written: in a section file, in a text of data/ that is drawn with its
directives (a KPI table's notes, a chart's caption and note, an organisation chart's units, the
reason of a restatement), and the key figures of report.yaml (cards). An unknown id is a problem at
the line of the call, with the ids it resembles; an item defined but malformed was reported where it
is defined and is not reported again. Rendering then only draws.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from esgreport.editions import EDITIONS
from esgreport.errors import Problems, did_you_mean
from esgreport.markup.directives import Call, parse_call, resolve_year
from esgreport.markup.markdown import anchored_section, scan
from esgreport.model.report import Report, Target, TargetKind
from esgreport.prepare.content import DataItems

Found = tuple[str, str] | None      # what is wrong and what to do, or nothing


def check_references(report: Report, data: DataItems, problems: Problems) -> None:
    for section in report.sections():
        for edition, source in section.sources.items():
            if EDITIONS.get(edition) is None or EDITIONS[edition].source is not None:
                continue          # a generated edition's text is its source's: resolved there
            for reference in source.references:
                for message, hint in resolve(reference.targets, report, edition):
                    problems.add(source.path, reference.line, message, hint)
            for href, line in scan(source.body).anchors:
                if (found := _anchor(href, report)):
                    problems.add(source.path, line, *found)
    for path, line, edition, call in data_calls(data, report.editions):
        for message, hint in call.problems or resolve(call.targets(), report, edition):
            problems.add(path, line, message, hint)
    data_markup(data, report, problems)
    _key_figures(report, problems)
    _heading_names(report, problems)


def resolve(targets: tuple[Target, ...], report: Report, edition: str) -> list[tuple[str, str]]:
    """What is wrong with what one call refers to, written for `edition` (a hand-written one)."""
    found = [f for target in targets if (f := _RESOLVERS[target.kind](target, report, edition))]
    charts = [report.charts[c.id] for c in targets if c.kind == "chart" and c.id in report.charts]
    if len(charts) > 1:
        wide = next((t.id for t in targets if t.kind == "chart" and t.id in report.charts
                     and report.charts[t.id].wide), None)
        if wide:
            found.append((f"chart `{wide}` is wide (the full width): give it a line of its own",
                          f'write {{{{ chart("{wide}") }}}} alone on its line'))
    return found


def _metric(target: Target, report: Report, edition: str) -> Found:
    metric = report.metrics.get(target.id)
    if metric is None:
        if report.malformed("metric", target.id):
            return None
        return (f"unknown metric `{target.id}`", did_you_mean(
            target.id, [*report.metrics, *report.invalid_metrics], "define it in a file under data/ or correct the id"))
    year = resolve_year(target.year, report.year)
    if year in metric.pending:            # still empty: the check of empty values names it
        return None
    if year not in metric.values:
        return (f"metric `{target.id}` has no value for {year}",
                f"years with values: {', '.join(map(str, sorted(metric.values))) or 'none'}")
    value = metric.values[year]
    if value is None:
        return f"metric `{target.id}` is not reported for {year} (n/a)", "refer to a year with a value"
    if target.divisor and value == 0:
        return (f"cannot compute a change of `{target.id}` from {year}: the value is 0",
                "compare with a year whose value is not 0")
    return None


def _defined(kind: TargetKind, what: str, items: Callable[[Report], Mapping[str, object]],
             where: str) -> Callable[[Target, Report, str], Found]:
    def resolve_item(target: Target, report: Report, edition: str) -> Found:
        known = items(report)
        if target.id in known or report.malformed(kind, target.id):
            return None
        return (f"unknown {what} `{target.id}`", did_you_mean(
            target.id, [*known, *report.invalid_items.get(kind, ())],
            f"{what}s are defined under {where} (known: {', '.join(sorted(known)) or 'none yet'})"))
    return resolve_item


def _framework(target: Target, report: Report, edition: str) -> Found:
    if target.id in report.frameworks or report.malformed("framework", target.id):
        return None
    return (f"the report names no `{target.id}` framework in report.yaml (frameworks:)", did_you_mean(
        target.id, report.manifest.frameworks, f"name it under `frameworks:` in report.yaml "
                                               f"(named: {', '.join(report.manifest.frameworks) or 'none'})"))


def _scale(target: Target, report: Report, edition: str) -> Found:
    """A scale every edition that shows the text writes (zh-hans shows zh-hant's)."""
    for code in report.editions:
        shown = EDITIONS.get(code)
        if shown is not None and edition in (code, shown.source) and target.id not in shown.scales:
            return (f"the {code} edition does not write figures in `{target.id}`",
                    f"use one of: {', '.join(shown.scales) or 'no scale'}")
    return None


def _manifest(target: Target, report: Report, edition: str) -> Found:
    """A word of report.yaml: the year and the period are always there; the ordinal when it is given."""
    if target.id == "ordinal" and report.manifest.ordinal is None:
        return ("ordinal() needs the report's place in the series: report.yaml has no `ordinal:`",
                "add `ordinal: 2` to report.yaml for the company's second report (new-year counts it on)")
    return None


_RESOLVERS: dict[TargetKind, Callable[[Target, Report, str], Found]] = {
    "metric": _metric,
    "table": _defined("table", "KPI table", lambda r: r.tables, "`tables:` in a file of data/"),
    "chart": _defined("chart", "chart", lambda r: r.charts, "`charts:` in a file of data/"),
    "orgchart": _defined("orgchart", "organisation chart", lambda r: r.orgcharts, "`orgcharts:` in a file of data/"),
    "framework": _framework,
    "scale": _scale,
    "restatements": lambda target, report, edition: None,
    "manifest": _manifest,
    "section": _defined("section", "section", lambda r: {s.id: s for s in r.sections()},
                        "`parts:` in report.yaml (a part's or a section's `id:`)"),
}


# --- directives in texts of data/ ---------------------------------------------------------------------

def data_calls(data: DataItems, editions: list[str]) -> Iterator[tuple[Path, int | None, str, Call]]:
    """Every directive in a text of data/ that is drawn with its directives, with the line of the text
    and its edition (hand-written editions only: a generated one's texts are made from them)."""
    written = [e for e in editions if e in EDITIONS and EDITIONS[e].source is None]
    for loc, localized in _data_texts(data):
        if not isinstance(localized, dict):
            continue
        doc = data.docs[getattr(data, loc[0])[loc[1]][1].path]
        for edition in written:
            text = localized.get(edition)
            if isinstance(text, str) and "{{" in text:
                for call, _ in scan(text).calls:        # drawn inline, wherever it stands in the text
                    yield doc.path, doc.line_of(loc + (edition,)), edition, parse_call(call.text, "inline")


def data_markup(data: DataItems, report: Report, problems: Problems) -> None:
    """Markup a text of data/ may not carry (a link to a file or to no section, an attribute), as a
    section may not, at the line of the text."""
    written = [e for e in report.editions if e in EDITIONS and EDITIONS[e].source is None]
    for loc, localized in _data_texts(data):
        if not isinstance(localized, dict):
            continue
        doc = data.docs[getattr(data, loc[0])[loc[1]][1].path]
        for edition in written:
            text = localized.get(edition)
            if isinstance(text, str) and ("](" in text or "<" in text or "{" in text):
                scanned = scan(text)
                found = [(m, h) for _, m, h in scanned.refused] + \
                    [f for href, _ in scanned.anchors if (f := _anchor(href, report))]
                for message, hint in found:
                    problems.add(doc.path, doc.line_of(loc + (edition,)), message, hint)


def _anchor(href: str, report: Report) -> Found:
    """What is wrong with a link to `#id` of the report: an id of no section (nor of a heading in one)."""
    ids = [s.id for s in report.sections()]
    if anchored_section(href[1:], ids) is not None:
        return None
    return (f"the link `{href}` leads to no section of the report",
            did_you_mean(href[1:], ids, "a link to another section is #its-id, as in report.yaml"))


def _data_texts(data: DataItems) -> Iterator[tuple[tuple, object]]:
    """The texts of data/ drawn with their directives, each with where it stands in its file."""
    for tid, (table, _) in data.tables.items():
        yield from ((("tables", tid, "notes", i), note) for i, note in enumerate(table.notes))
    for cid, (chart, _) in data.charts.items():
        yield from ((("charts", cid, key), getattr(chart, key)) for key in ("caption", "note"))
    for oid, (orgchart, _) in data.orgcharts.items():
        for u, unit in enumerate(orgchart.units):
            yield ("orgcharts", oid, "units", u, "composition"), unit.composition
            yield from ((("orgcharts", oid, "units", u, "duties", d), duty) for d, duty in enumerate(unit.duties))
    for mid, (metric, _) in data.metrics.items():
        yield from ((("metrics", mid, "restated", year, "reason"), r.reason) for year, r in metric.restated.items())


# --- the key figures of report.yaml ---------------------------------------------------------------------

def _key_figures(report: Report, problems: Problems) -> None:
    """The home page's key figures: cards of metrics, under parts of the report."""
    doc = report.manifest_doc
    parts = [p.id for p in report.parts]
    for part_id, metric_ids in report.manifest.key_figures.items():
        if part_id not in parts:
            problems.add(doc.path, doc.line_of(("key_figures", part_id)), f"key_figures: no part `{part_id}`",
                         did_you_mean(part_id, parts, f"parts: {', '.join(parts)}"))
            continue
        for i, metric_id in enumerate(metric_ids):
            found = _metric(Target("metric", metric_id), report, "")
            if found:
                problems.add(doc.path, doc.line_of(("key_figures", part_id, i)), *found)


# --- headings named in the text: `### Training {#training-hours}` -----------------------------------------

def _heading_names(report: Report, problems: Problems) -> None:
    """A heading's own name makes its link (`#employment-training-hours`: the section's id and the name):
    used once in a section, not ending in a number (a numbered heading's link is `employment-3`), and the
    same in every edition, so that the language switcher keeps the reader there."""
    import re

    written = [e for e in report.editions if e in EDITIONS and EDITIONS[e].source is None]
    links: dict[str, dict[str, tuple[Path, int | None]]] = {e: {} for e in written}
    for section in report.sections():
        named: dict[str, dict[str, tuple[Path, int | None]]] = {}
        for edition in written:
            source = section.sources.get(edition)
            named[edition] = {}
            for name, line in scan(source.body).names if source else ():
                link = f"{section.id}-{name}"
                assert source is not None
                if re.search(r"-\d+$", name):
                    problems.add(source.path, line, f"the heading's name `{name}` ends in a number, as the "
                                 "headings' numbered links do", "choose a name of words, e.g. training-hours")
                elif link in links[edition]:
                    first = links[edition][link]
                    problems.add(source.path, line, f"the heading's name `{name}` is used twice (also "
                                 f"{first[0].name}:{first[1]})", "give each named heading a name of its own")
                else:
                    links[edition][link] = named[edition][name] = (source.path, line)
        for edition in written[1:]:
            for name in named[edition].keys() ^ named[written[0]].keys():
                path, line = named[edition].get(name) or named[written[0]][name]
                problems.add(path, line, f"`{{#{name}}}` names a heading in one edition of `{section.id}` only",
                             f"name the same heading {{#{name}}} in the {written[0]} and {edition} texts, so "
                             "that a link to it works in both")
