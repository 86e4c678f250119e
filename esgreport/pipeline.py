"""The build, step by step: load and validate → check data (compute) → render → check fonts → write.

Each step is a function of its own; nothing is written to output/ until every edition rendered cleanly.
"""

from __future__ import annotations

import html as htmllib
import re
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .content import Report, find_report_dir, load_report, problems_of
from .checks import check_data
from .disclosures import check_tags, load_frameworks
from .errors import Problems, ReportError
from .fonts import FontsMissing, uncovered
from .render import EditionRenderer, SectionView

FORMATS = ("html", "pdf")


@dataclass
class Project:
    """Where things are. Defaults to the folder holding build.py."""

    root: Path

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    @property
    def locales(self) -> Path:
        return self.root / "locales"

    @property
    def output(self) -> Path:
        return self.root / "output"


@dataclass
class RenderedEdition:
    code: str
    parts: list[SectionView]
    pages: dict[str, str]          # file name → HTML (web edition)
    print_html: str                # the document the PDF is made from
    section_text: dict[Path, str]  # source file → text it produced (for the font check)
    media: dict[Path, str] = field(default_factory=dict)   # image file → path under the edition folder


@dataclass
class BuildResult:
    editions: dict[str, list[Path]] = field(default_factory=dict)
    seconds: float = 0.0


def load(project: Project, year: int | None = None, problems: Problems | None = None) -> Report:
    """Load and validate content, data and the disclosure frameworks the manifest names.

    Given `problems`, what is wrong is added there and loading goes as far as it can (a build then
    reports everything at once); without it, the first problems raise ReportError."""
    report = load_report(find_report_dir(project.content, year))
    found = Problems() if problems is None else problems
    found.extend(report.load_problems)
    report.frameworks, report.disclosures = load_frameworks(report, found)
    check_tags(report, report.frameworks, report.disclosures, found)
    if problems is None:
        found.raise_if_any()
    return report


def verify(report: Report, project: Project, codes: list[str], problems: Problems,
           fonts: bool = True) -> list[RenderedEdition]:
    """Everything a build checks: data integrity (when the data could be read), every edition's
    references, and the fonts; problems are added to `problems`."""
    if not problems:
        check_data(report, problems)
    rendered = []
    for code in codes:
        r = render_edition(report, code, project, problems)
        if fonts:
            check_fonts(r, report, problems)
        rendered.append(r)
    return rendered


_TAG = re.compile(r"<[^>]+>")


def visible_text(markup: str) -> str:
    return htmllib.unescape(_TAG.sub(" ", markup))


def pdf_name(report: Report, code: str) -> str:
    return f"esg-report-{report.manifest.year}-{code}.pdf"


def render_edition(report: Report, code: str, project: Project, problems: Problems) -> RenderedEdition:
    renderer = EditionRenderer(report, code, project.templates, project.locales, problems)
    parts = renderer.parts(link_mode="print")
    web_parts = renderer.parts(link_mode="web")
    ctx = renderer.context()
    section_text: dict[Path, str] = {}
    by_id = {s.id: s for s in report.sections()}
    for view in (v for p in parts for v in _walk(p)):
        src = by_id[view.id].sources.get(renderer.content_edition)
        if src is not None:
            section_text[src.path] = visible_text(str(view.body))

    jinja = renderer.jinja
    pages: dict[str, str] = {}
    pdf_file = pdf_name(report, code)
    pages["index.html"] = jinja.get_template("web/index.html").render(
        **ctx, parts=web_parts, assets="assets", page_file="index.html", pdf_file=pdf_file)
    for i, part in enumerate(web_parts):
        pages[f"{part.id}.html"] = jinja.get_template("web/part.html").render(
            **ctx, part=part, assets="assets", page_file=f"{part.id}.html", pdf_file=pdf_file,
            previous=web_parts[i - 1] if i > 0 else None,
            next=web_parts[i + 1] if i + 1 < len(web_parts) else None)
    print_html = jinja.get_template("report.html").render(
        **ctx, parts=parts, assets=(project.templates / "static").as_uri())
    return RenderedEdition(code, parts, pages, print_html, section_text, renderer.media)


def _walk(view: SectionView):
    yield view
    for c in view.children:
        yield from _walk(c)


def check_fonts(rendered: RenderedEdition, report: Report, problems: Problems) -> None:
    """Fail when a character cannot be drawn, naming it and the file it comes from."""
    try:
        missing_all = set(uncovered(visible_text(rendered.print_html)))
    except FontsMissing as exc:
        problems.add(None, None, str(exc), "run `make setup` (it installs fonts-noto-cjk)")
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
            problems.add(path, lines[0] if lines else None,
                         f"the fonts cannot draw {_describe(here)}",
                         "replace the character, or check it is not an extraction error")
    rest = sorted(missing_all - placed)
    if rest:
        problems.add(report.root / "report.yaml", None,
                     f"the {rendered.code} edition has characters the fonts cannot draw: {_describe(rest)} "
                     "(in titles, data labels or UI strings)",
                     "search content/ and locales/ for them and replace them")


def _describe(chars: list[str]) -> str:
    return ", ".join(f"'{c}' (U+{ord(c):04X})" for c in chars)


def write_edition(rendered: RenderedEdition, report: Report, project: Project, formats: tuple[str, ...],
                  staging: Path) -> None:
    """Write one edition into a staging folder; the caller swaps it in when all editions succeeded."""
    from .pdf import write_pdf  # WeasyPrint is slow to import; html-only builds skip it

    target = staging / rendered.code
    target.mkdir(parents=True, exist_ok=True)
    if "html" in formats:
        for name, page in rendered.pages.items():
            (target / name).write_text(page, encoding="utf-8")
        shutil.copytree(project.templates / "static", target / "assets", dirs_exist_ok=True)
        for source, name in rendered.media.items():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    if "pdf" in formats:
        pdf = target / pdf_name(report, rendered.code)
        write_pdf(rendered.print_html, project.templates / "static", pdf, project.root)


def publish(staging: Path, output: Path, codes: list[str], formats: tuple[str, ...]) -> None:
    """Swap each built edition into output/ so readers never see a half-written folder.

    A build of one format keeps the other format's files from the previous build.
    """
    output.mkdir(exist_ok=True)
    for code in codes:
        new, live = staging / code, output / code
        if live.exists() and set(formats) != set(FORMATS):
            keep_pdf = "pdf" not in formats
            for item in live.iterdir():
                is_pdf = item.suffix == ".pdf"
                if is_pdf == keep_pdf and not (new / item.name).exists():
                    dest = new / item.name
                    if item.is_dir():
                        shutil.copytree(item, dest)
                    else:
                        shutil.copy2(item, dest)
        old = output / f".old-{code}"
        if old.exists():
            shutil.rmtree(old)
        if live.exists():
            live.rename(old)
        new.rename(live)
        if old.exists():
            shutil.rmtree(old)


def build(project: Project, editions: list[str] | None = None, formats: tuple[str, ...] = FORMATS,
          year: int | None = None, log: Callable[[str], None] = lambda s: None) -> BuildResult:
    started = time.perf_counter()
    problems = Problems()
    report = load(project, year, problems)
    codes = editions_to_build(report, editions)
    log(f"rendering {', '.join(codes)}")
    rendered = verify(report, project, codes, problems, fonts="pdf" in formats)
    problems.raise_if_any()

    result = BuildResult()
    project.output.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".build-", dir=project.output) as tmp:
        staging = Path(tmp)
        for r in rendered:
            log(f"writing {r.code} ({', '.join(formats)})")
            write_edition(r, report, project, formats, staging)
        publish(staging, project.output, codes, formats)
    for code in codes:
        result.editions[code] = sorted((project.output / code).glob("*"))
    result.seconds = time.perf_counter() - started
    return result


def check(project: Project, year: int | None = None, editions: list[str] | None = None) -> int:
    """Everything a build verifies, without writing: raise ReportError listing every problem."""
    problems = Problems()
    report = load(project, year, problems)
    verify(report, project, editions_to_build(report, editions), problems)
    problems.raise_if_any()
    return sum(len(s.sources) for s in report.sections())


def editions_to_build(report: Report, editions: list[str] | None) -> list[str]:
    codes = editions or report.editions
    unknown = [c for c in codes if c not in report.editions]
    if unknown:
        raise ReportError(problems_of(report.root / "report.yaml", f"the report has no edition {', '.join(unknown)}",
                                      f"choose from: {', '.join(report.editions)}"))
    return codes
