"""The pictures the sections show, opened as pictures in `check` (and so before every build writes).

A file's name says nothing of what it holds: a PNG named .jpg, a page of text or an SVG drawing named
.png, a download cut short, or a picture of billions of pixels would each reach the web pages and the
PDF (where WeasyPrint leaves out what it cannot read, or draws an SVG whatever its name). Each image a
section uses is opened with Pillow: its real format must be the one its extension names (PNG, JPEG,
GIF or WebP), it must decode whole, and it may have at most MAX_PIXELS pixels. Each problem names the
section file and the line of the image. An image the renderer refuses already (outside the report's
folder, not found, another extension) is left to its message (render/edition.py).
"""

from __future__ import annotations

import re
import warnings
from functools import cache, lru_cache
from pathlib import Path

from esgreport.editions import EDITIONS
from esgreport.errors import Problems
from esgreport.model.report import Report, SectionFile

# The pictures content may publish, by extension, with the format the file must hold. SVG is not
# among them: it can carry scripts and external references.
IMAGE_FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".gif": "GIF", ".webp": "WEBP"}
FORMAT_NAMES = {"PNG": "PNG", "JPEG": "JPEG", "GIF": "GIF", "WEBP": "WebP"}
# 40 megapixels: a 7,000 × 5,700 photograph, more than any page shows. Decoded, such a picture takes
# 160 MB of memory in the build and the PDF; a larger one is almost always a mistake, or a
# decompression bomb (a small file that decodes to gigabytes).
MAX_PIXELS = 40_000_000
_URL = re.compile(r"^([a-z][a-z0-9+.-]*:|//)", re.I)
IMAGE_HINT = "export the picture again as PNG or JPEG (under content/<year>/images/) and refer to that file"


def check_images(report: Report, problems: Problems) -> None:
    """Every image of a section written by hand opens, decodes and is what its name says. A broken
    image is reported once, at its first use; the other uses are named in the hint."""
    uses: dict[Path, list[tuple[Path, int | None, str]]] = {}
    root = report.folder.resolve()
    for section in report.sections():
        for edition, source in section.sources.items():
            if EDITIONS[edition].source is not None:
                continue          # a generated edition shows its source's images
            for src, line in section_images(source):
                path = (root / src).resolve()
                if _URL.match(src) or root not in path.parents or not path.is_file() \
                        or path.suffix.lower() not in IMAGE_FORMATS:
                    continue      # the renderer names what is wrong with it
                uses.setdefault(path, []).append((source.path, line, src))
    for path, where in uses.items():
        stat = path.stat()
        wrong = inspect_image(path, stat.st_mtime_ns, stat.st_size)
        if wrong is None:
            continue
        (first, line, src), rest = where[0], where[1:]
        also = f"; it is also shown at {', '.join(_place(p, n, report.folder) for p, n, _ in rest)}" if rest else ""
        problems.add(first, line, f"image `{src}` {wrong[0]}", wrong[1] + also)


def _place(path: Path, line: int | None, folder: Path) -> str:
    name = path.relative_to(folder).as_posix() if path.is_relative_to(folder) else path.name
    return f"{name}:{line}" if line else name


@lru_cache(maxsize=256)
def inspect_image(path: Path, mtime_ns: int, size: int) -> tuple[str, str] | None:
    """What is wrong with the picture at `path` (the problem and what to do), or None. Remembered by
    the file's time and size, so that a preview opens again only a picture that changed."""
    from PIL import Image, UnidentifiedImageError

    expected = IMAGE_FORMATS[path.suffix.lower()]
    named = f"a {FORMAT_NAMES[expected]} picture"
    try:
        with warnings.catch_warnings():
            # Pillow warns of a picture above its own limit; the limit here is lower and is checked below.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path, formats=sorted(set(IMAGE_FORMATS.values()))) as image:
                # A camera's JPEG holding a second picture (MPO) is a JPEG to every reader.
                actual = "JPEG" if image.format == "MPO" else image.format or ""
                if actual != expected:
                    right = next(ext for ext, fmt in IMAGE_FORMATS.items() if fmt == actual)
                    return (f"is a {FORMAT_NAMES[actual]} picture named {path.suffix}",
                            f"rename it to {path.stem}{right} (and the reference to it), or save it as {named}")
                if image.width * image.height > MAX_PIXELS:
                    return _too_large(image.size)
                _decode_whole(image)
    except Image.DecompressionBombError as exc:     # Pillow's own limit, far above MAX_PIXELS
        return _too_large(int(found.group(1)) if (found := re.search(r"\((\d+) pixels\)", str(exc))) else None)
    except UnidentifiedImageError:
        return f"is not {named}: {_what_it_holds(path)}", IMAGE_HINT
    except (OSError, SyntaxError, ValueError, EOFError) as exc:    # what Pillow raises for a damaged file
        return f"cannot be decoded ({exc})", "the file is damaged or was not copied whole: " + IMAGE_HINT
    return None


def _decode_whole(image) -> None:
    """Every pixel decoded: a damaged or cut-short file fails here. WeasyPrint, once imported, tells
    Pillow to accept a cut-short file (it draws the missing part grey); not here."""
    from PIL import ImageFile

    accepting = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        image.load()
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = accepting


def _too_large(size: tuple[int, int] | int | None) -> tuple[str, str]:
    if isinstance(size, tuple):
        pixels = f"is {size[0]:,} × {size[1]:,} pixels ({size[0] * size[1] / 1e6:,.0f} million)"
    else:
        pixels = f"has {size / 1e6:,.0f} million pixels" if size else "has hundreds of millions of pixels"
    return (f"{pixels}, more than the {MAX_PIXELS // 1_000_000} million an image may have",
            "make it smaller (2,400 pixels across is plenty for a full page) and save it again")


def _what_it_holds(path: Path) -> str:
    """A word on what a file that is not a picture of the report's kinds holds."""
    from PIL import Image

    with path.open("rb") as fh:
        head = fh.read(512)
    if b"<svg" in head:
        return "it is an SVG drawing (which can carry scripts)"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(path) as other:      # the header only: what kind of picture it is
                return f"it is a {other.format} picture, which the report does not publish"
    except Exception:    # naming the kind is a courtesy; the file is refused either way
        pass
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 3:       # not just a character cut at the end of the sample
            return "it is not a picture, or is too damaged to tell"
    return "it is not a picture, or is too damaged to tell" if b"\0" in head else "it holds text"


# --- the images a section file shows ---------------------------------------------------------------

@cache
def _parser():
    from esgreport.markup.markdown import report_markdown
    return report_markdown()


@lru_cache(maxsize=1024)
def _images_of(body: str) -> tuple[tuple[str, int | None], ...]:
    """The images (`![alt](src)`) of a section body with their lines, table blocks' cells included.
    Remembered by text: a preview reads again only the files that changed."""
    lines = body.split("\n")
    found: list[tuple[str, int | None]] = []

    def inline(tokens, line: int | None) -> None:
        for token in tokens or []:
            for child in token.children or []:
                if child.type == "image":
                    src = child.attrGet("src") or ""
                    found.append((src, _line_of(lines, src, child.meta.get("line") or line)))

    for token in _parser().parse(body, {}):
        if token.type == "inline":
            inline([token], token.map[0] + 1 if token.map else None)
        elif token.type == "data_table" and not token.meta.get("error"):
            meta = token.meta
            for cell in [meta["caption"] or [], *meta["columns"], *(c for row in meta["rows"] for c in row),
                         *meta["notes"]]:
                for item in (cell if cell and isinstance(cell[0], list) else [cell]):
                    inline(item, meta["line"])
    return tuple(found)


def section_images(source: SectionFile) -> tuple[tuple[str, int | None], ...]:
    # Most sections show no picture: they are not parsed again.
    return _images_of(source.body) if "![" in source.body else ()


def _line_of(lines: list[str], src: str, start: int | None) -> int | None:
    """The line, from `start` (the paragraph's or table's first line) on, that writes `src`."""
    if start is None:
        return None
    for number in range(start, len(lines) + 1):
        if src in lines[number - 1]:
            return number
    return start
