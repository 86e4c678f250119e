"""The output folder changes only by a swap of a complete build, under a lock; a stopped or killed
build leaves it as it was; the same commit always gives the same files; nothing unchanged is built
again (fixture report)."""

from __future__ import annotations

import fcntl
import filecmp
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import FIXTURE_YEAR, ROOT, children, edit, running

from esgreport.pipeline import build


def start(project, *args: str) -> subprocess.Popen:
    env = {**os.environ, "ESGREPORT_NO_VENV": "1"}
    return subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--root", str(project.root), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            start_new_session=True)


def wait_for(condition, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "gave up waiting"
        time.sleep(0.02)


def year_folder(project) -> Path:
    return project.output / str(FIXTURE_YEAR)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != ".lock"}


def staging(project) -> list[Path]:
    return list(year_folder(project).glob(".staging-*"))


def test_two_clean_builds_give_the_same_bytes(project, tmp_path):
    for out in ("one", "two"):     # the Chinese edition: its fonts are the larger and the subset the harder
        build(project, editions=["zh-hant"], output=tmp_path / out)
    one, two = tmp_path / "one" / str(FIXTURE_YEAR), tmp_path / "two" / str(FIXTURE_YEAR)
    files = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file())
    assert any(f.suffix == ".pdf" for f in files) and any(f.suffix == ".html" for f in files)
    differ = [str(f) for f in files if not filecmp.cmp(one / f, two / f, shallow=False)]
    assert not differ, f"different bytes in: {differ}"


def test_a_build_waits_for_another_and_a_repeated_edition_is_harmless(project, tmp_path):
    build(project, editions=["en"], formats=["html"])
    edit(project.content / str(FIXTURE_YEAR) / "en" / "workforce.md", "At the end of the year", "At year end")
    folder, log = year_folder(project), tmp_path / "stderr.txt"
    with open(folder / ".lock", "w") as lock, open(log, "w") as stderr:
        fcntl.flock(lock, fcntl.LOCK_EX)          # another build is writing
        waiting = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--root", str(project.root),
                                    "--lang", "en", "--lang", "en", "--format", "html"],
                                   stderr=stderr, env={**os.environ, "ESGREPORT_NO_VENV": "1"})
        wait_for(lambda: "waiting for it to finish" in log.read_text() or waiting.poll() is not None)
        assert waiting.poll() is None                    # it waits …
        assert "At year end" not in (folder / "en" / "people.html").read_text(encoding="utf-8")
        fcntl.flock(lock, fcntl.LOCK_UN)
        assert waiting.wait(timeout=120) == 0, log.read_text()     # … and then builds
    assert "At year end" in (folder / "en" / "people.html").read_text(encoding="utf-8")
    assert staging(project) == []


@pytest.mark.parametrize("how, code, says", [(signal.SIGTERM, 143, "Stopped: nothing in output/ was changed."),
                                            (signal.SIGINT, 130, "Stopped: nothing in output/ was changed.")])
def test_a_stopped_build_leaves_the_last_output_and_no_debris(project, how, code, says):
    build(project, editions=["en"], formats=["html"])
    before = snapshot(year_folder(project))
    edit(project.content / str(FIXTURE_YEAR) / "en" / "workforce.md", "At the end of the year", "At year end")
    running = start(project, "--lang", "en")
    wait_for(lambda: staging(project) != [] or running.poll() is not None)
    running.send_signal(how)
    out, err = running.communicate(timeout=60)
    if running.returncode == 0:                          # it finished first; nothing to stop
        pytest.skip("the build finished before it could be stopped")
    assert running.returncode == code, err
    assert err.strip().splitlines()[-1] == says and "Traceback" not in err
    assert snapshot(year_folder(project)) == before
    assert staging(project) == [] and not list(year_folder(project).glob(".old-*"))


def test_a_killed_build_leaves_the_last_output_and_the_next_build_clears_its_debris(project):
    build(project, editions=["en"], formats=["html"])
    before = snapshot(year_folder(project))
    running = start(project, "--lang", "en")
    wait_for(lambda: staging(project) != [] or running.poll() is not None)
    os.killpg(running.pid, signal.SIGKILL)
    running.communicate(timeout=60)
    assert snapshot(year_folder(project)) == before      # what readers see is the last good build
    build(project, editions=["en"], formats=["html"])
    assert staging(project) == []




@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_the_edition_processes_end_when_the_build_does(project, how):
    """The build alone is stopped (SIGTERM) or killed (SIGKILL), not its process group: the processes
    rendering its editions end with it, instead of laying out PDFs for nobody."""
    # The command line renders in os.cpu_count() processes: two here, whatever the machine has.
    command = ("import os, sys; os.cpu_count = lambda: 2; sys.path.insert(0, sys.argv.pop(1)); "
               "from esgreport.cli import main; sys.exit(main(sys.argv[1:]))")
    started = subprocess.Popen([sys.executable, "-c", command, str(ROOT), "--root", str(project.root), "--format", "pdf"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "ESGREPORT_NO_VENV": "1"})
    try:
        wait_for(lambda: len(children(started.pid)) == 2 or started.poll() is not None)
        workers = children(started.pid)
        time.sleep(0.5)                                   # at work on their editions
        if started.poll() is not None:
            pytest.skip("the build finished before it could be stopped")
        started.send_signal(how)
        assert started.wait(timeout=30) == (143 if how == signal.SIGTERM else -signal.SIGKILL)
        deadline = time.monotonic() + 2               # without being ended, they work on for seconds
        while alive := [pid for pid in workers if running(pid)]:
            assert time.monotonic() < deadline, f"edition processes {alive} outlived the build"
            time.sleep(0.05)
    finally:
        if started.poll() is None:
            started.kill()
            started.wait()


def test_nothing_unchanged_is_built_again(project):
    build(project)
    first = {p.name: p.stat().st_mtime_ns for p in year_folder(project).rglob("*.pdf")}
    edit(project.content / str(FIXTURE_YEAR) / "en" / "workforce.md", "At the end of the year", "At year end")
    result = build(project)
    assert result.written == {"zh-hant": [], "en": ["html", "pdf"]}
    after = {p.name: p.stat().st_mtime_ns for p in year_folder(project).rglob("*.pdf")}
    zh, en = f"esg-report-{FIXTURE_YEAR}-zh-hant.pdf", f"esg-report-{FIXTURE_YEAR}-en.pdf"
    assert after[zh] == first[zh] and after[en] != first[en]


def test_a_build_with_nothing_to_do_says_so_without_rendering(project):
    build(project, formats=["html"])
    again = start(project, "--format", "html")
    out, err = again.communicate(timeout=60)
    assert again.returncode == 0 and err.strip() == "nothing to do: the output was built from these very files"
