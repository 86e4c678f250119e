"""Shared fixtures.

- `project`: a copy of the small fixture report of tests/fixtures/report (two editions, a few sections,
  metrics with a formula and a sum rule, tables, charts, a small framework index), with the project's
  real templates and catalogs, for engine tests to change freely. It builds in a few seconds.
- `published`: the company's published 2023 report (content/2023), built once for the session: the web
  edition by the build, each PDF by the build's own PDF function, keeping WeasyPrint's layout for the
  tests that measure pages. Only tests of what the company published read content/2023.
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from esgreport.pipeline import Project, build, load  # noqa: E402
from esgreport.typography.cjk import GAP_CLASS, PUNCTUATION_CLASSES  # noqa: E402

SEED = Path(__file__).parent / "fixtures" / "seed-2023.txt"
FIXTURE = Path(__file__).parent / "fixtures" / "report"
FIXTURE_YEAR = 2025
PUBLISHED_YEAR = 2023
EDITIONS = ("zh-hant", "en")


def copy_project(dest: Path, content: Path) -> Project:
    """A project with `content` and the project's templates and catalogs, copied so a test may change them."""
    shutil.copytree(content, dest / "content")
    for name in ("templates", "locales"):
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("*.mo"))
    return Project(dest)


def published_content(dest: Path) -> Project:
    """A copy of the bundled content with only the 2023 report (a later year in the repository does not
    change what these tests read)."""
    project = copy_project(dest, ROOT / "content")
    for folder in project.content.iterdir():
        if folder.is_dir() and folder.name.isdigit() and folder.name != str(PUBLISHED_YEAR):
            shutil.rmtree(folder)
    return project


@pytest.fixture
def project(tmp_path) -> Project:
    return copy_project(tmp_path, FIXTURE / "content")


@pytest.fixture
def published_copy(tmp_path) -> Project:
    return published_content(tmp_path)


class PerEdition(dict):
    """Something made per edition, on first use: tests that split across processes by edition
    (pytest-xdist groups, see pytest_collection_modifyitems) each make only their edition's."""

    def __init__(self, make):
        super().__init__()
        self.make = make

    def __missing__(self, code: str):
        self[code] = value = self.make(code)
        return value


class Published:
    """The built 2023 report: its project and output folder; each edition's PDF, and the WeasyPrint
    layout it was written from, made when a test first asks for it."""

    def __init__(self, project: Project, rendered: dict):
        self.project = project
        self.rendered = rendered
        self.documents = PerEdition(self._write_pdf)

    def folder(self, code: str) -> Path:
        return self.project.output / str(PUBLISHED_YEAR) / code

    @functools.cached_property
    def report(self):
        """The prepared 2023 report the editions were built from."""
        return load(self.project, PUBLISHED_YEAR)

    def pdf(self, code: str) -> Path:
        self.documents[code]
        return pdf_path(self.folder(code))

    def _write_pdf(self, code: str):
        """The edition's PDF as the build's PDF writer makes it: the print document, through write_pdf."""
        from esgreport.errors import Problems
        from esgreport.pipeline import load
        from esgreport.render.edition import render_edition
        from esgreport.writers.layout import write_pdf

        report = load(self.project, PUBLISHED_YEAR)
        rendered = render_edition(report, code, self.project.templates, self.project.locales, Problems(),
                                  media=("print",))
        target = self.folder(code) / rendered.pdf_name
        return write_pdf(rendered.print_html, self.project.templates / "static", target, self.project.root)


@pytest.fixture(scope="session")
def published(tmp_path_factory) -> Published:
    project = published_content(tmp_path_factory.mktemp("published"))
    result = build(project, year=PUBLISHED_YEAR, formats=["html", "data"])
    return Published(project, {r.code: r for r in result.rendered})


@pytest.fixture(scope="session")
def published_pdf(published) -> Published:
    """The published report, for tests that read its PDFs (`published_pdf.pdf(code)`)."""
    return published


@pytest.hookimpl(tryfirst=True)      # before pytest-xdist reads the groups
def pytest_collection_modifyitems(items):
    """Under pytest-xdist (`make test`), the tests that read one edition's published PDF run in one
    process, so that each PDF is laid out once, and the two PDFs in parallel."""
    for item in items:
        code = getattr(getattr(item, "callspec", None), "params", {}).get("code")
        if code and "published_pdf" in item.fixturenames:
            item.add_marker(pytest.mark.xdist_group(f"published-pdf-{code}"))


def edition_folder(project: Project, code: str, year: int = FIXTURE_YEAR) -> Path:
    return project.output / str(year) / code


def pdf_path(folder: Path) -> Path:
    pdfs = sorted(folder.glob("*.pdf"))
    assert len(pdfs) == 1, f"expected one PDF in {folder}, found {pdfs}"
    return pdfs[0]


def pdf_text(pdf: Path, raw: bool = False) -> str:
    """The PDF's text (pages split by form feeds); `raw` keeps the order it was drawn in (rotated text)."""
    return subprocess.run(["pdftotext", *(["-raw"] if raw else []), "-enc", "UTF-8", str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout


_TYPESETTING_SPAN = re.compile(rf'<span class="(?:{"|".join((*PUNCTUATION_CLASSES, GAP_CLASS))})">([^<]*)</span>')


def unspaced(markup: str) -> str:
    """`markup` without the spans of Chinese punctuation and spacing (typography/cjk.py
    punctuation_and_spacing), which wrap one character each: the text and all other markup as built."""
    return _TYPESETTING_SPAN.sub(r"\1", markup)


def html_text(folder: Path) -> str:
    """Visible text of every web page of an edition, tags removed."""
    import html as htmllib
    parts = []
    for page in sorted(folder.glob("*.html")):
        body = page.read_text(encoding="utf-8")
        body = re.sub(r"<script.*?</script>", " ", body, flags=re.S)
        body = re.sub(r"</?(?:span|a|strong|em|b|i|sup|sub)\b[^>]*>", "", body)   # inside a line: no space
        parts.append(htmllib.unescape(re.sub(r"<[^>]+>", " ", body)))
    return "\n".join(parts)


@pytest.fixture(scope="session")
def pdf_texts(published_pdf) -> PerEdition:
    return PerEdition(lambda code: pdf_text(published_pdf.pdf(code)))


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if needle in line)


def problems_of(fn) -> list:
    from esgreport.errors import ReportError
    with pytest.raises(ReportError) as info:
        fn()
    return info.value.problems


# --- processes (Linux /proc): what a build or the preview started, and whether it still runs ---------------

def _processes() -> dict[int, list[int]]:
    """Running processes by their parent (zombies left out)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                state, parent = (entry / "stat").read_text().rsplit(")", 1)[1].split()[:2]
            except (OSError, ValueError):
                continue
            if state != "Z":
                children.setdefault(int(parent), []).append(int(entry.name))
    return children


def children(pid: int) -> list[int]:
    """The running processes `pid` started itself."""
    return _processes().get(pid, [])


def descendants(pid: int) -> list[int]:
    """The running processes `pid` started, and theirs."""
    tree, found, todo = _processes(), [], [pid]
    while todo:
        for child in tree.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def running(pid: int) -> bool:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
