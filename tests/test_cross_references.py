"""Cross-references and disclosure codes as links: `{{ ref("id") }}` prints a section's own title as a
link (and its page in print); a section's HKEX and GRI codes stand under its title, each linked to its
entry of the content index, which links back to the section (fixture report)."""

from __future__ import annotations

import re

from conftest import FIXTURE_YEAR, edit, edition_folder, line_of, problems_of

from esgreport.pipeline import build, check


def section(project, code: str, name: str = "about-this-report.md"):
    return project.content / str(FIXTURE_YEAR) / code / name


def refer(project) -> None:
    """A cross-reference in both editions (the English translation brought up to date with it)."""
    edit(section(project, "zh-hant"), "董事會對本報告負責。", '董事會對本報告負責，詳見{{ ref("kpi-tables", part=True) }}。')
    edit(section(project, "en"), "The Board is responsible for this report.",
         'The Board is responsible for this report; see {{ ref("kpi-tables", part=True) }}.')


def test_a_cross_reference_is_the_targets_own_title_as_a_link(project):
    refer(project)
    build(project, formats=["html"])
    zh = (edition_folder(project, "zh-hant") / "about-this-report.html").read_text(encoding="utf-8")
    en = (edition_folder(project, "en") / "about-this-report.html").read_text(encoding="utf-8")
    assert '詳見<a class="cross-ref" href="appendix.html#kpi-tables">附錄－關鍵績效指標表</a>' in zh
    assert 'see <a class="cross-ref" href="appendix.html#kpi-tables">Appendices – Key Performance Indicators</a>.' in en


def test_an_unknown_section_in_a_cross_reference_is_one_problem_at_its_line(project):
    refer(project)
    path = section(project, "en")
    edit(path, 'ref("kpi-tables", part=True)', 'ref("kpi-table", part=True)')
    (p,) = [p for p in problems_of(lambda: check(project)) if p.severity == "error"]
    assert (p.source, p.line, p.message) == (path, line_of(path, "kpi-table"), "unknown section `kpi-table`")
    assert p.hint == "did you mean `kpi-tables`?"


def test_a_sections_disclosure_codes_link_to_the_index_which_links_back(project):
    build(project, formats=["html"])
    for code, hkex, gri in (("zh-hant", "聯交所：", "GRI："), ("en", "HKEX ", "GRI ")):
        folder = edition_folder(project, code)
        environment = (folder / "environment.html").read_text(encoding="utf-8")
        appendix = (folder / "appendix.html").read_text(encoding="utf-8")
        codes = re.search(r'<section class="section level-2[^"]*" id="emissions".*?<ul class="disclosure-codes"[^>]*>'
                          r'(.*?)</ul>', environment, re.S).group(1)
        assert re.findall(r'<a href="([^"]+)">([^<]+)</a>', codes) == [
            ("appendix.html#hkex-A1", f"{hkex}A1"), ("appendix.html#hkex-A1.2", f"{hkex}A1.2"),
            ("appendix.html#gri-305-2", f"{gri}305-2")]
        for anchor in ("hkex-A1", "hkex-A1.2", "gri-305-2"):
            row = re.search(rf'<tr[^>]* id="{re.escape(anchor)}">(.*?)</tr>', appendix, re.S).group(1)
            assert 'href="environment.html#emissions"' in row          # the entry links back
