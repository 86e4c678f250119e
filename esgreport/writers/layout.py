"""Turn the print HTML into a PDF with WeasyPrint, fetching nothing from outside the project.

What CSS cannot say is done here, on WeasyPrint's layout:
- a group of table rows that runs onto the next page is labelled again at the top of that page
  ("Employment (continued)"): the label is the group's `data-continued` attribute;
- no more than two lines in a row end with a hyphen (WeasyPrint has no `hyphenate-limit-lines`):
  the word that would make a third is kept whole;
- the last page of a part is never left with a few lines (under a quarter of the page): a block of
  the page before moves onto it, so that the two pages share the part's end;
- the PDF opens with its bookmarks panel shown.
Each fix changes the document, which is laid out again; a document that needs none is laid out once.
"""

from __future__ import annotations

import copy
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from collections.abc import Set as AbstractSet
from contextlib import contextmanager
from pathlib import Path

from weasyprint import HTML, Document
from weasyprint.urls import FatalURLFetchingError, URLFetcher

from esgreport.errors import Problem, ReportError

CONTINUED = "data-continued"     # on a <tbody>: the label of its rows when they continue on a new page
MAX_PASSES = 3                   # layouts: a label or a moved block moves what follows it, which may need another
MAX_HYPHENATED_LINES = 2         # lines in a row that may end with a hyphen
SHORT_PAGE = 0.25                # a part's last page filled less than this (about ten lines) is short
FILL_TO = 0.35                   # what a block moved onto it fills it to, at least
KEEP_FILLED = 0.5                # the page a block moves from stays filled at least this much
FULL_BLEED = ("cover", "opener", "back")   # named pages that are artwork, not running text
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


class ProjectOnlyFetcher(URLFetcher):
    """Serves files under the project folder (and data: URLs); refuses everything else. Every URL it
    refuses or fails to fetch is kept in `failed` with the reason, for the build to report: WeasyPrint
    itself only logs a resource it cannot load and leaves it out of the PDF."""

    def __init__(self, root: Path, sources: Iterable[Path] = ()):
        super().__init__(allowed_protocols={"file", "data"})
        self.root = root.resolve()
        self.sources = list(sources)           # where a failed URL is looked for, to name its file
        self.failed: dict[str, str] = {}       # URL → why it is not in the PDF
        self.failures = 0                      # fetches refused or failed, a URL each time

    def refuse_failed(self) -> None:
        """A ReportError of every resource the PDF could not use, if there is one."""
        _refuse_failed(self.failed, self.root, self.sources)

    def fetch(self, url, headers=None):
        if url.startswith("file:"):
            path = _file_path(url)
            if path != self.root and self.root not in path.parents:
                self._fail(url, "it is outside the project")
                raise FatalURLFetchingError(f"refused to read {url}: outside the project")
        elif not url.startswith("data:"):
            self._fail(url, "the build does not use the network")
            raise FatalURLFetchingError(f"refused to fetch {url}: the build does not use the network")
        try:
            return super().fetch(url, headers)
        except Exception as exc:
            self._fail(url, _reason(exc))
            raise

    def _fail(self, url: str, why: str) -> None:
        self.failed.setdefault(url, why)
        self.failures += 1


def _file_path(url: str) -> Path:
    from urllib.parse import unquote, urlparse
    return Path(unquote(urlparse(url).path)).resolve()


def _reason(exc: BaseException) -> str:
    cause = getattr(exc, "reason", exc)       # urllib wraps the system's error
    if isinstance(cause, FileNotFoundError):
        return "the file does not exist"
    if isinstance(cause, OSError) and cause.strerror:
        return cause.strerror.lower()
    if type(cause).__name__ == "UnidentifiedImageError":
        return "the file is not a picture"
    return str(cause) or type(cause).__name__


class _FailedResources(logging.Handler):
    """WeasyPrint's errors that are about resources it could not use ("Failed to load image at …",
    "Failed to load stylesheet …", an image that does not decode, an SVG that cannot be drawn): each is
    kept in `failed`, by URL where the error names one."""

    def __init__(self, fetcher: ProjectOnlyFetcher):
        super().__init__(logging.ERROR)
        self.fetcher = fetcher
        self.failed = fetcher.failed
        self.known = 0          # the fetcher's failures when the previous error came

    def emit(self, record: logging.LogRecord) -> None:
        message = str(record.msg)
        if not message.startswith("Failed to"):
            return           # other errors (of tagging) are not about resources
        args = record.args if isinstance(record.args, tuple) else ()
        url = next((a for a in args if isinstance(a, str)), "")
        cause = next((a for a in args if isinstance(a, BaseException)), None)
        explained = self.fetcher.failures > self.known      # a fetch inside it failed, and is reported
        if "SVG" in message and not explained:
            self.failed.setdefault(url, "the SVG drawing cannot be drawn")
        elif "SVG" not in message:
            self.failed.setdefault(url, _reason(cause.__cause__ or cause) if cause is not None
                                   else record.getMessage())
        self.known = self.fetcher.failures


PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_tags": True, "optimize_images": True}
FETCH_HINT = ("refer only to files inside the project (images under content/<year>/, styles under "
              "templates/static/) that exist and are pictures of the kinds the report publishes")


def write_pdf(html: str, base_url: Path, target: Path, project_root: Path, sources: Iterable[Path] = (),
              commit: str | None = None):
    """Lay out the print HTML and write it as a tagged PDF; returns WeasyPrint's laid-out document.
    The document language comes from <html lang>; WeasyPrint writes it as the PDF's /Lang.

    A resource the layout refused or could not load stops it with a problem for each, naming the file
    that refers to it (searched for in `sources`: the section files, the style sheets) and its line, or
    else the file itself: a picture left out of the PDF is never silent. Nothing is written then.
    `commit`: the git commit the report was built from, written into the PDF's document information
    (/Commit)."""
    sources = list(sources)
    with fetching(project_root, sources) as fetcher:
        source = HTML(string=html, base_url=str(base_url) + "/", url_fetcher=fetcher)
        document = lay_out(source, lambda: source.render(**PDF_OPTIONS), fetcher)
        _refuse_machine_links(document, sources)
        document.write_pdf(target, finisher=lambda doc, pdf: finish(doc, pdf, commit), **PDF_OPTIONS)
        if fetcher.failed:        # drawn only as the PDF is written (an SVG's pictures): the PDF lacks it
            target.unlink(missing_ok=True)
            fetcher.refuse_failed()
        return document


@contextmanager
def fetching(project_root: Path, sources: list[Path],
             fetcher: ProjectOnlyFetcher | None = None) -> Iterator[ProjectOnlyFetcher]:
    """A fetcher that serves only the project's files, for the layouts and PDFs made inside the
    `with`; a resource one of them refused or could not use ends it with a ReportError (see write_pdf).
    WeasyPrint's own warnings stay out of an editor's terminal. `fetcher`: one kept from an earlier
    `with` (pictures loaded then fetch what they refer to through it), its failures forgotten."""
    if fetcher is None:
        fetcher = ProjectOnlyFetcher(project_root, sources)
    else:
        fetcher.failed.clear()
        fetcher.failures = 0
        fetcher.sources = list(sources)
    logger = logging.getLogger("weasyprint")
    logger.setLevel(logging.ERROR)
    failures = _FailedResources(fetcher)
    logger.addHandler(failures)
    try:
        yield fetcher
    except FatalURLFetchingError as exc:
        fetcher.refuse_failed()
        raise ReportError(Problem(None, None, str(exc), FETCH_HINT)) from None
    finally:
        logger.removeHandler(failures)


def lay_out(source: HTML, render: Callable[[], Document], fetcher: ProjectOnlyFetcher) -> Document:
    """`render()` lays `source` out; where the layout needs what CSS cannot say (see the module's
    description), `source` is changed and laid out again."""
    document = render()
    for _ in range(MAX_PASSES - 1):
        fetcher.refuse_failed()
        # A moved block changes the two pages it moves between, and no other (the next page starts a
        # part): labels go on every other page of this layout, theirs on the next.
        moved = fill_short_part_ends(document)
        changed = bool(moved) | label_continued_groups(document, moved) | limit_hyphenated_runs(document)
        if not changed:
            break
        import cssselect2
        # The selectors see the tree through a wrapper that caches each element's children.
        source.wrapper_element = cssselect2.ElementWrapper.from_html_root(source.etree_element,
                                                                          content_language=None)
        document = render()
    fetcher.refuse_failed()
    return document


def _refuse_failed(failed: dict[str, str], project_root: Path, sources: list[Path]) -> None:
    """A ReportError of every resource the PDF could not use, if there is one."""
    if not failed:
        return
    problems = []
    for url, why in failed.items():
        shown = url
        if url.startswith("file:"):
            path = _file_path(url)
            shown = path.relative_to(project_root.resolve()).as_posix() \
                if path.is_relative_to(project_root.resolve()) else str(path)
        elif url.startswith("data:"):
            shown = url[:40] + "…"
        where, line = _referred_from(url, sources)
        if where is None and url.startswith("file:"):
            where = _file_path(url)
        problems.append(Problem(where, line, f"the PDF cannot use {shown or 'a resource'}: {why}", FETCH_HINT))
    raise ReportError(problems)


def _refuse_machine_links(document, sources: list[Path]) -> None:
    """A ReportError when a link of the PDF leads anywhere but the web, mail or a telephone: a relative
    link of a template, resolved against the build folder, would lead readers to file:// there."""
    links = sorted({target for page in document.pages for kind, target, *_ in page.links
                    if kind != "internal" and not re.match(r"(https?|mailto|tel):", target, re.I)})
    if links:
        raise ReportError([Problem(*_referred_from(url, sources), f"the PDF would link to {url}, on the computer "
                                   "it is built on", "link to the web (https://…) or to a section (#id)")
                           for url in links])


def _referred_from(url: str, sources: list[Path]) -> tuple[Path | None, int | None]:
    """The first file of `sources`, and its line, that writes `url` (as written, or its file's name)."""
    needles = [url]
    if url.startswith("file:"):
        needles.append(_file_path(url).name)
    texts = []
    for path in sources:
        try:
            texts.append((path, path.read_text(encoding="utf-8").split("\n")))
        except (OSError, UnicodeDecodeError):
            continue
    for needle in filter(None, needles):
        for path, lines in texts:
            for number, line in enumerate(lines, 1):
                if needle in line:
                    return path, number
    return None, None


def open_with_bookmarks(document, pdf) -> None:
    """The reader opens the PDF with its bookmarks (the outline) shown beside the pages."""
    pdf.catalog["PageMode"] = "/UseOutlines"


def finish(document, pdf, commit: str | None) -> None:
    """The PDF's last touches: it opens with its bookmarks; it names the commit it was built from."""
    open_with_bookmarks(document, pdf)
    if commit:
        import pydyf
        pdf.info["Commit"] = pydyf.String(commit)


def label_continued_groups(document, unsettled: AbstractSet[int] = frozenset()) -> bool:
    """Where a page starts inside a labelled group of rows, put the group's label again at the top of
    that page, as a row that starts the page. Pages in `unsettled` (indexes) change in the next layout
    and are left for it. Returns whether a label was added (lay out again)."""
    from weasyprint.formatting_structure import boxes

    seen_tables: set[int] = set()
    added = False
    for index, page in enumerate(document.pages):
        for table in _outermost(page._page_box, boxes.TableBox):
            key = id(table.element)
            if key not in seen_tables:
                seen_tables.add(key)         # the table starts on this page
                continue
            if index in unsettled:
                continue
            body = [g for g in table.children if isinstance(g, boxes.TableRowGroupBox)
                    and not g.is_header and not g.is_footer and g.children]
            if not body:
                continue
            group, row = body[0].element, body[0].children[0].element
            label = group.get(CONTINUED) if group is not None else None
            rows = [r for r in group if _tag(r) == "tr"] if label else []
            if not rows or row is rows[0] or "continued" in (row.get("class") or "").split():
                continue
            repeat = copy.deepcopy(rows[0])
            repeat.set("class", ((repeat.get("class") or "") + " continued").strip())
            repeat.set("style", "break-before: page")
            cell = next((c for c in repeat if _tag(c) in ("th", "td")), None)
            if cell is None:
                continue
            for child in list(cell):
                cell.remove(child)
            cell.text = label
            group.insert(list(group).index(row), repeat)
            added = True
    return added


def fill_short_part_ends(document) -> set[int]:
    """Where the last page of a part (the page before an opener, a front part's title or the back
    cover) is filled less than SHORT_PAGE, move a block of the page before onto it: the last block
    that starts there and, moved, fills the short page to FILL_TO while its own page stays filled at
    least KEEP_FILLED (a heading goes with the block under it). Parts start on new pages, so each
    fix changes its part's last two pages only. Returns the indexes of the pages it changes (lay out
    again where there are any)."""
    from weasyprint.formatting_structure import boxes

    pages = [page._page_box for page in document.pages]
    moved: set[int] = set()
    for i in range(1, len(pages)):
        page, before = pages[i], pages[i - 1]
        following = pages[i + 1] if i + 1 < len(pages) else None
        if _is_artwork(page) or _is_artwork(before) or (following is not None and not _starts_part(following, boxes)):
            continue
        height = page.height
        fill = _filled(page, boxes) / height
        if fill >= SHORT_PAGE:
            continue
        earlier = {id(b.element) for b in _blocks(pages[i - 2], boxes)} if i >= 2 else set()
        bottom = _filled(before, boxes)
        chosen = None
        for block, heading in _movable(before, boxes):
            if id(block.element) in earlier:
                continue                      # it continues from the page before: not a block that starts here
            start = (heading or block).position_y - before.content_box_y()
            if start / height < KEEP_FILLED or (bottom - start) / height + fill > 0.9:
                continue
            if (bottom - start) / height + fill >= FILL_TO:
                chosen = heading or block     # the last that is enough: keep on looking
        if chosen is not None:
            chosen.element.set("style", ((chosen.element.get("style") or "") + "; break-before: page").lstrip("; "))
            moved |= {i - 1, i}
    return moved


def _is_artwork(page_box) -> bool:
    return (page_box.page_type.name or "") in FULL_BLEED


def _starts_part(page_box, boxes) -> bool:
    """An opener, the back cover, or a page that opens with a front part's title (h1)."""
    if _is_artwork(page_box):
        return True
    first = next(_outermost(page_box, boxes.LineBox), None)
    return first is not None and any(_tag(e) == "h1" for e in _elements_above(page_box, first, boxes))


def _elements_above(box, target, boxes, path=()):
    """The elements of the boxes that hold `target`, outermost first."""
    if box is target:
        return [getattr(b, "element", None) for b in path]
    for child in getattr(box, "children", ()):
        child = getattr(child, "_box", child)
        found = _elements_above(child, target, boxes, path + (box,))
        if found is not None:
            return found
    return None


def _filled(page_box, boxes) -> float:
    """How far down the page's content area its last line, picture or table row reaches."""
    bottom = page_box.content_box_y()
    for box in _all(page_box, boxes.MarginBox):     # not the running header and page number
        if isinstance(box, (boxes.LineBox, boxes.ReplacedBox, boxes.TableRowBox)):
            bottom = max(bottom, box.position_y + box.margin_height())
    return bottom - page_box.content_box_y()


def _all(box, leave_out: type | None = None):
    """`box` and every box inside it, but those of type `leave_out` and what they hold."""
    if leave_out is not None and isinstance(box, leave_out):
        return
    yield box
    for child in getattr(box, "children", ()):
        yield from _all(getattr(child, "_box", child), leave_out)


def _blocks(page_box, boxes):
    return (b for b in _all(page_box) if isinstance(b, boxes.BlockBox) and getattr(b, "element", None) is not None)


def _movable(page_box, boxes):
    """(block, the heading it keeps with or None) for each block of the page that may start the next
    page: a section of a part, or a block in a section's text, in their order on the page."""
    def walk(box):
        children = [getattr(c, "_box", c) for c in getattr(box, "children", ())]
        in_section = "section" in _classes(box)
        previous: list = []                   # the blocks before, nearest last
        for child in children:
            if isinstance(child, boxes.BlockBox) and getattr(child, "element", None) is not None \
                    and (in_section or "section" in _classes(child)) and _tag(child.element) not in HEADINGS \
                    and "disclosure-codes" not in _classes(child):
                # A heading, or a title with the codes under it, goes with the block it heads.
                before = previous[-1:] if previous and "disclosure-codes" not in _classes(previous[-1]) \
                    else previous[-2:-1]
                heading = before[0] if before and _tag(before[0].element) in HEADINGS else None
                yield child, heading
            if isinstance(child, boxes.BlockBox):
                previous.append(child)
                if _tag(getattr(child, "element", None)) not in HEADINGS:
                    yield from walk(child)
    yield from walk(page_box)


def _classes(box) -> set[str]:
    element = getattr(box, "element", None)
    return set((element.get("class") or "").split()) if element is not None and _tag(element) else set()


def limit_hyphenated_runs(document) -> bool:
    """Where a paragraph has a third line in a row ending with a hyphen, keep that word whole (a span
    that is not hyphenated). Line breaking inside a paragraph does not depend on the page it is on,
    so the next layout breaks every other paragraph as before. Returns whether a word was kept."""
    from weasyprint.formatting_structure import boxes

    lines = [line for page in document.pages for line in _outermost(page._page_box, boxes.LineBox)]
    words: dict[int, tuple] = {}
    run = 0
    for line, following in zip(lines, lines[1:] + [None]):
        last = _last_text(line, boxes)
        if last is None or not last.text.endswith(hyphen := last.style["hyphenate_character"]):
            run = 0
            continue
        run += 1
        if run <= MAX_HYPHENATED_LINES or following is None or following.element is not line.element:
            continue
        head = re.search(r"(\w+)" + re.escape(hyphen) + "$", last.text)
        tail = re.match(r"\s*(\w+)", _text_of(following, boxes))
        if head and tail:
            words.setdefault(id(line.element), (line.element, set()))[1].add(head.group(1) + tail.group(1))
        run = 0
    for element, kept in words.values():
        for word in kept:
            _keep_whole(element, word)
    return bool(words)


def _outermost(box, kind):
    """The boxes of `kind` in `box`, in order, not looking inside them."""
    if isinstance(box, kind):
        yield box
        return
    for child in getattr(box, "children", ()):
        yield from _outermost(getattr(child, "_box", child), kind)


def _last_text(box, boxes):
    if isinstance(box, boxes.TextBox):
        return box
    for child in reversed(getattr(box, "children", ())):
        found = _last_text(child, boxes)
        if found is not None:
            return found
    return None


def _text_of(box, boxes) -> str:
    if isinstance(box, boxes.TextBox):
        return box.text
    return "".join(_text_of(c, boxes) for c in getattr(box, "children", ()))


def _keep_whole(element, word: str) -> None:
    """Wrap each occurrence of `word` in `element`'s text in a span that is never hyphenated."""
    pattern = re.compile(rf"(?<!\w){re.escape(word)}(?!\w)")

    def wrap(text):
        match = pattern.search(text or "")
        if not match:
            return None
        span = element.makeelement("span", {"style": "hyphens: manual"})
        span.text, span.tail = match.group(), text[match.end():]
        return text[:match.start()], span

    for holder in list(element.iter()):
        parts = wrap(holder.text)
        if parts:
            holder.text, span = parts
            holder.insert(0, span)
        i = 0
        while i < len(holder):          # the tails of the children, new spans' tails included
            parts = wrap(holder[i].tail)
            if parts:
                holder[i].tail, span = parts
                holder.insert(i + 1, span)
            i += 1


def _tag(element) -> str:
    tag = getattr(element, "tag", None)
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
