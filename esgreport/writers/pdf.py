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
                      fonts_key(EDITIONS[rendered.code].fonts), package_versions(), project.commit or "")

    def verify(self, rendered: "RenderedEdition", report: "Report", problems: "Problems") -> None:
        """Fail when a drawn element (a chart, card, table, organisation chart) shows no text, or a
        character cannot be drawn, naming it and the file it comes from."""
        from esgreport.render.drawn import check_drawn
        from esgreport.render.edition import visible_text
        from esgreport.writers.fonts import FontsMissing, uncovered

        check_drawn(rendered.print_html, report, rendered.code, problems)
        families = EDITIONS[rendered.code].fonts
        try:
            missing_all = set(uncovered(visible_text(rendered.print_html), families))
        except FontsMissing as exc:
            problems.add(None, None, str(exc), "run `make setup` (it installs the report's fonts)")
            return
        if not missing_all:
            return
        hint = "replace the character, or check it is not an extraction error"
        placed: set[str] = set()
        # Where each character is written: a section file, or the data, manifest or framework text of
        # the edition (a data label shows in the section that places its table, but is written here).
        for path, line, here in written_in(report, rendered, missing_all):
            placed.update(here)
            problems.add(path, line, f"the fonts cannot draw {_describe(here)}", hint)
        for path, text in rendered.section_text.items():     # made from what is written (zh-hans)
            here = sorted(set(text) & (missing_all - placed))
            if here:
                placed.update(here)
                problems.add(path, None, f"the fonts cannot draw {_describe(here)}", hint)
        rest = sorted(missing_all - placed)
        if rest:
            problems.add(report.folder / "report.yaml", None,
                         f"the {rendered.code} edition has characters the fonts cannot draw: {_describe(rest)} "
                         "(in titles, data labels or UI strings)",
                         "search content/ and locales/ for them and replace them")

    def write(self, rendered: "RenderedEdition", folder: Path, project: Project) -> None:
        from esgreport.writers.layout import write_pdf  # WeasyPrint is slow to import; builds without a PDF skip it

        write_pdf(rendered.print_html, project.templates / "static", folder / rendered.pdf_name, project.root,
                  resource_sources(rendered, project), project.commit)


def resource_sources(rendered: "RenderedEdition", project: Project) -> list[Path]:
    """Where a resource the PDF cannot show may be referred to: a section, or a template or style sheet."""
    return [*rendered.section_text, *sorted(p for p in project.templates.rglob("*")
                                            if p.suffix in (".css", ".html", ".svg"))]


def layout_key(rendered: "RenderedEdition", project: Project) -> str:
    """What the layout reads besides the print HTML: style sheets, pictures, fonts, WeasyPrint itself."""
    return digest(files_digest(tree(project.templates / "static"), project.templates),
                  files_digest(list(rendered.media), Path("/")), fonts_key(EDITIONS[rendered.code].fonts),
                  package_versions())



def written_in(report: "Report", rendered: "RenderedEdition", chars: set[str]) -> list[tuple[Path, int | None, list[str]]]:
    """The files that write any of `chars` for the edition, each with the first line that does and the
    characters it writes: its section files as written, then the text of the edition in the report's
    data, its manifest, the units, the goals' names and the frameworks."""
    from esgreport.errors import ReportError
    from esgreport.model.load import read_yaml

    edition = EDITIONS[rendered.code].content_edition
    found: list[tuple[Path, int | None, list[str]]] = []
    for path in rendered.section_text:
        try:
            lines = path.read_text(encoding="utf-8").split("\n")
        except (OSError, UnicodeDecodeError):
            continue
        here = sorted({ch for line in lines for ch in line if ch in chars})
        if here:
            found.append((path, next(i for i, line in enumerate(lines, 1) if any(ch in line for ch in here)), here))
    root = report.content_root
    yamls = [*sorted((report.folder / "data").glob("*.yaml")), report.folder / "report.yaml",
             *sorted(root.glob("*.yaml")), *sorted((root / "frameworks").glob("*.yaml"))]
    for path in yamls:
        try:
            node = read_yaml(path, root).node
        except ReportError:
            continue
        at: dict[int, set[str]] = {}
        for line, text in _texts(node, edition):
            if chars.intersection(text):
                at.setdefault(line, set()).update(chars.intersection(text))
        if at:
            found.append((path, min(at), sorted(set().union(*at.values()))))
    return found


def _texts(node, edition: str):
    """(line, text) of every text of a YAML node tree that the edition shows: a value under the
    edition's own key or under no edition's key."""
    import yaml

    stack = [node]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            yield node.start_mark.line + 1, str(node.value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            stack.extend(value for key, value in node.value
                         if not (str(key.value) in EDITIONS and str(key.value) != edition))


def _describe(chars: list[str]) -> str:
    return ", ".join(f"'{c}' (U+{ord(c):04X})" for c in chars)
