"""The command line and the build as an editor meets them: help, where files go, formats from the writers'
registry, one clear message on bad input with the previous output intact (fixture report)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import FIXTURE_YEAR, ROOT, edit, edition_folder

from esgreport.pipeline import build
from esgreport.writers import load_writers


def run(project_root: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "ESGREPORT_NO_VENV": "1"}
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(project_root), *args],
                          capture_output=True, text=True, env=env, timeout=600)


def test_help_explains_the_commands_options_and_exit_codes():
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--help"], capture_output=True,
                            text=True, env={**os.environ, "ESGREPORT_NO_VENV": "1"})
    assert result.returncode == 0
    for word in ("--lang", "--format", "--year", "--draft", "--output", "check", "new-year", "zh-hant",
                 "output/<year>/<edition>/", "Exit status"):
        assert word in result.stdout, word


def test_format_choices_come_from_the_writers_registry():
    assert list(load_writers()) == ["html", "pdf", "data"]
    result = run(ROOT, "--format", "docx")
    assert result.returncode == 2 and "invalid choice: 'docx' (choose from 'html', 'pdf', 'data')" in result.stderr


def test_a_build_says_where_each_file_went(project):
    result = run(project.root)
    assert result.returncode == 0, result.stderr
    for code in ("zh-hant", "en"):
        assert f"{code}: output/{FIXTURE_YEAR}/{code}/ (index.html and 6 more pages, esg-report-{FIXTURE_YEAR}-{code}.pdf, " \
            "data/)" in result.stderr


def test_bad_yaml_gives_one_message_exit_1_and_keeps_previous_output(project):
    first = run(project.root, "--lang", "en", "--format", "html")
    assert first.returncode == 0, first.stderr
    index = edition_folder(project, "en") / "index.html"
    before = index.read_bytes()

    data = project.content / str(FIXTURE_YEAR) / "data" / "people.yaml"
    edit(data, "metrics:", "metrics:\n  : : bad")
    second = run(project.root, "--lang", "en", "--format", "html")
    assert second.returncode == 1
    assert "Traceback" not in second.stderr
    assert second.stderr.startswith("The report cannot be built: 1 problem.\n")
    assert f"content/{FIXTURE_YEAR}/data/people.yaml:" in second.stderr
    assert "Nothing in output/ was changed." in second.stderr
    assert index.read_bytes() == before


def test_an_html_build_keeps_the_last_pdf_and_any_format_can_be_rebuilt_alone(project):
    build(project, editions=["en"])
    folder = edition_folder(project, "en")
    pdf = folder / f"esg-report-{FIXTURE_YEAR}-en.pdf"
    pdf_bytes = pdf.read_bytes()
    edit(project.content / str(FIXTURE_YEAR) / "en" / "workforce.md", "At the end of the year", "At year end")
    build(project, editions=["en"], formats=["html"])
    assert pdf.read_bytes() == pdf_bytes                                    # the other format's last file
    assert "At year end" in (folder / "people.html").read_text(encoding="utf-8")
    build(project, editions=["en"], formats=["pdf"])
    assert "At year end" in (folder / "people.html").read_text(encoding="utf-8")   # and the other way round
    assert pdf.read_bytes() != pdf_bytes


def test_the_output_folder_is_a_parameter_and_a_repeated_edition_is_one(project, tmp_path):
    out = tmp_path / "elsewhere"
    result = run(project.root, "--lang", "en", "--lang", "en", "--format", "html", "--output", str(out))
    assert result.returncode == 0, result.stderr
    assert (out / str(FIXTURE_YEAR) / "en" / "index.html").is_file()
    assert not project.output.exists()


def test_an_unknown_edition_is_named(project):
    result = run(project.root, "--lang", "fr")
    assert result.returncode == 1 and "the report has no edition fr" in result.stderr
    assert "choose from: zh-hant, en" in result.stderr


def test_check_passes_and_says_which_report(project):
    result = run(project.root, "check")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"check: no problems in the {FIXTURE_YEAR} report")
