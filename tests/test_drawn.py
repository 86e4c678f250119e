"""Nothing drawn empty: an organisation chart, card, chart or table the build draws from data shows its
text in every edition, a generated one included, or the build stops naming the data (fixture report)."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import FIXTURE_YEAR, append, edit, edition_folder, line_of, problems_of, unspaced

from esgreport.pipeline import build, check
from esgreport.render.drawn import empty_drawings

ORGCHART = """
orgcharts:
  esg_governance:
    title: {zh-hant: 環境、社會及管治架構, en: ESG governance structure}
    units:
      - id: board
        name: {zh-hant: 董事會, en: Board of Directors}
        duties: [{zh-hant: 監督環境、社會及管治事宜, en: Oversees ESG matters}]
      - id: committee
        reports_to: board
        name: {zh-hant: 監督委員會, en: Supervisory Committee}
"""


def data(project, name: str = "people.yaml") -> Path:
    return project.content / str(FIXTURE_YEAR) / "data" / name


def with_orgchart(project) -> Path:
    path = data(project)
    append(path, ORGCHART)
    for code in ("zh-hant", "en"):
        append(project.content / str(FIXTURE_YEAR) / code / "workforce.md", '\n{{ org_chart("esg_governance") }}\n')
    return path


def errors_of(fn) -> list:
    return [p for p in problems_of(fn) if p.severity == "error"]


def test_the_simplified_edition_draws_the_organisation_chart_with_its_text(project):
    with_orgchart(project)
    manifest = project.content / str(FIXTURE_YEAR) / "report.yaml"
    edit(manifest, "editions: [zh-hant, en]", "editions: [zh-hant, en, zh-hans]")
    build(project, formats=["html"])
    page = (edition_folder(project, "zh-hans") / "people.html").read_text(encoding="utf-8")
    start = page.index('<figure class="org-chart"')
    chart = re.sub(r"<[^>]+>", "", page[start:page.index("</figure>", start)])
    for text in ("环境、社会及管治架构", "董事会", "监督委员会", "监督环境、社会及管治事宜"):
        assert text in chart
    assert empty_drawings(page) == []


def test_a_template_that_leaves_out_the_units_names_stops_the_build(project):
    path = with_orgchart(project)
    edit(project.templates / "components" / "org_chart.html", "{{ unit.name|keep }}", "")
    for attempt in (lambda: check(project), lambda: build(project, formats=["html", "pdf"])):
        assert [(p.source, p.line, p.message, p.hint) for p in errors_of(attempt)] == [
            (path, line_of(path, "esg_governance:"),
             f"the organisation chart `esg_governance` is drawn without the name of a unit in the {code} edition",
             f"its data has every {code} text: the drawing leaves it out (templates/components/org_chart.html)")
            for code in ("zh-hant", "en")]
    assert not list((project.output / str(FIXTURE_YEAR)).glob("*/*"))


def test_a_text_missing_from_the_data_is_one_problem_not_also_an_empty_chart(project):
    path = data(project)
    edit(path, "title: {zh-hant: 按性別劃分的員工人數, en: Employees by gender}",
         'title: {zh-hant: 按性別劃分的員工人數, en: " "}')
    for attempt in (lambda: check(project), lambda: build(project, formats=["html", "pdf"])):
        (p,) = errors_of(attempt)
        assert (p.source, p.line, p.message) == (path, line_of(path, "title: {zh-hant: 按性別"),
                                                 "no en text for charts.workforce_gender.title")


def test_every_drawn_part_is_read_back():
    page = ('<div class="card" data-drawn="metric:a"><p><span class="card-number">1</span></p>'
            '<p class="card-label"><span class="keep"> </span></p></div>'
            '<figure class="chart" data-drawn="chart:b"><figcaption class="chart-title">T</figcaption>'
            '<svg><title>T: 1</title><text x="1"></text><line x1="0"/></svg></figure>'
            '<figure class="kpi-table" data-drawn="table:c"><figcaption class="table-title">K</figcaption>'
            '<table><tr><th>Year</th></tr><tr><th class="indicator">A<br>b</th></tr></table></figure>')
    assert [(e.source, e.parts) for e in empty_drawings(page)] == [("metric:a", ("its label",)),
                                                                   ("chart:b", ("a label",))]


def test_every_edition_of_the_published_report_draws_everything_with_text(published_copy):
    """zh-hant and en are checked by every build of them; the simplified edition is made here."""
    from esgreport.errors import Problems
    from esgreport.prepare.report import prepare
    from esgreport.render.edition import render_edition

    manifest = published_copy.content / "2023" / "report.yaml"
    edit(manifest, "editions: [zh-hant, en]", "editions: [zh-hant, en, zh-hans]")
    problems = Problems()
    report = prepare(published_copy.content, 2023, problems)
    rendered = render_edition(report, "zh-hans", published_copy.templates, published_copy.locales, problems,
                              media=("print",))
    assert not problems.errors
    assert empty_drawings(rendered.print_html) == []
    printed = unspaced(rendered.print_html)
    assert printed.count('data-drawn="orgchart:esg_governance"') == 1
    assert "ESG监督委员会" in printed
    # The openers show the goals each chapter advances as the UN draws them: its colour, number, name.
    assert ('<li class="sdg-tile" style="background-color: #3f7e44"><span class="sdg-number">13</span>'
            '<span class="sdg-name">气候行动</span></li>') in printed
