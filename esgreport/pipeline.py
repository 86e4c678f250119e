"""The build, step by step: prepare → check → render each edition → writers → publish.

- Each year keeps its own place, <output>/<year>/<edition>/.
- Nothing is written to an edition's folder until every edition rendered cleanly and every writer's
  checks passed; then each edition's folder is swapped in whole (an atomic exchange where the system
  has one), under a lock, so that readers never see half an edition and two builds never mix.
- Nothing unchanged is built again (fingerprint.py): a build whose inputs are those of the last one
  does nothing, and a writer whose input is unchanged keeps its files.
- Editions are rendered and written in separate processes, in parallel when there are several and
  `jobs` allows, while the build checks the report; an edition writes nothing until the checks passed.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import gc
import os
import shutil
import signal
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from esgreport.errors import Problem, Problems, ReportError, problem_at
from esgreport.project import Project
from esgreport.writers import load_writers, media, owner
from esgreport.writers.fingerprint import BuildState, inputs_key

WRITERS = load_writers()     # the build's outputs, in the order of `--format`

if TYPE_CHECKING:
    from esgreport.model.report import Report
    from esgreport.render.edition import RenderedEdition

__all__ = ["Project", "BuildResult", "build", "check", "load", "year_folder", "up_to_date"]


@dataclass
class BuildResult:
    year: int = 0
    editions: dict[str, list[Path]] = field(default_factory=dict)   # edition → its files, as published
    warnings: list[Problem] = field(default_factory=list)
    rendered: list["RenderedEdition"] = field(default_factory=list)   # what the writers were given
    written: dict[str, list[str]] = field(default_factory=dict)       # edition → formats written (not kept)
    stale: dict[str, list[str]] = field(default_factory=dict)         # edition → formats not built, now older
    seconds: float = 0.0


def load(project: Project, year: int | None = None) -> "Report":
    """The prepared report, or ReportError listing every problem with it."""
    from esgreport.prepare.report import prepare
    return prepare(project.content, year)


def year_folder(output: Path, year: int) -> Path:
    return output / str(year)


def latest_year(project: Project, year: int | None) -> int | None:
    """The year a build is for, without reading any report: the one asked for, or the latest folder."""
    if year is not None:
        return year
    years = [int(p.name) for p in project.content.glob("[0-9][0-9][0-9][0-9]") if (p / "report.yaml").is_file()]
    return max(years, default=None)


def editions_to_build(report: "Report", editions: Iterable[str] | None) -> list[str]:
    codes = list(dict.fromkeys(editions or report.editions))      # a repeated --lang is one edition
    unknown = [c for c in codes if c not in report.editions]
    if unknown:
        from esgreport.editions import EDITIONS
        known = [c for c in unknown if c in EDITIONS]
        hint = f"choose from: {', '.join(report.editions)}"
        if known:       # a defined edition this report does not list: say how to add it
            hint += f"; or add {', '.join(known)} to `editions:` in report.yaml to build it"
        raise problem_at(report.folder / "report.yaml", f"the report has no edition {', '.join(unknown)}", hint)
    return codes


def formats_to_build(formats: Iterable[str] | None) -> list[str]:
    chosen = list(dict.fromkeys(formats or WRITERS))
    unknown = [f for f in chosen if f not in WRITERS]
    if unknown:
        raise problem_at(None, f"unknown format {', '.join(unknown)}", f"choose from: {', '.join(WRITERS)}")
    return chosen


def _options(draft: bool, final: bool = False, commit: str | None = None) -> str:
    """The build's options, and the commit it is built from (the PDF and the JSON name it)."""
    return f"draft={draft};final={final}" + (f";commit={commit}" if commit else "")


def up_to_date(project: Project, year: int | None, editions: Iterable[str] | None, formats: Iterable[str] | None,
               output: Path | None = None, draft: bool = False, final: bool = False) -> bool:
    """Whether the last build of these editions and formats was made from exactly these inputs (then a
    build has nothing to do). Reads files and hashes them; renders nothing."""
    year = latest_year(project, year)
    if year is None:
        return False
    folder = year_folder(output or project.output, year)
    state = BuildState.read(folder)
    codes = list(dict.fromkeys(editions or state.report_editions))
    return bool(codes) and state.up_to_date(inputs_key(project.root, project.content, year, _options(draft, final, project.commit)),
                                            codes, formats_to_build(formats), folder)


# --- checking --------------------------------------------------------------------------------------

def verify(report: "Report", project: Project, codes: list[str], formats: list[str], problems: Problems,
           draft: bool = False, final: bool = False) -> list["RenderedEdition"]:
    """Everything a build checks before it writes: the report's checks, every edition's references,
    and each chosen writer's own checks (the PDF's fonts)."""
    from esgreport.editions import EDITIONS
    from esgreport.prepare.checks import run_checks
    from esgreport.render.edition import render_edition

    run_checks(report, project.locales, problems, draft, final)
    rendered = []
    for code in codes:
        edition = EDITIONS.get(code)
        if edition is None or (edition.source is not None and code not in report.conversions):
            continue        # unknown, or cannot be made: reported where report.yaml lists it
        r = render_edition(report, code, project.templates, project.locales, problems, draft)
        for name in formats:
            WRITERS[name].verify(r, report, problems)
        rendered.append(r)
    return rendered


def check(project: Project, year: int | None = None, editions: list[str] | None = None,
          draft: bool = False, final: bool = False) -> tuple["Report", list[Problem]]:
    """Everything a build verifies, without writing. Raises ReportError when there is an error;
    otherwise returns the report and its warnings."""
    from esgreport.prepare.report import prepare

    problems = Problems()
    report = prepare(project.content, year, problems)
    verify(report, project, editions_to_build(report, editions), list(WRITERS), problems, draft, final)
    problems.raise_if_any()
    return report, problems.warnings


# --- building ---------------------------------------------------------------------------------------

@dataclass
class _Edition:
    """One edition's part of a build: what it found, what it wrote, what it kept."""

    code: str
    problems: list[Problem]
    keys: dict[str, str]
    written: list[str]
    rendered: "RenderedEdition | None" = None


# The report and settings the edition processes work on (inherited by fork, not pickled).
_JOB: dict = {}


def _edition(code: str) -> _Edition:
    """Render one edition, check it, and write the formats whose input changed into the staging folder."""
    from esgreport.render.edition import render_edition

    job = _JOB
    project, report, staging, formats, state = job["project"], job["report"], job["staging"], job["formats"], job["state"]
    log = job["log"]
    problems = Problems()
    rendered = render_edition(report, code, project.templates, project.locales, problems, job["draft"],
                              media(formats), job["cache"], job["cache_key"])
    for name in formats:
        WRITERS[name].verify(rendered, report, problems)
    log(f"{code}: rendered{' (with problems)' if problems else ''}")
    keys, written = {}, []
    if not problems and not _checks_failed():
        folder = staging / code
        folder.mkdir(parents=True, exist_ok=True)
        live = job["target"] / code
        for name in formats:
            keys[name] = WRITERS[name].key(rendered, project)
            kept = state.key(code, name) == keys[name] and live.is_dir() and any(
                WRITERS[name].owns(PurePosixPath(p.name)) for p in live.iterdir())
            if not kept:
                WRITERS[name].write(rendered, folder, project)
                written.append(name)
            log(f"{code}: {name} {'written' if not kept else 'unchanged, kept'}")
    return _Edition(code, problems.items, keys, written, rendered if job["keep_rendered"] else None)


def _checks_failed() -> bool:
    """The build's verdict on the report, waited for by an edition process before it writes."""
    verdict = _JOB["verdict"]
    if isinstance(verdict, bool):
        return verdict
    ready, failed = verdict
    ready.wait()
    return bool(failed.value)


# A process started with this variable set to its parent's id ends with that parent (end_with_parent):
# serve sets it for the PDF builds it starts.
END_WITH_PARENT = "ESGREPORT_END_WITH_PARENT"


def end_with_parent(parent: int) -> None:
    """End this process when its parent (`parent`, a process id) ends, however it ends — killed with
    SIGKILL too, when it has no chance to end its children itself. Linux's PR_SET_PDEATHSIG; elsewhere
    nothing (a parent that is stopped, not killed, still ends its workers: `_run_editions`)."""
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (AttributeError, OSError):
        return
    pr_set_pdeathsig = 1
    if prctl(pr_set_pdeathsig, ctypes.c_ulong(signal.SIGKILL), ctypes.c_ulong(0), ctypes.c_ulong(0),
             ctypes.c_ulong(0)) == 0 and os.getppid() != parent:
        os._exit(128 + signal.SIGKILL)      # the parent ended before the kernel was told


def _edition_process(parent: int) -> None:
    """Edition processes leave Ctrl-C and termination to the build that started them, and end with it
    when it is killed. They are short and make little cyclic garbage, so Python's cycle collector is
    off: it spent about a sixth of the PDF's layout time walking WeasyPrint's objects (measured by
    bench/build_time.py)."""
    end_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    gc.disable()


def _run_editions(codes: list[str], jobs: int, checks: Callable[[], bool]) -> list[_Edition]:
    """Render and write each edition while `checks` runs here; it returns True when they failed."""
    import multiprocessing
    if jobs <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        _JOB["verdict"] = checks()
        return [_edition(code) for code in codes]
    context = multiprocessing.get_context("fork")
    ready, failed = _JOB["verdict"] = (context.Event(), context.Value("b", 0))
    # However the build ends, its edition processes end with it: an exception or a termination
    # (SIGTERM: cli.py turns it into SystemExit) terminates the pool below; a killed build's processes
    # are ended by the kernel (end_with_parent).
    pool = context.Pool(min(jobs, len(codes)), initializer=_edition_process, initargs=(os.getpid(),))
    try:
        pending = pool.map_async(_edition, codes)
        try:
            failed.value = checks()
        finally:
            ready.set()
        results = pending.get()
        pool.close()
        return results
    finally:
        pool.terminate()
        pool.join()


def build(project: Project, editions: list[str] | None = None, formats: Iterable[str] | None = None,
          year: int | None = None, output: Path | None = None, draft: bool = False, jobs: int = 1,
          log: Callable[[str], None] = lambda s: None, keep_rendered: bool = False, final: bool = False,
          notice: Callable[[str], None] = lambda s: None, cache: dict | None = None) -> BuildResult:
    """Build the editions of one report year into `output` (default: the project's output/).
    `jobs` > 1 renders and writes editions in parallel processes (use it where the caller runs no
    threads: the command line does). `final`: the edition for publication (every section approved,
    every translation up to date). `log` receives the steps, `notice` what a person should see
    (waiting for another build). `cache`: rendered sections kept from one build to the next (a
    preview's), used where a section and what it depends on are unchanged."""
    from esgreport.prepare.checks import run_checks
    from esgreport.prepare.report import prepare

    started = time.perf_counter()
    output = output or project.output
    chosen = formats_to_build(formats)
    problems = Problems()
    report = prepare(project.content, year, problems)
    codes = editions_to_build(report, editions)
    target = year_folder(output, report.year)
    inputs = inputs_key(project.root, project.content, report.year, _options(draft, final, project.commit))

    def checks() -> bool:
        log(f"checking the {report.year} report{' (draft)' if draft else ''}")
        run_checks(report, project.locales, problems, draft, final)
        return bool(problems)

    with _writable(target), _locked(target, notice):
        _clear_debris(target)
        state = BuildState.read(target)
        with tempfile.TemporaryDirectory(prefix=".staging-", dir=target) as tmp:
            # With problems found, the editions are still rendered (every problem is reported at once)
            # but nothing is written.
            _JOB.update(project=project, report=report, staging=Path(tmp), formats=chosen, state=state,
                        target=target, draft=draft, keep_rendered=keep_rendered or jobs <= 1,
                        log=log, cache=cache,
                        cache_key=inputs_key(project.root, project.content, report.year, "", sections=False)
                        if cache is not None else "")
            log(f"rendering and writing {', '.join(codes)} ({', '.join(chosen)})"
                + (f" in {min(jobs, len(codes))} processes" if jobs > 1 and len(codes) > 1 else ""))
            try:
                done = _run_editions(codes, jobs, checks)
            finally:
                _JOB.clear()
            for edition in done:
                problems.extend(edition.problems)
            problems.raise_if_any()
            publish(Path(tmp), target, {e.code: e.written for e in done})
            log("published")
        result = BuildResult(year=report.year, warnings=problems.warnings)
        for edition in done:
            formats = state.editions.setdefault(edition.code, {})
            formats.update({name: {"key": key, "inputs": inputs} for name, key in edition.keys.items()})
            result.written[edition.code] = edition.written
            result.stale[edition.code] = [name for name in formats if name not in edition.keys
                                          and formats[name]["inputs"] != inputs]
            if edition.rendered is not None:
                result.rendered.append(edition.rendered)
        state.report_editions = list(report.editions)
        state.write(target)
    for code in codes:
        result.editions[code] = sorted((target / code).glob("*"))
    result.seconds = time.perf_counter() - started
    return result


def publish(staging: Path, target: Path, written: dict[str, list[str]]) -> None:
    """Swap each built edition into place so readers never see a half-written folder. Files of the
    formats not written this time (another format's, or one whose input did not change) are kept
    from the previous build; a written format's files are all new."""
    for code, formats in written.items():
        new, live = staging / code, target / code
        if live.exists():
            for item in live.iterdir():
                if owner(PurePosixPath(item.name)) not in (None, *formats) and not (new / item.name).exists():
                    if item.is_dir():
                        shutil.copytree(item, new / item.name)
                    else:
                        shutil.copy2(item, new / item.name)
            if _exchange(new, live):
                shutil.rmtree(new)
                continue
            old = target / f".old-{code}"
            live.rename(old)
            new.rename(live)
            shutil.rmtree(old)
        else:
            new.rename(live)


def _exchange(a: Path, b: Path) -> bool:
    """Exchange two folders in one step (Linux renameat2 RENAME_EXCHANGE); False where unavailable."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    if ctypes.get_errno() in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), str(b))


def _clear_debris(target: Path) -> None:
    """Staging folders a killed build left behind (under the lock, any there are stale)."""
    for leftover in list(target.glob(".staging-*")) + list(target.glob(".old-*")):
        shutil.rmtree(leftover, ignore_errors=True)


@contextmanager
def _locked(target: Path, log: Callable[[str], None]) -> Iterator[None]:
    """One build at a time writes a year's output; another waits for it."""
    with open(target / ".lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log(f"another build is writing {target}; waiting for it to finish")
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def _writable(target: Path) -> Iterator[None]:
    """The output folder made if need be; a folder that cannot be written is one clear problem."""
    try:
        target.mkdir(parents=True, exist_ok=True)
        yield
    except OSError as exc:
        if isinstance(exc, (PermissionError, FileNotFoundError, NotADirectoryError, FileExistsError)) or \
                exc.errno in (errno.EROFS, errno.ENOSPC, errno.EACCES):
            where = Path(exc.filename) if exc.filename else target
            raise ReportError(Problem(where, None, f"the build cannot write here: {exc.strerror}",
                                      "choose a folder you may write to with --output, or free some space")) from None
        raise
