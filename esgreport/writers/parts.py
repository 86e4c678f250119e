"""The preview's PDF, laid out part by part and kept in memory: after an edit, only the parts whose
markup changed are laid out again.

The print document (templates/report.html) is a sequence of parts, each marked `<!--esgreport:part-->`
and each starting a page of its own: the cover, the contents, each part of the front matter, each
chapter, the back cover. `PartsPdf` lays each part out as a document of its own (the document's head
and that part) and gives it what it cannot know by itself: the number of its first page, the pages of
the other parts' anchors (for `target-counter()`: the contents, the chapter openers, the indexes' page
references) and the running heads' strings in force where it starts. The parts' pages are then
combined into one document, so bookmarks, internal links and PDF tags are made over the whole, as in
one layout of the whole.

After an edit, a part whose markup is unchanged keeps its pages; an edited part is laid out again from
the page before the section the edit is in, where it can be (`_resume_page`), keeping its pages before
that. When a part gains or loses a page, or an anchor moves to another page, the pages that show it are
corrected (`_settle`): the page margins (page numbers, running heads) are laid out again, which is
cheap, and a page reference takes its new number in place where the new number is exactly as wide as
the old (the report's figures are tabular: a number of as many digits); anything else lays that part
out again. Painting is kept too: a page whose boxes did not change is not drawn again (`_CachedPage`).

This reaches into WeasyPrint (70) where its API stops: its layout context (targets, named strings, the
record of each page's start), its margin boxes, its line breaking and its PDF stream. A WeasyPrint
upgrade is checked by the tests that compare the preview's PDF with the layout of the whole.

What this relies on, and tests/test_preview_pdf.py checks against the layout of the whole document:
each part starts a page; CSS counts pages only with the `page` counter and its default increment; a
page reference is `target-counter(…, page)` among strings and `attr()`s.
"""

from __future__ import annotations

import copy
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pydyf
from weasyprint import DEFAULT_OPTIONS, HTML, Document, Page
from weasyprint.css.counters import CounterStyle
from weasyprint.css.targets import TargetLookupItem, anchor_name_from_token
from weasyprint.draw import draw_page, draw_stacking_context
from weasyprint.formatting_structure import boxes
from weasyprint.formatting_structure.build import build_formatting_structure
from weasyprint.html import get_html_metadata
from weasyprint.layout import initialize_page_maker, layout_fixed_boxes
from weasyprint.layout.background import layout_backgrounds, layout_box_backgrounds
from weasyprint.layout.page import make_all_pages, make_margin_boxes, set_page_type_computed_styles
from weasyprint.pdf import VARIANTS
from weasyprint.pdf.metadata import DocumentMetadata
from weasyprint.pdf.stream import Stream
from weasyprint.stacking import StackingContext
from weasyprint.text.fonts import FontConfiguration
from weasyprint.text.line_break import split_first_line
from weasyprint.urls import get_url_tuple

from esgreport.writers.layout import PDF_OPTIONS, ProjectOnlyFetcher, fetching, lay_out, open_with_bookmarks

MARKER = "<!--esgreport:part-->"      # where a part of the print document starts (templates/report.html)
MAX_SETTLING = 4                      # rounds of correcting the parts (WeasyPrint's own layout: 8 loops)
_ID = re.compile(r'\sid="([^"]+)"')


@dataclass
class PrintPieces:
    """The print document cut at its parts: the head (up to the first part: <head>, the body's start
    and what precedes the parts, a draft's mark), the parts, and the tail (</body></html>)."""

    head: str
    parts: list[str]
    tail: str


def split_print_html(html: str) -> PrintPieces:
    head, *parts = html.split(MARKER)
    if not parts:                     # a document without parts is one part
        return PrintPieces("", [html], "")
    end = parts[-1].rfind("</body>")
    end = len(parts[-1]) if end < 0 else end
    parts[-1], tail = parts[-1][:end], parts[-1][end:]
    return PrintPieces(head, parts, tail)


@dataclass
class _Given:
    """What a part is told about the rest of the document."""

    first: int                                                  # the number of its first page
    pages: dict[str, int] = field(default_factory=dict)          # anchor → number of the page it is on
    strings: dict[str, str] = field(default_factory=dict)        # named string → its value where it starts


class _PartSource(HTML):
    """One part's document, with what it is given; its layout context is kept on it. `resume`: the
    earlier layout of the part and the page from which the layout is made again (`_resume_page`)."""

    given: _Given
    context: Any = None
    resume: tuple["_Part", int] | None = None
    renders = 0


class _PartDocument(Document):
    """WeasyPrint's document, told where its part stands in the whole."""

    @classmethod
    def _build_layout_context(cls, html, font_config, counter_style, color_profiles, options):
        context = super()._build_layout_context(html, font_config, counter_style, color_profiles, options)
        given: _Given = html.given
        targets = context.target_collector.target_lookup_items
        for name, number in given.pages.items():
            if name not in targets:           # another part's anchor: on a page already known
                targets[name] = _elsewhere(number)
        if html.resume is not None:           # its own anchors on the pages kept: where they are
            old, resume = html.resume
            kept = old.context.target_collector.target_lookup_items
            for name, index in old.anchors.items():
                if index < resume and name in targets and name in kept:
                    targets[name].cached_page_counter_values = copy.deepcopy(kept[name].cached_page_counter_values)
                    targets[name].page_maker_index = index
        context.get_string_set_for = _with_strings_carried(context, given.strings)
        html.context = context
        html.renders += 1
        return context

    @classmethod
    def _render(cls, html, font_config, counter_style, color_profiles, options):
        """WeasyPrint's Document._render; where the part was laid out before, the pages before the one
        to resume from are kept and the layout goes on from there (`_layout_resumed`)."""
        if html.resume is None:
            return super()._render(html, font_config, counter_style, color_profiles, options)
        counter_style = CounterStyle() if counter_style is None else counter_style
        color_profiles = {} if color_profiles is None else color_profiles
        if variant := options["pdf_variant"]:
            _, properties = VARIANTS[variant]
            for key, value in tuple(options.items()):
                if value is None and key in properties:
                    options[key] = properties[key]
        context = cls._build_layout_context(html, font_config, counter_style, color_profiles, options)
        root_box = build_formatting_structure(html.etree_element, context.style_for, context.get_image_from_uri,
                                              html.base_url, context.target_collector, counter_style,
                                              context.footnotes)
        old, resume = html.resume
        made = list(_layout_resumed(html, root_box, context, old, resume))
        pages = old.pages[:resume] + [Page(page) for page in made[resume:]]
        document = cls(pages, DocumentMetadata(**get_html_metadata(html)), html.url_fetcher, font_config,
                       color_profiles, options["output_intent"])
        document._html = html
        return document


class _Target:
    """Stands for an anchor's box in another part: no counters of its own but the page's."""

    cached_counter_values: dict = {}


def _elsewhere(number: int) -> TargetLookupItem:
    item = TargetLookupItem("up-to-date")
    item.target_box = _Target()
    item.cached_page_counter_values = {"page": [number]}
    return item


def _with_strings_carried(context, carried: dict[str, str]):
    """WeasyPrint's string() in the margins, with the values set in earlier parts (`carried`, changed in
    place when they change) where the part itself has not set one yet."""
    own = context.get_string_set_for

    def get_string_set_for(page, name, keyword="first"):
        found = own(page, name, keyword)
        if found or keyword == "all-once" or name not in carried:
            return found
        assigned = context.string_set.get(name, {})
        if any(assigned.get(number) for number in range(1, context.current_page + 1)):
            return found
        return (carried[name],)
    return get_string_set_for


@dataclass(eq=False)
class _Part:
    html: str
    source: _PartSource
    document: Document
    pages: list["_CachedPage"]
    given: _Given                       # what its pages show now
    anchors: dict[str, int]             # its anchors → the index of their first page in it
    strings: dict[str, str]             # the named strings it sets: the last value of each
    references: list[tuple[int, Any, bool]]   # page index, a box showing page references, whether
    #                                           its text is the one worked out here (else: lay out again)
    kept: int = 0                       # pages kept from its earlier layout when it was laid out

    @property
    def context(self):
        return self.source.context


class PartsPdf:
    """One edition's PDF, laid out part by part and kept; `write` gives the PDF of a print document,
    laying out again only what changed since the last one."""

    def __init__(self, project_root: Path, base_url: Path):
        self.root, self.base_url = project_root, base_url
        self.font_config = FontConfiguration()
        self.fetcher = ProjectOnlyFetcher(project_root)   # one for every layout: pictures kept refer to it
        self.parts: list[_Part] = []
        self.head: str | None = None
        self.tail: str | None = None
        self.key: str | None = None
        self.whole = False              # the parts do not each start a page: laid out as one
        self.images: dict = {}          # WeasyPrint's cache of pictures, shared by the parts
        self.fonts: dict = {}           # the PDF's fonts, with every glyph a kept page draws
        self.laid_out: list[int] = []   # the parts laid out by the last `write` (their indexes)
        self.corrected: list[int] = []  # the parts whose laid-out pages were corrected
        self.resumed: dict[int, int] = {}   # part laid out again from a page → the pages it kept
        self.last: tuple[str, str, bytes] = ("", "", b"")     # the last PDF and what it was made from

    def write(self, html: str, sources: Iterable[Path] = (), key: str = "") -> bytes:
        """The PDF of `html`. `sources` are the files that may refer to a resource the PDF cannot
        use (named in the problem); `key` stands for what else the layout reads (style sheets,
        pictures, fonts): when it changes, everything is laid out again."""
        self.laid_out, self.corrected, self.resumed = [], [], {}
        if (html, key) == self.last[:2]:
            return self.last[2]
        pieces = split_print_html(html)
        if (pieces.head, pieces.tail, key) != (self.head, self.tail, self.key):
            self.parts, self.images, self.fonts, self.whole = [], {}, {}, False
            self.head, self.tail, self.key = pieces.head, pieces.tail, key
        with fetching(self.root, list(sources), self.fetcher) as fetcher:
            for _ in range(2):
                htmls = ["".join(pieces.parts)] if self.whole else pieces.parts
                anchors = {name: i for i, part in enumerate(htmls) for name in _ID.findall(part)}
                self._lay_out_changed(htmls, anchors, fetcher)
                if self.whole or all(_page_break_between(a, b) for a, b in zip(self.parts, self.parts[1:])):
                    break
                # A part flows on from the one before (the style sheets no longer start it on a page):
                # the document is laid out whole, until its head or style sheets change.
                self.whole, self.parts = True, []
            self._settle(fetcher)
            # Uncompressed: zlib was a third of writing the PDF again; the preview's PDF travels no farther
            # than this machine's browser.
            pdf = self.document().write_pdf(finisher=open_with_bookmarks, **PDF_OPTIONS, uncompressed_pdf=True)
            fetcher.refuse_failed()
        self.last = (html, key, pdf)
        return pdf

    def document(self) -> Document:
        """The laid-out parts as one document."""
        document = self.parts[0].document.copy([page for part in self.parts for page in part.pages])
        document.fonts = self.fonts
        return document

    # -- laying out ---------------------------------------------------------------------------------

    def _lay_out_changed(self, htmls: list[str], anchors: dict[str, int], fetcher: ProjectOnlyFetcher) -> None:
        """Keep the parts whose markup is unchanged; lay out the others, each told its first page and
        the pages of the anchors as last known (an anchor not placed yet: guessed; `_settle` corrects).
        An edited part is laid out again from the page before the section the edit is in."""
        kept: dict[str, list[_Part]] = {}
        for part in self.parts:
            kept.setdefault(part.html, []).append(part)
        before = self.parts if len(self.parts) == len(htmls) else []
        known = self._anchor_pages()
        parts: list[_Part] = []
        number, strings = 1, dict[str, str]()
        for index, html in enumerate(htmls):
            same = kept.get(html)
            if same:
                part = same.pop(0)
            else:
                guessed = {name: known.get(name, number) for name, where in anchors.items() if where != index}
                given = _Given(number, guessed, dict(strings))
                old = before[index] if before else None
                resume = _resume_page(old, html, given) if old is not None else None
                part = self._lay_out(html, given, fetcher, (old, resume) if old is not None and resume else None)
                self.laid_out.append(index)
                if part.kept:
                    self.resumed[index] = part.kept
            parts.append(part)
            known.update({name: number + where for name, where in part.anchors.items()})
            number += len(part.pages)
            strings = {**strings, **part.strings}
        self.parts = parts

    def _lay_out(self, html: str, given: _Given, fetcher: ProjectOnlyFetcher,
                 resume: tuple["_Part", int] | None = None) -> _Part:
        assert self.head is not None and self.tail is not None
        # Its pages are numbered from its first page's number (the counter is not incremented on a
        # page that resets it).
        head = self.head.replace("</head>", f"<style>@page :first {{ counter-reset: page {given.first} }}</style>"
                                 "</head>", 1)
        source = _PartSource(string=head + html + self.tail, base_url=str(self.base_url) + "/", url_fetcher=fetcher)
        source.given, source.resume = given, resume
        options = {**DEFAULT_OPTIONS, **PDF_OPTIONS, "cache": self.images}
        document = lay_out(source, lambda: _PartDocument._render(source, self.font_config, None, None, dict(options)),
                           fetcher)
        kept = resume[1] if resume is not None else 0
        if resume is not None and (source.renders > 1 or _fixed(document.pages[kept:]) != _fixed(resume[0].pages[kept:])):
            # It needed the layout's corrections, or its fixed boxes (drawn on every page) changed: whole.
            return self._lay_out(html, given, fetcher)
        pages = [page if index < kept else _CachedPage.of(page) for index, page in enumerate(document.pages)]
        anchors: dict[str, int] = {}
        for index, page in enumerate(pages):
            for name in page.anchors:
                anchors.setdefault(name, index)
        assigned = source.context.string_set
        strings = {name: values[max(n for n in values if values[n])][-1]
                   for name, values in assigned.items() if any(values.values())}
        part = _Part(html, source, document, pages, given, anchors, strings, [], kept)
        if resume is not None:
            part.references = [reference for reference in resume[0].references if reference[0] < kept]
        shown = {**given.pages, **{name: given.first + index for name, index in anchors.items()}}
        for index, page in enumerate(pages[kept:], kept):
            for box in page._page_box.descendants(placeholders=True):
                if _shows_page_references(box, source.context):
                    part.references.append((index, box, _reference_text(box, source.context, shown) == _text(box)))
        return part

    def _anchor_pages(self) -> dict[str, int]:
        """Every anchor of the laid-out parts → the number of the page it is on, parts as they stand."""
        pages: dict[str, int] = {}
        number = 1
        for part in self.parts:
            for name, index in part.anchors.items():
                pages.setdefault(name, number + index)
            number += len(part.pages)
        return pages

    # -- correcting -----------------------------------------------------------------------------------

    def _settle(self, fetcher: ProjectOnlyFetcher) -> None:
        """Make every part show its page numbers, page references and running heads as they are in the
        whole; a part that cannot be corrected in place is laid out again (and what follows it
        corrected in the next round)."""
        for _ in range(MAX_SETTLING):
            pages = self._anchor_pages()
            counts = [len(part.pages) for part in self.parts]
            number, strings = 1, dict[str, str]()
            for index, part in enumerate(self.parts):
                given = _Given(number, pages, dict(strings))
                if not self._correct(part, given):
                    self.parts[index] = part = self._lay_out(part.html, given, fetcher)
                    self.laid_out.append(index)
                number += len(part.pages)
                strings = {**strings, **part.strings}
            if pages == self._anchor_pages() and counts == [len(part.pages) for part in self.parts]:
                return

    def _correct(self, part: _Part, given: _Given) -> bool:
        """Correct `part`'s pages in place for `given`; False where it must be laid out again."""
        index = self.parts.index(part)
        shown = part.given
        if given.first != shown.first or given.strings != shown.strings:
            _remake_margins(part, given)
            self._note(index)
        if given.pages != shown.pages or given.first != shown.first:
            for page_index, box, modelled in part.references:
                text = _reference_text(box, part.context, given.pages)
                if text == _text(box):
                    continue
                if not modelled or text is None or not _retext(box, text, part.context):
                    return False
                part.pages[page_index].recording = None
                self._note(index)
        part.given = given
        return True

    def _note(self, index: int) -> None:
        if index not in self.corrected:
            self.corrected.append(index)


# --- laying out an edited part from where the edit is ------------------------------------------------------

_SECTION = re.compile(r"<section\b([^>]*)>|</section>")
_SECTION_ID = re.compile(r'\bid="([^"]+)"')
# Style sheets using these carry state from page to page that a resumed layout would not have (an
# element's style depending on what follows it, footnotes, running elements): such a part is laid out whole.
_NOT_RESUMED = re.compile(r":has\(|float\s*:\s*footnote|running\(")


def _resume_page(old: _Part, html: str, given: _Given) -> int | None:
    """The page of `old` (the part's last layout) from which the edited part `html` can be laid out
    again, keeping the pages before it, or None where it must be laid out whole.

    The edit must lie inside one section, adding or removing none (so no box before it changes, and
    no sibling's style that counts the siblings after it); the layout resumes a page before the
    section's first page (what a page break keeps together reaches back one page at most: a heading
    and three lines, a table's first rows). That page must start afresh: the layout state WeasyPrint
    keeps from page to page (the position in the document, the page counters) is all there is, with
    nothing carried over (a float or table broken across the break, a heading's bookmark) and no
    corrections made to the earlier layout ("(continued)" labels, hyphenation)."""
    if old.source.renders != 1 or not (given.first == old.given.first == old.source.given.first) \
            or given.strings != old.given.strings \
            or any(_NOT_RESUMED.search(sheet) for sheet in _style_sheets(old)):
        return None
    previous = old.html
    start = _common_prefix(previous, html)
    end = _common_prefix(previous[start:][::-1], html[start:][::-1])
    for changed in (previous[start:len(previous) - end], html[start:len(html) - end]):
        if "<section" in changed or "</section" in changed:
            return None
    open_sections: list[str | None] = []        # their ids, where they have one
    for match in _SECTION.finditer(previous, 0, start):
        if match.group(1) is None:
            if open_sections:
                open_sections.pop()
        else:
            found = _SECTION_ID.search(match.group(1))
            open_sections.append(found.group(1) if found else None)
    section = next((name for name in reversed(open_sections) if name in old.anchors), None)
    if section is None:
        return None
    first = old.anchors[section] - 1
    return next((page for page in range(first, max(first - 3, 0), -1) if _starts_afresh(old, page)), None)


def _fixed(pages) -> int:
    return sum(len(page._page_box.fixed_boxes) for page in pages)


def _common_prefix(a: str, b: str) -> int:
    low, high = 0, min(len(a), len(b))
    while low < high:                 # the longest equal prefix, by halves (string comparison is fast)
        middle = (low + high + 1) // 2
        if a[low:middle] == b[low:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _style_sheets(part: _Part) -> list[str]:
    """The text of the style sheets of the part's document (its <style>s and linked files)."""
    texts = []
    for element in part.source.etree_element.iter():
        if element.tag == "style":
            texts.append(element.text or "")
        elif element.tag == "link" and element.get("rel") == "stylesheet":
            try:
                texts.append(_file_path(element.get("href", ""), part.source.base_url).read_text(encoding="utf-8"))
            except (OSError, ValueError):
                texts.append(":has(")       # unreadable: assume the worst
    return texts


def _file_path(href: str, base_url: str) -> Path:
    from urllib.parse import unquote, urljoin, urlparse
    url = urljoin(base_url, href)
    if not url.startswith("file:"):
        raise ValueError(url)
    return Path(unquote(urlparse(url).path))


def _starts_afresh(old: _Part, index: int) -> bool:
    """Whether the layout can go on from the start of page `index` of the part's layout with nothing
    but WeasyPrint's record of it: the boxes that run on from the page before are plain blocks without
    bookmarks (sections, a paragraph's lines, not a table or a heading), and nothing out of the flow
    (a float, a positioned box) continues onto it."""
    position = old.context.page_maker[index][0]
    depth = 0
    while position is not None:
        if len(position) != 1:
            return False
        (_, position), = position.items()
        depth += 1
    root = old.pages[index]._page_box.children[0]
    if any(isinstance(child, boxes.Box) and child.style["position"] != "fixed"
           and (child.is_floated() or child.is_absolutely_positioned()) for child in root.children):
        return False
    box = root
    for _ in range(depth):
        if isinstance(box, boxes.LineBox):
            return True              # the rest runs on inside a paragraph's lines
        if type(box) is not boxes.BlockBox or box.style["bookmark_level"] != "none":
            return False
        flow = [child for child in box.children if isinstance(child, boxes.Box) and child.is_in_normal_flow()]
        if not flow:
            return False
        box = flow[0]
    return True


def _layout_resumed(html, root_box, context, old: _Part, resume: int):
    """WeasyPrint's layout_document (weasyprint/layout/__init__.py), going on from page `resume` of the
    part's earlier layout `old`: its pages before that are kept (already finished: margins, fixed boxes,
    backgrounds), and their layout states (position, page counters) are where the layout starts."""
    initialize_page_maker(context, root_box)
    context.page_maker = []
    for index in range(resume + 1):
        position, next_page, right_page, state, _ = old.context.page_maker[index]
        context.page_maker.append((position, next_page, right_page, copy.deepcopy(state), {
            "content_changed": index == resume, "pages_wanted": False, "content_lookups": [],
            "anchors": [name for name, where in old.anchors.items() if where == index] if index < resume else []}))
    pages = [page._page_box for page in old.pages[:resume]]
    for page in pages:
        set_page_type_computed_styles(page.page_type, html, context.style_for)
    footnotes: list = []
    total = 0
    for loop in range(8):
        if loop > 0:
            context.footnotes = footnotes.copy()
        before = total
        if loop == 0:
            footnotes = context.footnotes.copy()
        pages = list(make_all_pages(context, root_box, html, pages))
        total = len(pages)
        again_content = again_pages = False
        for _, _, _, state, remake in context.page_maker:
            state[1]["pages"] = [total]
            again_content = again_content or remake["content_changed"]
            if remake["pages_wanted"]:
                again_pages = before != total
        if not again_content and not again_pages:
            break
    watched: dict[str, list] = {"": [], "::before": [], "::after": []}
    for index, page in enumerate(pages):
        counters = context.page_maker[index + 1][3][1]
        for child in page.descendants():
            if index >= resume and child.bookmark_label:          # one bookmark per element
                kind = "::before" if child.element_tag.endswith("::before") else \
                    "::after" if child.element_tag.endswith("::after") else ""
                if child.element in watched[kind]:
                    child.bookmark_label = ""
                else:
                    watched[kind].append(child.element)
            if index >= resume and child.missing_link:
                for (box, token), item in context.target_collector.counter_lookup_items.items():
                    if child.missing_link == box and token != "content":
                        if token == "bookmark-label" and not child.bookmark_label:
                            continue
                        item.parse_again(counters)
                        if token == "bookmark-label":
                            child.bookmark_label = box.bookmark_label
            if child.string_set and child.string_set != "none":
                for name, text in child.string_set:
                    context.string_set[name][index + 1].append(text)
    for index, page in enumerate(pages):
        if index < resume:
            yield page
            continue
        root, footnote_area, note_area = page.children
        root.children = [*layout_fixed_boxes(context, pages[:index], page), *root.children,
                         *layout_fixed_boxes(context, pages[index + 1:], page)]
        context.current_page = index + 1
        children = [root, *([footnote_area] if footnote_area.children else []),
                    *([note_area] if note_area.children else []),
                    *make_margin_boxes(context, page, context.page_maker[index + 1][3])]
        page.children = tuple(children)
        layout_backgrounds(page, context.get_image_from_uri)
        yield page


_FORCED = ("page", "left", "right", "recto", "verso")


def _page_break_between(before: _Part, after: _Part) -> bool:
    """Whether the whole document breaks the page between the two parts: a forced break after the end
    of one or before the start of the other, or a change of named page (CSS Fragmentation 3, 3.1)."""
    end, start = before.pages[-1]._page_box.children[0], after.pages[0]._page_box.children[0]
    return (any(box.style["break_after"] in _FORCED for box in _edge(end, last=True))
            or any(box.style["break_before"] in _FORCED for box in _edge(start, last=False))
            or end.page_values()[1] != start.page_values()[0])


def _edge(box, last: bool):
    """The box and its first (or last) in-flow descendants: where break values propagate from."""
    while box is not None:
        yield box
        if not isinstance(box, boxes.ParentBox) or isinstance(box, boxes.LineBox):
            return
        flow = [child for child in box.children if isinstance(child, boxes.Box)
                and (child.is_in_normal_flow() or child.is_floated())]
        box = (flow[-1] if last else flow[0]) if flow else None


def _remake_margins(part: _Part, given: _Given) -> None:
    """The margin boxes of the part's pages again, for its pages' numbers and the strings carried in."""
    context = part.context
    carried = part.source.given.strings       # the dict the part's string() reads (_with_strings_carried)
    carried.clear()
    carried.update(given.strings)
    for index, page in enumerate(part.pages):
        box = page._page_box
        context.current_page = index + 1
        state = copy.deepcopy(context.page_maker[index + 1][3])
        state[1]["page"] = [given.first + index]
        kept = tuple(child for child in box.children if not isinstance(child, boxes.MarginBox))
        margins = tuple(make_margin_boxes(context, box, state))
        for margin in margins:
            layout_box_backgrounds(box, margin, context.get_image_from_uri)
        box.children = kept + margins


# --- page references ------------------------------------------------------------------------------------

def _shows_page_references(box, context) -> bool:
    if box.missing_link is None:
        return False
    item = context.target_collector.counter_lookup_items.get((box.missing_link, "content"))
    return item is not None and bool(item.missing_target_counters)


def _text(box) -> str:
    return "".join(b.text for b in box.descendants(placeholders=True) if isinstance(b, boxes.TextBox))


def _reference_text(box, context, pages: dict[str, int]) -> str | None:
    """The text of `box`'s `content` with the page numbers of `pages`, or None where its content is
    more than strings, attributes and page references."""
    content = box.style["content"]
    if content in ("normal", "none", "inhibit"):
        return None
    text = []
    for kind, value in content:
        if kind == "string":
            text.append(value)
        elif kind == "attr()" and value[1] == "string":
            text.append(box.element.get(value[0], "") if box.element is not None else "")
        elif kind == "target-counter()" and value[1] == "page":
            anchor, counter_type = value[0], value[-1]
            if anchor[0] == "attr()":
                name, kind_, fallback = anchor[1]
                if kind_ != "url" or box.element is None:
                    return None
                anchor = ("url", get_url_tuple(box.element.get(name, fallback), box.style.base_url))
            number = pages.get(anchor_name_from_token(anchor) or "")
            if number is None or counter_type == "none":
                return None
            text.append(context.counter_style.render_value(number, counter_type))
        else:
            return None
    return "".join(text)


def _retext(box, text: str, context) -> bool:
    """Put `text` in the box's one text box where it takes exactly the same width; False otherwise."""
    texts = [b for b in box.descendants(placeholders=True) if isinstance(b, boxes.TextBox)]
    if len(texts) != 1:
        return False
    old = texts[0]
    layout, length, resume_at, width, height, _ = split_first_line(text, old.style, context, None,
                                                                   old.justification_spacing)
    if resume_at is not None or abs(width - old.width) > 1e-6 or abs(height - old.height) > 1e-6:
        return False
    old.text, old.pango_layout = text, layout
    return True


# --- painting --------------------------------------------------------------------------------------------

_RESOURCES = ("ExtGState", "XObject", "Pattern", "Shading")
_SERIALS = itertools.count(1)


class _Names(pydyf.Dictionary):
    """Resources of one recorded page: WeasyPrint names a new resource after the number of those its
    page has (`x3`); counting from the recording's own base keeps the names of pages recorded at
    different times apart in the PDF's shared resources."""

    def __init__(self, base: int):
        super().__init__()
        self.base = base

    def __len__(self) -> int:
        return self.base + super().__len__()


class _ColorSpace:
    """Where a recorded page's groups refer to the PDF's color spaces, replaced as it is replayed."""


_COLOR_SPACE = _ColorSpace()


@dataclass
class _Recording:
    operators: list
    resources: dict[str, dict]
    images: dict[str, dict]
    tags: dict | None


class _CachedPage(Page):
    """A page that is drawn once: the PDF's drawing operators, resources and tags of its body are kept
    and replayed into every later PDF while its boxes do not change. Its margins (page number, running
    heads) are drawn each time, after the body, as WeasyPrint draws them."""

    recording: _Recording | None = None

    @classmethod
    def of(cls, page: Page) -> "_CachedPage":
        cached = cls.__new__(cls)
        cached.__dict__.update(page.__dict__)
        return cached

    def paint(self, stream, scale=1):
        box = self._page_box
        if self.recording is None:
            self.recording = _record(box, stream, scale)
        _replay(self.recording, stream)
        margins = [child for child in box.children if isinstance(child, boxes.MarginBox)]
        if margins:
            with stream.stacked():
                stream.transform(a=scale, d=scale)
                for margin in margins:
                    draw_stacking_context(stream, StackingContext.from_box(margin, box))


def _record(box, stream, scale) -> _Recording:
    base = next(_SERIALS) * 1000
    resources = pydyf.Dictionary({name: _Names(base) for name in _RESOURCES})
    resources["ColorSpace"] = _COLOR_SPACE
    images: dict[str, dict] = {}
    tags: dict | None = {} if stream._tags is not None else None
    private = Stream(stream._fonts, stream.page_rectangle, resources, images, tags, stream._color_profiles,
                     stream._output_intent, compress=stream.compress)
    private._ctm_stack = [stream.ctm]
    children = box.children
    box.children = [child for child in children if not isinstance(child, boxes.MarginBox)]
    try:
        with private.stacked():
            private.transform(a=scale, d=scale)
            draw_page(box, private)
    finally:
        box.children = children
    return _Recording(private.stream, {name: dict(resources[name]) for name in _RESOURCES}, images, tags)


def _replay(recording: _Recording, stream) -> None:
    stream.stream.extend(recording.operators)
    memo: dict[int, Any] = {id(_COLOR_SPACE): stream._resources["ColorSpace"]}
    for name, entries in recording.resources.items():
        shared = stream._resources[name]
        for key, value in entries.items():
            shared[key] = _fresh(value, memo)
    for key, data in recording.images.items():
        image = stream._images.setdefault(key, {**data, "dpi_ratios": set(), "x_object": None})
        image["dpi_ratios"] |= data["dpi_ratios"]
    if stream._tags is not None and recording.tags:
        stream._tags.update({box: dict(tag) for box, tag in recording.tags.items()})


def _fresh(value, memo: dict[int, Any]):
    """A copy of a recorded resource for one PDF: WeasyPrint replaces the objects in resources by
    their references in the PDF it writes, so each PDF gets its own copies (the drawing operators, the
    bulk, are shared)."""
    if id(value) in memo:
        return memo[id(value)]
    if isinstance(value, pydyf.Stream):
        fresh = memo[id(value)] = copy.copy(value)
        fresh.extra = _fresh(value.extra, memo)
    elif isinstance(value, dict):
        fresh = memo[id(value)] = pydyf.Dictionary()
        fresh.update({key: _fresh(item, memo) for key, item in value.items()})
    elif isinstance(value, list):
        fresh = memo[id(value)] = pydyf.Array()
        fresh.extend(_fresh(item, memo) for item in value)
    else:
        fresh = value
    return fresh
