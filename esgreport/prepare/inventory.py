"""The emission inventory, computed: activity × factor, source by source and year by year.

- Each source's activity is a metric of the data (its values of every year, read where they were
  published, history.py); its factor comes from the library (content/factors/): the factor of that
  very year, or, where the library has none yet, the latest before it (said so in the trace). A
  factor named with a year (`id@2022`) is taken for every year; where the library has the year's own
  factor, that is a finding: a factor of the wrong year.
- Totals: Scope 1, Scope 2 location-based and market-based, Scope 3 and each of its categories, and
  each entity's. A total is computed for a year where every source it adds has a value that year;
  where one is still empty (a new year), the total is empty too. A scope without sources is zero;
  Scope 3 is computed only where the inventory has assessed it (its categories reported or excluded).
- The totals are published in metrics of the data (`publishes:`). Where the metric has no value of its
  own for a year, the inventory's value is used; where the report states one, it is checked: a
  published figure that disagrees with its own year's activity × that year's factor is a finding,
  comparatives included, acknowledged or corrected like any other (compute.py).
- Targets: the reduction against the baseline and the progress towards the target, year by year, from
  the target metric's values once the formulas are computed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from pathlib import Path

from esgreport.errors import Problems, ReportError, did_you_mean
from esgreport.model.inputs import Acknowledgement, MetricSpec, Unit, validate
from esgreport.model.inventory import (
    DEFAULT_METRICS,
    EMITS,
    FACTOR_REF,
    SCOPE3_CATEGORIES,
    TOTALS,
    Factor,
    FactorFile,
    Inventory,
    InventoryResult,
    Source,
    SourceLine,
    TargetResult,
    TargetYear,
)
from esgreport.model.load import YamlDoc, read_yaml
from esgreport.model.report import Location
from esgreport.prepare.compute import Finding
from esgreport.prepare.content import report_folders
from esgreport.typography.formatting import round_half_up

INVENTORY_FILE = "inventory.yaml"
FACTORS_FOLDER = "factors"
EMISSIONS_UNIT = "tco2e"

Values = dict[str, dict[int, Decimal | None]]


@dataclass
class Climate:
    """The data's values with the inventory's results put in, and what the inventory found."""

    values: Values
    pending: dict[str, set[int]]
    computed: dict[str, set[int]] = field(default_factory=dict)     # metric → years the inventory filled in
    findings: list[Finding] = field(default_factory=list)
    acknowledged: list[tuple[Acknowledgement, Location]] = field(default_factory=list)
    # Those of the earlier reports' inventories: they cover the comparatives those reports published.
    inherited: list[tuple[Acknowledgement, Location]] = field(default_factory=list)
    over_covered: set[tuple[str, int]] = field(default_factory=set)   # (source, year): more instruments than use
    # Metrics a total could not be computed into for a mistake reported elsewhere: formulas and rules
    # over them are left out, so that the mistake is one problem.
    failed: set[str] = field(default_factory=set)
    result: InventoryResult | None = None
    doc: YamlDoc | None = None


# --- reading ----------------------------------------------------------------------------------

def read_factors(content_root: Path, units: Mapping[str, Unit], problems: Problems,
                 malformed: set[str] | None = None) -> dict[str, tuple[Factor, Location]]:
    """The library: every factor of content/factors/*.yaml by `id@year`, each validated on its own. The
    ids of factors that do not validate (reported at their line) go into `malformed`."""
    out: dict[str, tuple[Factor, Location]] = {}
    malformed = set() if malformed is None else malformed
    for path in sorted((content_root / FACTORS_FOLDER).glob("*.yaml")):
        try:
            doc = read_yaml(path, content_root)
        except ReportError as exc:
            problems.extend(exc.problems)
            continue
        if doc.data is None:
            continue
        if not isinstance(doc.data, dict) or not isinstance(doc.data.get("factors", []), list):
            problems.add(path, 1, "a factor file holds `factors:`, a list of factors",
                         "see README.md, Emission factors")
            continue
        validate(FactorFile, doc, problems, data={k: v for k, v in doc.data.items() if k != "factors"})
        for i, raw in enumerate(doc.data.get("factors") or []):
            factor = validate(Factor, doc, problems, prefix=("factors", i), data=raw)
            if factor is None:
                if isinstance(raw, dict) and isinstance(raw.get("id"), str):
                    malformed.add(raw["id"])
                continue
            where = Location(path, doc.line_of(("factors", i)))
            if factor.per not in units:
                problems.add(path, doc.line_of(("factors", i, "per")), f"factor `{factor.key}` is per unknown unit "
                             f"`{factor.per}`", did_you_mean(factor.per, units, "use a key of content/units.yaml"))
                malformed.add(factor.id)
                continue
            if factor.key in out:
                first = out[factor.key][1]
                problems.add(path, where.line, f"factor `{factor.id}` of {factor.year} is in the library twice "
                             f"(also {first.path.name}:{first.line})", "keep one: a factor of a year is one value")
                continue
            out[factor.key] = (factor, where)
    return out


def read_inventory(folder: Path, content_root: Path, problems: Problems) -> tuple[Inventory, YamlDoc] | None:
    path = folder / INVENTORY_FILE
    if not path.is_file():
        return None
    doc = read_yaml(path, content_root)
    inventory = validate(Inventory, doc, problems)
    return None if inventory is None else (inventory, doc)


# --- computing --------------------------------------------------------------------------------

def apply_inventory(content_root: Path, folder: Path, specs: Mapping[str, MetricSpec], where: Mapping[str, Location],
                    units: Mapping[str, Unit], values: Values, pending: Mapping[str, set[int]],
                    problems: Problems, invalid: AbstractSet[str] = frozenset()) -> Climate:
    """The report's values with its inventory's totals put in (a report without inventory.yaml: as
    they are). The values given are not changed. `invalid`: metrics defined but malformed (reported where
    they are defined, not again by the sources that use them)."""
    climate = Climate({m: dict(v) for m, v in values.items()}, {m: set(p) for m, p in pending.items()})
    for year, earlier in report_folders(content_root).items():
        if year < int(folder.name) and (read := read_inventory(earlier, content_root, Problems())) is not None:
            climate.inherited += [(a, Location(read[1].path, read[1].line_of(("acknowledged", i))))
                                  for i, a in enumerate(read[0].acknowledged)]
    read = read_inventory(folder, content_root, problems)
    if read is None:
        return climate
    inventory, doc = read
    climate.doc = doc
    climate.acknowledged = [(a, Location(doc.path, doc.line_of(("acknowledged", i))))
                            for i, a in enumerate(inventory.acknowledged)]
    malformed: set[str] = set()
    library = read_factors(content_root, units, problems, malformed)
    factors = {key: f for key, (f, _) in library.items()}
    sources = _checked_sources(inventory, doc, specs, factors, problems, malformed | set(invalid))
    published = _published(inventory, doc, specs, problems)
    failed: set[tuple[str, int, bool]] = set()
    lines, missing = _lines(sources, factors, climate, doc, problems, failed)
    broken = [s for s in inventory.sources if s not in [good for _, good in sources]]
    totals, empty, failing = _totals(inventory, sources, lines, missing, climate.pending, broken, failed)
    climate.result = InventoryResult(inventory, tuple(lines), totals, published, factors=factors)
    for key, metric in published.items():
        made = lines_of(key, lines)
        market = key.endswith("scope2_market")
        _publish(metric, totals.get(key, {}), empty.get(key, set()), specs, where, climate,
                 partial(_trace, made, market=market), failing=failing.get(key, set()))
    return climate


def lines_of(key: str, lines: Iterable[SourceLine]) -> list[SourceLine]:
    """The source lines a total adds up."""
    return [line for line in lines if _adds(key, line.source)]


def _adds(key: str, source: Source) -> bool:
    parts = key.split(":")
    if parts[0] == "entity":
        return source.entity == parts[1] and _adds(parts[2], source)
    if parts[0] == "category":
        return source.scope == 3 and source.category == int(parts[1])
    return {"scope1": 1, "scope2_location": 2, "scope2_market": 2, "scope3": 3}[parts[0]] == source.scope


def _checked_sources(inventory: Inventory, doc: YamlDoc, specs: Mapping[str, MetricSpec],
                     factors: Mapping[str, Factor], problems: Problems, malformed: set[str]) -> list[tuple[int, Source]]:
    """The sources whose entity, activity and factors are known and agree in unit and GWP set, with
    their place in the file; each other is a problem at its line (one over a factor that does not
    validate, or over a malformed metric, is left out quietly: that is the problem, where it is defined)."""
    ids = {f.id for f in factors.values()}
    seen: set[str] = set()
    good = []
    for i, source in enumerate(inventory.sources):
        at = ("sources", i)

        def fail(key: str, message: str, hint: str, at: tuple = at, source: Source = source) -> None:
            problems.add(doc.path, doc.line_of(at + (key,)), f"source `{source.id}`: {message}", hint)

        if source.id in seen:
            fail("id", "is defined twice", "give every source its own id")
            continue
        seen.add(source.id)
        if source.entity not in inventory.entities:
            fail("entity", f"unknown entity `{source.entity}`",
                 did_you_mean(source.entity, inventory.entities, "name an entity of `entities:`"))
            continue
        activity = specs.get(source.activity)
        if activity is None and source.activity in malformed:
            continue                # a malformed metric: reported where it is defined
        if activity is None:
            fail("activity", f"unknown metric `{source.activity}`",
                 did_you_mean(source.activity, specs, "the activity is a metric of data/*.yaml (MWh, litres, kg …)"))
            continue
        if activity.formula:
            fail("activity", f"the activity `{source.activity}` is a derived metric",
                 "an activity is a stated figure (a meter reading, an invoice): name the metrics it is made of "
                 "as sources of their own")
            continue
        ok = True
        for key in ("factor", "residual", "instrument_factor"):
            ref = getattr(source, key)
            if ref is None:
                continue
            match = FACTOR_REF.match(ref)
            assert match is not None, "Source validates its factor references"
            fid, year = match.group("id"), match.group("year")
            if fid in malformed:
                ok = False
                continue
            if fid not in ids:
                fail(key, f"unknown factor `{fid}`", did_you_mean(fid, ids, "add it to content/factors/ "
                                                                        "(README.md, Emission factors)"))
                ok = False
                continue
            if year is not None and f"{fid}@{year}" not in factors:
                years = sorted(f.year for f in factors.values() if f.id == fid)
                fail(key, f"the library has no factor `{fid}` of {year}",
                     f"it has {', '.join(map(str, years))}; name one of them, or the id alone (each year's own)")
                ok = False
                continue
            sample = next(f for f in factors.values() if f.id == fid)
            if sample.per != activity.unit:
                fail(key, f"factor `{fid}` is per `{sample.per}`, but the activity `{source.activity}` is in "
                          f"`{activity.unit}`", "use a factor per the activity's unit, or the activity in the factor's")
                ok = False
            elif sample.gwp is not None and sample.gwp != inventory.gwp:
                fail(key, f"factor `{fid}` uses {sample.gwp} global-warming potentials, the inventory "
                          f"{inventory.gwp or 'none'}", f"one inventory uses one GWP set: set `gwp: {sample.gwp}` at "
                                                        "the top, or use factors of the inventory's set")
                ok = False
        if source.instruments is not None:
            covered = specs.get(source.instruments)
            if covered is None and source.instruments in malformed:
                ok = False          # a malformed metric: reported where it is defined
            elif covered is None:
                fail("instruments", f"unknown metric `{source.instruments}`",
                     did_you_mean(source.instruments, specs, "the electricity covered by certificates or contracts "
                                                              "is a metric of data/*.yaml"))
                ok = False
            elif covered.unit != activity.unit:
                fail("instruments", f"`{source.instruments}` is in `{covered.unit}`, the activity in `{activity.unit}`",
                     "give the electricity covered in the activity's unit")
                ok = False
        if ok:
            good.append((i, source))
    _check_scope3(inventory, doc, problems)
    return good


def _check_scope3(inventory: Inventory, doc: YamlDoc, problems: Problems) -> None:
    """Once Scope 3 is assessed, each of the fifteen categories is reported or excluded with a reason."""
    reported = {s.category for s in inventory.sources if s.scope == 3 and s.category is not None}
    excluded = inventory.scope3_excluded
    if excluded is None and not reported:
        return
    excluded = excluded or {}
    for n in sorted(set(reported) & set(excluded)):
        problems.add(doc.path, doc.line_of(("scope3_excluded", n)),
                     f"Scope 3 category {n} ({SCOPE3_CATEGORIES[n]['en']}) is reported by a source and excluded",
                     "remove the exclusion, or the source")
    missing = [n for n in SCOPE3_CATEGORIES if n not in reported and n not in excluded]
    if missing:
        names = ", ".join(f"{n} ({SCOPE3_CATEGORIES[n]['en']})" for n in missing)
        problems.add(doc.path, doc.line_of(("scope3_excluded",)) or doc.line_of(("sources",)),
                     f"Scope 3 categor{'ies' if len(missing) > 1 else 'y'} {names} "
                     f"{'are' if len(missing) > 1 else 'is'} neither reported nor excluded",
                     "report each category with a source (`scope: 3`, `category: N`), or exclude it under "
                     "`scope3_excluded:` with the reason in every language")


def _published(inventory: Inventory, doc: YamlDoc, specs: Mapping[str, MetricSpec], problems: Problems) -> dict[str, str]:
    """Total key → the metric it is published in: those named under `publishes:` (each must be a metric
    in tCO2e), and the usual names the data defines."""
    out: dict[str, str] = {}
    named: list[tuple[str, str, tuple]] = []
    pub = inventory.publishes
    for key in TOTALS:
        metric = getattr(pub, key)
        if metric is not None:
            named.append((key, metric, ("publishes", key)))
        elif DEFAULT_METRICS[key] in specs:
            out[key] = DEFAULT_METRICS[key]
    reported = {s.category for s in inventory.sources if s.scope == 3}
    for n, metric in pub.categories.items():
        if n not in reported:
            problems.add(doc.path, doc.line_of(("publishes", "categories", n)),
                         f"Scope 3 category {n} is published in `{metric}`, but no source reports it",
                         "add a source of the category, or remove the line")
            continue
        named.append((f"category:{n}", metric, ("publishes", "categories", n)))
    for entity, totals in pub.entities.items():
        if entity not in inventory.entities:
            problems.add(doc.path, doc.line_of(("publishes", "entities", entity)), f"unknown entity `{entity}`",
                         did_you_mean(entity, inventory.entities, "name an entity of `entities:`"))
            continue
        for key in TOTALS:
            metric = getattr(totals, key)
            if metric is not None:
                named.append((f"entity:{entity}:{key}", metric, ("publishes", "entities", entity, key)))
    for key, metric, at in named:
        spec = specs.get(metric)
        if spec is None:
            problems.add(doc.path, doc.line_of(at), f"the inventory publishes {key.replace(':', ' ')} in `{metric}`, "
                         "which no data file defines", did_you_mean(metric, specs, f"define `{metric}` in data/*.yaml "
                                                                                   "(label, unit: tco2e, precision)"))
            continue
        if spec.unit != EMISSIONS_UNIT:
            problems.add(doc.path, doc.line_of(at), f"`{metric}` is in `{spec.unit}`; the inventory computes "
                         f"{EMISSIONS_UNIT}", f"give `{metric}` the unit {EMISSIONS_UNIT}")
            continue
        out[key] = metric
    return out


def _factor_for(ref: str, year: int, factors: Mapping[str, Factor]) -> tuple[Factor | None, bool]:
    """The factor a reference takes for `year`, and whether it is of an earlier year than `year` (the
    latest the library has). A reference with a year takes that year's."""
    match = FACTOR_REF.match(ref)
    assert match is not None, "Source validates its factor references"
    fid, pinned = match.group("id"), match.group("year")
    if pinned is not None:
        return factors.get(f"{fid}@{pinned}"), False
    own = factors.get(f"{fid}@{year}")
    if own is not None:
        return own, False
    earlier = [f for f in factors.values() if f.id == fid and f.year < year]
    return (max(earlier, key=lambda f: f.year), True) if earlier else (None, False)


def _lines(sources: list[tuple[int, Source]], factors: Mapping[str, Factor], climate: Climate, doc: YamlDoc,
           problems: Problems, failed: set[tuple[str, int, bool]]) -> tuple[list[SourceLine], dict[str, set[int]]]:
    """Every source's line for every year its activity has a value; and, by source, the years it is still
    empty (pending) or not reported (n/a), which leave the totals over it uncomputed. A year that cannot
    be computed for a mistake (reported) goes into `failed` as (source, year, market-based only)."""
    lines: list[SourceLine] = []
    missing: dict[str, set[int]] = {}
    for i, source in sources:
        activity = climate.values.get(source.activity, {})
        years = set(activity) | climate.pending.get(source.activity, set())
        no_factor: list[int] = []
        for year in sorted(years):
            amount = activity.get(year)
            if amount is None or year in climate.pending.get(source.activity, set()):
                missing.setdefault(source.id, set()).add(year)
                continue
            factor, older = _factor_for(source.factor, year, factors)
            if factor is None:
                no_factor.append(year)
                missing.setdefault(source.id, set()).add(year)
                failed.add((source.id, year, False))
                continue
            _wrong_year(source, i, year, factor, factors, doc, climate)
            emissions = amount * factor.value * EMITS[factor.emits]
            market = covered = None
            if source.scope == 2:
                market, covered = _market(source, year, amount, factor, factors, climate, doc, i, problems)
                if market is None and (source.id, year) in climate.over_covered:
                    failed.add((source.id, year, True))
            lines.append(SourceLine(source, year, amount, factor, emissions, market, covered, older))
        if no_factor:
            fid = source.factor.split("@")[0]
            problems.add(doc.path, doc.line_of(("sources", i, "factor")),
                         f"source `{source.id}`: the library has no factor `{fid}` for "
                         f"{', '.join(map(str, no_factor))} or any year before",
                         f"add the factor of {no_factor[0]} to content/factors/ (README.md, Emission factors)")
    return lines, missing


def _wrong_year(source: Source, i: int, year: int, factor: Factor, factors: Mapping[str, Factor], doc: YamlDoc,
                climate: Climate) -> None:
    """A factor taken from another year while the library has the year's own is a finding."""
    if factor.year == year or f"{factor.id}@{year}" not in factors:
        return
    climate.findings.append(Finding(
        f"factor-year:{source.id}:{year}", doc.path, doc.line_of(("sources", i, "factor")),
        f"source `{source.id}` {year}: computed with `{factor.key}`, the factor of {factor.year}, but the library "
        f"has `{factor.id}` of {year}", expected=f"{factor.id}@{year}", found=factor.key,
        hint="name the factor without a year so that each year takes its own, or acknowledge the choice with a "
             "reason under `acknowledged:` in inventory.yaml"))


def _market(source: Source, year: int, amount: Decimal, location: Factor, factors: Mapping[str, Factor],
            climate: Climate, doc: YamlDoc, i: int, problems: Problems) -> tuple[Decimal | None, Decimal | None]:
    """Scope 2 market-based: the electricity covered by contractual instruments at their factor (zero
    for certificates of renewable electricity), the rest at the residual mix (else the location factor)."""
    covered = Decimal(0)
    if source.instruments is not None:
        value = climate.values.get(source.instruments, {}).get(year)
        if year in climate.pending.get(source.instruments, set()) or value is None:
            return None, None
        if value > amount:
            climate.over_covered.add((source.id, year))
            problems.add(doc.path, doc.line_of(("sources", i, "instruments")),
                         f"source `{source.id}` {year}: {value} covered by instruments, more than the {amount} used",
                         f"correct `{source.instruments}` or `{source.activity}`")
            return None, None
        covered = value
    residual = location
    if source.residual is not None:
        found, _ = _factor_for(source.residual, year, factors)
        if found is None:
            return None, None
        residual = found
    instrument = Decimal(0)
    if source.instrument_factor is not None:
        found, _ = _factor_for(source.instrument_factor, year, factors)
        if found is None:
            return None, None
        instrument = found.value * EMITS[found.emits]
    return (amount - covered) * residual.value * EMITS[residual.emits] + covered * instrument, covered


def _totals(inventory: Inventory, sources: list[tuple[int, Source]], lines: list[SourceLine],
            missing: dict[str, set[int]], pending: Mapping[str, set[int]], broken: list[Source],
            failed: set[tuple[str, int, bool]]
            ) -> tuple[dict[str, dict[int, Decimal]], dict[str, set[int]], dict[str, set[int]]]:
    """Every total by year, where every source it adds has a value; the years a total is still empty; and
    the years it cannot be computed for a mistake already reported (a wrong source, a missing factor)."""
    years = {line.year for line in lines} | {y for ys in missing.values() for y in ys}
    keys = [*TOTALS]
    keys += [f"category:{n}" for n in sorted({s.category for s in inventory.sources if s.scope == 3 and s.category})]
    keys += [f"entity:{e}:{k}" for e in inventory.entities for k in TOTALS]
    scope3_assessed = inventory.scope3_excluded is not None or any(s.scope == 3 for _, s in sources)
    totals: dict[str, dict[int, Decimal]] = {}
    empty: dict[str, set[int]] = {}
    failing: dict[str, set[int]] = {}
    for key in keys:
        if key.endswith("scope3") and not scope3_assessed:
            continue
        if any(_adds(key, s) for s in broken):
            failing[key] = set(years)
            continue
        adds = [s for _, s in sources if _adds(key, s)]
        for year in sorted(years):
            if any((s.id, year, False) in failed or (key.endswith("scope2_market") and (s.id, year, True) in failed)
                   for s in adds):
                failing.setdefault(key, set()).add(year)
                continue
            if any(year in missing.get(s.id, ()) for s in adds):
                if any(year in pending.get(s.activity, ()) or (s.instruments and year in pending.get(s.instruments, ()))
                       for s in adds):
                    empty.setdefault(key, set()).add(year)
                continue
            found = [line for line in lines if line.year == year and line.source in adds]
            if len(found) < len(adds):
                continue                     # a source with no value that year (another's first year)
            parts = [line.market if key.endswith("scope2_market") else line.emissions for line in found]
            if any(p is None for p in parts):
                continue
            totals.setdefault(key, {})[year] = sum((p for p in parts if p is not None), Decimal(0))
    return totals, empty, failing


def _tolerance(places: int) -> Decimal:
    return Decimal(5) * Decimal(10) ** (-places - 1) + Decimal("1e-9")


def _trace(lines: list[SourceLine], year: int, market: bool = False) -> str:
    """How a total of `year` was made, for a message: activity × factor, source by source."""
    parts = []
    for line in [ln for ln in lines if ln.year == year][:3]:
        parts.append(f"{line.source.activity} {line.activity} {line.factor.per} × {line.factor.value} "
                     f"{line.factor.emits}/{line.factor.per} `{line.factor.key}`"
                     + (" less contractual instruments" if market and line.instruments else ""))
    more = len([ln for ln in lines if ln.year == year]) - len(parts)
    return " + ".join(parts) + (f" + {more} more" if more > 0 else "")


def _publish(metric: str, totals: Mapping[int, Decimal], empty: set[int], specs: Mapping[str, MetricSpec],
             where: Mapping[str, Location], climate: Climate, trace: Callable[[int], str] = lambda year: "",
             what: str = "the inventory", failing: AbstractSet[int] = frozenset()) -> None:
    """Put a computed series into a metric: where it states nothing (or is empty), the computed value;
    where it states a figure, a finding if the two disagree. A year `failing` for a mistake reported
    elsewhere is left without a value (not reported), so that nothing over it is reported again."""
    spec, at = specs[metric], where[metric]
    values = climate.values.setdefault(metric, {})
    waiting = climate.pending.setdefault(metric, set())
    for year in failing:
        climate.failed.add(metric)
        if year not in values or year in waiting:
            waiting.discard(year)
            values[year] = None
    for year in sorted(empty):
        if year not in values:
            waiting.add(year)
    for year, computed in sorted(totals.items()):
        if year in waiting or year not in values:
            waiting.discard(year)
            values[year] = computed
            climate.computed.setdefault(metric, set()).add(year)
            continue
        stated = values[year]
        if stated is None:
            continue
        places = spec.precision_for(year)
        if abs(stated - computed) > _tolerance(places):
            how = trace(year)
            climate.findings.append(Finding(
                f"inventory:{metric}:{year}", at.path, at.line,
                f"{metric} {year}: stated {round_half_up(stated, places)}, but {what} gives "
                f"{round_half_up(computed, max(places, 2))}" + (f" ({how})" if how else ""),
                expected=str(round_half_up(computed, places)), found=str(round_half_up(stated, places)),
                hint="correct the stated figure or the activity data, or acknowledge the published figure with a reason"))


# --- targets ------------------------------------------------------------------------------------

def apply_targets(climate: Climate, specs: Mapping[str, MetricSpec], where: Mapping[str, Location],
                  values: Values, pending: dict[str, set[int]], problems: Problems,
                  invalid: AbstractSet[str] = frozenset()) -> set[str]:
    """Each target's reduction and progress, year by year, from the target metric's `values` (formulas
    computed); published into `values` (and out of `pending`) where the target names metrics for them.
    Returns the metrics of targets that cannot be computed (their mistake is reported once): left out."""
    left_out: set[str] = set()
    if climate.result is None or climate.doc is None or not climate.result.inventory.targets:
        return left_out
    doc = climate.doc
    results = []
    for i, target in enumerate(climate.result.inventory.targets):
        at = ("targets", i)
        if target.metric not in specs:
            problems.add(doc.path, doc.line_of(at + ("metric",)), f"target `{target.id}`: unknown metric "
                         f"`{target.metric}`", did_you_mean(target.metric, specs, "name a metric of data/*.yaml"))
            continue
        series = values.get(target.metric, {})
        base = series.get(target.baseline)
        published = {m for m in target.publishes.model_dump().values() if m}
        if target.metric in invalid or target.metric in climate.failed:
            left_out |= published        # its mistake is reported where it is
            continue
        if base is None:
            if target.baseline not in series and target.baseline not in pending.get(target.metric, set()):
                problems.add(doc.path, doc.line_of(at + ("baseline",)),
                             f"target `{target.id}`: `{target.metric}` has no value for the baseline year {target.baseline}",
                             "give the metric its baseline year's value, or correct the baseline")
                left_out |= published
            results.append(_target_result(target, None, None, []))
            continue
        goal = target.value if target.value is not None else base * (1 - (target.reduction or Decimal(0)) / 100)
        if goal >= base:
            problems.add(doc.path, doc.line_of(at), f"target `{target.id}`: the target {goal} is not below the "
                         f"baseline {base}", "a reduction target lies below its baseline")
            left_out |= published
            continue
        rows = [TargetYear(year, value, (base - value) / base * 100, (base - value) / (base - goal) * 100)
                for year, value in sorted(series.items())
                if value is not None and target.baseline <= year <= target.year]
        results.append(_target_result(target, base, goal, rows))
        pub = target.publishes
        series_of = (("level", pub.level, {r.year: goal for r in rows}),
                     ("reduction", pub.reduction, {r.year: r.reduction for r in rows}),
                     ("progress", pub.progress, {r.year: r.progress for r in rows}))
        for key, metric, series_values in series_of:
            if metric is None:
                continue
            if metric not in specs:
                problems.add(doc.path, doc.line_of(at + ("publishes", key)), f"target `{target.id}` publishes its "
                             f"{key} in `{metric}`, which no data file defines",
                             did_you_mean(metric, specs, f"define `{metric}` in data/*.yaml (label, unit, precision)"))
                continue
            sub = Climate(values, pending)
            _publish(metric, series_values, set(), specs, where, sub,
                     what=f"target `{target.id}`")
            climate.findings.extend(sub.findings)
            for m, years in sub.computed.items():
                climate.computed.setdefault(m, set()).update(years)
    climate.result = InventoryResult(climate.result.inventory, climate.result.lines, climate.result.totals,
                                     climate.result.published, tuple(results), climate.result.factors)
    return left_out


def _target_result(target, base, goal, rows) -> TargetResult:
    return TargetResult(target, base, goal, tuple(rows))
