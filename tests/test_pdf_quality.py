"""Quality of the printed report: pages, bookmarks, tagging (PDF/UA), fonts, size, tables across
page breaks and text that stays inside its boxes.

The PDFs come from the session build of the published 2023 report (`published`). Checks on page
layout use WeasyPrint's own layout of each PDF (tests/pdf_layout.py); the first layout test makes
sure that layout has as many pages as the built PDF.
"""

from __future__ import annotations

import re

import pytest
from conftest import PUBLISHED_YEAR, PerEdition
from pdf_layout import (
    LABEL_ROW_CLASSES,
    _boxes,
    box_text,
    classes,
    find,
    fonts,
    in_full_bleed,
    index_layout,
    iter_struct,
    outline_entries,
    real_box,
    squash,
    struct_tree,
    walk,
)
from pypdf import PdfReader

from esgreport.editions import EDITIONS as EDITION_INFO
from esgreport.pipeline import load

EDITIONS = ("zh-hant", "en")

# About 59 zh-hant and 73 en pages when these tests were written; ±25 %.
PAGE_RANGES = {"zh-hant": (44, 74), "en": (55, 91)}
MAX_PDF_BYTES = 5 * 1024 * 1024
TOLERANCE = 0.5     # CSS px (WeasyPrint's unit): rounding, hairline borders
HYPHEN = "\u2010"    # WeasyPrint's default hyphenate-character, added where it hyphenates a word



# --------------------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def report(published):
    return load(published.project, PUBLISHED_YEAR)


@pytest.fixture(scope="module")
def readers(published_pdf) -> PerEdition:
    return PerEdition(lambda code: PdfReader(published_pdf.pdf(code)))


@pytest.fixture(scope="module")
def layouts(published_pdf) -> PerEdition:
    """WeasyPrint's layout of each edition, the one its PDF was written from."""
    return PerEdition(lambda code: index_layout(published_pdf.documents[code], code))


@pytest.fixture(scope="module")
def page_texts(pdf_texts) -> PerEdition:
    """pdftotext output per page (index 0 = page 1)."""
    return PerEdition(lambda code: pdf_texts[code].split("\f"))


def _clip(text: str, n: int = 40) -> str:
    return " ".join(text.split())[:n]


def _none(offenders: list[tuple], code: str, what: str) -> None:
    assert not offenders, f"{code}: {what} (page, text): {offenders}"


# --------------------------------------------------------------------------- 1. pages

@pytest.mark.parametrize("code", EDITIONS)
def test_page_count_in_expected_range(readers, code):
    low, high = PAGE_RANGES[code]
    pages = len(readers[code].pages)
    assert low <= pages <= high, f"{code}: {pages} pages, expected {low}–{high}"


# --------------------------------------------------------------------------- 2. outline

@pytest.mark.parametrize("code", EDITIONS)
def test_outline_has_every_part_in_order(readers, report, page_texts, code):
    entries = outline_entries(readers[code])
    assert entries, f"{code}: the PDF has no bookmarks"
    # a numbered chapter's bookmark carries its number as printed on its opener: "01 可持續發展治理"
    shown_titles = [" ".join(part.title[code].split()) for part in report.parts]
    titles = [bookmark_title(part, code) for part in report.parts]
    top = [(title, page) for level, title, page in entries if level == 0]
    top_titles = [t for t, _ in top]
    missing = [t for t in titles if t not in top_titles]
    assert not missing, (f"{code}: parts without a top-level bookmark: {missing}\n"
                         f"top-level bookmarks: {top_titles}")
    # in the order of report.yaml, each once, pointing at pages in reading order
    found = [t for t in top_titles if t in titles]
    assert found == titles, f"{code}: part bookmarks out of order or repeated: {found}"
    pages = [page for t, page in top if t in titles]
    assert None not in pages, f"{code}: a part bookmark has no destination page: {list(zip(titles, pages))}"
    assert pages == sorted(pages), f"{code}: part bookmarks point backwards: {list(zip(titles, pages))}"
    for title, page in zip(shown_titles, pages):
        shown = squash(page_texts[code][page]).replace(HYPHEN, "")   # a title may be hyphenated
        assert squash(title) in shown, \
            f"{code}: bookmark {title!r} points at page {page + 1}, which does not show that title"


# --------------------------------------------------------------------------- 3. tagging, PDF/UA

@pytest.mark.parametrize("code", EDITIONS)
def test_tagged_pdf_ua_with_language(readers, code):
    root = readers[code].trailer["/Root"]
    assert "/StructTreeRoot" in root, f"{code}: not a tagged PDF (no StructTreeRoot)"
    mark_info = root.get("/MarkInfo")
    assert mark_info is not None and bool(mark_info.get_object().get("/Marked")), \
        f"{code}: MarkInfo /Marked is not true"
    assert str(root.get("/Lang", "")) == EDITION_INFO[code].html_lang, \
        f"{code}: /Lang is {root.get('/Lang')!r}, expected {EDITION_INFO[code].html_lang!r}"
    assert "/Metadata" in root, f"{code}: no XMP metadata"
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert re.search(r"""pdfuaid:part\s*=\s*["']1["']|<pdfuaid:part>\s*1\s*</pdfuaid:part>""", xmp), \
        f"{code}: the XMP metadata does not identify PDF/UA-1 (pdfuaid:part 1)"
    assert re.search(r"<dc:title>.*\S.*</dc:title>", xmp, re.S), f"{code}: PDF/UA needs a dc:title"
    prefs = root.get("/ViewerPreferences")
    assert prefs is not None and bool(prefs.get_object().get("/DisplayDocTitle")), \
        f"{code}: PDF/UA needs ViewerPreferences /DisplayDocTitle true"


@pytest.mark.parametrize("code", EDITIONS)
def test_every_figure_has_alt_text(readers, code):
    figures = [e for e in iter_struct(struct_tree(readers[code])) if e.tag == "/Figure"]
    assert figures, f"{code}: no /Figure structure elements (the charts should be figures)"
    bare = [e.page + 1 if e.page is not None else None
            for e in figures if not str(e.node.get("/Alt", "")).strip()]
    assert not bare, f"{code}: /Figure without /Alt text on pages {bare}"


@pytest.mark.parametrize("code", EDITIONS)
def test_table_headers_are_th(readers, layouts, code):
    tree = struct_tree(readers[code])
    elems = list(iter_struct(tree))
    assert any(e.tag == "/TH" for e in elems), f"{code}: no /TH structure element at all"
    tables = [e for e in elems if e.tag == "/Table"]
    assert tables, f"{code}: no /Table structure element"

    problems = []
    for t in tables:
        for thead in find(t, "/THead"):
            for tr in find(thead, "/TR"):
                tags = [c.tag for c in tr.children]
                if any(tag != "/TH" for tag in tags):
                    problems.append(f"page {t.page + 1}: THead row tagged {tags}")

    # Which /Table is a KPI table: WeasyPrint tags one /Table per table per page, in layout order,
    # so the n-th /Table of a page is the n-th table fragment of the same page in the layout.
    by_page: dict[int, list] = {}
    for t in tables:
        by_page.setdefault(t.page, []).append(t)
    layout = layouts[code]
    kpi_checked = 0
    for page in layout.pages:
        frags = [f for f in layout.tables if f.page == page.number]
        tagged = by_page.get(page.number - 1, [])
        assert len(frags) == len(tagged), \
            f"{code} page {page.number}: {len(frags)} tables laid out but {len(tagged)} /Table elements"
        for frag, t in zip(frags, tagged):
            if not frag.kpi:
                continue
            kpi_checked += 1
            columns = frag.columns
            where = f"page {page.number}, KPI table {frag.caption!r}"
            theads = list(find(t, "/THead"))
            if not theads:
                problems.append(f"{where}: no THead")
                continue
            head_cells = [c.tag for tr in find(theads[0], "/TR") for c in tr.children]
            if head_cells != ["/TH"] * columns or columns < 3:
                problems.append(f"{where}: header cells tagged {head_cells}, expected {columns} × /TH")
            for tbody in find(t, "/TBody"):
                for tr in find(tbody, "/TR"):
                    if not tr.children or tr.children[0].tag != "/TH":
                        problems.append(f"{where}: a body row does not start with its /TH row header")
    assert kpi_checked, f"{code}: found no KPI table in the layout"
    assert not problems, f"{code}: " + "\n".join(problems)


# --------------------------------------------------------------------------- 4. fonts and size

@pytest.mark.parametrize("code", EDITIONS)
def test_fonts_embedded_and_subset(readers, code):
    used = fonts(readers[code])
    assert used, f"{code}: no fonts found"
    not_embedded = sorted(f.name for f in used.values() if not f.embedded)
    not_subset = sorted(f.name for f in used.values() if not re.match(r"^[A-Z]{6}\+", f.name))
    assert not not_embedded, f"{code}: fonts not embedded: {not_embedded}"
    assert not not_subset, f"{code}: fonts not subset (no ABCDEF+ prefix): {not_subset}"


@pytest.mark.parametrize("code", EDITIONS)
def test_only_the_report_type_families(readers, code):
    """report.css sets Noto Sans and Noto Sans CJK TC; a serif or Japanese CJK face is a fallback
    (the running header and page number once fell back to Noto Serif and, for Chinese, Noto Sans
    CJK JP, when the font family was set on body, which @page margin boxes do not inherit)."""
    allowed = re.compile(r"^[A-Z]{6}\+Noto-Sans(-CJK-TC)?(-Bold|-Italic|-BoldItalic|-Oblique|-BoldOblique)?$")
    other = {f.name: sorted(f.pages)[:8] for f in fonts(readers[code]).values() if not allowed.match(f.name)}
    assert not other, f"{code}: fonts outside the report's families (font: first pages): {other}"


@pytest.mark.parametrize("code", EDITIONS)
def test_pdf_size(published_pdf, code):
    size = published_pdf.pdf(code).stat().st_size
    assert size <= MAX_PDF_BYTES, f"{code}: the PDF is {size / 1e6:.1f} MB, more than 5 MB"


# --------------------------------------------------------------------------- 5. tables across pages

@pytest.mark.parametrize("code", EDITIONS)
def test_layout_is_the_built_pdf(layouts, readers, code):
    """The layout the next tests inspect paginates like the PDF the build wrote."""
    assert len(layouts[code].pages) == len(readers[code].pages)


def _continuing_tables(layout):
    return [frags for frags in layout.fragments_by_table().values() if len(frags) > 1]


@pytest.mark.parametrize("code", EDITIONS)
def test_table_headers_repeat_on_continuation_pages(layouts, page_texts, code):
    continuing = _continuing_tables(layouts[code])
    assert continuing, f"{code}: no table runs over a page break (the appendix tables should)"
    problems = []
    with_header = 0
    for frags in continuing:
        first = frags[0]
        if not first.has_thead:
            continue            # a table without a thead has nothing to repeat
        with_header += 1
        if not first.header:
            problems.append(f"page {first.page}, {first.caption or 'table'!r}: its thead is not laid out "
                            "as a table header group (display: table-header-group), so it cannot repeat")
            continue
        expected = [r.text for r in first.header]
        for frag in frags[1:]:
            where = f"page {frag.page}, {first.caption or 'table'!r}"
            if not frag.header:
                problems.append(f"{where}: continues without its header row")
                continue
            if not frag.header_first:
                problems.append(f"{where}: header row is not at the top of the continuation")
            if [r.text for r in frag.header] != expected:
                problems.append(f"{where}: header {[r.text for r in frag.header]} ≠ {expected}")
            # and the drawn page shows it
            text = squash(page_texts[code][frag.page - 1])
            absent = [c for c in frag.header[0].cells if c and squash(c) not in text]
            if absent:
                problems.append(f"{where}: header cells {absent} not in the PDF text of the page")
    # (The 2023 KPI tables break between their groups or not at all, so it is the indexes that continue
    # here; a KPI-style table split inside a group is checked on a small document below.)
    assert with_header, f"{code}: no table with a header row runs over a page break (the indexes should)"
    assert not problems, f"{code}:\n" + "\n".join(problems)


@pytest.mark.parametrize("code", EDITIONS)
def test_no_orphaned_table_row(layouts, code):
    """A table that continues keeps at least two body rows on each page it is on."""
    problems = []
    for frags in _continuing_tables(layouts[code]):
        for i, frag in enumerate(frags):
            if len(frag.body) <= 1:
                where = "at the bottom" if i == 0 else "at the top"
                row = frag.body[0].text if frag.body else "(no row)"
                problems.append((frag.page, where, frags[0].caption[:30], _clip(row)))
    assert not problems, f"{code}: a single row of a continuing table alone on a page " \
                         f"(page, where, table, row): {problems}"


@pytest.mark.parametrize("code", EDITIONS)
def test_no_row_heading_left_at_page_bottom(layouts, code):
    problems = []
    for frags in _continuing_tables(layouts[code]):
        for frag in frags[:-1]:
            if frag.body and frag.body[-1].classes & LABEL_ROW_CLASSES:
                problems.append((frag.page, frags[0].caption[:30], _clip(frag.body[-1].text)))
    assert not problems, f"{code}: a row heading ends the page, its rows start the next " \
                         f"(page, table, row): {problems}"


@pytest.mark.parametrize("code", EDITIONS)
def test_headings_not_hyphenated(layouts, code):
    """Titles break between words only: no hyphenate-character at the end of a heading line."""
    from weasyprint.formatting_structure import boxes
    headings = {"h1", "h2", "h3", "h4", "h5", "h6", "figcaption"}
    offenders = []
    for page in layouts[code].pages:
        for box, ancestors in walk(page.page_box):
            if (isinstance(box, boxes.TextBox) and box.text.endswith(box.style["hyphenate_character"])
                    and any(a.element_tag in headings for a in ancestors)):
                offenders.append((page.number, _clip(box.text)))
    assert not offenders, f"{code}: hyphenated headings (page, line): {offenders}"


# --------------------------------------------------------------------------- 6. overflow

def _is_text(box) -> bool:
    from weasyprint.formatting_structure import boxes
    return isinstance(box, (boxes.TextBox, boxes.ReplacedBox))


def _label(box) -> str:
    from weasyprint.formatting_structure import boxes
    if isinstance(box, boxes.ReplacedBox):
        return f"[{box.element_tag.split('}')[-1]}]"
    return _clip(box_text(box)) or f"[{type(box).__name__} {box.element_tag}]"


@pytest.mark.parametrize("code", EDITIONS)
def test_text_within_page_content_area(layouts, code):
    """Text (and images) between the page margins, except on the full-bleed cover, openers, back."""
    offenders = []
    for page in layouts[code].pages:
        for box, ancestors in walk(page.page_box):
            if not _is_text(box) or in_full_bleed(ancestors, box):
                continue
            x0 = box.border_box_x()
            x1 = x0 + box.border_width()
            if x0 < page.left - TOLERANCE or x1 > page.right + TOLERANCE:
                offenders.append((page.number, _label(box)))
    _none(offenders, code, "text outside the page's content area")


@pytest.mark.parametrize("code", EDITIONS)
def test_nothing_below_page_content_area(layouts, code):
    """No box (text, table row, card, chart …) reaches into the bottom margin, where the page
    number is. (The top is not checked: a heading's glyph box pokes above the first line box by
    design when its line-height is smaller than the font's ascent plus descent.)"""
    from weasyprint.formatting_structure import boxes
    offenders = []
    for page in layouts[code].pages:
        for box, ancestors in walk(page.page_box):
            if isinstance(box, boxes.PageBox) or in_full_bleed(ancestors, box):
                continue
            overhang = box.border_box_y() + box.border_height() - page.bottom
            if overhang > TOLERANCE:
                offenders.append((page.number, type(box).__name__, f"{overhang:.1f}px", _label(box)))
    assert not offenders, f"{code}: boxes below the page's content area: {offenders[:20]}"


@pytest.mark.parametrize("code", EDITIONS)
def test_text_within_its_box(layouts, code):
    """Every run of text fits, horizontally, inside the padding box of the block (table cell, card,
    paragraph …) that holds it: nothing overlaps a neighbouring cell or sticks out of a card."""
    from weasyprint.formatting_structure import boxes
    offenders = []
    for page in layouts[code].pages:
        for box, ancestors in walk(page.page_box):
            if not isinstance(box, boxes.TextBox) or not box.text.strip():
                continue
            block = next((real_box(a) for a in reversed(ancestors)
                          if isinstance(real_box(a), boxes.BlockContainerBox)), None)
            if block is None:
                continue
            left = block.padding_box_x()
            right = left + block.padding_width()
            x0 = box.border_box_x()
            x1 = x0 + box.border_width()
            if x0 < left - TOLERANCE or x1 > right + TOLERANCE:
                offenders.append((page.number, _clip(box.text)))
    _none(offenders, code, "text sticking out of its box")


# --------------------------------------------------------------------------- 7. Chinese line breaking

CLOSING = set("，。、；：？！）」』】〉》”’…")
OPENING = set("（「『【〈《“‘")


@pytest.mark.parametrize("code", ["zh-hant"])
def test_chinese_lines_do_not_start_with_closing_or_end_with_opening_punctuation(layouts, code):
    """Kinsoku: no line of the Chinese edition begins with closing or ends with opening punctuation."""
    boxes = _boxes()
    offenders = []
    for page in layouts[code].pages:
        for box, _ in walk(page.page_box):
            if isinstance(box, boxes.LineBox):
                text = box_text(box).strip()
                if text and (text[0] in CLOSING or text[-1] in OPENING):
                    offenders.append((page.number, _clip(text)))
    assert not offenders, f"lines breaking at the wrong punctuation (page, line): {offenders[:20]}"


# --------------------------------------------------------------------------- 8. page flow

SHORT = 0.5          # a page whose text ends above half its height is short
MAX_SHORT_PAGES = 2


def _content_bottom(page) -> float | None:
    """Where the last line, image or table row of a page ends (None: nothing on it)."""
    from weasyprint.formatting_structure import boxes
    bottom = None
    for box, ancestors in walk(page.page_box):
        if in_full_bleed(ancestors, box):
            continue
        if isinstance(box, (boxes.LineBox, boxes.ReplacedBox, boxes.TableRowBox)):
            end = box.border_box_y() + box.border_height()
            bottom = end if bottom is None else max(bottom, end)
    return bottom


def _starts_a_part(page) -> bool:
    """The page opens a part: a chapter opener, the back cover, or a front part's title (h1)."""
    return page.name in ("opener", "back") or any(
        box.element_tag == "h1" for box, _ in walk(page.page_box))


def _text_pages(layout):
    """(page, fill, before a new part) for every page of running text: not the cover, the contents,
    an opener or the back cover."""
    for i, page in enumerate(layout.pages):
        if page.name in ("cover", "opener", "back") or any("toc" in classes(b) for b, _ in walk(page.page_box)):
            continue
        bottom = _content_bottom(page)
        fill = 0.0 if bottom is None else (bottom - page.top) / (page.bottom - page.top)
        following = layout.pages[i + 1] if i + 1 < len(layout.pages) else None
        yield page, fill, following is None or _starts_a_part(following)


@pytest.mark.parametrize("code", EDITIONS)
def test_no_page_left_mostly_empty(layouts, code):
    """Sections flow on: at most two pages of running text end above half the page. A part (chapter,
    front-matter part, the back cover) starts on a new page, so the page before it may be short: the
    rule of the design ("no page left mostly empty except before a chapter opener, the back page")
    leaves those out; the message lists them too."""
    short = [(p.number, round(fill, 2)) for p, fill, before_part in _text_pages(layouts[code])
             if fill < SHORT and not before_part]
    part_ends = [(p.number, round(fill, 2)) for p, fill, before_part in _text_pages(layouts[code])
                 if fill < SHORT and before_part]
    assert len(short) <= MAX_SHORT_PAGES, (
        f"{code}: {len(short)} pages of running text end above half the page (page, fill): {short}; "
        f"pages before a new part, allowed: {part_ends}")


@pytest.mark.parametrize("code", EDITIONS)
def test_headings_and_table_titles_stay_with_what_follows(layouts, code):
    """No heading, table title or chart title is the last thing on a page."""
    from weasyprint.formatting_structure import boxes
    offenders = []
    for page in layouts[code].pages:
        if page.name in ("cover", "opener", "back"):
            continue
        last = None
        for box, ancestors in walk(page.page_box):
            if isinstance(box, (boxes.LineBox, boxes.ReplacedBox, boxes.TableRowBox)) \
                    and not in_full_bleed(ancestors, box):
                last = (box, ancestors)
        if last is None:
            continue
        box, ancestors = last
        holders = [a for a in ancestors if a.element_tag in ("h1", "h2", "h3", "h4", "h5", "figcaption")]
        if holders and not any("toc" in classes(a) for a in ancestors):
            offenders.append((page.number, _clip(box_text(holders[-1]))))
    _none(offenders, code, "a heading or caption ends the page, its text starts the next")


PART_END_FILL = 0.25    # a part's last page holds more than about ten lines
TITLE_LINES = 5         # lines of text a numbered section title keeps with at a page's foot
HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5")


@pytest.mark.parametrize("code", EDITIONS)
def test_the_last_page_of_a_part_is_not_left_with_a_few_lines(layouts, code):
    """No page of ten lines or fewer inside a part: the last page of each part (before an opener, a
    front part's title or the back cover) is filled at least a quarter (esgreport/writers/layout.py
    moves a block of the page before onto it where it would not be)."""
    short = [(p.number, round(fill, 2)) for p, fill, before_part in _text_pages(layouts[code])
             if before_part and fill < PART_END_FILL]
    _none(short, code, f"a part's last page filled less than {PART_END_FILL:.0%}")


@pytest.mark.parametrize("code", EDITIONS)
def test_no_numbered_title_stranded_at_a_page_foot(layouts, code):
    """A section's numbered title (1.2, 3.2.1 …) in the lower part of a page whose text goes on to
    the next keeps at least five lines of text under it there."""
    boxes = _boxes()
    offenders = []
    for page, _, before_part in _text_pages(layouts[code]):
        if before_part:
            continue
        lines = [a for b, a in walk(page.page_box) if isinstance(b, boxes.LineBox) and not in_full_bleed(a, b)]
        tops = [b.position_y for b, a in walk(page.page_box) if isinstance(b, boxes.LineBox)
                and not in_full_bleed(a, b)]
        for i, ancestors in enumerate(lines):
            title = next((a for a in ancestors if "section-title" in classes(a)), None)
            if title is None or (i and title in lines[i - 1]):
                continue                      # not a title, or not its first line
            text_after = [a for a in lines[i + 1:] if not any(x.element_tag in HEADING_TAGS
                                                              or "disclosure-codes" in classes(x) for x in a)]
            if (tops[i] - page.top) / (page.bottom - page.top) > 0.6 and len(text_after) < TITLE_LINES:
                offenders.append((page.number, _clip(box_text(title)), len(text_after)))
    _none(offenders, code, "a numbered title with fewer than five lines under it at a page's foot")


@pytest.mark.parametrize("code", EDITIONS)
def test_a_tables_notes_stay_on_the_page_of_its_last_row(layouts, code):
    """A table's notes are never carried, or split, onto the next page."""
    boxes = _boxes()
    last_row: dict[int, int] = {}          # figure element → the page of its table's last row
    notes: list[tuple[int, int, str]] = []
    for page in layouts[code].pages:
        for box, ancestors in walk(page.page_box):
            figure = next((a for a in reversed(ancestors) if a.element_tag == "figure"), None)
            if figure is None:
                continue
            if isinstance(box, boxes.TableRowBox):
                last_row[id(figure.element)] = page.number
            elif "table-notes" in classes(box):
                notes.append((page.number, id(figure.element), _clip(box_text(box))))
    offenders = [(page, text) for page, figure, text in notes if last_row.get(figure, page) != page]
    _none(offenders, code, "table notes on another page than the table's last row")


# --------------------------------------------------------------------------- 9. English typography

NO_HYPHENATION_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6", "figcaption", "table", "nav", "dl"}
NO_HYPHENATION_CLASSES = {"toc", "card", "highlights", "chart", "opener", "org-chart", "disclosure-index",
                          "index-statement", "table-notes", "signature", "card-note"}


def _lines(layout):
    """Every line of running text in reading order: (page, line box, the element it belongs to,
    its ancestors)."""
    from weasyprint.formatting_structure import boxes
    for page in layout.pages:
        for box, ancestors in walk(page.page_box):
            if isinstance(box, boxes.LineBox):
                parent = ancestors[-1] if ancestors else None
                yield page.number, box, getattr(parent, "element", None), ancestors


def _paragraph_lines(layout):
    """Lines grouped by the element they belong to, across pages: [(page, text, ancestors)], …"""
    groups: list[list] = []
    last = None
    for page, line, element, ancestors in _lines(layout):
        if element is None or element is not last:
            groups.append([])
        groups[-1].append((page, box_text(line), ancestors))
        last = element
    return groups


def _hyphenated(text: str) -> bool:
    return text.rstrip().endswith(HYPHEN)


@pytest.mark.parametrize("code", ["en"])
def test_hyphenation_keeps_three_letters_each_side(layouts, code):
    """A hyphenated word leaves at least three letters at the end of the line and carries at least
    three to the next."""
    offenders = []
    for group in _paragraph_lines(layouts[code]):
        for (page, text, _), following in zip(group, group[1:] + [None]):
            if not _hyphenated(text):
                continue
            before = re.search(r"([A-Za-z]*)" + HYPHEN + r"\s*$", text).group(1)
            after = re.match(r"\s*([A-Za-z]*)", following[1]).group(1) if following else ""
            if len(before) < 3 or (following and len(after) < 3):
                offenders.append((page, f"{before}{HYPHEN}{after}"))
    _none(offenders, code, "hyphenation leaving fewer than three letters")


@pytest.mark.parametrize("code", ["en"])
def test_hyphenation_at_the_dictionarys_points(layouts, code):
    """A word breaks where dictionaries break it ("opportu-nities", "represen-tatives", never
    "opportunit-ies"): the points of the American patterns the print style sheet hyphenates with
    (pyphen's British dictionary gives the latter)."""
    import pyphen
    dictionary = pyphen.Pyphen(lang="en_US")
    offenders, seen = [], 0
    for group in _paragraph_lines(layouts[code]):
        for (page, text, _), following in zip(group, group[1:] + [None]):
            if not _hyphenated(text) or following is None:
                continue
            before = re.search(r"([A-Za-z]*)" + HYPHEN + r"\s*$", text).group(1)
            after = re.match(r"\s*([A-Za-z]*)", following[1]).group(1)
            seen += 1
            if len(before) not in dictionary.positions((before + after).lower()):
                offenders.append((page, f"{before}{HYPHEN}{after}"))
    assert seen, "no hyphenated word to check"
    _none(offenders, code, "words hyphenated where the dictionary does not break them")


@pytest.mark.parametrize("code", ["en"])
def test_hyphenation_only_in_running_prose(layouts, code):
    """Headings, the contents, tables, cards, captions, notes and indexes are never hyphenated."""
    offenders = []
    for page, line, _, ancestors in _lines(layouts[code]):
        if _hyphenated(box_text(line)) and any(
                a.element_tag in NO_HYPHENATION_TAGS or classes(a) & NO_HYPHENATION_CLASSES for a in ancestors):
            offenders.append((page, _clip(box_text(line))))
    _none(offenders, code, "hyphenated lines outside running prose")


MAX_HYPHEN_RUN = 2   # WeasyPrint has no hyphenate-limit-lines: esgreport/pdf.py keeps a third word whole


@pytest.mark.parametrize("code", ["en"])
def test_consecutive_hyphenated_lines(layouts, code, capsys):
    """The longest run of consecutive hyphenated lines, reported; at most two."""
    runs = []
    total = hyphenated = 0
    for group in _paragraph_lines(layouts[code]):
        run = 0
        for page, text, _ in group:
            total += 1
            if _hyphenated(text):
                hyphenated += 1
                run += 1
                runs.append((run, page))
            else:
                run = 0
    longest = max(runs, default=(0, None))
    with capsys.disabled():
        print(f"\n{code}: {hyphenated} of {total} lines end hyphenated; longest run {longest[0]} (page {longest[1]})")
    assert longest[0] <= MAX_HYPHEN_RUN, f"{code}: {longest[0]} hyphenated lines in a row on page {longest[1]}"


@pytest.mark.parametrize("code", ["en"])
def test_english_measure(layouts, code):
    """Running English prose is set about 60–75 characters a line (the last line of a paragraph,
    usually short, is left out)."""
    import statistics
    lengths = []
    for group in _paragraph_lines(layouts[code]):
        page, text, ancestors = group[0]
        if not ancestors or ancestors[-1].element_tag != "p" or classes(ancestors[-1]) & NO_HYPHENATION_CLASSES \
                or any(a.element_tag in NO_HYPHENATION_TAGS or classes(a) & NO_HYPHENATION_CLASSES
                       for a in ancestors) or not any("section" in classes(a) for a in ancestors):
            continue
        lengths.extend(len(" ".join(t.split())) for _, t, _ in group[:-1])
    assert len(lengths) > 500, f"{code}: only {len(lengths)} lines of running prose found"
    median = statistics.median(lengths)
    assert 60 <= median <= 75, f"{code}: running prose is set {median} characters a line"


# --------------------------------------------------------------------------- 10. cards

@pytest.mark.parametrize("code", EDITIONS)
def test_card_figure_and_unit_stay_together(layouts, code):
    """A card's figure and its unit never break apart: one line, or (a designed case, `wide`) the
    unit on a line of its own under the figure."""
    offenders = []
    for page in layouts[code].pages:
        for box, _ in walk(page.page_box):
            if type(box).__name__ == "BlockBox" and "card-figure" in classes(box) and "wide" not in classes(box):
                lines = [c for c in box.children if type(c).__name__ == "LineBox"]
                if len(lines) != 1:
                    offenders.append((page.number, _clip(box_text(box))))
    _none(offenders, code, "a card's figure broken across lines")


# --------------------------------------------------------------------------- 11. tables

SIGN_NOT_REPORTED = "\u2014"


def _cells(row):
    return [c for c in row.children]


def _right(box) -> float:
    return box.border_box_x() + box.border_width()


def _kpi_tables(layout):
    """(page, table box) of every KPI table fragment."""
    from weasyprint.formatting_structure import boxes
    for page in layout.pages:
        for box, ancestors in walk(page.page_box):
            if isinstance(box, boxes.TableBox) and any("kpi-table" in classes(a) for a in ancestors):
                yield page.number, box


@pytest.mark.parametrize("code", EDITIONS)
def test_figures_align_under_their_year(layouts, code):
    """In every KPI table, each figure ends where its year heading ends and its decimal point is
    where the others' are: figures right-aligned on the decimal point under their year; a note
    marker beside a figure does not move it."""
    offenders = []
    checked = 0
    for page, table in _kpi_tables(layouts[code]):
        groups = [g for g in table.children if hasattr(g, "is_header")]
        head = next((g for g in groups if g.is_header), None)
        if head is None:
            continue
        heads = _cells(head.children[0])
        year_ends = {i: max(_right(b) for b, _ in walk(c) if type(b).__name__ == "TextBox")
                     for i, c in enumerate(heads) if "num" in classes(c)}
        points: dict[int, set] = {}
        for group in groups:
            if group.is_header:
                continue
            for row in group.children:
                for i, cell in enumerate(_cells(row)):
                    if i not in year_ends:
                        continue
                    frac = next((b for b, _ in walk(cell) if "frac" in classes(b)), None)
                    if frac is None:
                        continue
                    checked += 1
                    if abs(_right(frac) - year_ends[i]) > TOLERANCE:
                        offenders.append((page, _clip(box_text(row), 30), f"{_right(frac) - year_ends[i]:+.1f}px"))
                    points.setdefault(i, set()).add(round(frac.border_box_x(), 1))
        offenders.extend((page, "decimal points of a column", sorted(xs)) for xs in points.values()
                         if max(xs) - min(xs) > TOLERANCE)
    assert checked > 100, f"{code}: only {checked} figures found in the KPI tables"
    _none(offenders, code, "figures not aligned under their year")


@pytest.mark.parametrize("code", EDITIONS)
def test_continued_groups_are_labelled(layouts, code):
    """A table whose rows come in labelled groups (KPI tables, the HKEX index) starts every page it
    continues on with its group's label: the next group's, or the current one's marked "continued"."""
    from weasyprint.formatting_structure import boxes
    seen: set[int] = set()
    offenders = []
    continued = 0
    for page in layouts[code].pages:
        for table, _ in walk(page.page_box):
            if not isinstance(table, boxes.TableBox):
                continue
            first_time = id(table.element) not in seen
            seen.add(id(table.element))
            body = [g for g in table.children if isinstance(g, boxes.TableRowGroupBox)
                    and not g.is_header and g.children]
            if first_time or not body or not body[0].element.get("data-continued"):
                continue
            row = body[0].children[0]
            label = " ".join(box_text(row).split())
            if "group" not in classes(row):
                offenders.append((page.number, _clip(label)))
            elif "continued" in classes(row):
                continued += 1
                if label != body[0].element.get("data-continued"):
                    offenders.append((page.number, label))
    _none(offenders, code, "a continued table without its group's label")


@pytest.mark.parametrize("code", EDITIONS)
def test_signs_for_missing_figures_are_explained(layouts, code):
    """A figure not reported shows the sign "—", never a hyphen or a slash, and the table that shows
    it explains the sign in its legend."""
    offenders = []
    for page, table in _kpi_tables(layouts[code]):
        for box, _ in walk(table):
            if box.element_tag == "td" and "num" in classes(box):
                text = box_text(box).strip()
                if text in ("-", "/", "\u2013"):
                    offenders.append((page, f"cell shows {text!r}"))
                if "missing" in classes(box) and not text.startswith(SIGN_NOT_REPORTED):
                    offenders.append((page, f"a missing figure shows {text!r}"))
    pages_with_sign = {p for p, t in _kpi_tables(layouts[code])
                       for b, _ in walk(t) if "missing" in classes(b)}
    legends = {page.number for page in layouts[code].pages for box, _ in walk(page.page_box)
               if "table-legend" in classes(box) and box_text(box).strip().startswith(SIGN_NOT_REPORTED)}
    for page in pages_with_sign:
        if not legends & {page, page + 1}:
            offenders.append((page, "no legend for the sign under its table"))
    _none(offenders, code, "signs for missing figures")


# --------------------------------------------------------------------------- 12. reading the PDF

@pytest.mark.parametrize("code", EDITIONS)
def test_pdf_opens_with_bookmarks_shown(readers, code):
    assert readers[code].trailer["/Root"].get("/PageMode") == "/UseOutlines"


@pytest.mark.parametrize("code", ["zh-hant"])
def test_chinese_titles_use_full_width_separators(readers, code):
    """Part titles in the bookmarks (and so on the contents, openers and running heads) separate
    Chinese words with full-width punctuation, never an ASCII hyphen."""
    bad = [title for _, title, _ in outline_entries(readers[code])
           if re.search(r"[\u4e00-\u9fff]\s*[-–]\s*[\u4e00-\u9fff]", title)]
    assert not bad, f"{code}: ASCII hyphens between Chinese words in bookmarks: {bad}"


@pytest.mark.parametrize("code", ["zh-hant"])
def test_no_chinese_character_alone_on_a_last_line(layouts, code):
    """No paragraph, list item, table cell or box ends with a single Chinese character on its line."""
    offenders = []
    for group in _paragraph_lines(layouts[code]):
        if len(group) < 2:
            continue
        page, text, ancestors = group[-1]
        if any(a.element_tag in ("h1", "h2", "h3", "h4", "h5", "h6") for a in ancestors):
            continue
        letters = re.sub(r"[\s\u3000-\u303f\uff00-\uffef、。，；：！？）」』]", "", text)
        if len(letters) == 1 and re.match(r"[\u4e00-\u9fff]", letters):
            offenders.append((page, _clip(group[-2][1] + "|" + text)))
    _none(offenders, code, "a single Chinese character alone on the last line")


def bookmark_title(part, code: str) -> str:
    """A part's bookmark: its title, after its number as printed on its opener (01) if it has one."""
    title = " ".join(part.title[code].split())
    return f"{int(part.number):02d} {title}" if part.number else title


@pytest.mark.parametrize("code", EDITIONS)
def test_openers_show_what_their_chapter_covers(report, page_texts, readers, code):
    """Each chapter opener lists the chapter's sections and the UN goals it names; the special topic's
    opener carries its introduction."""
    entries = outline_entries(readers[code])
    problems = []
    for part in report.parts:
        if part.kind == "front":
            continue
        page = next((p for _, t, p in entries if t == bookmark_title(part, code)), None)
        shown = squash(page_texts[code][page])
        for section in part.children:
            if squash(section.title[code]) not in shown:
                problems.append(f"{part.id}: {section.title[code]!r} not on its opener (page {page + 1})")
        if part.sources and code in part.sources:
            first_words = squash(re.sub(r"^---.*?---", "", part.sources[code].body, flags=re.S))[:20]
            if first_words not in shown:
                problems.append(f"{part.id}: the introduction is not on its opener")
    for part in report.manifest.parts:
        if part.sdgs and not part.kind == "front":
            page = next(p for _, t, p in entries if t == bookmark_title(part, code))
            shown = squash(page_texts[code][page])
            missing = [n for n in part.sdgs if squash(report.sdgs[n][code]) not in shown]
            if missing:
                problems.append(f"{part.id}: SDGs {missing} not on its opener")
    assert not problems, f"{code}:\n" + "\n".join(problems)


# --------------------------------------------------------------------------- 13. the PDF writer's own fixes

def _write(tmp_path, body: str, style: str):
    from esgreport.writers.layout import write_pdf
    html = f'<!doctype html><html lang="en"><head><style>{style}</style></head><body>{body}</body></html>'
    return write_pdf(html, tmp_path, tmp_path / "small.pdf", tmp_path)


def test_a_split_row_group_is_labelled_again_on_the_next_page(tmp_path):
    """esgreport/pdf.py: a group of rows that runs onto a new page starts that page with its label,
    "(continued)"; the rows it moves keep their order and nothing is lost."""
    rows = "".join(f"<tr><td>row {i}</td><td>{i}</td></tr>" for i in range(90))
    body = ('<table><thead><tr><th>Indicator</th><th>2023</th></tr></thead>'
            '<tbody data-continued="Employment (continued)"><tr class="group"><th colspan="2">Employment</th></tr>'
            f'{rows}</tbody></table>')
    document = _write(tmp_path, body, "@page { size: A6 } thead { display: table-header-group } tr { break-inside: avoid }")
    layout = index_layout(document, "en")
    frags = next(iter(layout.fragments_by_table().values()))
    assert len(frags) > 2
    for frag in frags[1:]:
        assert [r.text for r in frag.header] == ["Indicator 2023"] and frag.header_first, f"page {frag.page}"
        assert frag.body[0].text == "Employment (continued)", f"page {frag.page} starts with {frag.body[0].text!r}"
    shown = [r.text for f in frags for r in f.body if r.text.startswith("row")]
    assert shown == [f"row {i} {i}" for i in range(90)]


def test_no_more_than_two_hyphenated_lines_in_a_row(tmp_path):
    """esgreport/pdf.py keeps whole the word that would end a third hyphenated line in a row."""
    words = " ".join(["internationalisation", "responsibilities", "telecommunications", "characteristically"] * 30)
    document = _write(tmp_path, f"<p>{words}</p>", "p { width: 42mm; hyphens: auto; font-size: 10pt }")
    lines = [box_text(line) for page in document.pages for line, _ in walk(page._page_box)
             if type(line).__name__ == "LineBox"]
    run = longest = 0
    for text in lines:
        run = run + 1 if _hyphenated(text) else 0
        longest = max(longest, run)
    assert any(_hyphenated(t) for t in lines)
    assert longest <= MAX_HYPHEN_RUN, f"{longest} hyphenated lines in a row"
