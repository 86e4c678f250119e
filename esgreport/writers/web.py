"""The web edition's writer: its pages, styles, scripts and images."""

from __future__ import annotations

import shutil
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from esgreport.errors import Problem, ReportError
from esgreport.model.load import confined
from esgreport.project import Project
from esgreport.writers.fingerprint import digest, files_digest, tree

if TYPE_CHECKING:        # the registry is read by the command line before anything heavy is imported
    from esgreport.errors import Problems
    from esgreport.model.report import Report
    from esgreport.render.edition import RenderedEdition

from esgreport.render.website import GENERATED
from esgreport.writers import Writer, register


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

    def verify(self, rendered: "RenderedEdition", report: "Report", problems: "Problems") -> None:
        """Fail when a drawn element (a chart, card, table, organisation chart) shows no text."""
        from esgreport.render.drawn import check_drawn

        for name, page in rendered.pages.items():
            if name.endswith(".html"):
                check_drawn(page, report, rendered.code, problems)

    def write(self, rendered: "RenderedEdition", folder: Path, project: Project) -> None:
        for name, page in rendered.pages.items():
            (folder / name).write_text(page, encoding="utf-8")
        copy_inside(project.templates / "static", folder / "assets", project.root)
        for source, name in rendered.media.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, folder / name)




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
