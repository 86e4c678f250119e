"""The PDF's writer: every character drawable, then WeasyPrint."""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from esgreport.editions import EDITIONS
from esgreport.project import Project
from esgreport.writers.fingerprint import digest, files_digest, fonts_key, package_versions, tree

if TYPE_CHECKING:        # the registry is read by the command line before anything heavy is imported
    from esgreport.errors import Problems
    from esgreport.model.report import Report
    from esgreport.render.edition import RenderedEdition


from esgreport.writers import Writer, register


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
        from esgreport.render.edition import visible_text
        from esgreport.writers.fonts import FontsMissing, uncovered

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
        from esgreport.writers.layout import write_pdf  # WeasyPrint is slow to import; builds without a PDF skip it

        write_pdf(rendered.print_html, project.templates / "static", folder / rendered.pdf_name, project.root,
                  resource_sources(rendered, project))


def resource_sources(rendered: "RenderedEdition", project: Project) -> list[Path]:
    """Where a resource the PDF cannot show may be referred to: a section, or a template or style sheet."""
    return [*rendered.section_text, *sorted(p for p in project.templates.rglob("*")
                                            if p.suffix in (".css", ".html", ".svg"))]


def layout_key(rendered: "RenderedEdition", project: Project) -> str:
    """What the layout reads besides the print HTML: style sheets, pictures, fonts, WeasyPrint itself."""
    return digest(files_digest(tree(project.templates / "static"), project.templates),
                  files_digest(list(rendered.media), Path("/")), fonts_key(EDITIONS[rendered.code].fonts),
                  package_versions())



def _describe(chars: list[str]) -> str:
    return ", ".join(f"'{c}' (U+{ord(c):04X})" for c in chars)
