"""Properties that hold for every input, checked by hypothesis: figures keep their value and precision
when formatted, and formulas compute what arithmetic says."""

from __future__ import annotations

import ast
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from esgreport.prepare.compute import evaluate, parse_formula
from esgreport.typography.formatting import format_number, round_half_up

figures = st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), allow_nan=False, allow_infinity=False,
                      places=6)


@settings(max_examples=300, deadline=None)
@given(value=figures, decimals=st.integers(0, 6), edition=st.sampled_from(["zh-hant", "en"]))
def test_a_formatted_figure_reads_back_as_the_rounded_value(value, decimals, edition):
    text = format_number(value, decimals, edition)
    number = text.replace(",", "")
    assert Decimal(number) == round_half_up(value, decimals)
    fraction = number.split(".")[1] if "." in number else ""
    assert len(fraction) == decimals                       # the stated precision is kept: 0.0810
    groups = text.lstrip("-").split(".")[0].split(",")
    assert all(len(g) == 3 for g in groups[1:]) and 1 <= len(groups[0]) <= 3


@settings(max_examples=300, deadline=None)
@given(value=figures, decimals=st.integers(0, 6))
def test_rounding_is_half_up_as_reports_round(value, decimals):
    rounded = round_half_up(value, decimals)
    step = Decimal(1).scaleb(-decimals)
    assert abs(value - rounded) <= step / 2
    if abs(value - rounded) == step / 2:                   # a tie goes away from zero
        assert abs(rounded) > abs(value)


NAMES = ["a.x", "b.y", "c.z"]


def expressions(depth: int = 3):
    leaves = st.one_of(st.sampled_from(NAMES), st.integers(0, 500).map(str))
    if depth == 0:
        return leaves
    sub = expressions(depth - 1)
    return st.one_of(leaves, st.tuples(sub, st.sampled_from("+-*/"), sub).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
                     sub.map(lambda e: f"prev({e})"), sub.map(lambda e: f"abs({e})"), sub.map(lambda e: f"-{e}"))


def reference(text: str, values: dict[str, dict[int, Decimal]], year: int):
    """What arithmetic says the formula is, with Python's own evaluation of the same expression."""
    def ev(node, y):
        if isinstance(node, ast.Expression):
            return ev(node.body, y)
        if isinstance(node, ast.Constant):
            return Decimal(node.value)
        if isinstance(node, ast.UnaryOp):
            v = ev(node.operand, y)
            return None if v is None else -v
        if isinstance(node, ast.Call):
            v = ev(node.args[0], y - 1 if node.func.id == "prev" else y)
            return None if v is None else (v if node.func.id == "prev" else abs(v))
        if isinstance(node, ast.BinOp):
            a, b = ev(node.left, y), ev(node.right, y)
            if a is None or b is None or (isinstance(node.op, ast.Div) and b == 0):
                return None
            return {ast.Add: a + b, ast.Sub: a - b, ast.Mult: a * b}.get(type(node.op)) if not isinstance(node.op, ast.Div) else a / b
        return values.get(ast.unparse(node), {}).get(y)
    return ev(ast.parse(text, mode="eval"), year)


@settings(max_examples=300, deadline=None)
@given(text=expressions(), values=st.fixed_dictionaries({
    name: st.dictionaries(st.integers(2022, 2024), st.integers(-1000, 1000).map(Decimal), max_size=3) for name in NAMES}))
def test_a_formula_computes_what_arithmetic_says(text, values):
    tree = parse_formula(text)
    for year in (2023, 2024):
        assert evaluate(tree, values, year) == reference(text, values, year)
