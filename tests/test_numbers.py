"""One strict door for figures: the number parser (esgreport/model/numbers.py), YAML read as YAML 1.2's
core schema says, units' ranges and likely scale slips. Each slip in a data file of the fixture report
is one problem at the line of the value, saying what to write."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from conftest import FIXTURE_YEAR, append, edit, line_of, problems_of
from hypothesis import given
from hypothesis import strategies as st

from esgreport.errors import Problems
from esgreport.model.inputs import MetricSpec, validate
from esgreport.model.load import parse_yaml
from esgreport.model.numbers import NOT_REPORTED, NumberError, SplitFigure, mend_split_figures, parse_number
from esgreport.pipeline import check, load

# --- the parser -------------------------------------------------------------------------------------


@pytest.mark.parametrize("raw, value", [
    ("2832", Decimal("2832")), ("2,832", Decimal("2832")), ("1,234,567.5", Decimal("1234567.5")),
    ("-2,832", Decimal("-2832")), ("0.5", Decimal("0.5")), (".5", Decimal("0.5")), ("0", Decimal(0)),
    (" 12.50 ", Decimal("12.50")), (2440, Decimal(2440)), (0.5703, Decimal("0.5703")),
    (Decimal("1.50"), Decimal("1.50")), ("n/a", NOT_REPORTED), ("N/A", NOT_REPORTED), (None, None), ("", None),
])
def test_a_figure_as_written_is_read(raw, value):
    assert parse_number(raw) == value and type(parse_number(raw)) is type(value)


@pytest.mark.parametrize("raw, message, hint", [
    ("2,5", "2,5 has a decimal comma", "write 2.5: decimals follow a full stop"),
    ("2,8320", "2,8320 has a decimal comma", "write 2.8320"),
    ("1,23,456", "1,23,456: a comma separates thousands, in groups of three digits", "write 123456 or 123,456"),
    ("1234,567", "a comma separates thousands, in groups of three digits", "write 1234567 or 1,234,567"),
    ("0123", "0123 starts with a zero", "write 123: a figure starts with 0 only before its decimal point"),
    ("00.5", "00.5 starts with a zero", "write 0.5"),
    ("22%", "22% has a percent sign", "write 22: percentages are written 0–100"),
    ("12 kg", "12 kg is not a number", "the unit comes from the metric's `unit:`"),
    ("2 832", "2 832 separates thousands with a space", "write 2832"),
    ("1:20", "1:20 is not a number", "n/a where the figure is not reported"),
    ("yes", "yes is not a figure", "n/a where the figure is not reported"),
    (True, "true is not a figure", "write a number"),
    ("1e5", "1e5 is written with an exponent", "write the figure out in full: 100000"),
    ("\u22125", "starts with a dash", "write -5"),
    (float("nan"), "nan is not a figure", "write a number"),
    (10 ** 15, "larger than any figure a report states", "is a scale"),
    (SplitFigure("6,890"), "a comma inside {…} splits 6,890 in two", 'write 6890, or quote it: "6,890"'),
])
def test_what_is_not_a_figure_is_refused_with_what_to_write(raw, message, hint):
    with pytest.raises(NumberError) as refused:
        parse_number(raw)
    assert message in refused.value.message and hint in refused.value.hint


@given(st.integers(min_value=-(10 ** 14), max_value=10 ** 14), st.one_of(st.none(), st.from_regex(r"[0-9]{1,6}", fullmatch=True)))
def test_correctly_grouped_numbers_parse_to_the_plain_value(whole, decimals):
    tail = f".{decimals}" if decimals is not None else ""
    sign = "-" if whole < 0 else ""
    plain = Decimal(f"{sign}{abs(whole)}{tail}")
    assert parse_number(f"{sign}{abs(whole):,}{tail}") == plain
    assert parse_number(f"{sign}{abs(whole)}{tail}") == plain


def test_a_flow_mapping_cut_at_its_commas_is_put_together_again():
    assert mend_split_figures({2024: 6, 890: None, 2025: 1, 234: None, 567: None, 2026: None}) == \
        {2024: "6,890", 2025: "1,234,567", 2026: None}
    assert mend_split_figures({2024: 6, 2025: None}) == {2024: 6, 2025: None}      # a year is no thousands group


# --- YAML 1.2 core schema ---------------------------------------------------------------------------

def test_yaml_reads_yes_and_no_as_text_and_no_octal_or_sexagesimal_numbers():
    doc = parse_yaml("a: yes\nb: no\nc: on\nd: off\ne: true\nf: False\ng: 0123\nh: 1:20\ni: 0.5\nj: 0\nk: 2023-01-01\n",
                     Path("x.yaml"))
    assert doc.data == {"a": "yes", "b": "no", "c": "on", "d": "off", "e": True, "f": False, "g": "0123",
                        "h": "1:20", "i": 0.5, "j": 0, "k": "2023-01-01"}
    assert doc.line_of(("h",)) == 8


# --- slips in a data file of the fixture report: one problem each, at the value's line ------------------

def data(project, name="people.yaml") -> Path:
    return project.content / str(FIXTURE_YEAR) / "data" / name


SESSIONS = "values: {2024: 18, 2025: 24}"


@pytest.mark.parametrize("written, message, hint", [
    ("024", "metrics.training.sessions.values.2025: 024 starts with a zero", "write 24"),
    ("1:20", "metrics.training.sessions.values.2025: 1:20 is not a number", "n/a where the figure is not reported"),
    ("yes", "metrics.training.sessions.values.2025: yes is not a figure", "n/a where the figure is not reported"),
    ("on", "metrics.training.sessions.values.2025: on is not a figure", "n/a where the figure is not reported"),
    ("24 sessions", "metrics.training.sessions.values.2025: 24 sessions is not a number",
     "the unit comes from the metric's `unit:`"),
    ("2,5", "metrics.training.sessions.values.2025: 2,5 has a decimal comma", "write 2.5"),
    ('"2,8320"', "metrics.training.sessions.values.2025: 2,8320 has a decimal comma", "write 2.8320"),
    ('"1,23,456"', "1,23,456: a comma separates thousands, in groups of three digits", "write 123456 or 123,456"),
])
def test_a_value_that_is_not_a_figure_is_one_problem_at_its_line(project, written, message, hint):
    edit(data(project), SESSIONS, f"values: {{2024: 18, 2025: {written}}}")
    (p,) = problems_of(lambda: check(project))
    assert (p.source.name, p.line) == ("people.yaml", line_of(data(project), "2025: " + written))
    assert message in p.message and hint in p.hint


def test_a_value_on_a_line_of_its_own_is_reported_at_that_line(project):
    edit(data(project), SESSIONS, "values:\n      2024: 18\n      2025: 2,5")
    (p,) = problems_of(lambda: check(project))
    assert p.line == line_of(data(project), "2025: 2,5") and p.message.endswith("2,5 has a decimal comma")


def test_a_thousands_comma_inside_braces_is_caught(project):
    """YAML reads {2024: 1240, 2025: 1,300} as {2024: 1240, 2025: 1, 300: null}."""
    edit(data(project), "values: {2024: 1240, 2025: 1300}", "values: {2024: 1240, 2025: 1,300}")
    (p,) = problems_of(lambda: check(project))
    assert p.line == line_of(data(project), "2025: 1,300")
    assert p.message == "metrics.workforce.male.values.2025: a comma inside {…} splits 1,300 in two"
    assert p.hint == 'write 1300, or quote it: "1,300"'


def test_grouped_thousands_quoted_or_on_their_own_line_are_the_plain_figure(project):
    edit(data(project), "values: {2024: 1240, 2025: 1300}", 'values: {2024: "1,240", 2025: 1300}')
    edit(data(project), "values: {2024: 2380, 2025: 2450}", "values:\n      2024: 2,380\n      2025: 2,450")
    report = load(project)
    assert report.metrics["workforce.male"].values[2024] == Decimal(1240)
    assert report.metrics["workforce.total"].values[2025] == Decimal(2450)


def test_a_key_of_values_that_is_not_a_year_is_one_problem(project):
    edit(data(project), SESSIONS, "values: {2024: 18, 25: 24}")
    (p,) = problems_of(lambda: check(project))
    assert p.line == line_of(data(project), "{2024: 18, 25: 24}") and p.message.endswith("25 is not a year")


def test_a_restated_value_split_by_a_comma_is_caught():
    text = ("label: {en: Employees}\nunit: person\nrestated:\n  2023:\n    {value: 2,832, reason: {en: Recounted}}\n")
    problems = Problems()
    assert validate(MetricSpec, parse_yaml(text, Path("people.yaml")), problems) is None
    (p,) = problems.items
    assert p.line == 5 and "splits 2,832 in two" in p.message


# --- ranges ---------------------------------------------------------------------------------------------

SHARE = """
  women.share:
    label: {{zh-hant: 女性員工佔比, en: Share of women}}
    unit: percent
    precision: {precision}
    values: {values}
"""


def add_share(project, values: str, precision: int = 0, extra: str = "") -> Path:
    path = data(project)
    edit(path, "\ntables:", SHARE.format(values=values, precision=precision) + extra + "\ntables:")
    return path


@pytest.mark.parametrize("value", ["750", "-75"])
def test_a_percentage_outside_0_to_100_is_one_problem_at_its_line(project, value):
    path = add_share(project, f"{{2024: 46, 2025: {value}}}")
    (p,) = problems_of(lambda: check(project))
    assert (p.source.name, p.line) == ("people.yaml", line_of(path, f"2025: {value}"))
    assert p.message == f"women.share 2025: {value} is outside the range of a percentage (0 to 100)"
    assert "percentages are written 0–100" in p.hint and "`min:` and `max:`" in p.hint


def test_a_metric_may_declare_its_own_range(project):
    add_share(project, "{2024: 46, 2025: -75}", extra="    min: -100     # a change: a fall is negative\n")
    check(project)
    edit(data(project), "2025: -75}", "2025: -175}")
    (p,) = problems_of(lambda: check(project))
    assert p.message == "women.share 2025: -175 is outside the metric's range (-100 to 100)"


def test_a_metric_may_take_its_units_bound_away(project):
    add_share(project, "{2024: 46, 2025: 250}", extra="    max: null     # a growth rate has no ceiling\n")
    check(project)


def test_a_negative_count_is_one_problem(project):
    edit(data(project), SESSIONS, "values: {2024: 18, 2025: -24}")
    (p,) = problems_of(lambda: check(project))
    assert p.line == line_of(data(project), "2025: -24")
    assert p.message == "training.sessions 2025: -24 is outside the range of a count (0 or more)"


def test_an_emission_factor_in_another_unit_is_caught(project):
    path = data(project, "environment.yaml")
    edit(path, "values: {2024: 0.5703, 2025: 0.5703}", "values: {2024: 0.5703, 2025: 570.3}")
    (p,) = problems_of(lambda: check(project))
    assert (p.source.name, p.line) == ("environment.yaml", line_of(path, "2025: 570.3"))
    assert p.message == "ghg.grid_factor 2025: 570.3 is outside the range of `tco2e_per_mwh` (0 to 2)"


def test_a_within_rule_holds_its_metrics_instead_of_their_units_range(project):
    """One range per figure: the rule's finding (which may be acknowledged), not the unit's problem too."""
    add_share(project, "{2024: 46, 2025: 123}")
    append(data(project), "  - {id: shares, within: [0, 100], metrics: [women.share]}\n")
    (p,) = problems_of(lambda: check(project))
    assert p.message == "women.share 2025 is 123, outside 0–100 (rule `shares`)"


# --- likely scale slips ----------------------------------------------------------------------------------

def test_a_fraction_among_percentages_is_a_likely_slip(project):
    path = add_share(project, "{2024: 46, 2025: 0.47}")
    (p,) = problems_of(lambda: check(project))
    assert (p.source.name, p.line) == ("people.yaml", line_of(path, "2025: 0.47"))
    assert p.message == ("women.share 2025: 0.47 looks like a share written as a fraction: the metric's other "
                         "years are 46")
    assert p.hint.startswith("percentages are written 0–100: write 47 for 47 %")
    assert 'finding: "scale:women.share:2025", found: "0.47", expected: "47"' in p.hint


def test_a_fraction_that_would_show_as_zero_percent_is_a_likely_slip(project):
    path = add_share(project, "{2025: 0.22}")
    (p,) = problems_of(lambda: check(project))
    assert p.line == line_of(path, "2025: 0.22")
    assert p.message == "women.share 2025: 0.22 would show as 0 % (precision 0): is it a share written as a fraction?"
    assert "write 22 for 22 %" in p.hint and "`precision: 2`" in p.hint


def test_a_small_percentage_shown_with_its_decimals_passes(project):
    add_share(project, "{2024: 1.4, 2025: 0.9}", precision=1)
    check(project)


def test_a_small_percentage_may_be_acknowledged(project):
    add_share(project, "{2024: 46, 2025: 0.47}", precision=2)
    append(data(project), '\nacknowledged:\n  - finding: "scale:women.share:2025"\n    found: "0.47"\n'
                          '    expected: "47"\n    reason: {zh-hant: 按已發佈數據, en: As published}\n')
    check(project)


# --- units ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("old, new, message, hint", [
    ("space: false,", "spce: false,", "unknown key `spce`", "did you mean `space`?"),
    ('zh-hant: "%"', 'zh-hnt: "%"', "unknown key `zh-hnt`", "did you mean `zh-hant`"),
    ("max: 100}", "max: 1OO}", "1OO is not a number", "write a number"),
])
def test_a_unit_takes_labels_by_edition_and_its_settings_only(project, old, new, message, hint):
    path = project.content / "units.yaml"
    edit(path, old, new)
    (p,) = problems_of(lambda: check(project))
    assert (p.source.name, p.line) == ("units.yaml", line_of(path, "percent:"))
    assert message in p.message and hint in p.hint
