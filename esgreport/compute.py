"""Compute derived metrics and check the data's integrity: one number, everywhere, and consistent.

- A metric with a `formula` is computed for every year its inputs have values. Where the company
  states its own figure, the stated figure is kept and checked against the computation within the
  rounding of its precision; where it does not, the computed value is used.
- Rules beside the data: breakdowns add up to their totals, values stay within a range; counts are
  whole numbers (units marked `whole`).
- Every mismatch is a finding with a stable id. A finding that editors have reviewed is recorded
  under `acknowledged:` with the value found, the value expected and the reason; any change to the
  data makes the finding come back.
"""

from __future__ import annotations

import ast
import fnmatch
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from .content import Report
from .errors import Problems
from .formatting import round_half_up
from .model import Acknowledgement, Metric, Rule

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


def parse_formula(text: str) -> ast.Expression:
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError:
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


def evaluate(tree: ast.Expression, metrics: dict[str, Metric], year: int) -> Decimal | None:
    """The formula's value in `year`, or None where an input has no value that year."""

    def ev(node: ast.AST, y: int) -> Decimal | None:
        if isinstance(node, ast.Expression):
            return ev(node.body, y)
        if isinstance(node, ast.Constant):
            return Decimal(str(node.value))
        if isinstance(node, ast.UnaryOp):
            v = ev(node.operand, y)
            return None if v is None else -v
        if isinstance(node, ast.Call):
            if node.func.id == "prev":
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
        name = _dotted(node)
        metric = metrics.get(name or "")
        return None if metric is None else metric.values.get(y)

    return ev(tree, year)


# --- the compute step ------------------------------------------------------------------------------

def _fmt(value: Decimal, places: int) -> str:
    return str(round_half_up(value, places))


def compute(report: Report, problems: Problems) -> list[Finding]:
    """Fill derived values into the report's metrics and return every integrity finding.

    Problems (a formula or rule naming an unknown metric) stop the build like any invalid input;
    findings are what a reviewer would query, and can be acknowledged.
    """
    metrics = report.metrics
    findings: list[Finding] = []

    # 1. formulas, in dependency order
    trees: dict[str, ast.Expression] = {}
    for mid, metric in metrics.items():
        if metric.formula:
            path, line = report.metric_lines[mid]
            try:
                tree = parse_formula(metric.formula)
            except FormulaError as exc:
                problems.add(path, line, str(exc), "write it like `ghg.scope2 / workforce.total`")
                continue
            unknown = sorted(n for n in formula_inputs(tree) if n not in metrics)
            if unknown:
                problems.add(path, line, f"formula of `{mid}` names unknown metric `{unknown[0]}`",
                             "correct the id or define the metric")
                continue
            trees[mid] = tree
    order = _dependency_order(trees, report, problems)
    for mid in order:
        metric, tree = metrics[mid], trees[mid]
        path, line = report.metric_lines[mid]
        years = sorted({y for n in formula_inputs(tree) for y in metrics[n].values} |
                       {y + 1 for n in formula_inputs(tree) for y in metrics[n].values})
        for year in years:
            computed = evaluate(tree, metrics, year)
            if computed is None:
                continue
            if year not in metric.values:      # not stated: the computed value is the figure
                metric.values[year] = computed
                continue
            if metric.values[year] is None:    # stated as not reported ("-"): keep it so
                continue
            stated = metric.values[year]
            places = metric.precision_for(year)
            tolerance = Decimal(5) * Decimal(10) ** (-places - 1)
            if abs(stated - computed) > tolerance + Decimal("1e-9"):
                findings.append(Finding(
                    id=f"formula:{mid}:{year}", source=path, line=line,
                    message=f"{mid} {year}: stated {_fmt(stated, places)}, but {metric.formula} gives "
                            f"{_fmt(computed, max(places, 2))}",
                    expected=_fmt(computed, places), found=_fmt(stated, places),
                    hint="correct the stated value, or acknowledge the published figure with a reason"))

    # 2. declared rules
    for doc, data in report.data_files:
        for i, rule in enumerate(data.checks):
            line = doc.line_of(("checks", i))
            findings.extend(_check_rule(rule, metrics, doc.path, line, problems))

    # 3. counts are whole numbers
    for mid, metric in metrics.items():
        unit = report.units.get(metric.unit)
        if unit is not None and unit.whole:
            for year, value in metric.values.items():
                if value is not None and value != value.to_integral_value():
                    path, line = report.metric_lines[mid]
                    findings.append(Finding(f"whole:{mid}:{year}", path, line,
                                            f"{mid} {year}: {value} {metric.unit} is not a whole number",
                                            expected="a whole number", found=str(value),
                                            hint="a count cannot have decimals: correct the value or the unit"))

    # 4. acknowledgements
    return _apply_acknowledgements(findings, report.data_files)


def _dependency_order(trees: dict[str, ast.Expression], report: Report, problems: Problems) -> list[str]:
    order: list[str] = []
    state: dict[str, int] = {}

    def visit(mid: str, chain: list[str]) -> None:
        if state.get(mid) == 2:
            return
        if state.get(mid) == 1:
            path, line = report.metric_lines[mid]
            problems.add(path, line, f"formulas refer to each other in a circle: {' → '.join(chain + [mid])}",
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
    return order


def _expand(patterns: list[str], metrics: dict[str, Metric]) -> list[str]:
    out: list[str] = []
    for p in patterns:
        out.extend(sorted(m for m in metrics if fnmatch.fnmatchcase(m, p)) if any(c in p for c in "*?[") else [p])
    return out


def _check_rule(rule: Rule, metrics: dict[str, Metric], path: Path, line: int | None,
                problems: Problems) -> list[Finding]:
    findings: list[Finding] = []
    if rule.sum is not None:
        parts = _expand(rule.sum, metrics)
        totals = _expand([rule.equals] if isinstance(rule.equals, str) else list(rule.equals or []), metrics)
        unknown = [m for m in parts + totals if m not in metrics]
        if unknown:
            problems.add(path, line, f"rule `{rule.id}` names unknown metric `{unknown[0]}`",
                         "correct the id or define the metric")
            return findings
        units = {metrics[m].unit for m in parts + totals}
        if len(units) > 1:
            findings.append(Finding(f"units:{rule.id}", path, line,
                                    f"rule `{rule.id}` adds up metrics in different units ({', '.join(sorted(units))})",
                                    expected="one unit", found=", ".join(sorted(units)),
                                    hint="a breakdown and its total must share a unit"))
            return findings
        years = sorted({y for m in parts + totals for y, v in metrics[m].values.items() if v is not None})
        for year in years:
            part_values = [metrics[m].values.get(year) for m in parts]
            total_values = [metrics[m].values.get(year) for m in totals]
            if any(v is None for v in part_values + total_values):
                have = [m for m, v in zip(parts + totals, part_values + total_values) if v is not None]
                lack = [m for m, v in zip(parts + totals, part_values + total_values) if v is None]
                findings.append(Finding(f"sum:{rule.id}:{year}", path, line,
                                        f"rule `{rule.id}` {year}: {', '.join(lack)} missing while "
                                        f"{', '.join(have)} {'has' if len(have) == 1 else 'have'} a value",
                                        expected="every year for every part", found=f"missing {', '.join(lack)}",
                                        hint="add the missing values (null where not reported)"))
                continue
            places = max(metrics[m].precision_for(year) for m in parts + totals)
            left, right = sum(part_values), sum(total_values)
            if abs(left - right) > Decimal("1e-9"):
                findings.append(Finding(
                    f"sum:{rule.id}:{year}", path, line,
                    f"rule `{rule.id}` {year}: {' + '.join(parts)} = {_fmt(left, places)}, "
                    f"but {' + '.join(totals)} = {_fmt(right, places)}",
                    expected=_fmt(right, places), found=_fmt(left, places),
                    hint="correct the breakdown or the total, or acknowledge the published figures with a reason"))
    if rule.within is not None:
        low, high = rule.within
        names = _expand(rule.metrics, metrics)
        unknown = [m for m in names if m not in metrics]
        if unknown:
            problems.add(path, line, f"rule `{rule.id}` names unknown metric `{unknown[0]}`",
                         "correct the id or define the metric")
            return findings
        for m in names:
            for year, value in metrics[m].values.items():
                if value is not None and not low <= value <= high:
                    findings.append(Finding(f"within:{rule.id}:{m}:{year}", path, line,
                                            f"{m} {year} is {value}, outside {low}–{high} (rule `{rule.id}`)",
                                            expected=f"{low}–{high}", found=str(value),
                                            hint="correct the value, or acknowledge the published figure with a reason"))
    return findings


def _apply_acknowledgements(findings: list[Finding], data_files: list[tuple]) -> list[Finding]:
    acks: list[tuple[Acknowledgement, Path, int | None]] = []
    for doc, data in data_files:
        for i, ack in enumerate(data.acknowledged):
            acks.append((ack, doc.path, doc.line_of(("acknowledged", i))))
    remaining = []
    used: set[int] = set()
    for f in findings:
        match = next((i for i, (a, _, _) in enumerate(acks)
                      if a.finding == f.id and a.found == f.found and a.expected == f.expected), None)
        if match is None:
            remaining.append(f)
        else:
            used.add(match)
    for i, (ack, path, line) in enumerate(acks):
        if i not in used:
            current = next((f for f in findings if f.id == ack.finding), None)
            if current is None:
                message = f"acknowledged finding `{ack.finding}` no longer occurs"
                hint = "the data was corrected: remove the acknowledgement"
            else:
                message = (f"acknowledgement of `{ack.finding}` is for found {ack.found} / expected "
                           f"{ack.expected}, but now found {current.found} / expected {current.expected}")
                hint = "the data changed: review the finding again and update or remove the acknowledgement"
            remaining.append(Finding(f"stale:{ack.finding}", path, line, message, "", "", hint))
    return remaining
