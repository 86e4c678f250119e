"""`python build.py serve`: the web edition as you edit it, on http://127.0.0.1:PORT/.

The same build as `python build.py` (a draft of the web pages, into a temporary folder), a watcher
(watchfiles) on content/, templates/ and locales/, and a small server. Saving a file rebuilds the
editions the change touches and tells the open pages to reload (server-sent events; the pages get a
three-line script when they are served, not when they are built). A mistake is shown in the browser
as the same file:line problems `check` prints, and the server keeps running; the next good save
clears it. A PDF of an edition is made on request, in a separate process, and never holds up the web
pages.
"""

from __future__ import annotations

import argparse
import html
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from esgreport.commands.console import Progress
from esgreport.commands.options import add_editions, add_year
from esgreport.errors import Problem, ReportError
from esgreport.project import Project

NAME = "serve"
HELP = "preview the web edition while you edit; saving a file refreshes the page"
FAILURE = "serve found"
EXAMPLE = "python build.py serve --port 8100"

SOURCE_SUFFIXES = {".md", ".yaml", ".yml", ".po", ".pot", ".html", ".css", ".js", ".svg", ".png", ".jpg", ".jpeg"}
RELOAD_SCRIPT = b"""<script>
(function () { if (!window.EventSource) return;
  new EventSource("/__events").onmessage = function (e) { if (e.data === "reload") location.reload(); }; })();
</script>"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_year(parser)
    add_editions(parser, "the editions to preview: zh-hant or en (repeat for several; default: all editions)")
    parser.add_argument("--port", type=port, default=8000, help="the port on 127.0.0.1 (default: 8000)")


def port(text: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise argparse.ArgumentTypeError(f"`{text}` is not a port: a number from 1 to 65535, e.g. 8100")
    return int(text)


def run(args: argparse.Namespace, project: Project, progress: Progress) -> int:
    return serve(project, year=args.year, editions=args.lang, port=args.port, say=progress.say)


class Preview:
    """What the server shows: the last build, or the problems that stopped it."""

    def __init__(self, project: Project, year: int | None, editions: list[str] | None, say: Callable[[str], None]):
        self.project, self.year, self.editions, self.say = project, year, editions, say
        self.output = Path(tempfile.mkdtemp(prefix="esgreport-preview-"))
        self.problems: list[Problem] = []
        self.version = 0
        self.changed = threading.Condition()
        self.built_year: int | None = None
        self.pdfs: dict[str, tuple[subprocess.Popen, int]] = {}     # edition → (process, version it shows)
        self.all_editions: list[str] = []
        self.rendered: dict = {}        # sections rendered in earlier builds (render.py)

    def rebuild(self, editions: list[str] | None = None) -> None:
        from esgreport.pipeline import build

        started = time.perf_counter()
        try:
            if len(self.rendered) > 4000:
                self.rendered.clear()
            result = build(self.project, editions=editions or self.editions, formats=["html"], year=self.year,
                           output=self.output, draft=True, cache=self.rendered)
            self.problems = result.warnings
            self.built_year = result.year
            self.say(f"{time.strftime('%H:%M:%S')}  rebuilt {', '.join(result.editions)} in "
                     f"{time.perf_counter() - started:.2f} s" + (f" ({len(result.warnings)} warning{'s' if len(result.warnings) != 1 else ''})" if result.warnings else ""))
        except ReportError as exc:
            self.problems = exc.problems
            self.say(f"{time.strftime('%H:%M:%S')}  {len(exc.errors)} problem(s): the browser shows them")
        with self.changed:
            self.version += 1
            self.changed.notify_all()

    def wait_for_change(self, seen: int, timeout: float) -> None:
        """Until a build after version `seen` has finished, or for `timeout` seconds."""
        with self.changed:
            self.changed.wait_for(lambda: self.version != seen, timeout=timeout)

    @property
    def failed(self) -> bool:
        return any(p.severity == "error" for p in self.problems)

    def site(self) -> Path:
        return self.output / str(self.built_year) if self.built_year else self.output

    def affected(self, paths: Iterable[str]) -> list[str] | None:
        """The editions a change touches: an edition's own section files touch it (and the editions made
        from it); anything else touches them all (None)."""
        from esgreport.editions import EDITIONS

        folder = self.project.content / str(self.built_year) if self.built_year else None
        touched: set[str] = set()
        for raw in paths:
            path = Path(raw)
            if not path.exists() and path.suffix not in SOURCE_SUFFIXES:
                continue                    # an editor's temporary file, come and gone
            if folder is None or path.suffix != ".md" or path.parent.parent != folder:
                return None
            touched.add(path.parent.name)
        codes = [code for code, ed in EDITIONS.items() if ed.content_edition in touched]
        wanted = self.editions or self.all_editions
        return [c for c in codes if not wanted or c in wanted] or None

    def problems_page(self) -> bytes:
        items = "".join(
            f'<li class="{p.severity}"><code>{html.escape(p.location(self.project.root))}</code> '
            f'{html.escape(p.message)}{f"<br><span>→ {html.escape(p.hint)}</span>" if p.hint else ""}</li>'
            for p in self.problems)
        errors = sum(p.severity == "error" for p in self.problems)
        return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{errors} problem(s) · preview</title>'
                '<style>body{font:16px/1.5 sans-serif;max-width:900px;margin:2em auto;padding:0 1em}'
                'li{margin:.6em 0}li.warning{color:#5b6472}code{background:#f2f5f9;padding:0 .3em}'
                'span{color:#23324d}</style></head><body>'
                f'<h1>The report cannot be built: {errors} problem{"s" if errors != 1 else ""}</h1>'
                '<p>Fix the files named below and save: this page reloads by itself.</p>'
                f'<ul>{items}</ul></body></html>').encode() + RELOAD_SCRIPT

    def pdf(self, code: str) -> Path | None:
        """The edition's PDF as of the current version, or None while it is being made (started if need be)."""
        folder = self.output / "pdf" / code
        running = self.pdfs.get(code)
        if running is not None and running[1] == self.version and running[0].poll() is not None:
            found = sorted(folder.glob(f"{self.built_year}/{code}/*.pdf"))
            return found[0] if found else None
        if running is None or running[1] != self.version:
            if running is not None and running[0].poll() is None:
                running[0].kill()
            command = [sys.executable, str(Path(__file__).resolve().parents[2] / "build.py"),
                       "--root", str(self.project.root), "--lang", code, "--format", "pdf", "--draft", "-q",
                       "--output", str(folder)] + (["--year", str(self.year)] if self.year else [])
            self.pdfs[code] = (subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                                env={**os.environ, "ESGREPORT_NO_VENV": "1"}), self.version)
        return None


def handler_for(preview: Preview):
    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(preview.site()), **kwargs)

        def log_message(self, format, *args):   # noqa: A002 — the signature is http.server's
            pass

        def do_GET(self):
            path = self.path.split("?", 1)[0]
            if path == "/__events":
                return self.events()
            if path.startswith("/__pdf/"):
                return self.pdf(path.removeprefix("/__pdf/").strip("/"))
            if path == "/":
                first = (preview.editions or preview.all_editions or ["en"])[0]
                return self.redirect(f"/{first}/index.html")
            if preview.failed and path.endswith((".html", "/")):
                return self.send(preview.problems_page())
            target = Path(self.translate_path(path))
            if target.suffix == ".html" and target.is_file():
                body = target.read_bytes().replace(b"</body>", RELOAD_SCRIPT + b"</body>", 1)
                return self.send(body)
            return super().do_GET()

        def send(self, body: bytes, status: int = 200, kind: str = "text/html; charset=utf-8") -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def redirect(self, where: str) -> None:
            self.send_response(302)
            self.send_header("Location", where)
            self.end_headers()

        def events(self) -> None:
            """Server-sent events: `reload` after every build that follows the page's."""
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            seen = preview.version
            try:
                while True:
                    preview.wait_for_change(seen, timeout=15)
                    message = b"data: reload\n\n" if preview.version != seen else b": still here\n\n"
                    seen = preview.version
                    self.wfile.write(message)
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                return

        def pdf(self, code: str) -> None:
            if code not in (preview.all_editions or []):
                return self.send(b"no such edition", 404, "text/plain")
            found = preview.pdf(code)
            if found is None:
                return self.send(('<!doctype html><html lang="en"><head><meta charset="utf-8">'
                                  '<meta http-equiv="refresh" content="2"><title>Making the PDF</title></head>'
                                  f'<body><p>Making the {html.escape(code)} PDF of this draft; this page shows it '
                                  'when it is ready.</p></body></html>').encode())
            self.send(found.read_bytes(), kind="application/pdf")

    return Handler


def serve(project: Project, year: int | None = None, editions: list[str] | None = None, port: int = 8000,
          say: Callable[[str], None] = print, stop: threading.Event | None = None) -> int:
    import watchfiles

    from esgreport.prepare.report import prepare

    preview = Preview(project, year, editions, say)
    try:
        preview.all_editions = prepare(project.content, year).editions
    except ReportError:
        preview.all_editions = list(editions or [])
    try:
        server = ThreadingHTTPServer(("127.0.0.1", port), handler_for(preview))
    except OSError as exc:
        print(f"serve: port {port} on 127.0.0.1 cannot be used ({exc.strerror}); stop the other preview, "
              f"or choose another port: --port {port + 1}", file=sys.stderr)
        shutil.rmtree(preview.output, ignore_errors=True)
        return 1
    preview.rebuild()
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    say(f"Preview of the web edition on http://127.0.0.1:{server.server_address[1]}/ — save a file under "
        "content/, templates/ or locales/ and the page refreshes; a PDF of an edition: /__pdf/<edition>; "
        "Ctrl-C stops.")
    stop = stop or threading.Event()
    try:
        watched = [str(p) for p in (project.content, project.templates, project.locales) if p.exists()]
        for changes in watchfiles.watch(*watched, stop_event=stop, debounce=400, step=30,
                                        watch_filter=lambda change, path: not path.endswith((".mo", "~", ".swp"))):
            preview.rebuild(None if preview.failed else preview.affected(path for _, path in changes))
    finally:
        server.shutdown()
        server.server_close()
    return 0
