"""Turn the print HTML into a PDF with WeasyPrint, fetching nothing from outside the project.

What CSS cannot say is done here, on WeasyPrint's layout:
- a group of table rows that runs onto the next page is labelled again at the top of that page
  ("Employment (continued)"): the label is the group's `data-continued` attribute;
- no more than two lines in a row end with a hyphen (WeasyPrint has no `hyphenate-limit-lines`):
  the word that would make a third is kept whole;
- the PDF opens with its bookmarks panel shown.
Each fix changes the document, which is laid out again; a document that needs none is laid out once.
"""

from __future__ import annotations

import copy
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from weasyprint import HTML, Document
from weasyprint.urls import FatalURLFetchingError, URLFetcher

from esgreport.errors import Problem, ReportError

CONTINUED = "data-continued"     # on a <tbody>: the label of its rows when they continue on a new page
MAX_PASSES = 3                   # layouts: a label moves the rows after it, which may move a later break
MAX_HYPHENATED_LINES = 2         # lines in a row that may end with a hyphen


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


def write_pdf(html: str, base_url: Path, target: Path, project_root: Path, sources: Iterable[Path] = ()):
    """Lay out the print HTML and write it as a tagged PDF; returns WeasyPrint's laid-out document.
    The document language comes from <html lang>; WeasyPrint writes it as the PDF's /Lang.

    A resource the layout refused or could not load stops it with a problem for each, naming the file
    that refers to it (searched for in `sources`: the section files, the style sheets) and its line, or
    else the file itself: a picture left out of the PDF is never silent. Nothing is written then."""
    sources = list(sources)
    with fetching(project_root, sources) as fetcher:
        source = HTML(string=html, base_url=str(base_url) + "/", url_fetcher=fetcher)
        document = lay_out(source, lambda: source.render(**PDF_OPTIONS), fetcher)
        document.write_pdf(target, finisher=open_with_bookmarks, **PDF_OPTIONS)
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
        changed = label_continued_groups(document) | limit_hyphenated_runs(document)
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


def label_continued_groups(document) -> bool:
    """Where a page starts inside a labelled group of rows, put the group's label again at the top of
    that page, as a row that starts the page. Returns whether a label was added (lay out again)."""
    from weasyprint.formatting_structure import boxes

    seen_tables: set[int] = set()
    added = False
    for page in document.pages:
        for table in _outermost(page._page_box, boxes.TableBox):
            key = id(table.element)
            if key not in seen_tables:
                seen_tables.add(key)         # the table starts on this page
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
