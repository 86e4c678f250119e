"""What the PDF may draw and fetch: images only from the report's folder, only glyphs the fonts have."""

from __future__ import annotations

import pytest
from conftest import FIXTURE_YEAR, append, edition_folder, line_of, pdf_path
from PIL import Image
from pypdf import PdfReader

from esgreport.errors import ReportError
from esgreport.pipeline import build


def only_problem(project, code, text, **kwargs):
    """Add `text` to a section (in both editions, so that they stay alike) and build edition `code`:
    the build must stop with one problem, in that edition's file."""
    for edition in ("zh-hant", "en"):
        append(project.content / str(FIXTURE_YEAR) / edition / "workforce.md", text)
    path = project.content / str(FIXTURE_YEAR) / code / "workforce.md"
    with pytest.raises(ReportError) as info:
        build(project, editions=[code], **kwargs)
    (problem,) = info.value.errors
    assert problem.source == path
    assert not edition_folder(project, code).exists()
    return problem, path


def test_remote_image_is_refused_with_file_and_line(project):
    problem, path = only_problem(project, "en", "\n\n![Volunteers](http://127.0.0.1:9/volunteers.jpg)\n")
    assert problem.line == line_of(path, "127.0.0.1:9")
    assert "not a file of the report" in problem.message


def test_local_image_reaches_the_web_page_and_the_pdf(project):
    images = project.content / str(FIXTURE_YEAR) / "images"
    images.mkdir()
    Image.new("RGB", (120, 60), (227, 90, 28)).save(images / "volunteers.png")
    for code in ("zh-hant", "en"):    # both editions, so that their structure stays the same
        append(project.content / str(FIXTURE_YEAR) / code / "workforce.md",
               "\n\n![Volunteers at Food Angel](images/volunteers.png)\n")
    build(project, editions=["en"])
    folder = edition_folder(project, "en")
    page = (folder / "people.html").read_text(encoding="utf-8")
    assert '<img class="content-image" src="media/images/volunteers.png" alt="Volunteers at Food Angel">' in page
    assert (folder / "media" / "images" / "volunteers.png").is_file()
    reader = PdfReader(pdf_path(folder))
    assert any(page.images for page in reader.pages)


def test_image_without_text_alternative_is_refused(project):
    (project.content / str(FIXTURE_YEAR) / "images").mkdir()
    Image.new("RGB", (10, 10)).save(project.content / str(FIXTURE_YEAR) / "images" / "x.png")
    problem, _ = only_problem(project, "en", "\n\n![](images/x.png)\n", formats=("html",))
    assert "no text alternative" in problem.message


def test_a_character_the_fonts_cannot_draw_stops_the_pdf(project):
    problem, path = only_problem(project, "zh-hant", "\n\n志願者們的笑臉 🙂 令人難忘。\n")
    assert problem.message.startswith("the fonts cannot draw")
    assert problem.line == line_of(path, "🙂")
    assert "'🙂' (U+1F642)" in problem.message
