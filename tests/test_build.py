"""End to end: the published 2023 report built in both languages, read back from the PDF and the HTML."""

from __future__ import annotations

import re

import pytest
from conftest import EDITIONS, PUBLISHED_YEAR, SEED, html_text
from pypdf import PdfReader

from esgreport.pipeline import check, load


def squash(text: str) -> str:
    """pdftotext breaks lines inside paragraphs and titles; compare without white space."""
    return re.sub(r"\s+", "", text)


def published_kpi_figures() -> list[str]:
    """Every figure of the published appendix 5.1 tables (seed lines 1193–1291)."""
    lines = SEED.read_text(encoding="utf-8").split("\n")[1192:1291]
    figures = []
    for line in lines:
        if "\t" not in line:
            continue
        cells = line.split("\t")
        for cell in cells[2:]:
            cell = re.sub(r"[（(][^)）]*[)）]", "", cell)        # "(滿分10分)", footnote markers
            for token in re.findall(r"(?<![\w.])\d[\d,]*(?:\.\d+)?(?![\w.])", cell):
                if not re.fullmatch(r"20(21|22|23)", token):
                    figures.append(token)
    return figures


@pytest.mark.parametrize("code", EDITIONS)
def test_outputs_exist(published_pdf, code):
    assert (published_pdf.folder(code) / "index.html").is_file()
    assert published_pdf.pdf(code).stat().st_size > 100_000


def test_the_published_report_passes_every_check(published_copy):
    report, warnings = check(published_copy, year=PUBLISHED_YEAR)
    assert report.year == PUBLISHED_YEAR
    assert warnings == [], "\n".join(w.format() for w in warnings)


@pytest.mark.parametrize("code", EDITIONS)
def test_pdf_holds_every_section_title(published, pdf_texts, code):
    report = load(published.project, PUBLISHED_YEAR)
    text = squash(pdf_texts[code])
    for section in report.sections():
        title = squash(section.title[code])
        assert title in text, f"{section.id}: {section.title[code]!r} not in the {code} PDF"


@pytest.mark.parametrize("code", EDITIONS)
def test_pdf_holds_every_published_appendix_figure(pdf_texts, code):
    figures = published_kpi_figures()
    assert len(figures) > 100   # the tables, not a handful
    text = pdf_texts[code]
    missing = sorted({f for f in figures if not re.search(rf"(?<![\d.,]){re.escape(f)}(?![\d,]|\.\d)", text)})
    assert not missing, f"figures of table 5.1 missing from the {code} PDF: {missing}"


@pytest.mark.parametrize("code, lang, title", [("zh-hant", "zh-Hant-HK", "2023年環境、社會及管治報告"),
                                               ("en", "en", "2023 Environmental, Social and Governance Report")])
def test_pdf_language_and_metadata(published_pdf, code, lang, title):
    reader = PdfReader(published_pdf.pdf(code))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == lang
    assert "/StructTreeRoot" in root            # tagged PDF
    assert title in reader.metadata.title
    assert reader.metadata.author


@pytest.mark.parametrize("code, texts", [("zh-hant", ["董事長致辭", "壹賬通", "目錄"]),
                                         ("en", ["Chairman’s Statement", "Board Statement", "Contents"])])
def test_key_texts_in_each_language(pdf_texts, code, texts):
    text = squash(pdf_texts[code])
    assert all(squash(t) in text for t in texts)
    assert "2,440" in text        # a figure from the data, formatted, in prose: employees at the end of 2023


@pytest.mark.parametrize("code,lang,heading", [
    ("zh-hant", "zh-Hant-HK", "可持續發展治理"),
    ("en", "en", "Sustainability Governance"),
])
def test_html_edition(published, code, lang, heading):
    index = (published.folder(code) / "index.html").read_text(encoding="utf-8")
    assert f'<html lang="{lang}">' in index
    page = (published.folder(code) / "sustainability-governance.html").read_text(encoding="utf-8")
    assert re.search(rf"<h1[^>]*>{re.escape(heading)}</h1>", page)
    assert re.search(r'<h2 class="section-title" id="h-board-statement">', page)
    appendix = re.sub(r"<[^>]+>", "", (published.folder(code) / "appendix.html").read_text(encoding="utf-8"))
    assert "1,097.47" in appendix and "0.0810" in appendix
    # the language switcher lands on the same page of the other edition
    other = "en" if code == "zh-hant" else "zh-hant"
    assert f'href="../{other}/sustainability-governance.html"' in page


def test_english_html_has_no_stray_chinese(published):
    text = html_text(published.folder("en"))
    # Chinese is allowed only inside the language switcher's own name and proper names given in
    # parentheses beside their English form.
    text = text.replace("繁體中文", "")
    runs = re.findall(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]+", text)
    bare = [r for r in runs if not re.search(rf"[（(]\s*{re.escape(r)}|{re.escape(r)}\s*[)）]", text)]
    assert not bare, f"untranslated Chinese in the English edition: {sorted(set(bare))[:20]}"
