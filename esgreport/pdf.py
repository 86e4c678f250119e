"""Turn the print HTML into a PDF with WeasyPrint, fetching nothing from outside the project."""

from __future__ import annotations

import logging
from pathlib import Path

from weasyprint import HTML

from .errors import Problem, ReportError
from weasyprint.urls import FatalURLFetchingError, URLFetcher


class ProjectOnlyFetcher(URLFetcher):
    """Serves files under the project folder (and data: URLs); refuses everything else."""

    def __init__(self, root: Path):
        super().__init__(allowed_protocols={"file", "data"})
        self.root = root.resolve()
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        if url.startswith("file:"):
            from urllib.parse import unquote, urlparse
            path = Path(unquote(urlparse(url).path)).resolve()
            if path != self.root and self.root not in path.parents:
                self.refused.append(url)
                raise FatalURLFetchingError(f"refused to read {url}: outside the project")
        elif not url.startswith("data:"):
            self.refused.append(url)
            raise FatalURLFetchingError(f"refused to fetch {url}: the build does not use the network")
        return super().fetch(url, headers)


PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_tags": True, "optimize_images": True}


def write_pdf(html: str, base_url: Path, target: Path, project_root: Path):
    """Lay out the print HTML and write it as a tagged PDF; returns WeasyPrint's laid-out document.
    The document language comes from <html lang>; WeasyPrint writes it as the PDF's /Lang."""
    fetcher = ProjectOnlyFetcher(project_root)
    # WeasyPrint reports layout warnings through logging; keep them out of an editor's terminal.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    try:
        document = HTML(string=html, base_url=str(base_url) + "/", url_fetcher=fetcher).render(**PDF_OPTIONS)
        document.write_pdf(target, **PDF_OPTIONS)
        return document
    except FatalURLFetchingError as exc:
        raise ReportError(Problem(None, None, str(exc),
                                  "refer only to files inside the project (images under content/<year>/, "
                                  "styles under templates/static/)")) from None
