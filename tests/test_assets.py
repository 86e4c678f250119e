"""What the PDF may draw and fetch: images only from the report's folder, only glyphs the fonts have."""

from __future__ import annotations

import pytest
from PIL import Image
from pypdf import PdfReader

from conftest import pdf_path
from esgreport.errors import ReportError
from esgreport.pipeline import build


def append(path, text):
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def line_of(path, needle):
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if needle in line)


def only_problem(project, code, text, **kwargs):
    """Add `text` to a section of edition `code`; the build must stop with one problem in that file."""
    path = project.content / "2023" / code / "volunteering.md"
    append(path, text)
    with pytest.raises(ReportError) as info:
        build(project, editions=[code], **kwargs)
    (problem,) = info.value.problems
    assert problem.source == path
    assert not (project.output / code).exists()
    return problem, path


def test_remote_image_is_refused_with_file_and_line(project):
    problem, path = only_problem(project, "en", "\n\n![Volunteers](https://example.com/volunteers.jpg)\n")
    assert problem.line == line_of(path, "example.com")
    assert "not a file of the report" in problem.message


def test_local_image_reaches_the_web_page_and_the_pdf(project):
    images = project.content / "2023" / "images"
    images.mkdir()
    Image.new("RGB", (120, 60), (227, 90, 28)).save(images / "volunteers.png")
    path = project.content / "2023" / "en" / "volunteering.md"
    append(path, "\n\n![Volunteers at Food Angel](images/volunteers.png)\n")
    build(project, editions=["en"])
    page = (project.output / "en" / "social.html").read_text(encoding="utf-8")
    assert '<img class="content-image" src="media/images/volunteers.png" alt="Volunteers at Food Angel">' in page
    assert (project.output / "en" / "media" / "images" / "volunteers.png").is_file()
    reader = PdfReader(pdf_path(project, "en"))
    assert any(page.images for page in reader.pages)


def test_image_without_text_alternative_is_refused(project):
    (project.content / "2023" / "images").mkdir()
    Image.new("RGB", (10, 10)).save(project.content / "2023" / "images" / "x.png")
    problem, _ = only_problem(project, "en", "\n\n![](images/x.png)\n", formats=("html",))
    assert "no text alternative" in problem.message


def test_a_character_the_fonts_cannot_draw_stops_the_pdf(project):
    problem, path = only_problem(project, "zh-hant", "\n\n志願者們的笑臉 🙂 令人難忘。\n")
    assert problem.line == line_of(path, "🙂")
    assert "'🙂' (U+1F642)" in problem.message
