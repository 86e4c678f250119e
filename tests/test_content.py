"""Loading and validating the manifest, section files and KPI data; every mistake named by file and line."""

from __future__ import annotations

from decimal import Decimal

import pytest

from esgreport.content import find_report_dir
from esgreport.errors import ReportError
from esgreport.pipeline import build, load


def report_dir(project):
    return find_report_dir(project.content)


def problems_of(fn):
    with pytest.raises(ReportError) as info:
        fn()
    return info.value.problems


def line_of(path, text):
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if text in line)


def test_bundled_report_loads(project):
    report = load(project)
    assert report.manifest.year == 2023
    assert report.editions == ["zh-hant", "en"]
    ids = [s.id for s in report.sections()]
    assert ids[:2] == ["about-this-report", "chairmans-letter"]
    assert report.section("anti-corruption").number == "2.2.1"
    assert report.metrics["ghg.scope2"].values[2023] == Decimal("1097.47")
    assert report.metrics["waste.non_hazardous_intensity"].precision_for(2022) == 4
    assert {"environmental", "employment"} <= set(report.tables)


def test_malformed_yaml_names_file_and_line(project):
    path = report_dir(project) / "data" / "environment.yaml"
    text = path.read_text(encoding="utf-8").split("\n")
    bad = next(i for i, line in enumerate(text) if line.strip().startswith("unit:"))
    text[bad] = text[bad].replace("unit:", "unit: [tonnes")  # unclosed bracket
    path.write_text("\n".join(text), encoding="utf-8")
    (problem,) = problems_of(lambda: load(project))
    assert problem.source == path
    assert problem.line is not None and abs(problem.line - (bad + 1)) <= 2
    assert "cannot be read" in problem.message


def test_misspelt_manifest_key_is_named_with_its_line(project):
    path = report_dir(project) / "report.yaml"
    text = path.read_text(encoding="utf-8").replace("\nperiod:", "\nperiode:", 1)
    path.write_text(text, encoding="utf-8")
    problems = problems_of(lambda: load(project))
    (problem,) = problems                     # a misspelt key is one problem, not two
    assert problem.message == "unknown key `periode`"
    assert problem.hint == "did you mean `period`?"
    assert problem.line == line_of(path, "periode:")


def test_unknown_metric_in_prose_stops_the_build_with_file_and_line(project):
    path = report_dir(project) / "en" / "employment.md"
    text = path.read_text(encoding="utf-8")
    assert 'kpi("workforce.total")' in text
    path.write_text(text.replace('kpi("workforce.total")', 'kpi("workforce.totl")', 1), encoding="utf-8")
    problems = problems_of(lambda: build(project, formats=("html",)))
    (problem,) = [p for p in problems if "workforce.totl" in p.message]
    assert problem.source == path
    assert problem.line == line_of(path, "workforce.totl")
    assert "unknown metric" in problem.message
    assert "workforce.total" in problem.hint          # the editor is pointed at the right id
    assert not (project.output / "en").exists()      # nothing half-built was published


def test_every_problem_is_reported_at_once(project):
    d = report_dir(project)
    for name in ("employment.md", "anti-corruption.md"):
        path = d / "zh-hant" / name
        path.write_text(path.read_text(encoding="utf-8") + '\n\n{{ kpi("no.such_metric") }}\n', encoding="utf-8")
    problems = problems_of(lambda: build(project, editions=["zh-hant"], formats=("html",)))
    assert {p.source.name for p in problems} == {"employment.md", "anti-corruption.md"}


def test_metric_defined_twice_is_refused(project):
    d = report_dir(project) / "data"
    (d / "extra.yaml").write_text(
        "metrics:\n  workforce.total:\n    label: {zh-hant: 員工, en: Staff}\n    unit: person\n"
        "    values: {2023: 1}\n", encoding="utf-8")
    problems = problems_of(lambda: load(project))
    assert any("defined twice" in p.message and p.source.name == "extra.yaml" and p.line == 2 for p in problems)


def test_missing_section_file_is_named(project):
    path = report_dir(project) / "en" / "board-statement.md"
    path.unlink()
    problems = problems_of(lambda: load(project))
    assert any("board-statement" in p.message and "missing" in p.message for p in problems)


def test_unknown_function_in_prose(project):
    path = report_dir(project) / "en" / "materiality.md"
    path.write_text(path.read_text(encoding="utf-8") + '\n\nSee {{ open("/etc/passwd") }}.\n', encoding="utf-8")
    problems = problems_of(lambda: build(project, editions=["en"], formats=("html",)))
    assert any("unknown function `open`" in p.message and p.source == path for p in problems)


def test_misspelt_key_is_one_problem_and_other_mistakes_still_show(project):
    data = report_dir(project) / "data" / "employment.yaml"
    text = data.read_text(encoding="utf-8")
    data.write_text(text.replace("    unit: person", "    unti: person", 1), encoding="utf-8")
    prose = report_dir(project) / "zh-hant" / "employment.md"
    prose.write_text(prose.read_text(encoding="utf-8").replace('kpi("workforce.total")', 'kpi("workforce.totals")', 1),
                     encoding="utf-8")
    problems = problems_of(lambda: build(project, editions=["zh-hant"], formats=("html",)))
    assert [(p.source.name, p.message, p.hint) for p in problems] == [
        ("employment.yaml", "unknown key `unti`", "did you mean `unit`?"),
        ("employment.md", "unknown metric `workforce.totals`", problems[1].hint),
    ]
    assert problems[0].line == line_of(data, "unti:")
    assert "workforce.total" in problems[1].hint
