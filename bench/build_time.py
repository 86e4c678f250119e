#!/usr/bin/env python3
"""Measure the build the way the team runs it, each figure beside its target.

Run: .venv/bin/python bench/build_time.py [YEAR]
(works on a temporary copy of the project; output/ is not touched)

1. WeasyPrint alone, on each edition's final print HTML with the build's settings: the floor. Also
   with Python's cycle collector off, as the build's edition processes run it.
2. A full build of every edition (the command line, editions in parallel): wall time as a ratio of
   the slower edition's WeasyPrint time (both ways), and the peak memory of the build and its processes.
3. A build with nothing to do: wall time, and whether WeasyPrint was imported.
4. A one-paragraph edit of one edition: wall time, and which PDFs were written again.
5. An HTML-only build of one edition after an edit.
6. `check` on a section holding inputs that once made the text rules quadratic.
7. The preview (`serve`): from saving a paragraph to the refreshed page, five times.
8. The preview's PDF (`serve`'s /__pdf/<edition>), each edition: the first PDF (cold), then from saving
   a one-paragraph edit in a mid-report section to having the new PDF, five times, as a ratio of the
   cold PDF's time; and the memory of `serve` holding both editions' layouts.

`--preview-pdf` measures step 8 only.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGETS = {"full": "≤ 1.15 × the slower edition's WeasyPrint time", "noop": "< 1 s, WeasyPrint not imported",
           "memory": "< 1.5 GB", "edit": "only the edited edition's PDF written again", "preview": "< 0.5 s",
           "pdf": "≤ 0.3 × the cold PDF (aim: < 3 s)", "pdf memory": "< 1.5 GB"}
MID_REPORT = "employment"      # the section edited for the preview's PDF: 3.2.1, in the middle of the report
# Lettered, not numbered: a number in the text could be taken for a figure typed into prose.
PARAGRAPH = {"zh-hant": "本段為測試段落{i}，用於量度預覽PDF的速度。",
             "en": "This is test paragraph {i}, written to measure how fast the preview makes the PDF again."}


def cli(root: Path, *args: str, importtime: bool = False) -> tuple[float, str, int]:
    """Wall time, stderr, and the peak memory (kB) of the build's process tree."""
    env = {**os.environ, "ESGREPORT_NO_VENV": "1"}
    command = [sys.executable, *(["-X", "importtime"] if importtime else []), str(ROOT / "build.py"),
               "--root", str(root), *args]
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, tree_rss(proc.pid))
        time.sleep(0.05)
    out, err = proc.communicate()
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        sys.exit(f"build failed:\n{err}")
    return seconds, err, peak


def tree_rss(pid: int) -> int:
    """Resident memory (kB) of a process and all its descendants."""
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        try:
            status = Path(f"/proc/{p}/status").read_text()
            total += int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:")))
            for task in Path(f"/proc/{p}/task").iterdir():
                stack.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, StopIteration, ValueError):
            continue
    return total


def weasyprint_alone(root: Path, year: int | None, collector: bool) -> tuple[int, dict[str, float]]:
    import gc

    from esgreport.errors import Problems
    from esgreport.prepare.report import prepare
    from esgreport.project import Project
    from esgreport.render.edition import render_edition
    from esgreport.writers.layout import write_pdf

    project = Project(root)
    report = prepare(project.content, year, Problems())
    times = {}
    with tempfile.TemporaryDirectory() as out:
        for code in report.editions:
            rendered = render_edition(report, code, project.templates, project.locales, Problems())
            gc.collect()
            if not collector:
                gc.disable()
            started = time.perf_counter()
            write_pdf(rendered.print_html, project.templates / "static", Path(out) / "x.pdf", project.root)
            times[code] = time.perf_counter() - started
            gc.enable()
    return report.year, times


def main(year: int | None = None, only_pdf: bool = False) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name in ("content", "templates", "locales"):
            shutil.copytree(ROOT / name, root / name, ignore=shutil.ignore_patterns("*.mo"))
        if only_pdf:
            from esgreport.pipeline import latest_year
            from esgreport.project import Project
            preview_pdf(root, year or latest_year(Project(root), None) or 0)
            return
        year, weasy = weasyprint_alone(root, year, collector=True)
        _, weasy_nogc = weasyprint_alone(root, year, collector=False)
        years = ["--year", str(year)]
        print(f"The {year} report, {os.cpu_count()} cores")
        for code, seconds in weasy.items():
            print(f"  WeasyPrint alone, {code}: {seconds:.1f} s (cycle collector off: {weasy_nogc[code]:.1f} s)")

        full, err, peak = cli(root, *years)
        print(f"  full build, every edition: {full:.1f} s = {full / max(weasy.values()):.2f} × the slower "
              f"WeasyPrint ({full / max(weasy_nogc.values()):.2f} × with its cycle collector off; "
              f"target {TARGETS['full']})")
        print(f"  peak memory of the build: {peak / 1024:.0f} MB (target {TARGETS['memory']})")

        noop, err, _ = cli(root, *years, importtime=True)
        imported = "weasyprint" in err
        print(f"  nothing to do: {noop:.2f} s, WeasyPrint {'imported' if imported else 'not imported'} "
              f"(target {TARGETS['noop']})")

        section = root / "content" / str(year) / "zh-hant" / "about-this-report.md"
        section.write_text(section.read_text(encoding="utf-8") + "\n\n本段為測試段落。\n", encoding="utf-8")
        edit, err, _ = cli(root, *years)
        unchanged = [line.split(":")[0] for line in err.splitlines() if "unchanged: html, pdf" in line]
        print(f"  one paragraph edited (zh-hant): {edit:.1f} s; PDFs written again: "
              f"{', '.join(sorted(set(weasy) - set(unchanged)))} (target {TARGETS['edit']})")

        section.write_text(section.read_text(encoding="utf-8") + "\n\n再一段。\n", encoding="utf-8")
        html, err, _ = cli(root, *years, "--lang", "zh-hant", "--format", "html")
        print(f"  HTML only, one edition, after an edit: {html:.1f} s")

        section.write_text(section.read_text(encoding="utf-8") + "\n\n" + "{{ " * 30_000 + "\n\n" + "1" * 200_000
                           + "\n\n(" + "中文（" * 50_000 + "\n\n" + " " * 200_000 + "。\n", encoding="utf-8")
        started = time.perf_counter()
        subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(root), *years, "check", "--draft"],
                       capture_output=True, env={**os.environ, "ESGREPORT_NO_VENV": "1"})
        print(f"  check with 600 KB of unclosed references and long runs: {time.perf_counter() - started:.1f} s")
        section.write_text(section.read_text(encoding="utf-8").split("\n\n{{ {{")[0] + "\n", encoding="utf-8")
        times = preview(root, year, section)
        print(f"  preview, save → refreshed page: {', '.join(f'{t:.2f}' for t in times)} s "
              f"(median {sorted(times)[len(times) // 2]:.2f} s; target {TARGETS['preview']})")
        preview_pdf(root, year)


def serve(root: Path, year: int) -> tuple[subprocess.Popen, str]:
    """`serve` on a free port, once its first page answers."""
    import socket
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--root", str(root), "--year", str(year),
                               "serve", "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env={**os.environ, "ESGREPORT_NO_VENV": "1"})
    site = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            urllib.request.urlopen(f"{site}/zh-hant/index.html", timeout=5).read()
            break
        except OSError:
            time.sleep(0.1)
    return server, site


def preview_pdf(root: Path, year: int) -> None:
    """The preview's PDF of each edition: cold, then after each of five one-paragraph edits of a
    mid-report section (from the save to the PDF), and serve's memory holding both editions."""
    import threading
    import urllib.request

    server, site = serve(root, year)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.1):
            peak[0] = max(peak[0], tree_rss(server.pid))
    threading.Thread(target=sample, daemon=True).start()

    def pdf(code: str) -> bytes:
        with urllib.request.urlopen(f"{site}/__pdf/{code}", timeout=600) as response:
            body = response.read()
        assert response.headers["Content-Type"] == "application/pdf", body[:2000]
        return body

    try:
        for code in ("zh-hant", "en"):
            section = root / "content" / str(year) / code / f"{MID_REPORT}.md"
            started = time.perf_counter()
            pdf(code)
            cold = time.perf_counter() - started
            times = []
            for i in range(5):
                text = PARAGRAPH[code].format(i=chr(ord("A") + i))
                started = time.perf_counter()
                section.write_text(section.read_text(encoding="utf-8") + f"\n\n{text}\n", encoding="utf-8")
                made = pdf(code)
                times.append(time.perf_counter() - started)
                shown = subprocess.run(["pdftotext", "-", "-"], input=made, capture_output=True).stdout.decode()
                assert re.sub(r"\s+", "", text) in re.sub(r"-?\s+", "", shown), f"the PDF lacks the edit {i}"
                time.sleep(0.5)
            worst = max(times)
            print(f"  preview PDF, {code}: cold {cold:.1f} s; after a one-paragraph edit of {MID_REPORT}: "
                  f"{', '.join(f'{t:.2f}' for t in times)} s (median {sorted(times)[2]:.2f} s, "
                  f"worst {worst:.2f} s = {worst / cold:.2f} × cold; target {TARGETS['pdf']})")
        held = tree_rss(server.pid)
        print(f"  preview PDF, memory of serve holding both editions: {held / 1024:.0f} MB "
              f"(peak {peak[0] / 1024:.0f} MB; target {TARGETS['pdf memory']})")
    finally:
        done.set()
        server.terminate()
        server.wait(timeout=30)


def preview(root: Path, year: int, section: Path) -> list[float]:
    """Seconds from saving a paragraph to having the refreshed page, through the preview server."""
    import socket
    import threading
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--root", str(root), "--year", str(year),
                               "serve", "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env={**os.environ, "ESGREPORT_NO_VENV": "1"})
    site = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(f"{site}/zh-hant/index.html", timeout=5).read()
                break
            except OSError:
                time.sleep(0.1)
        reloads = threading.Semaphore(0)

        def listen():
            for line in urllib.request.urlopen(f"{site}/__events", timeout=120):
                if line.strip() == b"data: reload":
                    reloads.release()
        threading.Thread(target=listen, daemon=True).start()
        time.sleep(0.5)
        times = []
        for i in range(5):
            started = time.perf_counter()
            section.write_text(section.read_text(encoding="utf-8") + f"\n\n第{i}段預覽測試。\n", encoding="utf-8")
            reloads.acquire(timeout=60)
            page = urllib.request.urlopen(f"{site}/zh-hant/about-this-report.html", timeout=30).read().decode()
            times.append(time.perf_counter() - started)
            assert f"第{i}段預覽測試" in re.sub(r"<[^>]+>", "", page)
            time.sleep(0.3)
        return times
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    arguments = [a for a in sys.argv[1:] if not a.startswith("--")]
    main(int(arguments[0]) if arguments else None, only_pdf="--preview-pdf" in sys.argv[1:])
