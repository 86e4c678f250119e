"""Search in the web edition, in a real browser (Chromium through Playwright, as tests/test_web.py), on
the fixture report: a Simplified query finds Traditional text and the reverse, a glossary term of the
other language finds the edition's term, one typo in an English word is undone, a snippet centres on
the match, and a result's link marks the match in its section. The fixture is built once here with a
Simplified edition, a terminology entry and two paragraphs about training added to both editions; the
browser and its tabs are tests/test_web.py's."""

from __future__ import annotations

import json
from urllib.request import urlopen

import pytest
import test_web
from conftest import FIXTURE, FIXTURE_YEAR, copy_project, edit
from test_web import AXE, AXE_RUN_JS, VIEWPORTS, assert_below_header, served

from esgreport.pipeline import build

browser, tab = test_web.browser, test_web.tab      # fixtures: a browser for the module, tabs in it

TRAINING_EN = (          # a long paragraph with a word in its middle
    "Training at the Company follows the needs of each team. New employees attend an induction in their "
    "first month, which covers the Company’s values, its policies on conduct and the security of customer "
    "data. Once a quarter the Company reminds every employee how to report a concern through its "
    "whistleblowing channel. Managers attend a programme on leading teams, giving feedback and planning "
    "careers. Specialists keep their professional qualifications current with courses the Company pays for, "
    "and every employee may ask for a course that their work needs. The Company held three sessions on data "
    "security for all employees; each ends with a short test, and an employee who does not pass it takes "
    "the session again.")
TRAINING_ZH = (
    "公司的培訓以各團隊的需要為本。新入職的員工在第一個月參加入職培訓，內容包括公司的價值觀、行為守則和客戶"
    "數據的安全。管理人員參加團隊領導、反饋和職業規劃的課程。公司每季度提醒每名員工如何通過舉報渠道反映問題。"
    "專業人員由公司資助參加課程，以保持其專業資格；每名員工均可申請其工作所需的課程。公司全年為全體員工舉辦了"
    "三場數據安全培訓，每場培訓後均設簡短測驗，未通過的員工須再次參加。")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The fixture report's web editions (zh-hant, en, zh-hans), served on a free port of 127.0.0.1."""
    project = copy_project(tmp_path_factory.mktemp("search"), FIXTURE / "content")
    year = project.content / str(FIXTURE_YEAR)
    edit(year / "report.yaml", "editions: [zh-hant, en]", "editions: [zh-hant, en, zh-hans]")
    (project.content / "terminology.yaml").write_text("zh-hans:\n  持份者: 利益相关方\n", encoding="utf-8")
    for code, long, short in (("en", TRAINING_EN, "Where there is a need, the Company adds sessions."),
                              ("zh-hant", TRAINING_ZH, "如有需要，公司會增加培訓場次。")):
        edit(year / code / "workforce.md", ":::\n\n{{ chart", f":::\n\n{short}\n\n{{{{ chart")
        edit(year / code / "workforce.md", "\n\n::: highlights", f"\n\n{long}\n\n::: highlights")
    build(project, formats=["html"])
    yield from served(project.output / str(FIXTURE_YEAR))


def results(tab, code: str, query: str, viewport: str = "desktop") -> list[dict]:
    """What the search page shows for `query`: each result's title, link, snippet and marked words."""
    page = tab(viewport).open(f"{code}/search.html")
    page.get_by_role("main").get_by_role("searchbox").fill(query)
    page.get_by_role("main").get_by_role("button").click()
    page.wait_for_function("document.querySelector('.search-status').textContent !== ''")
    return page.evaluate("""() => [...document.querySelectorAll('.search-results > li')].map(li => ({
        title: li.querySelector('a').textContent, href: li.querySelector('a').getAttribute('href'),
        snippet: (li.querySelector('.search-snippet') || {}).textContent || '',
        marks: [...li.querySelectorAll('mark')].map(m => m.textContent)}))""")


def titles(found: list[dict]) -> list[str]:
    return [r["title"] for r in found]


@pytest.mark.parametrize("code, query, title, marked", [
    ("zh-hant", "员工", "2.1 僱傭", "員工"),                # Simplified query, Traditional text
    ("zh-hant", "持份者说明", "報告概述", "持份者說明"),
    ("zh-hans", "員工", "2.1 雇佣", "员工"),                # and the reverse in the Simplified edition
])
def test_a_query_in_either_script_finds_the_text(tab, code, query, title, marked):
    found = results(tab, code, query)
    assert title in titles(found), titles(found)
    result = found[titles(found).index(title)]
    assert marked in result["marks"] and marked in result["snippet"]


@pytest.mark.parametrize("code, query, title, marked", [
    ("en", "持份者", "Overview", "stakeholders"),            # the Chinese term finds the English one
    ("en", "持份者 Board", "Overview", "stakeholders"),
    ("zh-hant", "stakeholder", "報告概述", "持份者"),        # and the reverse, singular or plural
    ("zh-hant", "Stakeholders", "報告概述", "持份者"),
    ("zh-hant", "greenhouse gas", "1.1 溫室氣體排放", "溫室氣體"),   # a term of two words
    ("zh-hans", "持份者", "报告概述", "利益相关方"),          # the Hong Kong term finds the mainland one
    ("zh-hans", "stakeholders", "报告概述", "利益相关方"),
])
def test_a_glossary_term_of_another_language_finds_the_editions_term(tab, code, query, title, marked):
    found = results(tab, code, query)
    assert found and found[0]["title"] == title, titles(found)
    assert marked in found[0]["marks"]


@pytest.mark.parametrize("code, query, title, marked", [
    ("en", "emmissions", "1.1 Greenhouse Gas Emissions", "emissions"),    # an insertion
    ("en", "stakehlders", "Overview", "stakeholders"),                      # a deletion
    ("en", "whistleblowinq", "2.1 Employment", "whistleblowing"),           # a substitution
    ("en", "secruity", "2.1 Employment", "security"),                       # a transposition
    ("zh-hant", "stakehlder", "報告概述", "持份者"),                        # a glossary term with a typo
])
def test_one_typo_in_an_english_word_is_undone(tab, code, query, title, marked):
    found = results(tab, code, query)
    assert title in titles(found), titles(found)
    assert marked in found[titles(found).index(title)]["marks"]


def test_a_word_found_as_typed_is_not_read_as_a_typo(tab):
    """"three" is in the text: sections that only say "there" (one typo away) are not found; short
    words (under five letters) are never read as typos."""
    found = results(tab, "en", "three")
    assert titles(found) == ["2.1 Employment"]
    assert all(r["marks"] == ["three"] for r in found)
    assert "Where there is a need" in " ".join(e["x"] for e in _index_entries(tab, "en"))
    assert results(tab, "en", "teem") == []            # team is one typo away, but four letters


def _index_entries(tab, code: str) -> list[dict]:
    page = tab().open(f"{code}/search.html")
    return page.evaluate("window.esgSearch.entries")


@pytest.mark.parametrize("code, query, marked", [
    ("en", "whistleblowing", "whistleblowing"),
    ("zh-hant", "舉報渠道", "舉報渠道"),
])
def test_the_snippet_centres_on_the_match(tab, code, query, marked):
    """The match stands in the middle of its snippet, far into a long paragraph; English is cut
    between words."""
    found = results(tab, code, query)
    snippet = found[0]["snippet"]
    assert snippet.startswith("…") and marked in snippet
    before, after = snippet.split(marked, 1)
    assert abs(len(before) - len(after)) < 40, snippet
    shown = snippet.strip("…")
    text = TRAINING_EN if code == "en" else TRAINING_ZH
    assert shown in text
    if code == "en":
        at = text.index(shown)
        assert text[at - 1] == " " and (at + len(shown) == len(text) or text[at + len(shown)] in " .,;"), snippet


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_result_leads_to_the_match_and_marks_it(tab, site, viewport):
    """The link carries the words found (?q=) and the section (#id): the page marks them in that
    section and shows the first; axe finds nothing wrong with the marks; the language switcher keeps
    the section."""
    page = tab(viewport).open("en/search.html?q=whistleblowing")
    link = page.locator(".search-results > li a").first
    assert link.get_attribute("href") == "people.html?q=whistleblowing#workforce"
    link.click()
    page.wait_for_url("**/people.html?q=whistleblowing#workforce")
    marks = page.locator("mark.search-hit")
    assert marks.all_inner_texts() == ["whistleblowing"]
    from playwright.sync_api import expect
    expect(marks.first).to_be_in_viewport()
    assert_below_header(page, "mark.search-hit")
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    violations = page.evaluate(AXE_RUN_JS, True)
    assert not violations, violations
    page.get_by_role("navigation", name="Language").get_by_role("link", name="繁體中文").click()
    page.wait_for_url(site + "zh-hant/people.html#workforce")


def test_a_result_marks_words_and_figures_as_printed(tab):
    """A Simplified query marks the Traditional words it found; a figure set in boxes of its own (its
    integer and decimals) is marked across them."""
    page = tab("phone").open("zh-hant/search.html?q=" + "员工 2,450")
    page.locator(".search-results > li a", has_text="2.1 僱傭").click()
    page.wait_for_url("**/people.html?q=*#workforce")
    marked = page.locator("#workforce mark.search-hit").all_inner_texts()
    # (the figure's last digit sits in the Han–Latin gap's own box: it is marked as a piece of its own)
    assert "員工" in marked and "2,450" in "".join(marked)
    page = tab("phone").open("zh-hant/search.html?q=1,000.00")
    page.locator(".search-results > li a", has_text="關鍵績效指標表").click()
    page.wait_for_url("**/appendix.html?q=1%2C000.00#kpi-tables")
    cell = page.locator("#kpi-tables td", has=page.locator("mark.search-hit")).first
    assert cell.locator("mark.search-hit").all_inner_texts() == ["1,000", ".00"]
    from playwright.sync_api import expect
    expect(cell).to_be_in_viewport()


def test_the_index_carries_the_folds_and_terms_it_needs(site):
    """Built from data: the glossary's terms the edition uses, and folds only for the characters the
    index holds (small)."""
    data = {}
    for code in ("zh-hant", "en", "zh-hans"):
        with urlopen(f"{site}{code}/search-index.js") as response:
            text = response.read().decode("utf-8")
        data[code] = json.loads(text[text.index("=") + 1:text.rindex(";")])
    assert [["持份者"], ["stakeholders", "stakeholder", "利益相关方"]] in data["zh-hant"]["terms"]
    assert [["stakeholders"], ["持份者", "利益相关方"]] in data["en"]["terms"]
    assert [["利益相关方"], ["持份者", "stakeholders", "stakeholder"]] in data["zh-hans"]["terms"]
    folds = data["zh-hant"]["folds"]
    pairs = {folds[i:i + 2] for i in range(0, len(folds), 2)}
    assert "員员" in pairs and "僱雇" in pairs
    assert len(folds) < 2 * 1000


def test_the_status_names_the_word_a_typo_was_read_as(tab):
    from playwright.sync_api import expect
    page = tab().open("en/search.html?q=Total emmissions")
    expect(page.get_by_role("status")).to_contain_text("“Total emissions”")


def test_the_status_names_a_query_with_dollar_signs_as_typed(tab):
    from urllib.parse import quote

    from playwright.sync_api import expect
    query = "HK$'000 $&"        # `$'` and `$&` are patterns of String.replace, not text
    page = tab().open(f"en/search.html?q={quote(query)}")
    expect(page.get_by_role("status")).to_have_text(f"No section contains “{query}”.")


def test_a_malformed_address_of_a_section_is_no_script_error(tab):
    """A hand-typed "#%E0%A4%A" is taken as written: the page works, nothing is marked (the tab
    fixture fails on any script error)."""
    page = tab("phone").open("zh-hant/people.html?q=員工#%E0%A4%A")
    assert page.locator("mark.search-hit").count() == 0
    assert page.locator("main h1").count() == 1
