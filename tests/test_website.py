"""The web edition as the engine makes it, on the fixture report: the home page's key figures (and a
mistake in naming them), the search index, page descriptions, hreflang alternates and the manifest."""

from __future__ import annotations

import json
import re

from conftest import FIXTURE_YEAR, edit, edition_folder, line_of, problems_of, unspaced

from esgreport.pipeline import build


def test_key_figures_come_from_the_data(project):
    build(project, editions=["en"], formats=["html"])
    home = (edition_folder(project, "en") / "index.html").read_text(encoding="utf-8")
    figures = home[home.index('class="key-figures"'):home.index('class="chapters"')]
    assert re.findall(r'<h3 id="key-(\w+)"', figures) == ["environment", "people"]
    assert "1,000.00" in figures and "Total electricity consumption" in figures


def test_a_misspelt_key_figure_is_one_problem_at_its_line(project):
    manifest = project.content / str(FIXTURE_YEAR) / "report.yaml"
    edit(manifest, "people: [workforce.total]", "people: [workforce.totl]")
    edit(manifest, "  environment: [energy", "  environmnt: [energy")
    problems = problems_of(lambda: build(project, formats=["html"]))
    found = sorted((p.source.name, p.line, p.message, p.hint.split(" or ")[0].rstrip("?") + "?")
                   for p in problems if p.severity == "error")
    assert found == [
        ("report.yaml", line_of(manifest, "environmnt:"), "key_figures: no part `environmnt`",
         "did you mean `environment`?"),
        ("report.yaml", line_of(manifest, "workforce.totl"), "unknown metric `workforce.totl`",
         "did you mean `workforce.total`?"),
    ]


def test_search_index_has_every_section_and_heading(project):
    build(project, editions=["zh-hant"], formats=["html"])
    folder = edition_folder(project, "zh-hant")
    entries = _index(folder)
    ids = {e["u"].split("#")[1] for e in entries}
    pages = {p.name: p.read_text(encoding="utf-8") for p in folder.glob("*.html")}
    for entry in entries:                                # each entry leads to an id of its page
        page, anchor = entry["u"].split("#")
        assert f'id="{anchor}"' in pages[page], entry["u"]
    sections = set(re.findall(r'<section class="section[^"]*" id="([^"]+)"', "".join(pages.values())))
    assert sections <= ids
    assert all("<" not in e["x"] for e in entries)       # text, not markup


def test_each_page_names_its_translation_and_describes_itself(project):
    build(project, formats=["html"])
    for code, other in (("en", "zh-hant"), ("zh-hant", "en")):
        folder = edition_folder(project, code)
        for page in folder.glob("*.html"):
            html = page.read_text(encoding="utf-8")
            assert f'<link rel="alternate" hreflang="zh-Hant-HK" href="../zh-hant/{page.name}">' in html
            assert f'<link rel="alternate" hreflang="en" href="../en/{page.name}">' in html
            assert (edition_folder(project, other) / page.name).is_file()
            description = re.search(r'<meta name="description" content="([^"]*)"', html).group(1)
            assert description.strip() and "<" not in description, page.name
        manifest = json.loads((folder / "manifest.webmanifest").read_text(encoding="utf-8"))
        assert manifest["icons"][0]["src"] == "assets/favicon.svg" and (folder / "assets" / "favicon.svg").is_file()


def _search_data(folder) -> dict:
    text = (folder / "search-index.js").read_text(encoding="utf-8")
    return json.loads(text[text.index("=") + 1:text.rindex(";")])


def _index(folder) -> list[dict]:
    return _search_data(folder)["entries"]


def test_search_text_is_the_text_as_printed(project):
    """Markup that sets a figure (its integer and decimals in boxes of their own) or keeps Chinese
    characters together adds no space to the index: a figure is found as printed."""
    build(project, formats=["html"])
    for code in ("zh-hant", "en"):
        texts = " ".join(e["x"] for e in _index(edition_folder(project, code)))
        assert "1,200.00" in texts and "1,000.00" in texts, code      # KPI table cells
        assert "1,200 .00" not in texts and " .00" not in texts
    zh = " ".join(e["x"] for e in _index(edition_folder(project, "zh-hant")))
    assert "董事會對本報告負責。" in zh           # its last two characters are kept together by markup


def test_every_kpi_row_is_a_link_target_and_key_figures_link_to_theirs(project):
    build(project, formats=["html"])
    for code in ("zh-hant", "en"):
        folder = edition_folder(project, code)
        pages = {p.name: p.read_text(encoding="utf-8") for p in folder.glob("*.html")}
        rows = re.findall(r'<tr class="level-\d"[^>]* id="([^"]+)"', pages["appendix.html"])
        assert {"energy.electricity", "ghg.scope2", "ghg.scope2_intensity", "workforce.total"} <= set(rows)
        assert len(rows) == len(set(rows))
        links = re.findall(r'<a class="card-link" href="([^"]+)"', pages["index.html"])
        assert links == ["appendix.html#energy.electricity", "appendix.html#ghg.scope2",
                         "appendix.html#workforce.total"]
        for link in links:
            page, anchor = link.split("#")
            assert f'id="{anchor}"' in pages[page]


def test_a_published_site_gives_full_addresses_and_share_metadata(project):
    manifest = project.content / str(FIXTURE_YEAR) / "report.yaml"
    edit(manifest, "published: 2026-04-20", "published: 2026-04-20\nsite: https://esg.example.org/2025")
    build(project, formats=["html"])
    page = (edition_folder(project, "en") / "people.html").read_text(encoding="utf-8")
    assert '<link rel="alternate" hreflang="zh-Hant-HK" href="https://esg.example.org/2025/zh-hant/people.html">' in page
    assert '<link rel="alternate" hreflang="en" href="https://esg.example.org/2025/en/people.html">' in page
    assert '<link rel="canonical" href="https://esg.example.org/2025/en/people.html">' in page
    assert '<meta property="og:url" content="https://esg.example.org/2025/en/people.html">' in page
    assert '<meta property="og:title" content="People · Harbour Ledger 2025 Environmental, Social and Governance Report">' in page
    assert '<meta property="og:locale" content="en">' in page
    zh = (edition_folder(project, "zh-hant") / "index.html").read_text(encoding="utf-8")
    assert '<meta property="og:locale" content="zh_HK">' in zh


def test_a_site_that_is_not_a_web_folder_is_one_problem(project):
    manifest = project.content / str(FIXTURE_YEAR) / "report.yaml"
    edit(manifest, "published: 2026-04-20", "published: 2026-04-20\nsite: ftp://esg.example.org/")
    (p,) = [p for p in problems_of(lambda: build(project, formats=["html"])) if p.severity == "error"]
    assert (p.source, p.line) == (manifest, line_of(manifest, "site: ftp"))
    assert "is not the address of a folder on the web" in p.message


def test_the_home_page_shows_when_the_report_was_published(project):
    build(project, formats=["html"])
    en = (edition_folder(project, "en") / "index.html").read_text(encoding="utf-8")
    zh = unspaced((edition_folder(project, "zh-hant") / "index.html").read_text(encoding="utf-8"))
    assert '<p class="cover-published">Published <time datetime="2026-04-20">20 April 2026</time></p>' in en
    assert '<p class="cover-published">發佈日期：<time datetime="2026-04-20">2026年4月20日</time></p>' in zh
    for page in (en, zh):
        assert "canonical" not in page            # no site address in the manifest: relative links only


def test_chinese_is_searched_without_the_narrow_gap_before_latin(project):
    """Where typography sets the gap between Chinese and Latin as a narrow space in the text, the index
    leaves it out, so 參照GRI標準 is found as a reader types it."""
    zh = project.content / str(FIXTURE_YEAR) / "zh-hant" / "about-this-report.md"
    edit(zh, "董事會對本報告負責。", "董事會對本報告負責。本報告參照\u2009GRI\u2009標準編製。")
    build(project, editions=["zh-hant"], formats=["html"])
    texts = " ".join(e["x"] for e in _index(edition_folder(project, "zh-hant")))
    assert "本報告參照GRI標準編製。" in texts and "\u2009" not in texts
