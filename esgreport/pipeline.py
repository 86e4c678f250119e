"""The build, step by step: prepare → check → render each edition → writers → publish.

Nothing is written to the output folder until every edition rendered cleanly and every writer's
checks passed; then each edition is swapped in whole. Each year keeps its own place:
<output>/<year>/<edition>/.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Callable, Iterable

from .checks import run_checks
from .errors import Problem, Problems, problem_at
from .prepare import prepare
from .project import Project
from .render import RenderedEdition, render_edition
from .report import Report
from .writers import WRITERS, owner

__all__ = ["Project", "BuildResult", "build", "check", "load", "year_folder"]


@dataclass
class BuildResult:
    year: int = 0
    editions: dict[str, list[Path]] = field(default_factory=dict)   # edition → its files, as published
    warnings: list[Problem] = field(default_factory=list)
    rendered: list[RenderedEdition] = field(default_factory=list)   # what the writers were given
    seconds: float = 0.0


def load(project: Project, year: int | None = None) -> Report:
    """The prepared report, or ReportError listing every problem with it."""
    return prepare(project.content, year)


def year_folder(output: Path, year: int) -> Path:
    return output / str(year)


def editions_to_build(report: Report, editions: Iterable[str] | None) -> list[str]:
    codes = list(dict.fromkeys(editions or report.editions))      # a repeated --lang is one edition
    unknown = [c for c in codes if c not in report.editions]
    if unknown:
        raise problem_at(report.folder / "report.yaml", f"the report has no edition {', '.join(unknown)}",
                         f"choose from: {', '.join(report.editions)}")
    return codes


def formats_to_build(formats: Iterable[str] | None) -> list[str]:
    chosen = list(dict.fromkeys(formats or WRITERS))
    unknown = [f for f in chosen if f not in WRITERS]
    if unknown:
        raise problem_at(None, f"unknown format {', '.join(unknown)}", f"choose from: {', '.join(WRITERS)}")
    return chosen


def verify(report: Report, project: Project, codes: list[str], formats: list[str], problems: Problems,
           draft: bool = False) -> list[RenderedEdition]:
    """Everything a build checks before it writes: the report's checks, every edition's references,
    and each chosen writer's own checks (the PDF's fonts)."""
    run_checks(report, project.locales, problems, draft)
    rendered = []
    for code in codes:
        r = render_edition(report, code, project.templates, project.locales, problems, draft)
        for name in formats:
            WRITERS[name].verify(r, report, problems)
        rendered.append(r)
    return rendered


def check(project: Project, year: int | None = None, editions: list[str] | None = None,
          draft: bool = False) -> tuple[Report, list[Problem]]:
    """Everything a build verifies, without writing. Raises ReportError when there is an error;
    otherwise returns the report and its warnings."""
    problems = Problems()
    report = prepare(project.content, year, problems)
    verify(report, project, editions_to_build(report, editions), list(WRITERS), problems, draft)
    problems.raise_if_any()
    return report, problems.warnings


def build(project: Project, editions: list[str] | None = None, formats: Iterable[str] | None = None,
          year: int | None = None, output: Path | None = None, draft: bool = False,
          log: Callable[[str], None] = lambda s: None) -> BuildResult:
    """Build the editions of one report year into `output` (default: the project's output/)."""
    started = time.perf_counter()
    output = output or project.output
    chosen = formats_to_build(formats)
    problems = Problems()
    report = prepare(project.content, year, problems)
    codes = editions_to_build(report, editions)
    log(f"rendering {report.year}: {', '.join(codes)}{' (draft)' if draft else ''}")
    rendered = verify(report, project, codes, chosen, problems, draft)
    problems.raise_if_any()

    target = year_folder(output, report.year)
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".build-", dir=target) as tmp:
        staging = Path(tmp)
        for r in rendered:
            log(f"writing {r.code} ({', '.join(chosen)})")
            folder = staging / r.code
            folder.mkdir()
            for name in chosen:
                WRITERS[name].write(r, folder, project)
        publish(staging, target, codes, chosen)
    result = BuildResult(year=report.year, warnings=problems.warnings, rendered=rendered)
    for code in codes:
        result.editions[code] = sorted((target / code).glob("*"))
    result.seconds = time.perf_counter() - started
    return result


def publish(staging: Path, target: Path, codes: list[str], formats: list[str]) -> None:
    """Swap each built edition into place so readers never see a half-written folder. Files of the
    formats not built this time (the PDF of an HTML-only build) are kept from the previous build."""
    for code in codes:
        new, live = staging / code, target / code
        if live.exists():
            for item in live.iterdir():
                kept_by = owner(PurePosixPath(item.name))
                if kept_by is not None and kept_by not in formats and not (new / item.name).exists():
                    if item.is_dir():
                        shutil.copytree(item, new / item.name)
                    else:
                        shutil.copy2(item, new / item.name)
        old = target / f".old-{code}"
        if old.exists():
            shutil.rmtree(old)
        if live.exists():
            live.rename(old)
        new.rename(live)
        if old.exists():
            shutil.rmtree(old)
