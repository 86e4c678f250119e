"""The published report's infographics as components: a hero figure (`card(…, style="hero")`), numbered
tiles (`::: numbered`), a timeline (`::: timeline`) and a row of values (`::: values`), in the PDF and on
the web, each misuse one problem at its line, none drawn empty (fixture report)."""

from __future__ import annotations

import re

import pytest
from conftest import FIXTURE_YEAR, append, edit, edition_folder, line_of, pdf_path, pdf_text, problems_of

from esgreport.pipeline import build, check
from esgreport.render.drawn import empty_drawings

COMPONENTS = {
    "zh-hant": '''
{{ card("workforce.total", style="hero") }}

::: numbered
1. 綠色信貸
2. ESG投融資
:::

::: timeline title="標準化建設"
- **2023年3月**：《手冊》重要貢獻者
- **參與撰寫**
  - 海關區塊鏈白皮書
  - 工信部白皮書
:::

::: values icons=("globe", "people")
- **為社會**：可持續高質量生態共贏
- **為員工**：實現複合型成長
:::
''',
    "en": '''
{{ card("workforce.total", style="hero") }}

::: numbered
1. Green credit
2. ESG investment and financing
:::

::: timeline title="Standardisation"
- **March 2023**: Key contributor to the *Handbook*
- **Co-authored**
  - Customs blockchain white paper
  - MIIT white paper
:::

::: values icons=("globe", "people")
- **For society**: a sustainable ecosystem
- **For employees**: well-rounded growth
:::
''',
}


def section(project, code: str):
    return project.content / str(FIXTURE_YEAR) / code / "workforce.md"


def with_components(project) -> None:
    for code, text in COMPONENTS.items():
        append(section(project, code), text)


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_the_components_are_in_the_pdf(project):
    with_components(project)
    build(project, formats=["pdf"])
    zh = flat(pdf_text(pdf_path(edition_folder(project, "zh-hant")), raw=True))
    en = " ".join(pdf_text(pdf_path(edition_folder(project, "en")), raw=True).split())
    # Each tile's number once, before its text; the timeline's steps, then its groups; the values' labels.
    assert "01綠色信貸" in zh and "02ESG投融資" in zh and zh.count("01綠色信貸") == 1
    assert "2023年3月《手冊》重要貢獻者" in zh and "參與撰寫" in zh and "海關區塊鏈白皮書" in zh
    assert "標準化建設" in zh and "為社會可持續高質量生態共贏" in zh and "為員工實現複合型成長" in zh
    assert "01 Green credit" in en and "02 ESG investment and financing" in en
    assert "March 2023 Key contributor to the Handbook" in en
    assert "For society a sustainable ecosystem" in en


def test_the_web_pages_keep_the_lists_and_hide_the_decoration(project):
    with_components(project)
    edit(project.content / str(FIXTURE_YEAR) / "report.yaml", "editions: [zh-hant, en]",
         "editions: [zh-hant, en, zh-hans]")
    build(project, formats=["html"])
    for code in ("zh-hant", "en", "zh-hans"):
        page = (edition_folder(project, code) / "people.html").read_text(encoding="utf-8")
        assert empty_drawings(page) == []
        assert '<div class="card card-hero" data-drawn="metric:workforce.total">' in page
        # An ordered list: its numbers are the list's, the drawn "01" is hidden from assistive technology.
        tiles = re.search(r'<ol class="numbered-tiles".*?</ol>', page, re.S).group(0)
        assert tiles.count('<li class="numbered-tile"><span class="tile-number" aria-hidden="true">') == 2
        assert 'aria-hidden="true">02</span>' in tiles
        timeline = re.search(r'<figure class="timeline".*?</figure>', page, re.S).group(0)
        assert '<ol class="timeline-steps">' in timeline and '<ul class="timeline-entries">' in timeline
        assert timeline.count('<li class="timeline-text">') == 2
        values = re.search(r'<ul class="value-tiles".*?</ul>', page, re.S).group(0)
        assert values.count('<span class="value-icon" aria-hidden="true"><svg') == 2
    zh_hans = re.sub(r"<[^>]+>", "", (edition_folder(project, "zh-hans") / "people.html").read_text(encoding="utf-8"))
    assert "为社会" in zh_hans and "绿色信贷" in zh_hans


@pytest.mark.parametrize("old, new, at, message", [
    ('icons=("globe", "people")', 'icons=("globe", "people", "star")', "::: values",
     "`::: values` names 3 icons for 2 items"),
    ('icons=("globe", "people")', 'icon=("globe", "people")', "::: values",
     "`::: values` has no argument `icon`"),
    ('title="標準化建設"', 'title="標準化建設", year=2023', "::: timeline",
     "`::: timeline` has no argument `year`"),
    ("1. 綠色信貸\n2. ESG投融資", "- 綠色信貸\n- ESG投融資", "- 綠色信貸",
     "`::: numbered` holds one numbered list (1. … 2. …), each item a line of text, and nothing else"),
    ("::: numbered\n1. 綠色信貸\n2. ESG投融資\n", "::: numbered\n", "::: numbered", "`::: numbered` is empty"),
    ("- **為社會**：", "- 為社會：", "- 為社會：",
     "an item of `::: values` starts with its label in bold, e.g. **為社會**：…"),
    ("- **參與撰寫**", "- **參與撰寫**：兩份", "- **參與撰寫**",
     "an item of `::: timeline` is either a step (**2023年3月**：its text) or a group (**參與撰寫** over a list of "
     "its entries), not both"),
])
def test_a_misused_component_is_one_problem_at_its_line(project, old, new, at, message):
    with_components(project)
    path = section(project, "zh-hant")
    edit(path, old, new)
    # (A list emptied in one edition also makes its structure differ from the other's: said of the other.)
    found = [p for p in problems_of(lambda: check(project)) if p.severity == "error" and p.source == path]
    assert [(p.line, p.message) for p in found] == [(line_of(path, at), message)]


def test_a_component_drawn_without_its_text_stops_the_build(project):
    with_components(project)
    edit(project.templates / "components" / "values.html", "{{ item.text|safe }}", "")
    for attempt in (lambda: check(project), lambda: build(project, formats=["html", "pdf"])):
        assert [(p.source, p.message, p.hint) for p in problems_of(attempt) if p.severity == "error"] == [
            (section(project, code), f"the row of values `workforce` is drawn without a value in the {code} edition",
             "give each item of its list a label and its text") for code in ("zh-hant", "en")]
    assert not list((project.output / str(FIXTURE_YEAR)).glob("*/*"))


def test_every_drawn_component_part_is_read_back():
    page = ('<ol class="numbered-tiles" data-drawn="section:s"><li><span class="tile-number">01</span>'
            '<span class="tile-text"> </span></li></ol>'
            '<figure class="timeline" data-drawn="section:t"><ol><li><span class="timeline-label">2023</span>'
            '<span class="timeline-text">x</span></li></ol></figure>')
    assert [(e.source, e.kind, e.parts) for e in empty_drawings(page)] == [
        ("section:s", "numbered group", ("the text of an item",))]
