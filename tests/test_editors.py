"""The editors' day on the fixture report: the preview server, translation status, where a figure is
used, and the review of a change."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from contextlib import contextmanager

import pytest
from conftest import FIXTURE_YEAR, ROOT, descendants, edit, line_of, problems_of, running

from esgreport.cli import main

Y = str(FIXTURE_YEAR)


def cli(project, capsys, *args: str) -> tuple[int, str]:
    code = main(["--root", str(project.root), *args])
    out = capsys.readouterr()
    return code, out.out + out.err


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=20) as response:
        return response.read().decode("utf-8", "replace")


class Events:
    """The preview's server-sent events, read in the background."""

    def __init__(self, url: str):
        self.reloads = 0
        self.response = urllib.request.urlopen(url, timeout=60)
        threading.Thread(target=self.read, daemon=True).start()

    def read(self):
        try:
            for line in self.response:
                if line.strip() == b"data: reload":
                    self.reloads += 1
        except Exception:
            return

    def wait(self, count: int, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while self.reloads < count:
            assert time.monotonic() < deadline, "the preview did not reload"
            time.sleep(0.02)


class Served:
    """A preview server (`build.py serve`) in a process of its own, and ways to talk to it."""

    def __init__(self, project):
        self.port = free_port()
        self.site = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--root", str(project.root),
                                         "serve", "--port", str(self.port)], stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL, env={**os.environ, "ESGREPORT_NO_VENV": "1"})
        deadline = time.monotonic() + 60
        while True:
            try:
                self.first_page = get(f"{self.site}/en/people.html")
                break
            except OSError:
                assert self.process.poll() is None and time.monotonic() < deadline, "the preview did not start"
                time.sleep(0.1)

    def request(self, path: str, headers: dict | None = None, host: str | None = None) -> tuple[int, str]:
        """Status and text of a GET, with the headers a browser would send (Host: the preview's own)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        try:
            connection.request("GET", path, headers={"Host": host or f"127.0.0.1:{self.port}", **(headers or {})})
            response = connection.getresponse()
            return response.status, response.read().decode("utf-8", "replace")
        finally:
            connection.close()

    def fetch(self, path: str, headers: dict | None = None, timeout: float = 240) -> tuple[int, str, bytes]:
        """Status, type and body of a GET (a PDF is made while the request waits)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request("GET", path, headers={"Host": f"127.0.0.1:{self.port}", **(headers or {})})
            response = connection.getresponse()
            return response.status, response.getheader("Content-Type", ""), response.read()
        finally:
            connection.close()

    def raw(self, request: bytes) -> bytes:
        """The status line the server answers a request written byte for byte."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=20) as connection:
            connection.sendall(request)
            return connection.makefile("rb").readline()

    def descendants(self) -> list[int]:
        return descendants(self.process.pid)

    def wait_for_page(self, path: str, condition, seconds: float = 90) -> str:
        deadline = time.monotonic() + seconds
        while not condition(page := self.request(path)[1]):
            assert time.monotonic() < deadline, f"the page never showed what was expected:\n{page[:2000]}"
            time.sleep(0.1)
        return page


@contextmanager
def served(project):
    preview = Served(project)
    try:
        yield preview
    finally:
        preview.process.terminate()
        preview.process.wait(timeout=20)




def test_the_preview_refreshes_on_save_shows_a_mistake_and_clears_it(project):
    port = free_port()
    server = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--root", str(project.root), "serve",
                               "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              env={**os.environ, "ESGREPORT_NO_VENV": "1"})
    site = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                page = get(f"{site}/en/people.html")
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "the preview did not start"
                time.sleep(0.1)
        assert "At the end of the year" in page and "EventSource" in page and 'class="draft-mark"' in page
        events = Events(f"{site}/__events")
        path = project.content / Y / "en" / "workforce.md"

        saved = time.monotonic()
        edit(path, "At the end of the year", "At year end")
        events.wait(1)
        assert time.monotonic() - saved < 20          # loosely; bench/build_time.py measures it precisely
        assert "At year end" in get(f"{site}/en/people.html")

        edit(path, 'kpi("training.sessions")', 'kpi("training.session")')
        events.wait(2)
        shown = get(f"{site}/en/people.html")
        assert "The report cannot be built: 1 problem" in shown
        assert f"content/{Y}/en/workforce.md:" in shown and "unknown metric `training.session`" in shown

        edit(path, 'kpi("training.session")', 'kpi("training.sessions")')
        events.wait(3)
        assert "At year end" in get(f"{site}/en/people.html")       # the mistake is cleared

        # A translator's change to the interface catalog shows on the next refresh too.
        catalog = project.root / "locales" / "zh_Hant_HK" / "LC_MESSAGES" / "messages.po"
        edit(catalog, 'msgid "Downloads"\nmsgstr "下載"', 'msgid "Downloads"\nmsgstr "資料下載"')
        events.wait(4)
        assert "資料下載" in get(f"{site}/zh-hant/index.html")
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_the_preview_answers_only_the_person_at_the_machine(project):
    """A page elsewhere can neither read the draft (DNS rebinding, a script tag) nor start a PDF."""
    with served(project) as preview:
        port, draft = preview.port, "At the end of the year"
        assert draft in preview.first_page
        for host in ("evil.example", f"evil.example:{port}", f"127.0.0.1:{port + 1}"):   # DNS rebinding
            status, text = preview.request("/en/people.html", host=host)
            assert status == 421 and draft not in text
            assert f"this preview answers only http://127.0.0.1:{port}/" in text
        for host in (f"localhost:{port}", f"LOCALHOST:{port}", f"[::1]:{port}"):
            assert preview.request("/en/people.html", host=host) == (200, preview.request("/en/people.html")[1])

        # Another site may link to a page; its scripts (search-index.js holds the draft's text) may not load.
        link = {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document"}
        assert preview.request("/en/people.html", link)[0] == 200
        for headers in ({"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "no-cors", "Sec-Fetch-Dest": "script"},
                        {"Sec-Fetch-Site": "same-site", "Sec-Fetch-Mode": "cors", "Sec-Fetch-Dest": "empty"},
                        {"Referer": "http://evil.example/page.html"}):                  # a browser before 2023
            status, text = preview.request("/en/search-index.js", headers)
            assert status == 403 and "Employment" not in text, headers
            assert "not shared with other sites" in text
        assert "Employment" in preview.request("/en/search-index.js", {"Sec-Fetch-Site": "same-origin"})[1]

        # A PDF is made only when asked from the preview or the address bar.
        for headers in (link, {"Origin": "http://evil.example"}, {"Referer": "http://evil.example/"},
                        {"Origin": f"http://localhost:{port}"}, {"Sec-Fetch-Site": "same-site"}):
            status, text = preview.request("/__pdf/en", headers)
            assert status == 403 and "the PDF is made only when asked from the preview" in text, headers
        time.sleep(0.5)
        assert preview.descendants() == []                                       # nothing started

        # Malformed requests
        for request in (b"GET /en/people.html HTTP/1.0\r\n\r\n",                              # no Host
                        b"GET /en/people.html HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nHost: evil.example\r\n\r\n" % port,
                        b"GET http://evil.example/en/people.html HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n" % port,
                        b"GET /en/%%ff%%fe.html HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n" % port,
                        b"GET /en/people.html%%00.html HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n" % port,
                        b"GET /en/people.html HTTP/one\r\n\r\n", b"NONSENSE\r\n\r\n"):
            assert b" 400 " in preview.raw(request), request

        # Typed into the address bar, the PDF is made; the process that keeps its layout ends with the preview.
        typed = {"Sec-Fetch-Site": "none", "Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document"}
        status, kind, body = preview.fetch("/__pdf/en", typed)
        assert status == 200 and kind == "application/pdf" and body.startswith(b"%PDF")
        making = preview.descendants()
        assert making, "no process keeps the PDF's layout"
    deadline = time.monotonic() + 20
    while [pid for pid in making if running(pid)]:
        assert time.monotonic() < deadline, "the PDF build outlived the preview"
        time.sleep(0.05)


def pdf_words(pdf: bytes) -> str:
    return " ".join(subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True,
                                   check=True).stdout.decode().split())


def test_the_preview_pdf_is_of_the_files_as_saved_when_it_is_asked_for(project):
    """/__pdf/<edition> answers with the PDF (not a page to wait on) of the files as they are when it
    is asked for, right after a save; a request while one is being made waits for it; a mistake
    shows as the problems, and the next good save gives the PDF again."""
    path = project.content / Y / "en" / "workforce.md"
    with served(project) as preview:
        status, kind, body = preview.fetch("/__pdf/en")
        assert status == 200 and kind == "application/pdf"
        assert "At the end of the year" in pdf_words(body)

        edit(path, "At the end of the year", "At year end")         # asked for at once, not after a reload
        answers: list = []
        asking = [threading.Thread(target=lambda: answers.append(preview.fetch("/__pdf/en"))) for _ in range(2)]
        for thread in asking:
            thread.start()
        for thread in asking:
            thread.join()
        for status, kind, body in answers:
            assert status == 200 and kind == "application/pdf"
            words = pdf_words(body)
            assert "At year end" in words and "At the end of the year" not in words

        edit(path, 'kpi("training.sessions")', 'kpi("training.session")')
        status, kind, body = preview.fetch("/__pdf/en")
        assert status == 200 and kind.startswith("text/html")
        shown = body.decode()
        assert "The report cannot be built: 1 problem" in shown
        assert f"content/{Y}/en/workforce.md:" in shown and "unknown metric `training.session`" in shown

        edit(path, 'kpi("training.session")', 'kpi("training.sessions")')
        status, kind, body = preview.fetch("/__pdf/zh-hant")
        assert status == 200 and kind == "application/pdf"
        assert preview.fetch("/__pdf/en")[1] == "application/pdf"
        assert preview.fetch("/__pdf/fr")[0] == 404


def test_a_broken_template_or_a_named_pipe_shows_in_the_preview_and_the_next_good_save_recovers(project):
    layout = project.templates / "web" / "layout.html"
    good = layout.read_text(encoding="utf-8")
    with served(project) as preview:
        lines = good.split("\n")
        layout.write_text("\n".join(lines[:5] + ["{% if %}"] + lines[5:]), encoding="utf-8")   # saved half-way
        page = preview.wait_for_page("/en/people.html", lambda page: "cannot be built" in page)
        assert "The report cannot be built: 1 problem" in page and "templates/web/layout.html:6" in page
        assert "TemplateSyntaxError" in page
        layout.write_text(good, encoding="utf-8")
        preview.wait_for_page("/en/people.html", lambda page: "At the end of the year" in page)

        # A named pipe where a section was: a problem, not a preview that waits for ever.
        section = project.content / Y / "en" / "workforce.md"
        text = section.read_text(encoding="utf-8")
        section.unlink()
        os.mkfifo(section)
        page = preview.wait_for_page("/en/people.html", lambda page: "named pipe" in page)
        assert f"content/{Y}/en/workforce.md</code> this is a named pipe, not a file the report can read" in page
        section.unlink()
        section.write_text(text, encoding="utf-8")
        preview.wait_for_page("/en/people.html", lambda page: "At the end of the year" in page)
        assert preview.process.poll() is None


def test_a_port_in_use_is_one_message(project, capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, out = cli(project, capsys, "serve", "--port", str(port))
    assert code == 1 and "Traceback" not in out
    assert f"serve: port {port} on 127.0.0.1 cannot be used (Address already in use); stop the other preview, " \
           f"or choose another port: --port {port + 1}" in out


def test_editing_the_source_puts_the_translation_out_of_date_until_it_is_marked(project, capsys):
    code, out = cli(project, capsys, "status")
    assert code == 0 and re.search(r"^workforce\s+approved\s+approved, up to date$", out, re.M)

    edit(project.content / Y / "zh-hant" / "workforce.md", "公司全年開展培訓", "公司全年共開展培訓")
    code, out = cli(project, capsys, "status")
    assert code == 1
    assert re.search(r"^workforce\s+approved\s+approved, OUT OF DATE \(1\)$", out, re.M)
    assert "截至年末" not in out and "(-v shows the paragraphs that changed, with their lines)" in out
    code, out = cli(project, capsys, "status", "-v")
    assert f"content/{Y}/zh-hant/workforce.md:5: 截至年末" in out               # the changed paragraph
    code, out = cli(project, capsys, "check")
    assert code == 0 and "warning: the en translation is out of date: 1 paragraph of the zh-hant text changed (lines 5)" in out
    code, out = cli(project, capsys, "--final", "check")
    assert code == 1 and "the en translation is out of date with the zh-hant text" in out

    code, out = cli(project, capsys, "translated", "workforce", "--lang", "en")
    assert code == 0 and "marked 1 translation as up to date" in out
    code, out = cli(project, capsys, "status")
    assert code == 0 and re.search(r"^workforce\s+approved\s+approved, up to date$", out, re.M)


def test_where_lists_the_notes_and_the_key_figures_that_show_a_metric(project, capsys):
    people = project.content / Y / "data" / "people.yaml"
    edit(people, "          - metric: workforce.female\n",
         "          - metric: workforce.female\n    notes:\n"
         "      - zh-hant: '其中男性員工{{ kpi(\"workforce.male\") }}人。'\n        en: 'Men: {{ kpi(\"workforce.male\") }}.'\n")
    edit(project.content / Y / "report.yaml", "people: [workforce.total]", "people: [workforce.total, workforce.male]")
    code, out = cli(project, capsys, "where", "workforce.male")
    assert code == 0
    assert f"in a note of table workforce (zh-hant): content/{Y}/data/people.yaml:{line_of(people, '其中男性員工')}" in out
    assert f"in a note of table workforce (en): content/{Y}/data/people.yaml:{line_of(people, 'Men: ')}" in out
    manifest = project.content / Y / "report.yaml"
    assert f"a key figure of the home page (people): content/{Y}/report.yaml:{line_of(manifest, 'people: [')}" in out


def test_where_lists_every_place_a_metric_is_used(project, capsys):
    code, out = cli(project, capsys, "where", "workforce.total")
    assert code == 0
    assert f"workforce.total: defined at content/{Y}/data/people.yaml:3" in out
    line = line_of(project.content / Y / "en" / "workforce.md", 'kpi("workforce.total")')
    assert f"content/{Y}/en/workforce.md:{line} (kpi)" in out
    assert f"content/{Y}/zh-hant/workforce.md:11 (card)" in out
    assert "KPI tables: workforce" in out and f"table workforce placed at content/{Y}/en/kpi-tables.md" in out
    assert "derived from it: ghg.scope2_intensity" in out
    code, out = cli(project, capsys, "where", "workforce.totl")
    assert code == 1 and "there is no metric `workforce.totl`" in out and "did you mean `workforce.total`" in out


@pytest.fixture
def git_project(project):
    def git(*args):
        subprocess.run(["git", "-C", str(project.root), *args], check=True, capture_output=True,
                       env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
                            "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"})
    git("init", "-q", "-b", "main")
    git("add", "-A")
    git("commit", "-qm", "report")
    git("checkout", "-qb", "change")
    return project


def test_diff_names_the_changed_figure_where_it_appears_and_what_fell_out_of_date(git_project, capsys):
    project = git_project
    edit(project.content / Y / "data" / "people.yaml", "values: {2024: 18, 2025: 24}", "values: {2024: 18, 2025: 26}")
    edit(project.content / Y / "zh-hant" / "workforce.md", "公司全年開展培訓", "公司全年共開展培訓")
    code, out = cli(project, capsys, "diff")
    assert code == 0, out
    assert "figures changed: 1" in out
    changed = next(line for line in out.splitlines() if "training.sessions 2025" in line)
    assert changed.startswith("  training.sessions 2025: 24 → 26  (shown in ")
    assert f"content/{Y}/en/workforce.md:{line_of(project.content / Y / 'en' / 'workforce.md', 'training.sessions')}" in changed
    assert "sections changed (zh-hant): workforce" in out
    assert "translations now out of date: workforce (en)" in out
    assert "new problems: 1" in out and "warning: the en translation is out of date" in out
    code, out = cli(project, capsys, "diff", "main", "--markdown")
    assert "| `training.sessions` | 2025 | 24 | 26 |" in out and "**Translations now out of date**" in out


def test_diff_without_a_report_says_so(git_project, capsys):
    # It used to compare "the None report" and list the missing folder as a new problem.
    shutil.rmtree(git_project.content / Y)
    code, out = cli(git_project, capsys, "diff")
    assert code == 1 and "None" not in out
    assert "content: no report folder (such as content/2023) found" in out


def test_the_simplified_edition_is_made_from_the_traditional(project):
    """zh-hans: no files of its own; OpenCC phrase conversion and the terminology table; its own fonts,
    language, catalog, site and PDF; no Traditional-only character in its text."""
    import opencc
    from conftest import html_text, pdf_path, pdf_text
    from pypdf import PdfReader

    from esgreport.pipeline import build

    manifest = project.content / Y / "report.yaml"
    edit(manifest, "editions: [zh-hant, en]", "editions: [zh-hant, en, zh-hans]\nconversion: {zh-hans: hk2s}")
    (project.content / "terminology.yaml").write_text("zh-hans:\n  持份者: 利益相关方\n", encoding="utf-8")
    build(project, editions=["zh-hans"])
    folder = project.output / Y / "zh-hans"
    index = (folder / "index.html").read_text(encoding="utf-8")
    assert '<html lang="zh-Hans">' in index and "目录" in index and "2025年环境、社会及管治报告" in index
    text = html_text(folder) + pdf_text(pdf_path(folder))
    assert "利益相关方" in text and "持份者" not in text                     # the terminology table
    assert "员工总人数" in text and "2,450" in text                          # data labels, figures
    t2s = opencc.OpenCC("t2s")
    traditional = {ch for ch in text.replace("繁體中文", "") if t2s.convert(ch) != ch}
    assert not traditional, f"Traditional-only characters in the zh-hans edition: {sorted(traditional)}"
    fonts = {str(f["/BaseFont"]) for page in PdfReader(pdf_path(folder)).pages
             for f in (page["/Resources"].get("/Font") or {}).values() if "/BaseFont" in f.get_object()}
    assert any("Noto-Sans-CJK-SC" in f for f in fonts), fonts
    assert not (project.content / Y / "zh-hans").exists()
    switcher = (project.output / Y / "zh-hans" / "people.html").read_text(encoding="utf-8")
    assert 'href="../zh-hant/people.html"' in switcher and "简体中文" in switcher


def test_a_simplified_character_in_traditional_text_is_named(project, capsys):
    path = project.content / Y / "zh-hant" / "workforce.md"
    edit(path, "截至年末，公司共有員工", "截至年末，公司共有员工")
    code, out = cli(project, capsys, "check")
    assert code == 1
    assert f"content/{Y}/zh-hant/workforce.md:5: Simplified characters in Traditional Chinese text: 员 (Traditional: 員)" in out


@pytest.mark.parametrize("revision", ["--output={away}/victim", "--remote={away}/repo", "-o{away}/victim", "--list"])
def test_a_revision_spelt_as_an_option_writes_nothing_and_says_so(git_project, capsys, tmp_path, revision):
    """git archive would take it as an option (--output truncates a file, --remote reaches out)."""
    from esgreport.commands.diff import review

    away = tmp_path / "elsewhere"
    away.mkdir()
    (away / "victim").write_text("a file of the user's")
    revision = revision.format(away=away)
    with pytest.raises(SystemExit) as exc:                  # the command line: a usage error
        main(["--root", str(git_project.root), "diff", "--", revision])
    assert exc.value.code == 2 and "Traceback" not in capsys.readouterr().err
    (p,) = problems_of(lambda: review(git_project, revision))   # called as a function: not a commit
    assert p.message == f"`{revision}` is not a commit of this repository"
    assert "give a branch, tag or commit" in p.hint
    assert list(away.iterdir()) == [away / "victim"]         # nothing written, nothing truncated
    assert (away / "victim").read_text() == "a file of the user's"


@pytest.mark.parametrize("revision", ["no-such-branch", "HEAD^{tree}", "HEAD:content", "HEAD~5"])
def test_a_revision_that_is_no_commit_is_one_message(git_project, capsys, revision):
    code, out = cli(git_project, capsys, "diff", revision)
    assert code == 1 and "Traceback" not in out
    assert f"`{revision}` is not a commit of this repository" in out and out.startswith("diff found 1 problem.")


def test_the_pull_request_comment_keeps_content_inside_its_code_block(git_project, capsys):
    """A section title and a reference holding backticks and HTML stay text in the rendered comment."""
    from markdown_it import MarkdownIt

    project = git_project
    hostile = "Employment ```` <img src=x onerror=alert(1)> [x](javascript:alert(1))"
    edit(project.content / Y / "report.yaml", "en: Employment}", f'en: "{hostile}"}}')
    (project.content / "style.yaml").write_text(
        (project.content / "style.yaml").read_text(encoding="utf-8")
        + '  - {phrase: "````", prefer: "``` <script>alert(1)</script>", max: 0}\n', encoding="utf-8")
    edit(project.content / Y / "en" / "workforce.md", 'kpi("workforce.total")', 'kpi("workforce.total```<b>x</b>")')
    code, out = cli(project, capsys, "diff", "main", "--markdown")
    assert code == 0, out
    comment = out[out.index("### ESG report"):]
    rendered = MarkdownIt("commonmark").enable("table").render(comment)
    block = re.search(r"<pre><code>(.*?)</code></pre>", rendered, re.S).group(1)
    assert "unknown metric `workforce.total```&lt;b&gt;x&lt;/b&gt;`" in block
    assert "“````” occurs 1 times in the en edition" in block and "&lt;script&gt;" in block
    outside = rendered.replace(block, "")
    assert "<img" not in outside and "<script" not in outside and "<b>" not in outside
    assert rendered.count("<pre>") == 1 and "New problems (2)" in rendered
