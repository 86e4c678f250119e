"""Loading and validating a report, item by item; every mistake named by file and line (fixture report)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import FIXTURE_YEAR, append, edit, line_of, problems_of

from esgreport.errors import Problems
from esgreport.pipeline import build, check, load
from esgreport.prepare.report import prepare


def folder(project):
    return project.content / str(FIXTURE_YEAR)


def test_the_report_loads_as_one_complete_model(project):
    report = load(project)
    assert report.year == FIXTURE_YEAR and report.editions == ["zh-hant", "en"]
    assert [s.id for s in report.sections()][:3] == ["about-this-report", "environment", "emissions"]
    assert report.section("workforce").number == "2.1"
    assert report.metrics["workforce.total"].values[2025] == Decimal("2450")
    # derived figures are computed once, in the model: 1,000 MWh × 0.5703 = 570.30 t
    scope2 = report.metrics["ghg.scope2"]
    assert scope2.values[2025] == Decimal("570.3") and 2025 in scope2.derived
    assert scope2.values[2024] == Decimal("684.36") and 2024 not in scope2.derived   # stated
    assert report.tables["environmental"].years == [2024, 2025]          # {last: 2}, resolved
    assert report.charts["workforce_gender"].year == 2025


def test_the_model_is_read_only(project):
    import dataclasses

    import pytest
    report = load(project)
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.year = 2030
    with pytest.raises(TypeError):
        report.metrics["workforce.total"].values[2025] = Decimal(1)


def test_malformed_yaml_names_file_and_line(project):
    path = folder(project) / "data" / "people.yaml"
    edit(path, "    unit: person", "    unit: [person")
    (problem,) = problems_of(lambda: load(project))
    assert problem.source == path
    assert problem.line is not None and abs(problem.line - line_of(path, "[person")) <= 2
    assert "cannot be read" in problem.message


def test_misspelt_manifest_key_is_one_problem_with_its_line(project):
    path = folder(project) / "report.yaml"
    edit(path, "\nperiod:", "\nperiode:")
    (problem,) = problems_of(lambda: load(project))
    assert (problem.message, problem.hint) == ("unknown key `periode`", "did you mean `period`?")
    assert problem.line == line_of(path, "periode:")


@pytest.mark.parametrize("editions, message", [
    ("[fr, en]", "unknown edition `fr`"),
    ("[zh-hans, en]", "the zh-hans edition is made from the zh-hant edition, which the report does not have"),
    ("[]", "the report lists no edition"),
])
def test_an_edition_that_cannot_be_made_is_one_problem_in_check(project, editions, message):
    # `check` used to stop with a traceback on the first two; the last passed, with nothing to publish.
    path = folder(project) / "report.yaml"
    edit(path, "editions: [zh-hant, en]", f"editions: {editions}")
    (problem,) = problems_of(lambda: check(project))
    assert (problem.line, problem.message) == (line_of(path, "editions:"), message)


def test_a_typo_in_one_chart_is_one_problem_and_the_rest_of_the_file_loads(project):
    path = folder(project) / "data" / "environment.yaml"
    edit(path, "    type: bar", "    typ: bar")
    problems = Problems()
    report = prepare(project.content, None, problems)
    assert [(p.message, p.hint) for p in problems.items] == [("unknown key `typ`", "did you mean `type`?")]
    assert problems.items[0].line == line_of(path, "typ: bar")
    assert "electricity" not in report.charts                     # the broken chart is left out …
    assert "environmental" in report.tables                       # … the rest of its file is not
    assert report.metrics["ghg.scope2"].values[2025] == Decimal("570.3")


def test_a_typo_in_an_acknowledgement_is_one_problem(project):
    path = folder(project) / "data" / "people.yaml"
    append(path, '\nacknowledged:\n  - {finding: "x", found: "1", expected: "2", reasn: {zh-hant: 甲, en: a}}\n')
    problems = Problems()
    report = prepare(project.content, None, problems)
    messages = [p.message for p in problems.items]
    assert messages.count("unknown key `reasn`") == 1 and len(messages) == 1
    assert report.metrics["workforce.total"].values[2025] == Decimal("2450")


def test_a_typo_elsewhere_does_not_stop_derived_figures(project):
    """An unrelated mistake is one problem; prose reading derived figures (scope 2) still renders them."""
    edit(folder(project) / "data" / "people.yaml", "unit: sessions", "unit: sessionz")
    problems = problems_of(lambda: build(project, editions=["en"], formats=["html"]))
    assert [(p.message, p.hint) for p in problems] == [
        ("metric `training.sessions` has unknown unit `sessionz`", "did you mean `sessions`?")]


def test_unknown_metric_in_prose_stops_the_build_with_file_and_line(project):
    path = folder(project) / "en" / "workforce.md"
    edit(path, 'kpi("workforce.total")', 'kpi("workforce.totl")')
    problems = problems_of(lambda: build(project, formats=["html"]))
    (problem,) = [p for p in problems if "workforce.totl" in p.message]
    assert problem.source == path and problem.line == line_of(path, "workforce.totl")
    assert problem.message == "unknown metric `workforce.totl`"
    assert "workforce.total" in problem.hint
    assert not project.output.exists() or not any(project.output.rglob("*.html"))


def test_every_problem_is_reported_at_once(project):
    for name in ("workforce.md", "emissions.md"):
        append(folder(project) / "zh-hant" / name, '\n\n{{ kpi("no.such_metric") }}\n')
    problems = problems_of(lambda: build(project, editions=["zh-hant"], formats=["html"]))
    assert {p.source.name for p in problems} == {"workforce.md", "emissions.md"}


def test_metric_defined_twice_is_refused(project):
    (folder(project) / "data" / "workforce_extra.yaml").write_text(
        "metrics:\n  workforce.total:\n    label: {zh-hant: 員工, en: Staff}\n    unit: person\n"
        "    values: {2025: 1}\n", encoding="utf-8")
    problems = problems_of(lambda: load(project))
    assert any("defined twice" in p.message and p.source.name == "workforce_extra.yaml" and p.line == 2 for p in problems)


def test_missing_section_file_is_named(project):
    (folder(project) / "en" / "emissions.md").unlink()
    (problem,) = problems_of(lambda: load(project))
    assert "emissions" in problem.message and "missing" in problem.message


def test_unknown_directive_in_prose(project):
    path = folder(project) / "en" / "workforce.md"
    append(path, '\n\nSee {{ open("/etc/passwd") }}.\n')
    (problem,) = problems_of(lambda: build(project, editions=["en"], formats=["html"]))
    assert (problem.source, problem.line) == (path, line_of(path, "open("))
    assert problem.message == "unknown directive `open`"
    assert problem.hint == ("the directives are kpi, change, card, kpi_table, chart, org_chart, disclosure_index, "
                            "restatements, year, period, period_start, period_end, ordinal, ref; see docs/authoring.md")


def test_misspelt_metric_key_and_a_prose_mistake_are_two_problems(project):
    data = folder(project) / "data" / "people.yaml"
    edit(data, "    unit: person", "    unti: person")
    prose = folder(project) / "zh-hant" / "workforce.md"
    edit(prose, 'kpi("training.sessions")', 'kpi("training.session")')
    problems = [p for p in problems_of(lambda: build(project, editions=["zh-hant"], formats=["html"]))
                if p.severity == "error"]
    assert [(p.source.name, p.message, p.hint) for p in problems] == [
        ("people.yaml", "unknown key `unti`", "did you mean `unit`?"),
        ("workforce.md", "unknown metric `training.session`", problems[1].hint),
    ]
    assert problems[0].line == line_of(data, "unti:")
    assert "training.sessions" in problems[1].hint


def test_unknown_status_is_named_with_the_defined_set(project):
    path = folder(project) / "en" / "workforce.md"
    edit(path, "status: approved", "status: aproved")
    (problem,) = problems_of(lambda: load(project))
    assert (problem.source, problem.line) == (path, 2)
    assert problem.message == "unknown status `aproved`" and problem.hint == "did you mean `approved`?"


def test_a_byte_order_mark_is_not_part_of_the_text(project):
    path = folder(project) / "en" / "workforce.md"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    build(project, editions=["en"], formats=["html"])
    page = (project.output / str(FIXTURE_YEAR) / "en" / "people.html").read_text(encoding="utf-8")
    assert "status:" not in page
