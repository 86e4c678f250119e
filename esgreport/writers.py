"""The outputs of an edition, each a writer registered here: the web site, the PDF, the KPI data.

A writer says which files of an edition's folder are its own (`owns`), may check the rendered
edition before anything is written (`verify`), and writes its files into a folder (`write`). The
command line's `--format` choices are the names registered here, in this order.
"""

from __future__ import annotations

import shutil
from pathlib import Path, PurePosixPath
from typing import ClassVar

from .editions import EDITIONS
from .errors import Problems
from .fonts import FontsMissing, uncovered
from .downloads import FOLDER as DATA_FOLDER, SERIALISERS
from .project import Project
from .render import RenderedEdition, visible_text
from .report import Report
from .website import GENERATED


class Writer:
    name: ClassVar[str]
    description: ClassVar[str]

    def owns(self, path: PurePosixPath) -> bool:
        """Whether a file of an edition's folder (relative path) is this writer's."""
        raise NotImplementedError

    def verify(self, rendered: RenderedEdition, report: Report, problems: Problems) -> None:
        """Problems that would spoil this output, found before anything is written."""

    def write(self, rendered: RenderedEdition, folder: Path, project: Project) -> None:
        raise NotImplementedError


WRITERS: dict[str, Writer] = {}


def register(cls: type[Writer]) -> type[Writer]:
    WRITERS[cls.name] = cls()
    return cls


def owner(path: PurePosixPath) -> str | None:
    return next((name for name, w in WRITERS.items() if w.owns(path)), None)


@register
class WebWriter(Writer):
    name = "html"
    description = "the web edition: index.html and a page per chapter, search, styles and images"

    def owns(self, path: PurePosixPath) -> bool:
        return (len(path.parts) == 1 and (path.suffix == ".html" or path.name in GENERATED)) \
            or path.parts[0] in ("assets", "media")

    def write(self, rendered: RenderedEdition, folder: Path, project: Project) -> None:
        for name, page in rendered.pages.items():
            (folder / name).write_text(page, encoding="utf-8")
        shutil.copytree(project.templates / "static", folder / "assets", dirs_exist_ok=True)
        for source, name in rendered.media.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, folder / name)


@register
class PdfWriter(Writer):
    name = "pdf"
    description = "the PDF: tagged (PDF/UA-1), fonts embedded, made from the print HTML by WeasyPrint"

    def owns(self, path: PurePosixPath) -> bool:
        return len(path.parts) == 1 and path.suffix == ".pdf"

    def verify(self, rendered: RenderedEdition, report: Report, problems: Problems) -> None:
        """Fail when a character cannot be drawn, naming it and the file it comes from."""
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

    def write(self, rendered: RenderedEdition, folder: Path, project: Project) -> None:
        from .pdf import write_pdf  # WeasyPrint is slow to import; builds without a PDF skip it

        write_pdf(rendered.print_html, project.templates / "static", folder / rendered.pdf_name, project.root)


@register
class DataWriter(Writer):
    name = "data"
    description = "the KPI data: every metric with its values, as CSV, XLSX and JSON under data/"

    def owns(self, path: PurePosixPath) -> bool:
        return path.parts[0] == DATA_FOLDER

    def write(self, rendered: RenderedEdition, folder: Path, project: Project) -> None:
        data = rendered.kpi_data
        if data is None:
            return
        for fmt, serialise in SERIALISERS.items():
            target = folder / data.file(fmt)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(serialise(data))


def _describe(chars: list[str]) -> str:
    return ", ".join(f"'{c}' (U+{ord(c):04X})" for c in chars)
