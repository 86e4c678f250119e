"""Shared fixtures: a copy of the project to break on purpose, and one real build of both editions."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from esgreport.pipeline import Project, build  # noqa: E402

SEED = Path(__file__).parent / "fixtures" / "seed-2023.txt"


def copy_project(dest: Path) -> Project:
    """The parts of the project a build reads, copied so a test may change them."""
    for name in ("content", "templates", "locales"):
        shutil.copytree(ROOT / name, dest / name)
    return Project(dest)


@pytest.fixture
def project(tmp_path) -> Project:
    return copy_project(tmp_path)


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Project:
    """Both editions, HTML and PDF, built once for the whole session from the bundled content."""
    project = copy_project(tmp_path_factory.mktemp("built"))
    build(project)
    return project


def pdf_path(project: Project, code: str) -> Path:
    pdfs = sorted((project.output / code).glob("*.pdf"))
    assert len(pdfs) == 1, f"expected one PDF in output/{code}, found {pdfs}"
    return pdfs[0]


def pdf_text(project: Project, code: str) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf_path(project, code)), "-"],
                          capture_output=True, text=True, check=True).stdout


def html_text(project: Project, code: str) -> str:
    """Visible text of every web page of an edition, tags removed."""
    import html as htmllib
    parts = []
    for page in sorted((project.output / code).glob("*.html")):
        body = page.read_text(encoding="utf-8")
        body = re.sub(r"<script.*?</script>", " ", body, flags=re.S)
        parts.append(htmllib.unescape(re.sub(r"<[^>]+>", " ", body)))
    return "\n".join(parts)


@pytest.fixture(scope="session")
def pdf_texts(built) -> dict[str, str]:
    return {code: pdf_text(built, code) for code in ("zh-hant", "en")}
