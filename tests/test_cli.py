"""The command line as an editor meets it: help, one clear message on bad input, output left intact."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(project_root: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "ESGREPORT_NO_VENV": "1"}
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(project_root), *args],
                          capture_output=True, text=True, env=env, timeout=600)


def test_help_explains_the_options():
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--help"], capture_output=True,
                            text=True, env={**os.environ, "ESGREPORT_NO_VENV": "1"})
    assert result.returncode == 0
    for word in ("--lang", "--format", "check", "zh-hant", "output/"):
        assert word in result.stdout


def test_bad_yaml_gives_one_message_exit_1_and_keeps_previous_output(project):
    first = run(project.root, "--lang", "en", "--format", "html")
    assert first.returncode == 0, first.stderr
    index = project.output / "en" / "index.html"
    before = index.read_bytes()

    data = project.content / "2023" / "data" / "employment.yaml"
    data.write_text(data.read_text(encoding="utf-8").replace("metrics:", "metrics:\n  : : bad", 1),
                    encoding="utf-8")
    second = run(project.root, "--lang", "en", "--format", "html")
    assert second.returncode == 1
    assert "Traceback" not in second.stderr
    assert "content/2023/data/employment.yaml:" in second.stderr
    assert "Nothing in output/ was changed." in second.stderr
    assert index.read_bytes() == before


def test_check_passes_on_the_bundled_report(project):
    result = run(project.root, "check")
    assert result.returncode == 0, result.stderr
