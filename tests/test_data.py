"""One number, everywhere: derived figures, integrity rules, acknowledgements, figures typed into prose,
disclosure tags (fixture report)."""

from __future__ import annotations

import re

from conftest import FIXTURE_YEAR, append, edit, line_of, problems_of

from esgreport.pipeline import check, load


def data(project, name):
    return project.content / str(FIXTURE_YEAR) / "data" / name


def section(project, code, name):
    return project.content / str(FIXTURE_YEAR) / code / name


def manifest(project):
    return project.content / str(FIXTURE_YEAR) / "report.yaml"


def test_the_fixture_report_passes(project):
    report, warnings = check(project)
    assert report.year == FIXTURE_YEAR and warnings == []


def test_a_breakdown_that_does_not_add_up_fails(project):
    edit(data(project, "people.yaml"), "values: {2024: 1240, 2025: 1300}", "values: {2024: 1240, 2025: 1301}")
    (p,) = problems_of(lambda: check(project))
    assert p.source.name == "people.yaml" and p.line == line_of(data(project, "people.yaml"), "workforce-by-gender")
    assert "workforce-by-gender` 2025" in p.message and "2451" in p.message and "2450" in p.message
    assert "correct the breakdown or the total" in p.hint


def test_a_breakdown_pattern_that_matches_no_metric_is_named_at_its_rule(project):
    # It used to stop the check with a traceback (an empty breakdown added up to the integer 0).
    edit(data(project, "people.yaml"), "sum: [workforce.male, workforce.female]", "sum: [workforce.men*]")
    (p,) = problems_of(lambda: check(project))
    assert (p.source.name, p.line) == ("people.yaml", line_of(data(project, "people.yaml"), "workforce-by-gender"))
    assert p.message == "rule `workforce-by-gender`: no metric matches `workforce.men*`"
    edit(data(project, "people.yaml"), "sum: [workforce.men*]", "sum: []")
    (p,) = problems_of(lambda: check(project))
    assert p.message == "rule `workforce-by-gender`: `sum:` names no metric"


def test_a_stated_figure_is_checked_against_its_formula(project):
    edit(data(project, "environment.yaml"), "values: {2024: 684.36}", "values: {2024: 690.00}")
    (p,) = problems_of(lambda: check(project))
    assert p.message == "ghg.scope2 2024: stated 690.00, but energy.electricity * ghg.grid_factor gives 684.36"
    assert 'finding: "formula:ghg.scope2:2024", found: "690.00", expected: "684.36"' in p.hint


def test_an_acknowledgement_accepts_exactly_that_finding(project):
    edit(data(project, "environment.yaml"), "values: {2024: 684.36}", "values: {2024: 690.00}")
    append(data(project, "environment.yaml"), '\nacknowledged:\n  - finding: "formula:ghg.scope2:2024"\n'
           '    found: "690.00"\n    expected: "684.36"\n    reason: {zh-hant: 按已發佈數據, en: As published}\n')
    check(project)
    # the same finding with another published value is a new discrepancy, and the old note is stale
    edit(data(project, "environment.yaml"), "values: {2024: 690.00}", "values: {2024: 691.00}")
    messages = [p.message for p in problems_of(lambda: check(project))]
    assert any(m.startswith("ghg.scope2 2024: stated 691.00") for m in messages)
    assert any("acknowledgement of `formula:ghg.scope2:2024`" in m for m in messages)


def test_removing_the_cause_makes_the_acknowledgement_stale(project):
    append(data(project, "environment.yaml"), '\nacknowledged:\n  - finding: "formula:ghg.scope2:2024"\n'
           '    found: "690.00"\n    expected: "684.36"\n    reason: {zh-hant: 按已發佈數據, en: As published}\n')
    (p,) = problems_of(lambda: check(project))
    assert p.message == "acknowledged finding `formula:ghg.scope2:2024` no longer occurs"


def test_a_misspelt_key_in_a_formula_input_is_one_problem_not_a_stale_acknowledgement(project):
    edit(data(project, "environment.yaml"), "values: {2024: 684.36}", "values: {2024: 690.00}")
    append(data(project, "environment.yaml"), '\nacknowledged:\n  - finding: "formula:ghg.scope2:2024"\n'
           '    found: "690.00"\n    expected: "684.36"\n    reason: {zh-hant: 按已發佈數據, en: As published}\n')
    edit(data(project, "environment.yaml"), "    unit: mwh", "    unti: mwh")
    (p,) = problems_of(lambda: check(project))
    assert "unknown key `unti`" in p.message


def test_counts_are_whole_numbers(project):
    edit(data(project, "people.yaml"), "values: {2024: 18, 2025: 24}", "values: {2024: 18, 2025: 24.5}")
    (p,) = problems_of(lambda: check(project))
    assert "training.sessions 2025: 24.5 sessions is not a whole number" in p.message


def test_a_figure_typed_into_english_prose_fails(project):
    path = section(project, "en", "workforce.md")
    edit(path, '{{ kpi("workforce.total") }}', "2,450")
    (p,) = problems_of(lambda: check(project))
    assert (p.source, p.line) == (path, line_of(path, "had 2,450 employees"))
    assert "the figure 2,450 is typed into the text" in p.message and 'kpi("workforce.total")' in p.hint


def test_a_figure_typed_into_chinese_prose_fails(project):
    """Beside Chinese characters a number has no space around it: 員工共2,450人 is still the figure."""
    path = section(project, "zh-hant", "workforce.md")
    append(path, "\n\n員工共2,450人，全年舉辦24場培訓。\n")
    found = [p for p in problems_of(lambda: check(project)) if p.severity == "error"]
    assert sorted(p.message.split(";")[0] for p in found) == [
        "the figure 2,450 is typed into the text", "the figure 24 is typed into the text"]
    assert all(p.source == path and p.line == line_of(path, "員工共2,450人") for p in found)


def test_years_dates_and_section_numbers_are_not_figures(project):
    append(section(project, "en", "emissions.md"),
           "\n\nOn 18 March 2025, see section 2.1 and ISO 27001; in 2024 we met 3 times.\n")
    append(section(project, "zh-hant", "emissions.md"), "\n\n2024年12月31日，見第2.1節及ISO 27001。\n")
    check(project)


def test_removing_a_mandatory_disclosure_tag_fails(project):
    path = manifest(project)
    edit(path, "disclose: {hkex: [MDR.governance], gri: [\"2-1\"]}", "disclose: {gri: [\"2-1\"]}")
    (p,) = problems_of(lambda: check(project))
    assert p.source == path and "HKEX MDR.governance" in p.message and "neither disclosed nor explained" in p.message
    assert "disclosures.yaml" in p.hint and "disclose:" in p.hint


def test_a_mistyped_disclosure_code_fails(project):
    edit(manifest(project), "hkex: [B1.1]", "hkex: [B1.11]")
    (p,) = [p for p in problems_of(lambda: check(project)) if "B1.11" in p.message]
    assert p.source == manifest(project) and p.line == line_of(manifest(project), "B1.11")
    assert "unknown HKEX code `B1.11`" in p.message


def test_the_indexes_are_generated_from_the_tags(project):
    from esgreport.render.indexes import disclosure_index

    report = load(project)
    hkex = disclosure_index(report, "hkex", "en", "Harbour Ledger", ("1 January 2025", "31 December 2025"))
    rows = {row.code: row for group in hkex.groups for row in group.rows}
    assert [loc.number for loc in rows["A1.2"].locations] == ["1.1"]
    assert rows["A1.1"].status == "not_applicable" and "air pollutants" in rows["A1.1"].explanation
    gri = disclosure_index(report, "gri", "en", "Harbour Ledger", ("1 January 2025", "31 December 2025"))
    codes = [row.code for group in gri.groups for row in group.rows]
    assert codes == ["2-1", "305-2"]             # with reference to: only what the report cites
    assert re.search(r"Harbour Ledger has reported .* 1 January 2025 to 31 December 2025", gri.statement)
