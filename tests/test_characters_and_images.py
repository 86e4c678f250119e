"""One strict door: characters no reader can see are refused in every content file and catalog, every
picture a section shows is opened as a picture, and a resource the PDF cannot use stops the build
(fixture report)."""

from __future__ import annotations

import pytest
from conftest import FIXTURE_YEAR, append, edit, edition_folder, line_of, problems_of
from PIL import Image

from esgreport.cli import main
from esgreport.pipeline import build, check

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


# --- pictures -------------------------------------------------------------------------------------------

def show_image(project, name: str) -> list:
    """Show images/`name` in the workforce section of both editions; the paths of the two files."""
    paths = []
    for code in ("zh-hant", "en"):
        path = folder(project) / code / "workforce.md"
        append(path, f"\n\n![Volunteers at Food Angel]({'images/' + name})\n")
        paths.append(path)
    return paths


def images(project):
    (folder(project) / "images").mkdir(exist_ok=True)
    return folder(project) / "images"


def one_image_problem(project, name):
    first, second = show_image(project, name)
    problem = only(problems_of(lambda: check(project)))
    assert (problem.source, problem.line) == (first, line_of(first, f"images/{name}"))
    assert f"en/workforce.md:{line_of(second, name)}" in problem.hint      # the other use, named once
    return problem


def test_a_png_named_jpg_is_one_problem_at_the_image(project):
    Image.new("RGB", (40, 20), (200, 60, 20)).save(images(project) / "volunteers.jpg", format="PNG")
    problem = one_image_problem(project, "volunteers.jpg")
    assert problem.message == "image `images/volunteers.jpg` is a PNG picture named .jpg"
    assert problem.hint.startswith("rename it to volunteers.png")


def test_a_truncated_image_is_one_problem_at_the_image(project):
    """Even where WeasyPrint was imported (it tells Pillow to accept a cut-short file and draws the rest grey)."""
    import weasyprint  # noqa: F401

    path = images(project) / "volunteers.jpg"
    Image.effect_noise((400, 300), 60).convert("RGB").save(path, quality=90)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    problem = one_image_problem(project, "volunteers.jpg")
    assert problem.message.startswith("image `images/volunteers.jpg` cannot be decoded (image file is truncated")
    assert "not copied whole" in problem.hint


def test_a_text_file_named_png_is_one_problem_at_the_image(project):
    (images(project) / "chart.png").write_text("Figures to follow.\n", encoding="utf-8")
    problem = one_image_problem(project, "chart.png")
    assert problem.message == "image `images/chart.png` is not a PNG picture: it holds text"


def test_a_picture_of_another_kind_named_png_is_named_for_what_it_is(project):
    Image.new("RGB", (40, 20)).save(images(project) / "chart.png", format="BMP")
    problem = one_image_problem(project, "chart.png")
    assert problem.message == ("image `images/chart.png` is not a PNG picture: it is a BMP picture, which the "
                               "report does not publish")


def test_an_svg_named_png_is_refused(project):
    """WeasyPrint would draw it as SVG whatever its name; an SVG can carry scripts."""
    (images(project) / "chart.png").write_text('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script>'
                                               "</svg>", encoding="utf-8")
    problem = one_image_problem(project, "chart.png")
    assert problem.message == "image `images/chart.png` is not a PNG picture: it is an SVG drawing (which can carry scripts)"


def test_an_image_over_the_pixel_cap_is_one_problem_at_the_image(project):
    Image.new("1", (8000, 6000)).save(images(project) / "poster.png")
    problem = one_image_problem(project, "poster.png")
    assert problem.message == ("image `images/poster.png` is 8,000 × 6,000 pixels (48 million), more than the "
                               "40 million an image may have")


def test_an_image_in_a_table_block_is_checked_at_its_line(project):
    Image.new("RGB", (40, 20)).save(images(project) / "logo.gif", format="PNG")
    paths = []
    for code in ("zh-hant", "en"):
        path = folder(project) / code / "workforce.md"
        append(path, "\n\n```table\ncolumns: [Name, Logo]\nrows:\n  - [Food Angel, '![Logo](images/logo.gif)']\n```\n")
        paths.append(path)
    problem = only(problems_of(lambda: check(project)))
    assert (problem.source, problem.line) == (paths[0], line_of(paths[0], "images/logo.gif"))
    assert "is a PNG picture named .gif" in problem.message


def test_good_images_of_every_kind_pass(project):
    folder_ = images(project)
    for name, fmt in (("a.png", "PNG"), ("b.jpg", "JPEG"), ("c.jpeg", "JPEG"), ("d.gif", "GIF"), ("e.webp", "WEBP")):
        Image.new("RGB", (40, 20), (10, 120, 90)).save(folder_ / name, format=fmt)
        show_image(project, name)
    check(project)


# --- what the PDF cannot use ----------------------------------------------------------------------------

def test_a_resource_the_pdf_refuses_fails_the_build_and_leaves_the_output(project, capsys):
    build(project, editions=["en"])
    before = {p: p.read_bytes() for p in edition_folder(project, "en").rglob("*") if p.is_file()}
    css = project.templates / "static" / "print.css"
    append(css, '\nbody { background: url("http://127.0.0.1:9/cover.png") }\n')
    code = main(["--root", str(project.root), "--lang", "en", "--format", "pdf", "-q"])
    err = capsys.readouterr().err
    assert code == 1
    assert (f"templates/static/print.css:{line_of(css, '127.0.0.1:9')}: the PDF cannot use "
            "http://127.0.0.1:9/cover.png: the build does not use the network") in err
    assert "Nothing in output/ was changed." in err and "Traceback" not in err
    assert {p: p.read_bytes() for p in edition_folder(project, "en").rglob("*") if p.is_file()} == before


def test_a_resource_the_pdf_cannot_load_fails_the_build(project, capsys):
    """WeasyPrint leaves out a picture it cannot load and goes on; the build does not."""
    css = project.templates / "static" / "print.css"
    append(css, '\nbody { background: url("cover.png") }\n')
    code = main(["--root", str(project.root), "--lang", "en", "--format", "pdf", "-q"])
    err = capsys.readouterr().err
    assert code == 1
    assert (f"templates/static/print.css:{line_of(css, 'cover.png')}: the PDF cannot use "
            "templates/static/cover.png: the file does not exist") in err
    assert not edition_folder(project, "en").exists()
