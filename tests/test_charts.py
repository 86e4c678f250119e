"""Charts drawn from the KPI data: SVG with localised labels and numbers, a text alternative, checked data.

The drawings are checked on the published 2023 charts (their figures as published); the mistakes an
editor can make are checked on the fixture report."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from conftest import FIXTURE_YEAR, PUBLISHED_YEAR, ROOT, edit, line_of
from pydantic import ValidationError

from esgreport.errors import Problems, ReportError
from esgreport.pipeline import build, load
from esgreport.prepare.report import prepare
from esgreport.render.charts import ChartSpec, chart_description, chart_svg, nice_ticks, wrap
from esgreport.render.edition import EditionRenderer
from esgreport.render.figures import Figures

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def report():
    return prepare(ROOT / "content", PUBLISHED_YEAR)


@pytest.fixture(scope="module")
def figures(report):
    return Figures(report.metrics, report.units, report.year)


def words(report, code: str):
    """The chart's own words from the edition's catalog, as the build uses them."""
    renderer = EditionRenderer(report, code, ROOT / "templates", ROOT / "locales", Problems())
    return renderer.chart_words()


def svg_of(report, figures, chart_id: str, code: str) -> str:
    return chart_svg(report.charts[chart_id], figures, code, code, chart_id, words=words(report, code))


def drawn_text(svg: str) -> list[str]:
    """The strings the chart draws (its <text> elements), not its title and description."""
    root = ET.fromstring(svg)
    return [t.text or "" for t in root.iter(f"{SVG}text")]


# (a) the values of both years, formatted for the edition, and the title in the edition's language

@pytest.mark.parametrize("code, title, years", [
    ("zh-hant", "總耗電量", ("2022年", "2023年")),
    ("en", "Total electricity consumption", ("2022", "2023")),
])
def test_bar_chart_shows_both_years_formatted(report, figures, code, title, years):
    svg = svg_of(report, figures, "electricity", code)
    texts = drawn_text(svg)
    assert "2,269.01" in texts and "1,924.37" in texts          # value labels, grouped as in the tables
    assert all(y in texts for y in years)                        # category labels
    assert ET.fromstring(svg).find(f"{SVG}title").text == title


@pytest.mark.parametrize("code, labels, shares", [
    ("zh-hant", ["男性員工", "女性員工"], ["1,581人（64.8%）", "859人（35.2%）"]),
    ("en", ["Male", "Female"], ["1,581 persons (64.8%)", "859 persons (35.2%)"]),
])
def test_donut_labels_and_shares(report, figures, code, labels, shares):
    texts = drawn_text(svg_of(report, figures, "workforce_gender", code))
    for text in labels + shares + ["2,440"]:
        assert text in texts, f"{text!r} not drawn in the {code} donut: {texts}"


def test_grouped_and_stacked_values_use_each_years_precision(report, figures):
    texts = drawn_text(svg_of(report, figures, "training_hours", "en"))
    assert {"20", "6.6", "8", "4.6", "7", "4.4"} <= set(texts)   # 2022 published whole, 2023 to one decimal
    texts = drawn_text(svg_of(report, figures, "waste", "zh-hant"))
    assert {"229.10", "4.16", "190.80", "4.20", "無害廢棄物", "有害廢棄物"} <= set(texts)


# (b) an image with a name and a full text alternative

@pytest.mark.parametrize("code", ["zh-hant", "en"])
def test_every_chart_is_an_accessible_image(report, figures, code):
    assert len(report.charts) >= 8
    for chart_id in report.charts:
        svg = svg_of(report, figures, chart_id, code)
        root = ET.fromstring(svg)                                 # well-formed XML
        assert root.get("role") == "img"
        title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
        assert title is not None and title.text and desc is not None and desc.text
        assert root.get("aria-labelledby").split() == [title.get("id"), desc.get("id")]
        assert root.get("viewBox") and root.get("width") == "100%"
        assert "Noto Sans CJK TC" in root.get("font-family")
        assert "<script" not in svg and "href" not in svg


@pytest.mark.parametrize("code, expected", [
    ("zh-hant", "2022年：2,269.01兆瓦時；2023年：1,924.37兆瓦時"),
    ("en", "2022: 2,269.01 MWh; 2023: 1,924.37 MWh"),
])
def test_description_lists_every_value_with_its_unit(report, figures, code, expected):
    desc = ET.fromstring(svg_of(report, figures, "electricity", code)).find(f"{SVG}desc").text
    assert expected in desc


def test_donut_description_has_parts_and_total(report, figures):
    desc = chart_description(report.charts["workforce_age"], figures, "en", "en", words(report, "en"))
    assert "Under 30: 450 persons (18.4%)" in desc
    assert "30–50: 1,953 persons (80.0%)" in desc
    assert "Total: 2,440 persons" in desc


def test_values_are_exact_in_the_text(report, figures):
    """The figures drawn are the published decimals, never a float's rendering of them."""
    for chart_id in report.charts:
        svg = svg_of(report, figures, chart_id, "en")
        assert not re.search(r"\d\.\d{5,}", " ".join(drawn_text(svg)))


def test_nice_ticks_and_wrapping():
    ticks, places = nice_ticks(2269.01)
    assert ticks[0] == 0 and ticks[-1] >= 2269.01 and 3 <= len(ticks) <= 6 and places == 0
    ticks, places = nice_ticks(4.2)
    assert ticks[-1] >= 4.2 and places <= 1
    assert wrap("Overseas, Hong Kong, Macao and Taiwan", 120, 11) == ["Overseas, Hong Kong,", "Macao and Taiwan"]
    assert all(len(line) <= 6 for line in wrap("按僱員類別劃分的每名員工平均受訓時數", 66, 11))


# (c) charts name metrics that exist: problems point at the file and line

def charts_file(project):
    return project.content / str(FIXTURE_YEAR) / "data" / "environment.yaml"


def test_unknown_metric_in_a_chart_names_file_and_line(project):
    path = charts_file(project)
    edit(path, "      - metric: energy.electricity\n    years", "      - metric: energy.electricty\n    years")
    with pytest.raises(ReportError) as exc:
        load(project)
    found = [p for p in exc.value.problems if "energy.electricty" in p.message]
    assert found, exc.value
    assert found[0].source == path and found[0].line == line_of(path, "energy.electricty")
    assert "energy.electricity" in found[0].hint        # did you mean …?


def test_chart_shape_is_validated_chart_by_chart(project):
    path = charts_file(project)
    path.write_text(path.read_text(encoding="utf-8") + """
  broken:
    title: {zh-hant: 壞, en: Broken}
    type: donut
    years: {last: 2}
    series:
      - metric: ghg.scope2
      - metric: energy.electricity
  mixed:
    title: {zh-hant: 混, en: Mixed}
    type: grouped_bar
    years: {last: 1}
    series:
      - metric: ghg.scope2
      - metric: energy.electricity
""", encoding="utf-8")
    with pytest.raises(ReportError) as exc:
        load(project)
    problems = {p.message: p for p in exc.value.problems}
    assert set(problems) == {"charts.broken: a donut shows one year: leave `years:` out (it shows the report's year)",
                             "chart `mixed` mixes units (`tco2e` of ghg.scope2, `mwh` of energy.electricity)"}
    assert problems["chart `mixed` mixes units (`tco2e` of ghg.scope2, `mwh` of energy.electricity)"].line \
        == line_of(path, "  mixed:") + 4


def test_chart_spec_forbids_unknown_keys():
    with pytest.raises(ValidationError, match="colour"):
        ChartSpec.model_validate({"title": {"en": "x"}, "type": "bar", "years": [2023],
                                  "series": [{"metric": "a.b"}], "colour": "red"})


def test_unknown_chart_in_a_section_names_file_and_line(project):
    path = project.content / str(FIXTURE_YEAR) / "en" / "kpi-tables.md"
    path.write_text(path.read_text(encoding="utf-8") + '\n{{ chart("no_such_chart") }}\n', encoding="utf-8")
    line = len(path.read_text(encoding="utf-8").rstrip("\n").split("\n"))
    with pytest.raises(ReportError) as exc:
        build(project, editions=["en"], formats=("html",))
    found = [p for p in exc.value.problems if "no_such_chart" in p.message]
    assert found and found[0].source == path and found[0].line == line


# (d) the real build: the chart in the web edition and in the PDF

def test_chart_in_the_web_edition(published):
    """Charts stand in the chapters where their story is: electricity in green operations, the
    workforce in employment."""
    page = (published.folder("en") / "environment.html").read_text(encoding="utf-8")
    figure = re.search(r'<figure class="chart chart-bar" id="chart-electricity"[^>]*>.*?</figure>', page, re.S)
    assert figure, "the electricity chart is not in the en environment chapter"
    assert page.index('id="green-operations"') < figure.start()
    assert '<figcaption class="chart-title">Total electricity consumption' in figure.group(0)
    assert 'role="img"' in figure.group(0) and "2,269.01" in figure.group(0)
    zh = (published.folder("zh-hant") / "social.html").read_text(encoding="utf-8")
    assert 'id="chart-workforce_gender"' in zh and "1,581人（64.8%）" in zh
    assert zh.index('id="employment"') < zh.index('id="chart-workforce_gender"')


@pytest.mark.parametrize("code, drawn", [
    ("zh-hant", ["按地區劃分的員工人數2023年", "1,581人（64.8%）"]),
    ("en", ["Employeesbygeographicalregion", "1,581persons(64.8%)"]),   # a title only a chart has; a label
])
def test_chart_in_the_pdf(pdf_texts, code, drawn):
    text = re.sub(r"\s+", "", pdf_texts[code])
    assert all(d in text for d in drawn)
