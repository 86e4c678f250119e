"""One strict door: characters no reader can see are refused in every content file and catalog, every
picture a section shows is opened as a picture, and a resource the PDF cannot use stops the build
(fixture report)."""

from __future__ import annotations

import pytest
from conftest import FIXTURE_YEAR, append, edit, line_of, problems_of

from esgreport.pipeline import check

# (what it is, the character, how the problem names it)
INVISIBLE = [
    ("bidi override", "\u202e", "U+202E RIGHT-TO-LEFT OVERRIDE"),
    ("bidi isolate", "\u2066", "U+2066 LEFT-TO-RIGHT ISOLATE"),
    ("zero-width space", "\u200b", "U+200B ZERO WIDTH SPACE"),
    ("zero-width joiner", "\u200d", "U+200D ZERO WIDTH JOINER"),
    ("byte-order mark inside the text", "\ufeff", "U+FEFF ZERO WIDTH NO-BREAK SPACE (a byte-order mark)"),
    ("control character", "\x07", "U+0007 CONTROL CHARACTER"),
    ("escape", "\x1b", "U+001B ESCAPE"),
    ("soft hyphen", "\u00ad", "U+00AD SOFT HYPHEN"),
    ("line separator", "\u2028", "U+2028 LINE SEPARATOR"),
    ("paragraph separator", "\u2029", "U+2029 PARAGRAPH SEPARATOR"),
]
IDS = [case[0] for case in INVISIBLE]


def folder(project):
    return project.content / str(FIXTURE_YEAR)


def catalog(project):
    return project.locales / "zh_Hant_HK" / "LC_MESSAGES" / "messages.po"


def only(problems):
    errors = [p for p in problems if p.severity == "error"]
    assert len(errors) == 1, "\n".join(p.format() for p in errors)
    return errors[0]


@pytest.mark.parametrize("what, char, named", INVISIBLE, ids=IDS)
def test_an_invisible_character_in_a_section_is_one_problem_at_its_line(project, what, char, named):
    path = folder(project) / "en" / "workforce.md"
    edit(path, "training sessions during", f"training{char} sessions during")
    problem = only(problems_of(lambda: check(project)))
    assert (problem.source, problem.line) == (path, line_of(path, "training"))
    assert named in problem.message and "column" in problem.message
    assert problem.hint.startswith("delete it: it cannot be seen")


@pytest.mark.parametrize("what, char, named", INVISIBLE, ids=IDS)
def test_an_invisible_character_in_a_data_file_is_one_problem_at_its_line(project, what, char, named):
    path = folder(project) / "data" / "people.yaml"
    edit(path, "en: Training sessions", f"en: Training{char} sessions")
    problem = only(problems_of(lambda: check(project)))
    assert (problem.source, problem.line) == (path, line_of(path, "en: Training"))
    assert named in problem.message


@pytest.mark.parametrize("what, char, named", INVISIBLE, ids=IDS)
def test_an_invisible_character_in_a_catalog_is_one_problem_at_its_line(project, what, char, named):
    path = catalog(project)
    edit(path, 'msgstr "目錄"', f'msgstr "目{char}錄"')
    problem = only(problems_of(lambda: check(project)))
    assert (problem.source, problem.line) == (path, line_of(path, 'msgstr "目'))
    assert named in problem.message


def test_an_invisible_character_in_a_shared_file_is_refused(project):
    """The glossary (and units, style, frameworks: everything read as content) is held to the same rule."""
    path = project.content / "glossary.yaml"
    append(path, "- {zh-hant: 持份\u200c者, en: stakeholders}\n")
    problem = only(problems_of(lambda: check(project)))
    assert (problem.source, problem.line) == (path, line_of(path, "持份\u200c者"))
    assert "U+200C ZERO WIDTH NON-JOINER" in problem.message


def test_a_figure_split_by_a_zero_width_space_is_caught(project):
    """'2,4<ZWSP>50' reads as 2,450 but would pass the check of typed figures: it is refused."""
    path = folder(project) / "en" / "workforce.md"
    append(path, "\n\nWe employed 2,4\u200b50 people.\n")
    problem = only(problems_of(lambda: check(project)))
    assert (problem.source, problem.line) == (path, line_of(path, "We employed"))
    assert "U+200B ZERO WIDTH SPACE (column 16)" in problem.message


def test_text_that_real_chinese_and_english_need_is_accepted(project):
    """Ordinary, ideographic and no-break spaces, tabs, Windows line ends and a leading byte-order mark."""
    path = folder(project) / "zh-hant" / "workforce.md"
    text = path.read_text(encoding="utf-8")
    path.write_bytes(("\ufeff" + text.replace("\n", "\r\n") + "\r\n年內\u3000舉辦\u00a0培訓。\tCO\u2082 e\u202fkg\r\n")
                     .encode("utf-8"))
    check(project)


def test_many_lines_with_invisible_characters_are_reported_up_to_a_bound(project):
    path = folder(project) / "en" / "workforce.md"
    append(path, "\n" + "".join(f"\nLine {i}\u200b and\u200d more.\n" for i in range(25)))
    problems = problems_of(lambda: check(project))
    assert len(problems) == 21
    assert all(p.source == path for p in problems)
    assert [p.line for p in problems[:20]] == sorted({p.line for p in problems[:20]})
    assert "U+200B ZERO WIDTH SPACE (column 7), U+200D ZERO WIDTH JOINER (column 12)" in problems[0].message
    assert problems[0].hint.startswith("delete them")
    assert problems[-1].message == "and 5 more lines with invisible characters" and problems[-1].line is None


def test_the_bundled_content_and_catalogs_have_no_invisible_characters():
    from conftest import ROOT

    from esgreport.model.load import invisible_characters

    files = [p for p in (ROOT / "content").rglob("*") if p.suffix in (".md", ".yaml")]
    files += list((ROOT / "locales").rglob("*.po"))
    assert len(files) > 20
    found = [p.format() for f in files for p in invisible_characters(
        f.read_text(encoding="utf-8").removeprefix("\ufeff"), f)]
    assert not found, "\n".join(found)
