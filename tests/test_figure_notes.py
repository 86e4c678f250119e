"""Figures the editors acknowledged as inconsistent as published carry a note marker and a note the
reader can see, in every edition: in running text and cards (the note under the section), in KPI
tables (the note under the table) and in the home page's key figures (fixture report)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import FIXTURE_YEAR, append, edit, edition_folder, unspaced

from esgreport.pipeline import build

REASONS = {"zh-hant": "已發佈報告按四捨五入前的用電量計算。",
           "en": "The published report computed it from the electricity consumption before rounding."}
ACKNOWLEDGED = f"""
acknowledged:
  - finding: "formula:ghg.scope2:2025"
    found: "570.40"
    expected: "570.30"
    reason: {{zh-hant: {REASONS["zh-hant"]}, en: {REASONS["en"]}}}
"""


def acknowledge_scope2(project) -> Path:
    path = project.content / str(FIXTURE_YEAR) / "data" / "environment.yaml"
    edit(path, "values: {2024: 684.36}", "values: {2024: 684.36, 2025: 570.40}")
    append(path, ACKNOWLEDGED)
    return path


def page(project, code: str, name: str) -> str:
    return unspaced((edition_folder(project, code) / name).read_text(encoding="utf-8"))


def test_an_acknowledged_figure_in_the_text_refers_to_its_note_under_the_section(project):
    acknowledge_scope2(project)
    build(project, formats=["html"])
    for code, mark in (("zh-hant", "①"), ("en", "(1)")):
        text = page(project, code, "environment.html")
        assert re.search(r'570\.40\s*(tCO₂e|噸二氧化碳當量)?<sup class="note-ref"><a href="#emissions-note-1">'
                         + re.escape(mark) + "</a></sup>", text), code
        note = re.search(r'<li id="emissions-note-1"><span class="note-num">(.*?)</span> (.*?)</li>', text)
        assert note is not None and note.groups() == (mark, REASONS[code])


def test_an_acknowledged_figure_in_a_kpi_table_refers_to_a_note_under_the_table(project):
    acknowledge_scope2(project)
    build(project, formats=["html"])
    for code, mark in (("zh-hant", "②"), ("en", "(2)")):      # after the table's own note
        text = page(project, code, "appendix.html")
        table = text[text.index('id="table-environmental"'):]
        # (the Chinese edition keeps a note's last two characters together: markup only)
        table = table[:table.index("</figure>")].replace('<span class="keep">', "").replace("</span></li>", "</li>")
        assert f'570</span><span class="frac">.40</span><sup class="note-ref">{mark}</sup>' in table
        assert f'<span class="note-num">{mark}</span> {REASONS[code]}</li>' in table


def test_a_key_figure_acknowledged_as_published_carries_its_note_on_the_home_page(project):
    acknowledge_scope2(project)
    build(project, formats=["html"])
    for code, mark in (("zh-hant", "①"), ("en", "(1)")):
        home = page(project, code, "index.html")
        assert f'<a href="#key-environment-note-1">{mark}</a>' in home
        assert f'<li id="key-environment-note-1"><span class="note-num">{mark}</span> {REASONS[code]}</li>' in home


def test_a_figure_without_an_acknowledgement_has_no_note(project):
    build(project, formats=["html"])
    for code in ("zh-hant", "en"):
        assert "figure-notes" not in page(project, code, "environment.html")


def test_the_downloads_carry_each_values_note_codes_chapter_and_address(project):
    import csv
    import json

    acknowledge_scope2(project)
    build(project, formats=["data"])
    for code in ("zh-hant", "en"):
        folder = edition_folder(project, code) / "data"
        document = json.loads((folder / f"esg-kpi-{FIXTURE_YEAR}-{code}.json").read_text(encoding="utf-8"))
        scope2 = next(m for m in document["metrics"] if m["id"] == "ghg.scope2")
        assert (scope2["hkex"], scope2["gri"], scope2["address"]) == (["A1", "A1.2"], ["305-2"],
                                                                      "appendix.html#ghg.scope2")
        assert scope2["pillar"] == {"zh-hant": "環境：邁向低碳", "en": "Environment: Towards Low Carbon"}[code]
        by_year = {v["year"]: v for v in scope2["values"]}
        assert by_year[2025]["acknowledged"] == REASONS[code] and by_year[2024]["acknowledged"] is None
        rows = list(csv.DictReader((folder / f"esg-kpi-{FIXTURE_YEAR}-{code}.csv").read_text(encoding="utf-8-sig")
                                   .splitlines()))
        row = next(r for r in rows if r["metric_id"] == "ghg.scope2" and r["year"] == "2025")
        assert (row["acknowledged"], row["hkex"], row["gri"], row["address"]) == (
            REASONS[code], "A1 A1.2", "305-2", "appendix.html#ghg.scope2")


def test_a_reason_that_leans_on_the_one_above_is_a_problem_at_its_line(project):
    from conftest import line_of, problems_of

    from esgreport.pipeline import check
    path = acknowledge_scope2(project)
    edit(path, f"en: {REASONS['en']}", "en: As above — the consumption before rounding.")
    problems = problems_of(lambda: check(project))
    assert [(p.source, p.line) for p in problems] == [(path, line_of(path, "reason:"))]
    assert "starts with “As above”" in problems[0].message and "reads on its own" in problems[0].message


def test_a_reason_that_only_begins_with_the_same_characters_reads_on_its_own(project):
    from esgreport.pipeline import check
    path = acknowledge_scope2(project)
    edit(path, f"zh-hant: {REASONS['zh-hant']}", "zh-hant: 同上年度相比已發佈報告按四捨五入前的用電量計算。")
    edit(path, f"en: {REASONS['en']}", "en: As aboveground meters were read before rounding the figure differs.")
    report, warnings = check(project)
    assert report.metrics["ghg.scope2"].acknowledged[2025][0]["zh-hant"].startswith("同上年度")


def test_a_reason_that_points_to_the_text_above_in_traditional_chinese_is_a_problem(project):
    from conftest import problems_of

    from esgreport.pipeline import check
    path = acknowledge_scope2(project)
    edit(path, f"zh-hant: {REASONS['zh-hant']}", "zh-hant: 見上文，按四捨五入前的用電量計算。")
    problems = problems_of(lambda: check(project))
    assert len(problems) == 1 and "starts with “見上文”" in problems[0].message


def test_what_the_team_must_still_settle_is_in_the_assurers_pack_and_never_printed(project):
    from esgreport.collect.assurance import cells, make_pack
    from esgreport.prepare.report import prepare
    follow_up = "Administration to confirm the meter reading of December"
    path = acknowledge_scope2(project)
    append(path, f"    follow_up: {follow_up}\n")
    build(project, formats=["html", "data"])
    for code in ("zh-hant", "en"):
        for file in edition_folder(project, code).rglob("*"):
            if file.is_file() and file.suffix in (".html", ".csv", ".json", ".js"):
                assert follow_up not in file.read_text(encoding="utf-8"), file
    pack = make_pack(project, prepare(project.content), pages=False)
    row = next(r for r in pack.rows if r.metric == "ghg.scope2" and r.year == FIXTURE_YEAR)
    assert cells(pack, row)["acknowledged"].endswith(f"Open: {follow_up}")


@pytest.mark.parametrize("written", ['""', "[a, b]", "12"])
def test_a_follow_up_that_is_not_one_line_of_text_is_a_problem_at_its_line(project, written):
    from conftest import line_of, problems_of

    from esgreport.pipeline import check
    path = acknowledge_scope2(project)
    append(path, f"    follow_up: {written}\n")
    problems = problems_of(lambda: check(project))
    assert [(p.source, p.line) for p in problems] == [(path, line_of(path, "follow_up:"))]
    assert "one line of text" in problems[0].message and "leave the key out" in problems[0].hint
