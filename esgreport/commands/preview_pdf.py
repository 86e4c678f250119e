"""The preview's PDFs (`serve`'s /__pdf/<edition>): a process per edition keeps the edition's layout,
part by part (writers/parts.py), so that the PDF after an edit takes seconds, not a whole layout.

serve asks its edition's process for the PDF; the process reads the files as they are then (prepare,
the draft's checks, the print HTML, the fonts' check: the draft build's steps) and answers with the
PDF, or with the problems that stop it. One request is answered at a time: a request that comes while
a PDF is being made waits for it, and is then answered from the files as they are by then (at once
when nothing changed). The processes end with serve, killed or not (pipeline.end_with_parent).

The layout of a PDF makes many short-lived objects in cycles: the process keeps Python's cycle
collector off while it works (as the build's edition processes do) and collects once it has been idle
for a moment, so a collection never delays an answer.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import subprocess
import sys
import threading
import traceback
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from esgreport.errors import Problem, ReportError
from esgreport.project import Project

IDLE_BEFORE_COLLECTING = 2.0      # seconds without a request before the cycle collector runs
SECTIONS_KEPT = 4000              # rendered sections kept from one PDF to the next (render's cache)


class EditionPdf:
    """One edition's PDF of the files as they are, from a layout kept from one PDF to the next."""

    def __init__(self, project: Project, year: int | None, code: str):
        from esgreport.writers.parts import PartsPdf

        self.project, self.year, self.code = project, year, code
        self.parts = PartsPdf(project.root, project.templates / "static")
        self.rendered: dict = {}

    def pdf(self) -> bytes:
        """The PDF, or ReportError with what stops it."""
        from esgreport.errors import Problems
        from esgreport.prepare.checks import run_checks
        from esgreport.prepare.report import prepare
        from esgreport.render.edition import render_edition
        from esgreport.writers.fingerprint import inputs_key
        from esgreport.writers.pdf import PdfWriter, layout_key, resource_sources

        project = self.project
        problems = Problems()
        report = prepare(project.content, self.year, problems)
        if self.code not in report.editions:
            raise ReportError(Problem(report.folder / "report.yaml", None,
                                      f"the {report.year} report has no {self.code} edition",
                                      f"its editions: {', '.join(report.editions)}"))
        run_checks(report, project.locales, problems, draft=True)
        if len(self.rendered) > SECTIONS_KEPT:
            self.rendered.clear()
        rendered = render_edition(report, self.code, project.templates, project.locales, problems, draft=True,
                                  media=("print",), cache=self.rendered,
                                  cache_key=inputs_key(project.root, project.content, report.year, "", sections=False))
        PdfWriter().verify(rendered, report, problems)
        problems.raise_if_any()
        return self.parts.write(rendered.print_html, resource_sources(rendered, project),
                                layout_key(rendered, project))


# --- serve's side ------------------------------------------------------------------------------------

@dataclass
class _Process:
    process: subprocess.Popen
    requests: Connection
    answers: Connection


class PdfPreviews:
    """The editions' PDF processes of one preview, started on the first request for an edition."""

    def __init__(self, project: Project, year: int | None):
        self.project, self.year = project, year
        self.processes: dict[str, _Process] = {}
        self.locks: dict[str, threading.Lock] = {}
        self.guard = threading.Lock()
        # The processes are started from a thread that lives as long as the preview: the kernel ends
        # a process whose parent *thread* ends (end_with_parent), and a request's thread is short.
        self.starter = ThreadPoolExecutor(1, thread_name_prefix="pdf-processes")

    def pdf(self, code: str) -> bytes | list[Problem]:
        """The edition's PDF of the files as they are now, or the problems that stop it. Waits for a
        PDF being made. A process that ended (killed, out of memory) is started again, once."""
        with self.guard:
            lock = self.locks.setdefault(code, threading.Lock())
        with lock:
            for attempt in range(2):
                worker = self._process(code)
                try:
                    worker.requests.send("pdf")
                    kind, value = worker.answers.recv()
                except (EOFError, OSError):
                    self._stop(code)
                    if attempt:
                        return [Problem(None, None, f"the process making the {code} PDF ended unexpectedly",
                                        "reload the page; if this stays, restart `python build.py serve`")]
                    continue
                return value if kind == "pdf" else list(value)
        raise AssertionError("unreachable")

    def _process(self, code: str) -> _Process:
        worker = self.processes.get(code)
        if worker is not None and worker.process.poll() is None:
            return worker
        worker = self.processes[code] = self.starter.submit(self._start, code).result()
        return worker

    def _start(self, code: str) -> _Process:
        from esgreport.pipeline import END_WITH_PARENT

        from_parent, to_child = os.pipe()
        from_child, to_parent = os.pipe()
        package_root = str(Path(__file__).resolve().parents[2])
        env = {**os.environ, "ESGREPORT_NO_VENV": "1", END_WITH_PARENT: str(os.getpid()),
               "PYTHONPATH": os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")]))}
        command = [sys.executable, "-c", "import sys; from esgreport.commands.preview_pdf import main; main(sys.argv[1:])",
                   str(self.project.root), str(self.year or ""), code, str(from_parent), str(to_parent)]
        try:
            process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, env=env,
                                       pass_fds=(from_parent, to_parent))
        finally:
            os.close(from_parent)
            os.close(to_parent)
        return _Process(process, Connection(to_child, readable=False), Connection(from_child, writable=False))

    def _stop(self, code: str) -> None:
        worker = self.processes.pop(code, None)
        if worker is None:
            return
        worker.requests.close()
        worker.answers.close()
        if worker.process.poll() is None:
            worker.process.kill()
        worker.process.wait()

    def close(self) -> None:
        for code in list(self.processes):
            self._stop(code)
        self.starter.shutdown()


# --- the edition's process -------------------------------------------------------------------------------

def main(argv: list[str]) -> None:
    """The edition's process (ROOT YEAR EDITION READ_FD WRITE_FD): answers serve's requests for the
    edition's PDF until serve closes the pipe (or ends)."""
    from esgreport.pipeline import END_WITH_PARENT, end_with_parent

    root, year, code, read_fd, write_fd = argv
    if os.environ.get(END_WITH_PARENT):
        end_with_parent(int(os.environ[END_WITH_PARENT]))
    signal.signal(signal.SIGINT, signal.SIG_IGN)      # Ctrl-C is serve's to handle; it ends this process
    requests, answers = Connection(int(read_fd), writable=False), Connection(int(write_fd), readable=False)
    gc.disable()
    edition = EditionPdf(Project(Path(root)), int(year) if year else None, code)
    collected = True
    while True:
        if not collected and not requests.poll(IDLE_BEFORE_COLLECTING):
            gc.collect()
            collected = True
        try:
            requests.recv()
        except (EOFError, OSError):
            return
        try:
            answer: tuple[str, object] = ("pdf", edition.pdf())
        except ReportError as exc:
            answer = ("problems", exc.problems)
        except Exception as exc:        # a half-saved template, a fault: shown as a problem, the process goes on
            answer = ("problems", [unexpected(exc, edition.project)])
        try:
            answers.send(answer)
        except pickle.PicklingError:
            answers.send(("problems", [Problem(None, None, "the PDF's problems could not be reported")]))
        collected = False

def unexpected(exc: Exception, project: Project) -> Problem:
    """An exception the build does not turn into problems of its own, as one: at the template's (or
    other project file's) line where there is one, e.g. a template saved half-way."""
    from jinja2 import TemplateSyntaxError

    where: tuple[Path | None, int | None] = (None, None)
    message = str(getattr(exc, "message", None) or exc) or type(exc).__name__
    if isinstance(exc, TemplateSyntaxError) and exc.filename:
        where = (Path(exc.filename), exc.lineno)
    else:
        root = project.root.resolve()
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            path = Path(frame.filename)
            if path.is_absolute() and root in path.resolve().parents and path.suffix != ".py":
                where = (path, frame.lineno)
                break
    if where[0] is None and isinstance(exc, OSError) and exc.filename:
        where = (Path(exc.filename), None)
    return Problem(where[0], where[1], f"the build stopped: {message} ({type(exc).__name__})",
                   "correct the file and save: this page comes back by itself" if where[0] else
                   "save the file again; if this stays, it is a fault of esgreport: "
                   "`python build.py --draft --format html` shows where")
