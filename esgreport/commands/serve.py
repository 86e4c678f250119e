"""`python build.py serve`: the web edition as you edit it, on http://127.0.0.1:PORT/.

The same build as `python build.py` (a draft of the web pages, into a temporary folder), a watcher
(watchfiles) on content/, templates/ and locales/, and a small server. Saving a file rebuilds the
editions the change touches and tells the open pages to reload (server-sent events; the pages get a
three-line script when they are served, not when they are built). A mistake is shown in the browser
as the same file:line problems `check` prints, and the server keeps running; the next good save
clears it, whatever stopped the build (a half-saved template too).

`/__pdf/<edition>` answers with the edition's PDF of the files as saved when it is asked for (a
request that comes while one is being made waits for it). Each edition's PDF is made in a process of
its own (commands/preview_pdf.py), which never holds up the web pages and keeps the layout part by
part: after an edit only the parts that changed are laid out again (writers/parts.py), so the PDF
after a one-paragraph edit takes a few seconds.

The preview shows an unpublished draft, so it answers only the person at the machine (`refusal`):

- Only the loopback names on its own port (Host `127.0.0.1:PORT`, `localhost:PORT`, `[::1]:PORT`) are
  answered; any other Host gets 421. A web page that points its own name at 127.0.0.1 (DNS
  rebinding) therefore reads nothing. A request without exactly one Host, or whose target is not a
  path, gets 400.
- Another site may link to the preview, not load from it: a request the browser marks as coming from
  another site (`Sec-Fetch-Site: cross-site` or `same-site`) is answered only when it opens a page in
  the window (`Sec-Fetch-Mode: navigate`, `Sec-Fetch-Dest: document`); its scripts, images, frames
  and fetches get 403, so no page elsewhere can run `search-index.js` to read the draft's text.
- Work (the PDF of `/__pdf/<edition>`) starts only when asked from the preview itself or from the
  address bar: `Sec-Fetch-Site` is `same-origin` or `none` (typed, a bookmark); a link from
  elsewhere gets 403, with the address to type.
- A browser that sends no `Sec-Fetch-Site` (those before 2023) is judged by `Origin`, else `Referer`:
  when present it must be the preview's own, or the request is treated as another site's (and gets
  403, a link too). A request with none of the three bears no sign of a web page (curl, an address
  typed into such a browser) and is answered: such a browser cannot be told from one whose page hid
  its Referer, one more reason to preview with a current browser.
- Files that are not regular files are never opened (model/load.py); the PDF processes end with serve.
"""

from __future__ import annotations

import argparse
import html
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from email.message import Message
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote

from esgreport.commands.console import Progress
from esgreport.commands.options import add_editions, add_year
from esgreport.commands.preview_pdf import PdfPreviews, unexpected
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
    if not (text.isascii() and text.isdigit()) or not 0 < int(text) < 65536:
        raise argparse.ArgumentTypeError(f"`{text}` is not a port: a number from 1 to 65535, e.g. 8100")
    return int(text)


def run(args: argparse.Namespace, project: Project, progress: Progress) -> int:
    return serve(project, year=args.year, editions=args.lang, port=args.port, say=progress.say)


# --- who is answered (see the module's docstring) ----------------------------------------------------

LOOPBACK = ("127.0.0.1", "localhost", "[::1]")


def own_hosts(port: int) -> set[str]:
    """The Host values that name this preview (a browser leaves out the port only when it is 80)."""
    return {f"{name}:{port}" for name in LOOPBACK} | (set(LOOPBACK) if port == 80 else set())


def refusal(target: str, headers: Message, port: int) -> tuple[int, str] | None:
    """Why the preview does not answer a request (status, a short text), or None when it does."""
    hosts = headers.get_all("Host") or []
    if len(hosts) != 1:
        return 400, "a request needs one Host header"
    host = hosts[0].strip().lower()
    if host not in own_hosts(port):
        return 421, f"this preview answers only http://127.0.0.1:{port}/ and http://localhost:{port}/"
    path = unquote(target.split("?", 1)[0].split("#", 1)[0], errors="strict") if target.startswith("/") else ""
    if not path or any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in path):
        return 400, "the request's target is not a path of the preview"
    ours = from_the_preview(headers, host)
    if path.startswith("/__pdf/") and not ours:
        return 403, f"the PDF is made only when asked from the preview: open http://{host}{path} in the address bar"
    site = headers.get("Sec-Fetch-Site")
    opens_a_page = headers.get("Sec-Fetch-Mode") == "navigate" and headers.get("Sec-Fetch-Dest") == "document"
    if not ours and not (site is not None and opens_a_page):
        return 403, "the preview's files are not shared with other sites"
    return None


def from_the_preview(headers: Message, host: str) -> bool:
    """Whether the browser says the request comes from the preview's own pages or from the person
    (the address bar, a bookmark); a request that carries no sign of a page at all counts as the
    person's (curl; a browser without Sec-Fetch-Site, as the address bar sends it)."""
    site = headers.get("Sec-Fetch-Site")
    if site is not None:
        return site in ("same-origin", "none")
    own = f"http://{host}"
    if (origin := headers.get("Origin")) is not None:
        return origin == own
    if (referer := headers.get("Referer")) is not None:
        return referer == own or referer.startswith(own + "/")
    return True


# --- the preview -------------------------------------------------------------------------------------

class Preview:
    """What the server shows: the last build, or the problems that stopped it."""

    def __init__(self, project: Project, year: int | None, editions: list[str] | None, say: Callable[[str], None]):
        self.project, self.year, self.editions, self.say = project, year, editions, say
        self.output = Path(tempfile.mkdtemp(prefix="esgreport-preview-"))
        self.problems: list[Problem] = []
        self.version = 0
        self.changed = threading.Condition()
        self.built_year: int | None = None
        self.pdfs = PdfPreviews(project, year)
        self.all_editions: list[str] = []
        self.rendered: dict = {}        # sections rendered in earlier builds (render.py)
        self.port = 0

    def rebuild(self, editions: list[str] | None = None) -> None:
        """Build again; whatever stops the build is shown in the browser, and the preview goes on."""
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
        except Exception as exc:        # a half-saved template, a file gone while it was read, a fault
            self.problems = [unexpected(exc, self.project)]
            self.say(f"{time.strftime('%H:%M:%S')}  {self.problems[0].format(self.project.root, hint=False)}")
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
            try:
                gone = not path.exists()
            except OSError:
                return None
            if gone and path.suffix not in SOURCE_SUFFIXES:
                continue                    # an editor's temporary file, come and gone
            if folder is None or path.suffix != ".md" or path.parent.parent != folder:
                return None
            touched.add(path.parent.name)
        codes = [code for code, ed in EDITIONS.items() if ed.content_edition in touched]
        wanted = self.editions or self.all_editions
        return [c for c in codes if not wanted or c in wanted] or None

    def problems_page(self, problems: list[Problem] | None = None) -> bytes:
        problems = self.problems if problems is None else problems
        items = "".join(
            f'<li class="{p.severity}"><code>{html.escape(p.location(self.project.root))}</code> '
            f'{html.escape(p.message)}{f"<br><span>→ {html.escape(p.hint)}</span>" if p.hint else ""}</li>'
            for p in problems)
        errors = sum(p.severity == "error" for p in problems)
        return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{errors} problem(s) · preview</title>'
                '<style>body{font:16px/1.5 sans-serif;max-width:900px;margin:2em auto;padding:0 1em}'
                'li{margin:.6em 0}li.warning{color:#5b6472}code{background:#f2f5f9;padding:0 .3em}'
                'span{color:#23324d}</style></head><body>'
                f'<h1>The report cannot be built: {errors} problem{"s" if errors != 1 else ""}</h1>'
                '<p>Fix the files named below and save: this page reloads by itself.</p>'
                f'<ul>{items}</ul></body></html>').encode() + RELOAD_SCRIPT

    def pdf(self, code: str) -> bytes | list[Problem]:
        """The edition's PDF of the files as they are now, or the problems that stop it."""
        started = time.perf_counter()
        made = self.pdfs.pdf(code)
        if isinstance(made, bytes):
            self.say(f"{time.strftime('%H:%M:%S')}  made the {code} PDF in {time.perf_counter() - started:.2f} s")
        return made

    def close(self) -> None:
        self.pdfs.close()
        shutil.rmtree(self.output, ignore_errors=True)




def handler_for(preview: Preview):
    class Handler(SimpleHTTPRequestHandler):
        default_request_version = "HTTP/1.0"     # a request line that cannot be read is answered with a status

        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(preview.site()), **kwargs)

        def log_message(self, format, *args):   # noqa: A002 — the signature is http.server's
            pass

        def parse_request(self) -> bool:
            """http.server's reading of the request, then the preview's own rules (see `refusal`)."""
            if not super().parse_request():
                return False
            try:
                refused = refusal(self.path, self.headers, preview.port)
            except UnicodeDecodeError:
                refused = 400, "the request's target is not a path of the preview"
            if refused is not None:
                self.close_connection = True
                self.send(f"{refused[1]}\n".encode(), refused[0], "text/plain; charset=utf-8")
                return False
            return True

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
            self.send_header("X-Content-Type-Options", "nosniff")
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def redirect(self, where: str) -> None:
            self.send_response(302)
            self.send_header("Location", where)
            self.send_header("Content-Length", "0")
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
            made = preview.pdf(code)
            if isinstance(made, bytes):
                return self.send(made, kind="application/pdf")
            self.send(preview.problems_page(made))

    return Handler


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        """A browser that went away mid-answer is not news; anything else is one line, not a traceback."""
        exc = sys.exc_info()[1]
        if not isinstance(exc, (ConnectionError, TimeoutError)):
            print(f"serve: a request failed: {exc!r}", file=sys.stderr)


def serve(project: Project, year: int | None = None, editions: list[str] | None = None, port: int = 8000,
          say: Callable[[str], None] = print, stop: threading.Event | None = None) -> int:
    import watchfiles

    from esgreport.prepare.report import prepare

    preview = Preview(project, year, editions, say)
    try:
        preview.all_editions = prepare(project.content, year).editions
    except Exception:               # the first build shows what is wrong
        preview.all_editions = list(editions or [])
    try:
        server = Server(("127.0.0.1", port), handler_for(preview))
    except OSError as exc:
        print(f"serve: port {port} on 127.0.0.1 cannot be used ({exc.strerror}); stop the other preview, "
              f"or choose another port: --port {port + 1 if port < 65535 else 8100}", file=sys.stderr)
        preview.close()
        return 1
    preview.port = server.server_address[1]
    serving = threading.Thread(target=server.serve_forever, daemon=True)
    watched = [Path(p) for p in (project.content, project.templates, project.locales) if p.exists()]
    try:
        before: tuple | None = _saved(watched)
        preview.rebuild()
        serving.start()
        say(f"Preview of the web edition on http://127.0.0.1:{preview.port}/ — save a file under "
            "content/, templates/ or locales/ and the page refreshes; a PDF of an edition: /__pdf/<edition>; "
            "Ctrl-C stops.")
        stop = stop or threading.Event()
        for changes in watchfiles.watch(*map(str, watched), stop_event=stop, debounce=400, step=30,
                                        yield_on_timeout=True, rust_timeout=1000,
                                        watch_filter=lambda change, path: not path.endswith(UNWATCHED)):
            if before is not None:
                # The watcher runs from its first answer on: a file saved while the first build ran, or
                # before the watcher started, is caught by comparing with the files as they were then
                # (one rebuild of everything, which covers the changes of this first answer too).
                stale, before = _saved(watched) != before, None
                if stale:
                    preview.rebuild()
                    continue
            if changes:
                preview.rebuild(None if preview.failed else preview.affected(path for _, path in changes))
    finally:
        if serving.is_alive():
            server.shutdown()
        server.server_close()
        preview.close()
    return 0


# Files the build or an editor's program writes beside the sources: compiled catalogs, backups.
UNWATCHED = (".mo", "~", ".swp")


def _saved(folders: list[Path]) -> tuple:
    """Each file under the watched folders with its size and time of change: what a save changes."""
    found = []
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.name.endswith(UNWATCHED):
                continue
            try:
                stat = path.lstat()
            except OSError:
                continue
            found.append((str(path), stat.st_size, stat.st_mtime_ns))
    return tuple(found)
