"""The preview's PDF (`serve`'s /__pdf/<edition>), laid out part by part and kept: it reads like the PDF
of one layout of the whole document (each page's text, the bookmarks, the links, the tags), and after
an edit only what changed is laid out again. The server's side is in test_editors.py."""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path

import pypdf
import pytest
from conftest import EDITIONS, FIXTURE_YEAR, append

from esgreport.commands.preview_pdf import EditionPdf
from esgreport.errors import Problems
from esgreport.pipeline import load
from esgreport.render.edition import render_edition
from esgreport.writers.layout import write_pdf
from esgreport.writers.parts import MARKER, PartsPdf, split_print_html


def reading(pdf: bytes) -> dict:
    """What a reader gets from a PDF: each page's text, the bookmarks (title and page, nested), each
    page's links (where they lead) and the tag tree (each element's type, alternative text, depth, page
    and marked content, in order)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        text = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", file.name, "-"], capture_output=True,
                              text=True, check=True).stdout
        reader = pypdf.PdfReader(file.name)

        def bookmarks(items) -> list:
            return [bookmarks(item) if isinstance(item, list) else (item.title, reader.get_destination_page_number(item))
                    for item in items]

        destinations = {name: reader.get_destination_page_number(d) for name, d in reader.named_destinations.items()}
        links = []
        for page in reader.pages:
            found = []
            for annotation in page.get("/Annots", []):
                annotation = annotation.get_object()
                if "/Dest" in annotation:
                    found.append(("page", destinations.get(str(annotation["/Dest"]))))
                elif "/A" in annotation:
                    found.append(("uri", str(annotation["/A"].get("/URI"))))
            links.append(sorted(found, key=str))

        tags: list[tuple] = []

        def walk(node, depth: int) -> None:
            node = node.get_object()
            page = node.get("/Pg")
            marked = []          # the marked content it holds: numbers in its page's drawing
            tags.append((depth, str(node.get("/S")), str(node.get("/Alt", "")),
                         reader.get_page_number(page.get_object()) if page is not None else None, marked))
            kids = node.get("/K", [])
            for kid in kids if isinstance(kids, list) else [kids]:
                kid = kid.get_object() if hasattr(kid, "get_object") else kid
                if isinstance(kid, dict) and "/S" in kid:
                    walk(kid, depth + 1)
                elif isinstance(kid, int):
                    marked.append(int(kid))

        root = reader.trailer["/Root"]
        walk(root["/StructTreeRoot"], 0)
        return {"pages": text.split("\f"), "bookmarks": bookmarks(reader.outline), "links": links, "tags": tags,
                "language": str(root.get("/Lang"))}


def assert_reads_alike(combined: bytes, whole: bytes) -> None:
    got, expected = reading(combined), reading(whole)
    assert len(got["pages"]) == len(expected["pages"])
    for number, (page, want) in enumerate(zip(got["pages"], expected["pages"]), 1):
        assert page == want, f"page {number} differs"
    for what in ("bookmarks", "links", "tags", "language"):
        assert got[what] == expected[what], what


def print_html(project, code: str, draft: bool = True, year: int | None = FIXTURE_YEAR) -> str:
    report = load(project, year)
    return render_edition(report, code, project.templates, project.locales, Problems(), draft=draft,
                          media=("print",)).print_html


def layout_of_the_whole(project, html: str, folder: Path) -> bytes:
    target = folder / "whole.pdf"
    write_pdf(html, project.templates / "static", target, project.root)
    return target.read_bytes()


def part_holding(html: str, anchor: str) -> int:
    return next(i for i, part in enumerate(split_print_html(html).parts) if f'id="{anchor}"' in part)


@pytest.mark.parametrize("code", EDITIONS)
def test_the_preview_pdf_reads_like_one_layout_and_an_edit_lays_out_only_its_part(project, code, tmp_path):
    edition = EditionPdf(project, None, code)
    parts = edition.parts
    first = edition.pdf()
    html = print_html(project, code)
    assert len(split_print_html(html).parts) == html.count(MARKER) == 7     # cover, contents, 4 parts, back
    assert_reads_alike(first, layout_of_the_whole(project, html, tmp_path))

    assert edition.pdf() == first and parts.laid_out == []              # nothing changed: nothing laid out

    # One paragraph: only its part is laid out again.
    section = project.content / str(FIXTURE_YEAR) / code / "emissions.md"
    append(section, "\n\nA paragraph written in the preview.\n" if code == "en" else "\n\n在預覽中寫下的一段。\n")
    edited = edition.pdf()
    html = print_html(project, code)
    assert parts.laid_out == [part_holding(html, "emissions")]
    assert_reads_alike(edited, layout_of_the_whole(project, html, tmp_path))

    # Enough to push the rest of the report on by pages: page numbers, the contents, the openers and
    # the indexes' page references follow, the later parts corrected rather than laid out again.
    before = [len(part.pages) for part in parts.parts]
    append(section, "".join(f"\n\nParagraph {i} of many, each of them long enough to fill a line or two of the "
                            "page and push the next chapter on.\n" if code == "en" else
                            f"\n\n第{i}段，每一段都足以佔滿一兩行，把下一章推後。\n" for i in range(40)))
    moved = edition.pdf()
    html = print_html(project, code)
    edited_part = part_holding(html, "emissions")
    assert len(parts.parts[edited_part].pages) > before[edited_part]
    assert parts.laid_out[0] == edited_part and parts.corrected
    assert_reads_alike(moved, layout_of_the_whole(project, html, tmp_path))

    # An edit in a section that starts further into its part: the part is laid out again from the page
    # before that section, its earlier pages kept.
    folder = project.content / str(FIXTURE_YEAR) / code
    append(folder / "kpi-tables.md", "".join(f"\n\nNote {i} on the tables, long enough to fill a line or two of "
                                             "the page and push the indexes on.\n" if code == "en" else
                                             f"\n\n關於各表的第{i}項說明，足以佔滿一兩行，把索引推後。\n" for i in range(40)))
    edition.pdf()
    append(folder / "gri-index.md", "\n\nOne more paragraph.\n" if code == "en" else "\n\n再多一段。\n")
    resumed = edition.pdf()
    html = print_html(project, code)
    appendix = part_holding(html, "gri-index")
    assert parts.laid_out == [appendix] and parts.resumed[appendix] >= 1
    assert_reads_alike(resumed, layout_of_the_whole(project, html, tmp_path))


def test_parts_that_flow_on_from_one_another_are_laid_out_as_one(project, tmp_path):
    """The parts are laid out apart only because each starts a page; a style sheet that lets the front
    matter flow on from the contents makes the preview lay the document out whole."""
    append(project.templates / "static" / "print.css",
           "\n.toc { break-after: auto; }\n.part.kind-front > .section.level-1 { break-before: auto; }\n")
    html = print_html(project, "en")
    parts = PartsPdf(project.root, project.templates / "static")
    combined = parts.write(html, key="flowing")
    assert parts.whole and len(parts.parts) == 1
    assert_reads_alike(combined, layout_of_the_whole(project, html, tmp_path))


def test_a_picture_the_preview_pdf_cannot_use_is_a_problem_at_its_line(project):
    from esgreport.errors import ReportError

    html = print_html(project, "en").replace(MARKER + "\n<section class=\"back-page\"",
                                             MARKER + '\n<img src="file:///etc/hostname" alt="x">'
                                             '<section class="back-page"', 1)
    with pytest.raises(ReportError) as info:
        PartsPdf(project.root, project.templates / "static").write(html)
    assert "the PDF cannot use /etc/hostname: it is outside the project" in str(info.value)


@pytest.mark.parametrize("code", EDITIONS)
def test_the_published_report_s_preview_pdf_reads_like_its_pdf(published_pdf, code, tmp_path):
    project = published_pdf.project
    published = published_pdf.pdf(code).read_bytes()
    html = print_html(project, code, draft=False, year=None)
    parts = PartsPdf(project.root, project.templates / "static")
    assert_reads_alike(parts.write(html), published)

    # A paragraph in the middle of the report, long enough to move the later chapters on by a page.
    social = part_holding(html, "employment")
    paragraph = "<p>" + ("A paragraph added in the preview, long enough to fill lines. " * 40
                         if code == "en" else "在預覽中加入的一段，足以佔滿數行。" * 40) + "</p>"
    edited = re.sub(r'(<section class="section level-3[^"]*" id="employment"[^>]*>\s*<h3[^>]*>.*?</h3>)',
                    lambda m: m.group(1) + paragraph * 3, html, count=1, flags=re.S)
    assert edited != html
    combined = parts.write(edited)
    assert parts.laid_out[0] == social and social + 1 in parts.corrected
    assert parts.resumed[social] >= 1           # its pages before the section of the edit were kept
    assert_reads_alike(combined, layout_of_the_whole(project, edited, tmp_path))
