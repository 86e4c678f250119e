"""The outputs of an edition, each a writer registered here: the web site, the PDF, the KPI data.

A writer says which files of an edition's folder are its own (`owns`), may check the rendered
edition before anything is written (`verify`), and writes its files into a folder (`write`). The
command line's `--format` choices are the names registered here, in this order.
"""

from __future__ import annotations

import shutil
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, ClassVar

from .editions import EDITIONS
from .errors import Problem, ReportError
from .fingerprint import digest, files_digest, fonts_key, package_versions, tree
from .load import confined
from .project import Project

if TYPE_CHECKING:        # the registry is read by the command line before anything heavy is imported
    from .errors import Problems
    from .render import RenderedEdition
    from .report import Report

from .website import GENERATED

DATA_FOLDER = "data"      # where an edition's KPI downloads are (downloads.py names the files)


class Writer:
    name: ClassVar[str]
    description: ClassVar[str]
    media: ClassVar[tuple[str, ...]] = ("web",)   # what it is made from: the web pages, the print document

    def owns(self, path: PurePosixPath) -> bool:
        """Whether a file of an edition's folder (relative path) is this writer's."""
        raise NotImplementedError

    def key(self, rendered: "RenderedEdition", project: Project) -> str:
        """What this writer's files are made from; the files are written again only when it changes."""
        raise NotImplementedError

    def verify(self, rendered: "RenderedEdition", report: "Report", problems: "Problems") -> None:
        """Problems that would spoil this output, found before anything is written."""

    def write(self, rendered: "RenderedEdition", folder: Path, project: Project) -> None:
        raise NotImplementedError


WRITERS: dict[str, Writer] = {}


def register(cls: type[Writer]) -> type[Writer]:
    WRITERS[cls.name] = cls()
    return cls


def owner(path: PurePosixPath) -> str | None:
    return next((name for name, w in WRITERS.items() if w.owns(path)), None)


def media(formats) -> tuple[str, ...]:
    """What an edition must be rendered as for these formats."""
    return tuple(dict.fromkeys(m for f in formats for m in WRITERS[f].media))


@register
class WebWriter(Writer):
    name = "html"
    description = "the web edition: index.html and a page per chapter, search, styles and images"

    def owns(self, path: PurePosixPath) -> bool:
        return (len(path.parts) == 1 and (path.suffix == ".html" or path.name in GENERATED)) \
            or path.parts[0] in ("assets", "media")

    def key(self, rendered: "RenderedEdition", project: Project) -> str:
        return digest(*(f"{name}\0{page}" for name, page in sorted(rendered.pages.items())),
                      files_digest(tree(project.templates / "static"), project.templates),
                      files_digest(list(rendered.media), project.root))

    def write(self, rendered: "RenderedEdition", folder: Path, project: Project) -> None:
        for name, page in rendered.pages.items():
            (folder / name).write_text(page, encoding="utf-8")
        copy_inside(project.templates / "static", folder / "assets", project.root)
        for source, name in rendered.media.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, folder / name)


@register
class PdfWriter(Writer):
    name = "pdf"
    description = "the PDF: tagged (PDF/UA-1), fonts embedded, made from the print HTML by WeasyPrint"
    media = ("print",)

    def owns(self, path: PurePosixPath) -> bool:
        return len(path.parts) == 1 and path.suffix == ".pdf"

    def key(self, rendered: "RenderedEdition", project: Project) -> str:
        return digest(rendered.print_html, files_digest(tree(project.templates / "static"), project.templates),
                      fonts_key(EDITIONS[rendered.code].fonts), package_versions())

    def verify(self, rendered: "RenderedEdition", report: "Report", problems: "Problems") -> None:
        """Fail when a character cannot be drawn, naming it and the file it comes from."""
        from .fonts import FontsMissing, uncovered
        from .render import visible_text

        families = EDITIONS[rendered.code].fonts
        try:
            missing_all = set(uncovered(visible_text(rendered.print_html), families))
        except FontsMissing as exc:
            problems.add(None, None, str(exc), "run `make setup` (it installs the report's fonts)")
            return
        if not missing_all:
            return
        placed: set[str] = set()
        for path, text in rendered.section_text.items():
            here = sorted(set(text) & missing_all)
            if here:
                placed.update(here)
                lines = [i + 1 for i, line in enumerate(path.read_text(encoding="utf-8").split("\n"))
                         if any(ch in line for ch in here)]
                problems.add(path, lines[0] if lines else None, f"the fonts cannot draw {_describe(here)}",
                             "replace the character, or check it is not an extraction error")
        rest = sorted(missing_all - placed)
        if rest:
            problems.add(report.folder / "report.yaml", None,
                         f"the {rendered.code} edition has characters the fonts cannot draw: {_describe(rest)} "
                         "(in titles, data labels or UI strings)",
                         "search content/ and locales/ for them and replace them")

    def write(self, rendered: "RenderedEdition", folder: Path, project: Project) -> None:
        from .pdf import write_pdf  # WeasyPrint is slow to import; builds without a PDF skip it

        write_pdf(rendered.print_html, project.templates / "static", folder / rendered.pdf_name, project.root)


@register
class DataWriter(Writer):
    name = "data"
    description = "the KPI data: every metric with its values, as CSV, XLSX and JSON under data/"
    media = ()      # made from the prepared report, not from a rendered page

    def owns(self, path: PurePosixPath) -> bool:
        return path.parts[0] == DATA_FOLDER

    def files(self, rendered: "RenderedEdition") -> dict[str, bytes]:
        from .downloads import SERIALISERS

        data = rendered.kpi_data
        return {} if data is None else {data.file(fmt): serialise(data) for fmt, serialise in SERIALISERS.items()}

    def key(self, rendered: "RenderedEdition", project: Project) -> str:
        return digest(*(f"{name}\0".encode() + content for name, content in sorted(self.files(rendered).items())))

    def write(self, rendered: "RenderedEdition", folder: Path, project: Project) -> None:
        for name, content in self.files(rendered).items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(content)


def _describe(chars: list[str]) -> str:
    return ", ".join(f"'{c}' (U+{ord(c):04X})" for c in chars)


def copy_inside(source: Path, target: Path, root: Path) -> None:
    """Copy a folder's files, each of which must stay inside `root` (a link leaving it is refused)."""
    for path in sorted(tree(source)):
        try:
            resolved = confined(path, root)
        except ReportError as exc:
            raise ReportError(Problem(path, None, exc.problems[0].message,
                                      "put the file itself in the folder instead of a link to it")) from None
        dest = target / path.relative_to(source)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(resolved, dest)
