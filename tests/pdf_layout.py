"""Helpers for the PDF quality tests: WeasyPrint's own layout of the print HTML, and pypdf walks
over the written PDF (structure tree, outline, fonts).

The layout is the document esgreport.writers.layout.write_pdf laid out and wrote the PDF from, so page N of a
layout here is page N of the built PDF (the tests check the page counts agree before they compare
anything page by page).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

# Page areas that bleed to the paper edge (print.css gives them a zero-margin @page).
FULL_BLEED = frozenset({"cover", "opener", "back-page"})
# Table rows that only label the rows below them (KPI groups and subheads, index groups).
LABEL_ROW_CLASSES = frozenset({"group", "subhead"})


# --------------------------------------------------------------------------- layout

@dataclass
class Row:
    text: str
    classes: frozenset[str]
    cells: list[str]


@dataclass
class TableFragment:
    """The part of one <table> laid out on one page."""

    page: int                   # 1-based page number
    key: int                    # identity of the <table> element: equal for every fragment of a table
    kpi: bool                   # inside a figure.kpi-table
    header: list[Row]           # rows of the repeated (or first) thead
    body: list[Row]             # rows of the tbody groups on this page
    header_first: bool          # the thead is the first row group of the fragment
    caption: str                # the figure's caption, for messages
    has_thead: bool             # the <table> has a <thead> in the HTML
    columns: int                # cells (colspans counted) in the HTML thead row, 0 without a thead


@dataclass
class Page:
    number: int                 # 1-based
    name: str                   # @page name (cover, opener, back or "")
    left: float
    right: float
    top: float
    bottom: float
    page_box: object


@dataclass
class Layout:
    code: str
    pages: list[Page] = field(default_factory=list)
    tables: list[TableFragment] = field(default_factory=list)

    def fragments_by_table(self) -> dict[int, list[TableFragment]]:
        out: dict[int, list[TableFragment]] = {}
        for frag in self.tables:
            out.setdefault(frag.key, []).append(frag)
        return out


def index_layout(document, code: str) -> Layout:
    """Index the pages and tables of WeasyPrint's laid-out document of an edition (the document the
    build's PDF function wrote the PDF from)."""
    layout = Layout(code)
    for number, page in enumerate(document.pages, 1):
        box = page._page_box
        layout.pages.append(Page(number, box.page_type.name or "",
                                 box.content_box_x(), box.content_box_x() + box.width,
                                 box.content_box_y(), box.content_box_y() + box.height, box))
        layout.tables.extend(_table_fragments(box, number))
    return layout


def _boxes():
    from weasyprint.formatting_structure import boxes
    return boxes


def real_box(box):
    """Absolutely positioned boxes sit in the tree behind a placeholder."""
    return getattr(box, "_box", box)


def classes(box) -> frozenset[str]:
    element = getattr(box, "element", None)
    if element is None or not isinstance(getattr(element, "tag", None), str) or box.element_tag is None:
        return frozenset()
    if "::" in box.element_tag:        # pseudo-elements carry their element's attributes
        return frozenset()
    return frozenset((element.get("class") or "").split())


def walk(box, ancestors: tuple = ()) -> Iterator[tuple[object, tuple]]:
    """Every box under `box` (itself included) with its ancestors, outermost first; margin boxes
    (running header and footer) left out."""
    boxes = _boxes()
    box = real_box(box)
    if isinstance(box, boxes.MarginBox):
        return
    yield box, ancestors
    if isinstance(box, boxes.ParentBox):
        inner = ancestors + (box,)
        for child in box.children:
            yield from walk(child, inner)


def box_text(box) -> str:
    boxes = _boxes()
    box = real_box(box)
    if isinstance(box, boxes.TextBox):
        return box.text
    if isinstance(box, boxes.ParentBox):
        sep = "" if isinstance(box, (boxes.LineBox, boxes.InlineBox)) else " "
        return sep.join(box_text(child) for child in box.children)
    return ""


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def in_full_bleed(ancestors: tuple, box=None) -> bool:
    return any(classes(a) & FULL_BLEED for a in ancestors + ((box,) if box is not None else ()))


def _table_fragments(page_box, number: int) -> Iterator[TableFragment]:
    boxes = _boxes()
    for box, ancestors in walk(page_box):
        if not isinstance(box, boxes.TableBox):
            continue
        figure = next((a for a in reversed(ancestors) if a.element_tag == "figure"), None)
        caption = ""
        if figure is not None:
            caption = next((box_text(b) for b, _ in walk(figure) if b.element_tag == "figcaption"), "")
        header: list[Row] = []
        body: list[Row] = []
        header_first = False
        for group in box.children:
            if not isinstance(group, boxes.TableRowGroupBox):
                continue
            rows = [Row(" ".join(box_text(row).split()), classes(row),
                        [" ".join(box_text(cell).split()) for cell in row.children])
                    for row in group.children]
            if group.is_header:
                header.extend(rows)
                header_first = header_first or not body
            elif not group.is_footer:
                body.extend(rows)
        thead_rows = [row for child in box.element if _tag(child) == "thead"
                      for row in child if _tag(row) == "tr"]
        columns = sum(int(cell.get("colspan") or 1) for cell in thead_rows[0]
                      if _tag(cell) in ("th", "td")) if thead_rows else 0
        yield TableFragment(number, id(box.element), any("kpi-table" in classes(a) for a in ancestors),
                            header, body, header_first, " ".join(caption.split()),
                            bool(thead_rows), columns)


def _tag(element) -> str:
    tag = getattr(element, "tag", None)
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


# --------------------------------------------------------------------------- PDF structure

@dataclass
class StructElem:
    tag: str                    # "/Table", "/TH", ...
    node: DictionaryObject
    page: int | None            # 0-based page index from /Pg
    depth: int
    children: list["StructElem"] = field(default_factory=list)


def struct_tree(reader: PdfReader) -> list[StructElem]:
    """The structure elements below StructTreeRoot as a tree (marked-content references left out)."""
    pages = {p.indirect_reference.idnum: i for i, p in enumerate(reader.pages)}
    root = reader.trailer["/Root"]["/StructTreeRoot"].get_object()

    def kids(k, depth) -> list[StructElem]:
        if k is None:
            return []
        obj = k.get_object() if isinstance(k, IndirectObject) else k
        if isinstance(obj, ArrayObject):
            return [e for item in obj for e in kids(item, depth)]
        if not isinstance(obj, DictionaryObject) or "/S" not in obj:
            return []               # MCID number, MCR or OBJR
        pg = obj.raw_get("/Pg") if "/Pg" in obj else None
        elem = StructElem(str(obj["/S"]), obj,
                          pages.get(pg.idnum) if isinstance(pg, IndirectObject) else None, depth)
        elem.children = kids(obj.get("/K"), depth + 1)
        return [elem]

    return kids(root.get("/K"), 0)


def iter_struct(elems: list[StructElem]) -> Iterator[StructElem]:
    for e in elems:
        yield e
        yield from iter_struct(e.children)


def find(elem: StructElem, tag: str) -> Iterator[StructElem]:
    for child in elem.children:
        if child.tag == tag:
            yield child
        else:
            yield from find(child, tag)


# --------------------------------------------------------------------------- outline

def outline_entries(reader: PdfReader) -> list[tuple[int, str, int | None]]:
    """(level, title, 0-based page) of every bookmark, in order."""
    out: list[tuple[int, str, int | None]] = []

    def visit(items, level):
        for item in items:
            if isinstance(item, list):
                visit(item, level + 1)
            else:
                try:
                    page = reader.get_destination_page_number(item)
                except Exception:   # noqa: BLE001 - a broken destination is reported by the test
                    page = None
                out.append((level, " ".join(str(item.title).split()), page))

    visit(reader.outline, 0)
    return out


# --------------------------------------------------------------------------- fonts

@dataclass
class FontInfo:
    name: str                   # BaseFont without the slash
    subtype: str
    embedded: bool
    pages: set[int] = field(default_factory=set)   # 1-based


def fonts(reader: PdfReader) -> dict[int, FontInfo]:
    """Every font the pages use, through form XObjects, patterns and annotation appearances too,
    keyed by object number (or id for direct objects)."""
    found: dict[int, FontInfo] = {}
    seen_resources: set[tuple[int, int]] = set()

    def font_info(ref) -> tuple[int, FontInfo]:
        key = ref.idnum if isinstance(ref, IndirectObject) else id(ref)
        font = ref.get_object()
        subtype = str(font.get("/Subtype", ""))
        descriptor = font.get("/FontDescriptor")
        if subtype == "/Type0":
            descendant = font["/DescendantFonts"][0].get_object()
            descriptor = descendant.get("/FontDescriptor")
        embedded = descriptor is not None and any(
            k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3"))
        return key, FontInfo(str(font.get("/BaseFont", "")).lstrip("/"), subtype, embedded)

    def resources(res, page: int):
        if res is None:
            return
        if isinstance(res, IndirectObject):
            if (res.idnum, page) in seen_resources:
                return
            seen_resources.add((res.idnum, page))
            res = res.get_object()
        for ref in (res.get("/Font") or {}).values() if "/Font" in res else ():
            key, info = font_info(ref)
            found.setdefault(key, info).pages.add(page)
        for group in ("/XObject", "/Pattern"):
            for ref in (res[group].get_object().values() if group in res else ()):
                obj = ref.get_object()
                if "/Resources" in obj:
                    resources(obj.raw_get("/Resources"), page)

    for number, page in enumerate(reader.pages, 1):
        if "/Resources" in page:
            resources(page.raw_get("/Resources"), number)
        for annot in page.get("/Annots") or []:
            ap = annot.get_object().get("/AP")
            for stream in (ap.values() if ap is not None else ()):
                stream = stream.get_object()
                if "/Resources" in stream:
                    resources(stream.raw_get("/Resources"), number)
    return found
