"""Checks that run on any year's content in `check` and every build (fixture report)."""

from __future__ import annotations

from conftest import FIXTURE_YEAR, append, edit, line_of, problems_of

from esgreport.pipeline import build, check


def section(project, code, name):
    return project.content / str(FIXTURE_YEAR) / code / name


def test_a_translation_missing_a_box_is_a_structure_problem(project):
    path = section(project, "en", "emissions.md")
    text = path.read_text(encoding="utf-8")
    path.write_text(text[:text.index("::: case")], encoding="utf-8")
    (p,) = problems_of(lambda: check(project))
    assert p.source == path
    assert p.message == "the en text differs in structure from zh-hant/emissions.md: case boxes 1 → 0"


def test_a_translation_with_a_list_item_less_is_a_structure_problem(project):
    edit(section(project, "en", "workforce.md"), "- data security.\n", "")
    (p,) = problems_of(lambda: check(project))
    assert "list items 2 → 1" in p.message


def test_a_draft_shows_structure_problems_as_warnings(project):
    edit(section(project, "en", "workforce.md"), "- data security.\n", "")
    report, warnings = check(project, draft=True)
    assert [w.severity for w in warnings] == ["warning"] and "list items 2 → 1" in warnings[0].message


def test_english_must_use_the_glossary(project):
    path = section(project, "en", "about-this-report.md")
    edit(path, "for stakeholders", "for interested parties")
    (p,) = problems_of(lambda: check(project))
    assert p.source == path
    assert p.message == "持份者 is not rendered as agreed: expected “stakeholders”"
    assert "content/glossary.yaml:1" in p.hint


def test_a_glossary_variant_is_accepted(project):
    edit(section(project, "en", "emissions.md"), "All of the Company's greenhouse gas emissions",
         "All of the Company's GHG emissions")
    edit(section(project, "en", "emissions.md"), "Scope 2 greenhouse gas emissions", "Scope 2 GHG emissions")
    check(project)


def test_an_empty_section_file_is_a_problem(project):
    for code in ("zh-hant", "en"):
        section(project, code, "hkex-index.md").write_text("---\nstatus: draft\n---\n\n", encoding="utf-8")
    found = problems_of(lambda: check(project))
    assert sorted((p.source.parent.name, p.message) for p in found if "empty" in p.message) == [
        ("en", "the section file is empty"), ("zh-hant", "the section file is empty")]


def test_an_untranslated_ui_string_is_a_problem(project):
    po = project.locales / "zh_Hant_HK" / "LC_MESSAGES" / "messages.po"
    edit(po, 'msgstr "目錄"', 'msgstr "Contents"')
    (p,) = problems_of(lambda: check(project))
    assert p.source == po and p.line == line_of(po, 'msgstr "Contents"') - 1
    assert p.message == "the UI string “Contents” shows English in the zh-hant edition"


def test_a_missing_ui_string_is_a_problem(project):
    po = project.locales / "zh_Hant_HK" / "LC_MESSAGES" / "messages.po"
    edit(po, 'msgstr "目錄"', 'msgstr ""')
    (p,) = problems_of(lambda: check(project))
    assert p.message == "the UI string “Contents” has no zh-hant translation"


def test_a_ui_string_with_plural_forms_is_checked_like_any_other(project):
    # Its id and translations are tuples: an empty one used to pass, and English left in went unnoticed.
    plural = 'msgid "%(count)s page"\nmsgid_plural "%(count)s pages"\n'
    append(project.locales / "messages.pot", f'\n{plural}msgstr[0] ""\nmsgstr[1] ""\n')
    po = project.locales / "zh_Hant_HK" / "LC_MESSAGES" / "messages.po"
    append(po, f'\n{plural}msgstr[0] ""\n')
    (p,) = problems_of(lambda: check(project))
    assert (p.source, p.line) == (po, line_of(po, 'msgid "%(count)s page"'))
    assert p.message == "the UI string “%(count)s page” has no zh-hant translation"
    edit(po, 'msgstr[0] ""', 'msgstr[0] "%(count)s pages"')
    (p,) = problems_of(lambda: check(project))
    assert p.message == "the UI string “%(count)s page” shows English in the zh-hant edition"
    edit(po, 'msgstr[0] "%(count)s pages"', 'msgstr[0] "%(count)s頁"')
    check(project)


def test_a_literal_year_list_without_the_reports_year_is_a_problem(project):
    path = project.content / str(FIXTURE_YEAR) / "data" / "environment.yaml"
    edit(path, "    years: {last: 2}\n    rows:", "    years: [2023, 2024]\n    rows:")
    found = problems_of(lambda: check(project))
    (p,) = [p for p in found if "not the report's year" in p.message]
    assert (p.source, p.line) == (path, line_of(path, "years: [2023, 2024]"))
    assert p.message == "table `environmental` shows 2023, 2024 but not the report's year 2025"
    assert "years: {last: 2}" in p.hint


def test_a_literal_year_list_with_the_reports_year_is_fine(project):
    path = project.content / str(FIXTURE_YEAR) / "data" / "environment.yaml"
    edit(path, "    years: {last: 2}\n    rows:", "    years: [2024, 2025]\n    rows:")
    check(project)


def test_the_folder_and_the_manifest_agree_on_the_year(project):
    (project.content / str(FIXTURE_YEAR)).rename(project.content / "2026")
    (p,) = problems_of(lambda: check(project))
    assert (p.source, p.line) == (project.content / "2026" / "report.yaml", line_of(p.source, "year: 2025"))
    assert p.message == "the manifest says 2025, but this is the folder of 2026"
    assert "new-year 2026" in p.hint


def test_translation_tells_are_warnings_naming_every_place(project):
    path = section(project, "en", "workforce.md")
    append(path, "\n\nThe Company actively trains its staff and actively recruits graduates!\n")
    report, warnings = check(project)
    assert [w.kind for w in warnings] == ["style", "style"]
    actively = next(w for w in warnings if "actively" in w.message)
    assert actively.severity == "warning" and actively.source == path
    assert actively.message.startswith("“actively” occurs 2 times in the en edition (at most 1): workforce.md:")
    assert actively.hint == "prefer omit it, or say what was done"
    result = build(project, editions=["en"], formats=["html"])   # warnings never stop a build
    assert len(result.warnings) == 2
