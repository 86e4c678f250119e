"""The web edition as the engine makes it, on the fixture report: the home page's key figures (and a
mistake in naming them), the search index, page descriptions, hreflang alternates and the manifest."""

from __future__ import annotations

import json
import re

from conftest import FIXTURE_YEAR, edit, edition_folder, line_of, problems_of

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
    text = (folder / "search-index.js").read_text(encoding="utf-8")
    entries = json.loads(text[text.index("=") + 1:text.rindex(";")])
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
