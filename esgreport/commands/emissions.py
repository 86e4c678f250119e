"""`python build.py emissions`: the emission inventory's calculation, year by year: each source's
activity × factor (with the factor's publisher and publication), the totals by scope, Scope 3
category and entity, where they are published, and the targets' progress (prepare/inventory.py)."""

from __future__ import annotations

import argparse

from esgreport.commands.console import Progress, relative
from esgreport.commands.options import add_year
from esgreport.project import Project

NAME = "emissions"
HELP = "the emission inventory, traced: activity × factor for every source and year, totals, targets"
FAILURE = "check found"
EXAMPLE = "python build.py emissions --year 2025"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_year(parser)


def run(args: argparse.Namespace, project: Project, progress: Progress) -> int:
    from esgreport.errors import problem_at
    from esgreport.prepare.inventory import INVENTORY_FILE
    from esgreport.prepare.report import prepare

    report = prepare(project.content, args.year)
    if report.inventory is None:
        raise problem_at(report.folder / INVENTORY_FILE, f"the {report.year} report has no emission inventory",
                         "create inventory.yaml in the report's folder (README.md, The emission inventory)")
    print(trace(report, relative(report.folder / INVENTORY_FILE, project.root)))
    return 0


def _n(value, places: int = 2) -> str:
    from esgreport.typography.formatting import format_number
    return format_number(value, places, "en")


TOTAL_NAMES = {"scope1": "Scope 1", "scope2_location": "Scope 2, location-based",
               "scope2_market": "Scope 2, market-based", "scope3": "Scope 3"}


def _total_name(key: str, entities) -> str:
    from esgreport.model.inventory import SCOPE3_CATEGORIES
    parts = key.split(":")
    if parts[0] == "category":
        return f"Scope 3 category {parts[1]} ({SCOPE3_CATEGORIES[int(parts[1])]['en']})"
    if parts[0] == "entity":
        return f"{entities[parts[1]].get('en', parts[1])}: {TOTAL_NAMES[parts[2]]}"
    return TOTAL_NAMES[key]


def trace(report, where: str) -> str:
    result = report.inventory
    inv = result.inventory
    entities = ", ".join(f"{key} ({name.get('en', key)})" for key, name in inv.entities.items())
    out = [f"Emission inventory of the {report.year} report ({where})",
           f"entities: {entities}; consolidation approach: {inv.approach or 'not stated'}; "
           f"GWP set: {inv.gwp or 'none (CO2 only)'}"]
    years = sorted({line.year for line in result.lines} | {y for t in result.totals.values() for y in t})
    used = {}

    def unit(key: str) -> str:
        return report.units[key].label("en") if key in report.units else key

    for year in years:
        out += ["", str(year)]
        for line in (ln for ln in result.lines if ln.year == year):
            f = line.factor
            used[f.key] = f
            text = (f"  {line.source.id} (Scope {line.source.scope}"
                    + (f", category {line.source.category}" if line.source.category else "")
                    + f", {line.source.entity}): {line.source.activity} {_n(line.activity)} {unit(f.per)} × {f.value} "
                    f"{f.emits}/{unit(f.per)} [{f.key}{', the latest the library has' if line.older_factor else ''}] "
                    f"= {_n(line.emissions)} tCO2e")
            if line.market is not None and line.source.scope == 2:
                text += f"; market-based {_n(line.market)} tCO2e"
                if line.instruments:
                    text += f" ({_n(line.instruments)} {unit(f.per)} under contractual instruments)"
            out.append(text)
        for key, series in result.totals.items():
            if year in series:
                metric = result.published.get(key)
                shown = ""
                if metric is not None and metric in report.metrics:
                    value = report.metrics[metric].values.get(year)
                    computed = year in report.metrics[metric].derived
                    shown = f" → {metric}" + ("" if computed or value is None else f" (stated {_n(value)})")
                out.append(f"  {_total_name(key, inv.entities)}: {_n(series[year])} tCO2e{shown}")
    from esgreport.model.inventory import SCOPE3_CATEGORIES
    status = result.scope3_status()
    out += ["", "Scope 3: not assessed" if not status else "Scope 3, by category:"]
    for n, state in status.items():
        out.append(f"  {n:>2} {SCOPE3_CATEGORIES[n]['en']}: "
                   + ("reported" if state == "reported" else f"excluded — {state.get('en', '')}"))
    for t in result.targets:
        out += ["", f"target {t.target.id}: {t.target.title.get('en', '')} — {t.target.metric}, baseline "
                    f"{t.target.baseline}" + (f" {_n(t.baseline_value)}" if t.baseline_value is not None else "")
                + f", target {t.target.year}" + (f" {_n(t.target_value)}" if t.target_value is not None else "")]
        for row in t.years:
            out.append(f"  {row.year}: {_n(row.value)}, {_n(row.reduction, 1)}% below the baseline, "
                       f"{_n(row.progress, 1)}% of the way to the target")
    out += ["", "factors used:"]
    for key, f in sorted(used.items()):
        out.append(f"  {key}: {f.value} {f.emits}/{unit(f.per)} {f.gas}" + (f" ({f.gwp})" if f.gwp else "")
                   + f", {f.region.get('en', '')} — {f.publisher.get('en', '')}, {f.publication.get('en', '')}"
                   + (f", {f.published}" if f.published else "")
                   + (f" [not verified: {', '.join(f.unverified)}]" if f.unverified else ""))
    return "\n".join(out)
