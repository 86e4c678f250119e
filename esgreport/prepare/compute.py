"""Derived figures and the data's integrity: one number, everywhere, and consistent.

- A metric with a `formula` is computed for every year its inputs have values. Where the company
  states its own figure, the stated figure is kept and checked against the computation within the
  rounding of its precision; where it does not, the computed value is used. Where an input is still
  empty (a new year being filled in), the derived value is empty too.
- Rules beside the data: breakdowns add up to their totals, values stay within a range; counts are
  whole numbers (units marked `whole`). Every figure keeps to its unit's range (ranges.py).
- Every mismatch is a finding with a stable id. A finding that editors have reviewed is recorded
  under `acknowledged:` with the value found, the value expected and the reason; any change to the
  data makes the finding come back.

The functions here read values and return new ones; they change nothing they are given.
"""

from __future__ import annotations

import ast
import fnmatch
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from esgreport.errors import Problems
from esgreport.model.inputs import Acknowledgement, Localized, MetricSpec, Rule, Unit
from esgreport.model.report import Location
from esgreport.typography.formatting import round_half_up

FUNCTIONS = {"prev", "abs"}


@dataclass(frozen=True)
class Finding:
    id: str
    source: Path
    line: int | None
    message: str
    expected: str
    found: str
    hint: str = ""


class _Pending(Exception):
    """An input of a formula is still empty in the year asked for."""


# --- formulas --------------------------------------------------------------------------------

def _dotted(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return f"{base}.{node.attr}" if base else None
    return None


class FormulaError(ValueError):
    pass


MAX_FORMULA = 400     # characters: a formula combines a few metrics; a longer one is a mistake


def parse_formula(text: str) -> ast.Expression:
    if len(text) > MAX_FORMULA:
        raise FormulaError(f"formula `{text[:40]}…` is {len(text)} characters long (at most {MAX_FORMULA})")
    try:
        tree = ast.parse(text, mode="eval")
    except (SyntaxError, RecursionError, MemoryError):
        raise FormulaError(f"formula `{text}` cannot be read") from None
    for node in ast.walk(tree):
        if isinstance(node, (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Add, ast.Sub, ast.Mult, ast.Div,
                             ast.USub, ast.Load, ast.Name, ast.Attribute)):
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            continue
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in FUNCTIONS \
                and len(node.args) == 1 and not node.keywords:
            continue
        raise FormulaError(f"formula `{text}`: only metric ids, numbers, + - * / and prev(), abs() are allowed")
    return tree


def formula_inputs(tree: ast.Expression) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Name, ast.Attribute)):
            name = _dotted(node)
            if name and name not in FUNCTIONS and not any(name.startswith(f + ".") for f in FUNCTIONS):
                names.add(name)
    # keep only outermost dotted names (ghg.scope2, not ghg)
    return {n for n in names if not any(o != n and o.startswith(n + ".") for o in names)}


Values = Mapping[str, Mapping[int, "Decimal | None"]]


def evaluate(tree: ast.Expression, values: Values, year: int,
             pending: Mapping[str, frozenset[int] | set[int]] | None = None) -> Decimal | None:
    """The formula's value in `year`, or None where an input has no value that year.
    Raises _Pending where an input is still empty (to be filled in) that year."""
    pending = pending or {}

    def ev(node: ast.AST, y: int) -> Decimal | None:
        if isinstance(node, ast.Expression):
            return ev(node.body, y)
        if isinstance(node, ast.Constant):
            return Decimal(str(node.value))
        if isinstance(node, ast.UnaryOp):
            v = ev(node.operand, y)
            return None if v is None else -v
        if isinstance(node, ast.Call):
            if _dotted(node.func) == "prev":
                return ev(node.args[0], y - 1)
            v = ev(node.args[0], y)
            return None if v is None else abs(v)
        if isinstance(node, ast.BinOp):
            a, b = ev(node.left, y), ev(node.right, y)
            if a is None or b is None:
                return None
            if isinstance(node.op, ast.Add):
                return a + b
            if isinstance(node.op, ast.Sub):
                return a - b
            if isinstance(node.op, ast.Mult):
                return a * b
            return None if b == 0 else a / b
        name = _dotted(node) or ""
        if y in pending.get(name, ()):
            raise _Pending(name)
        return values.get(name, {}).get(y)

    return ev(tree, year)


# --- derived values ------------------------------------------------------------------------------------

def _fmt(value: Decimal, places: int) -> str:
    return str(round_half_up(value, places))


@dataclass
class Derived:
    """Every metric's values once the formulas are computed, the years each formula filled in, the
    years still empty, and findings where a stated figure disagrees with its formula."""

    values: dict[str, dict[int, Decimal | None]] = field(default_factory=dict)
    derived: dict[str, set[int]] = field(default_factory=dict)
    pending: dict[str, set[int]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    invalid: set[str] = field(default_factory=set)     # formulas over a malformed metric: not computed


def derive(specs: Mapping[str, MetricSpec], locations: Mapping[str, Location], values: Values,
           pending: Mapping[str, set[int]], problems: Problems, invalid: AbstractSet[str] = frozenset()) -> Derived:
    """Compute every formula, in dependency order, over `values` (stated figures of every year).
    A formula over a malformed metric (`invalid`, reported where it is defined) is left uncomputed
    and silent, and so is every formula over it."""
    out = Derived()
    trees: dict[str, ast.Expression] = {}
    for mid, spec in specs.items():
        if not spec.formula:
            continue
        where = locations[mid]
        try:
            tree = parse_formula(spec.formula)
        except FormulaError as exc:
            problems.add(where.path, where.line, str(exc), "write it like `ghg.scope2 / workforce.total`")
            continue
        inputs = formula_inputs(tree)
        if inputs & (set(invalid) | out.invalid):
            out.invalid.add(mid)
            continue
        unknown = sorted(n for n in inputs if n not in specs)
        if unknown:
            problems.add(where.path, where.line, f"formula of `{mid}` names unknown metric `{unknown[0]}`",
                         "correct the id or define the metric")
            continue
        trees[mid] = tree

    current = out.values
    current.update({m: dict(v) for m, v in values.items()})
    empty = out.pending
    empty.update({m: set(p) for m, p in pending.items()})
    for mid in _dependency_order(trees, locations, problems):
        spec, tree, where = specs[mid], trees[mid], locations[mid]
        inputs = formula_inputs(tree)
        if inputs & out.invalid:
            out.invalid.add(mid)
            continue
        known = {y for n in inputs for y in [*current.get(n, {}), *empty.get(n, ())]}
        stated = current.setdefault(mid, {})
        for year in sorted(known | {y + 1 for y in known}):
            try:
                computed = evaluate(tree, current, year, empty)
            except _Pending:
                if year not in stated:
                    empty.setdefault(mid, set()).add(year)
                continue
            if computed is None:
                continue
            if year in empty.get(mid, ()):       # stated as empty: the computation fills it in
                empty[mid].discard(year)
            if year not in stated:
                stated[year] = computed
                out.derived.setdefault(mid, set()).add(year)
                continue
            stated_value = stated[year]
            if stated_value is None:             # stated as not reported: keep it so
                continue
            places = spec.precision_for(year)
            tolerance = Decimal(5) * Decimal(10) ** (-places - 1)
            if abs(stated_value - computed) > tolerance + Decimal("1e-9"):
                out.findings.append(Finding(
                    id=f"formula:{mid}:{year}", source=where.path, line=where.line,
                    message=f"{mid} {year}: stated {_fmt(stated_value, places)}, but {spec.formula} gives "
                            f"{_fmt(computed, max(places, 2))}",
                    expected=_fmt(computed, places), found=_fmt(stated_value, places),
                    hint="correct the stated value, or acknowledge the published figure with a reason"))
    out.pending = {m: p for m, p in empty.items() if p}
    return out


def _dependency_order(trees: dict[str, ast.Expression], locations: Mapping[str, Location],
                      problems: Problems) -> list[str]:
    order: list[str] = []
    state: dict[str, int] = {}

    def visit(mid: str, chain: list[str]) -> None:
        if state.get(mid) == 2:
            return
        if state.get(mid) == 1:
            where = locations[mid]
            problems.add(where.path, where.line, f"formulas refer to each other in a circle: {' → '.join(chain + [mid])}",
                         "one of these metrics must be stated, not derived")
            return
        state[mid] = 1
        for dep in formula_inputs(trees[mid]):
            if dep in trees:
                visit(dep, chain + [mid])
        state[mid] = 2
        order.append(mid)

    for mid in trees:
        visit(mid, [])
    return [m for m in order if state.get(m) == 2]


# --- rules and counts ----------------------------------------------------------------------------------

def _expand(patterns: list[str], names) -> list[str]:
    out: list[str] = []
    for p in patterns:
        out.extend(sorted(m for m in names if fnmatch.fnmatchcase(m, p)) if any(c in p for c in "*?[") else [p])
    return out


def rule_skipped(rule: Rule, invalid: AbstractSet[str]) -> bool:
    """A rule over a malformed metric (reported where it is defined) is not checked."""
    named = [rule.equals] if isinstance(rule.equals, str) else list(rule.equals or [])
    return bool((set(rule.sum or []) | set(named) | set(rule.metrics)) & set(invalid))


def rule_findings(rule: Rule, where: Location, specs: Mapping[str, MetricSpec], values: Values,
                  pending: Mapping[str, set[int]], problems: Problems, invalid: AbstractSet[str] = frozenset()
                  ) -> list[Finding]:
    """The rule's findings; none when the rule is skipped (`rule_skipped`)."""
    path, line = where.path, where.line
    if rule_skipped(rule, invalid):
        return []
    findings: list[Finding] = []
    if rule.sum is not None:
        equals = [rule.equals] if isinstance(rule.equals, str) else list(rule.equals or [])
        parts, totals = _expand(rule.sum, specs), _expand(equals, specs)
        unknown = [m for m in parts + totals if m not in specs]
        if unknown:
            problems.add(path, line, f"rule `{rule.id}` names unknown metric `{unknown[0]}`",
                         "correct the id or define the metric")
            return findings
        unmatched = [p for p in rule.sum + equals if not _expand([p], specs)]
        if unmatched:
            problems.add(path, line, f"rule `{rule.id}`: no metric matches `{unmatched[0]}`",
                         "correct the pattern, or define the metrics it stands for")
            return findings
        if not parts or not totals:
            problems.add(path, line, f"rule `{rule.id}`: `{'sum' if not parts else 'equals'}:` names no metric",
                         "name the metrics that add up (`sum: [a, b]`) and their total (`equals: total`)")
            return findings
        units = {specs[m].unit for m in parts + totals}
        if len(units) > 1:
            findings.append(Finding(f"units:{rule.id}", path, line,
                                    f"rule `{rule.id}` adds up metrics in different units ({', '.join(sorted(units))})",
                                    expected="one unit", found=", ".join(sorted(units)),
                                    hint="a breakdown and its total must share a unit"))
            return findings
        names = parts + totals
        years = sorted({y for m in names for y, v in values.get(m, {}).items() if v is not None})
        for year in years:
            if any(year in pending.get(m, ()) for m in names):
                continue                          # still being filled in
            part_values = [values.get(m, {}).get(year) for m in parts]
            total_values = [values.get(m, {}).get(year) for m in totals]
            if any(v is None for v in part_values + total_values):
                have = [m for m, v in zip(names, part_values + total_values) if v is not None]
                lack = [m for m, v in zip(names, part_values + total_values) if v is None]
                findings.append(Finding(f"sum:{rule.id}:{year}", path, line,
                                        f"rule `{rule.id}` {year}: {', '.join(lack)} missing while "
                                        f"{', '.join(have)} {'has' if len(have) == 1 else 'have'} a value",
                                        expected="every year for every part", found=f"missing {', '.join(lack)}",
                                        hint="add the missing values (n/a where not reported)"))
                continue
            places = max(specs[m].precision_for(year) for m in names)
            left = sum((v for v in part_values if v is not None), Decimal(0))
            right = sum((v for v in total_values if v is not None), Decimal(0))
            if abs(left - right) > Decimal("1e-9"):
                findings.append(Finding(
                    f"sum:{rule.id}:{year}", path, line,
                    f"rule `{rule.id}` {year}: {' + '.join(parts)} = {_fmt(left, places)}, "
                    f"but {' + '.join(totals)} = {_fmt(right, places)}",
                    expected=_fmt(right, places), found=_fmt(left, places),
                    hint="correct the breakdown or the total, or acknowledge the published figures with a reason"))
    if rule.within is not None:
        low, high = rule.within
        names = _expand(rule.metrics, specs)
        unknown = [m for m in names if m not in specs]
        if unknown:
            problems.add(path, line, f"rule `{rule.id}` names unknown metric `{unknown[0]}`",
                         "correct the id or define the metric")
            return findings
        for m in names:
            for year, value in values.get(m, {}).items():
                if value is not None and not low <= value <= high:
                    findings.append(Finding(f"within:{rule.id}:{m}:{year}", path, line,
                                            f"{m} {year} is {value}, outside {low}–{high} (rule `{rule.id}`)",
                                            expected=f"{low}–{high}", found=str(value),
                                            hint="correct the value, or acknowledge the published figure with a reason"))
    return findings


def count_findings(specs: Mapping[str, MetricSpec], locations: Mapping[str, Location], values: Values,
                   units: Mapping[str, Unit]) -> list[Finding]:
    """Counts (units marked `whole`) are whole numbers. (That none is negative is the range of its unit,
    `min: 0`, ranges.py.)"""
    findings = []
    for mid, spec in specs.items():
        unit = units.get(spec.unit)
        if unit is None or not unit.whole:
            continue
        where = locations[mid]
        for year, value in values.get(mid, {}).items():
            if value is not None and value != value.to_integral_value():
                findings.append(Finding(f"whole:{mid}:{year}", where.path, where.line,
                                        f"{mid} {year}: {value} {spec.unit} is not a whole number",
                                        expected="a whole number", found=str(value),
                                        hint="a count cannot have decimals: correct the value or the unit"))
    return findings


def acknowledge(findings: list[Finding], own: list[tuple[Acknowledgement, Location]],
                inherited: Sequence[tuple[Acknowledgement, Location]] = (), unchecked: AbstractSet[str] = frozenset()
                ) -> list[Finding]:
    """The findings no acknowledgement matches, and the report's own acknowledgements that match
    nothing any more (stale). Acknowledgements of earlier reports cover the comparatives they published.
    An acknowledgement about a metric or rule in `unchecked` (its check could not run because a metric
    is malformed, reported where it is defined) is neither used nor stale: the malformed metric is the
    one problem."""
    acks = [(a, w, True) for a, w in own] + [(a, w, False) for a, w in inherited]
    remaining = []
    used: set[int] = set()
    for f in findings:
        match = next((i for i, (a, _, _) in enumerate(acks)
                      if a.finding == f.id and a.found == f.found and a.expected == f.expected), None)
        if match is None:
            remaining.append(f)
        else:
            used.add(match)
    for i, (ack, where, is_own) in enumerate(acks):
        subject = ack.finding.split(":")[1] if ack.finding.count(":") else ""   # kind:subject:…
        if i in used or not is_own or subject in unchecked:
            continue
        current = next((f for f in findings if f.id == ack.finding), None)
        if current is None:
            message = f"acknowledged finding `{ack.finding}` no longer occurs"
            hint = "the data was corrected: remove the acknowledgement"
        else:
            message = (f"acknowledgement of `{ack.finding}` is for found {ack.found} / expected "
                       f"{ack.expected}, but now found {current.found} / expected {current.expected}")
            hint = "the data changed: review the finding again and update or remove the acknowledgement"
        remaining.append(Finding(f"stale:{ack.finding}", where.path, where.line, message, "", "", hint))
    return remaining


def acknowledged_figures(acks: Sequence[tuple[Acknowledgement, Location]], rules: Sequence[tuple[Rule, Location]],
                         metrics: Sequence[str]) -> dict[str, dict[int, list[Localized]]]:
    """The published figures each acknowledgement is about, metric → year → the reasons, for the notes
    the report prints beside them: a formula's, a range's or a whole number's finding names its metric
    and year; a sum's is about every metric of its rule in its year. A finding of no year (units) is
    about no one figure."""
    by_id = {rule.id: rule for rule, _ in rules}
    out: dict[str, dict[int, list[Localized]]] = {}
    for ack, _ in acks:
        kind, *subject = ack.finding.split(":")
        if not subject or not subject[-1].isdigit():
            continue
        year, named = int(subject[-1]), subject[:-1]
        if kind in ("formula", "whole", "scale") and len(named) == 1:
            about = named
        elif kind == "within" and len(named) == 2:
            about = named[1:]
        elif kind == "sum" and len(named) == 1 and named[0] in by_id:
            rule = by_id[named[0]]
            equals = [rule.equals] if isinstance(rule.equals, str) else list(rule.equals or [])
            about = _expand((rule.sum or []) + equals, metrics)
        else:
            continue
        for metric in about:
            reasons = out.setdefault(metric, {}).setdefault(year, [])
            if ack.reason not in reasons:
                reasons.append(ack.reason)
    return out
