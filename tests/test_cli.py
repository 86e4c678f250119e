"""The command line and the build as an editor meets them: help, where files go, formats from the writers'
registry, one clear message on bad input with the previous output intact (fixture report)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
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


# --- commands as subcommands: options in any order, each command its own options -----------------------

def cli(project, capsys, *args: str) -> tuple[int, str]:
    """The command line in this process: exit status (SystemExit's code too) and what it printed."""
    from esgreport.cli import main

    try:
        code = main(["--root", str(project.root), *args])
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    out = capsys.readouterr()
    return code, out.out + out.err


@pytest.mark.parametrize("order", [("translated", "--lang", "en", "workforce"),
                                   ("translated", "workforce", "--lang", "en"),
                                   ("--lang", "en", "translated", "workforce")])
def test_translated_takes_its_section_and_lang_in_any_order(project, capsys, order):
    edit(project.content / str(FIXTURE_YEAR) / "zh-hant" / "workforce.md", "公司全年開展培訓", "公司全年共開展培訓")
    assert cli(project, capsys, "status")[0] == 1                      # the English is out of date
    code, out = cli(project, capsys, *order)
    assert code == 0 and "marked 1 translation as up to date with zh-hant" in out, out
    code, out = cli(project, capsys, "status")
    assert code == 0 and re.search(r"^workforce\s+approved\s+approved, up to date$", out, re.M), out


def test_sections_and_options_of_translated_may_be_interleaved(project, capsys):
    code, out = cli(project, capsys, "translated", "workforce", "--lang", "en", "emissions")
    assert code == 0 and "marked 2 translations" in out, out


@pytest.mark.parametrize("args", [("--year", str(FIXTURE_YEAR), "check"), ("check", "--year", str(FIXTURE_YEAR))])
def test_the_year_goes_before_or_after_the_command(project, capsys, args):
    code, out = cli(project, capsys, *args)
    assert code == 0 and out.startswith(f"check: no problems in the {FIXTURE_YEAR} report"), out


@pytest.mark.parametrize("args", [("--year", "1999", "check"), ("check", "--year", "1999")])
def test_a_year_after_the_command_is_the_commands(project, capsys, args):
    code, out = cli(project, capsys, *args)
    assert code == 1 and "there is no report for 1999" in out, out


@pytest.mark.parametrize("args, says", [
    (("check", "--port", "9000"), "build.py check: error: `--port` is not an option of check (it belongs to serve)"),
    (("--port", "9000", "check"), "build.py check: error: `--port` is not an option of check (it belongs to serve)"),
    (("where", "--draft", "workforce.total"),
     "build.py where: error: `--draft` is not an option of where (it belongs to build and check)"),
    (("status", "--output", "elsewhere"), "`--output` is not an option of status (it belongs to build, requests and assurance)"),
    (("new-year", "2026", "--year", "2025"), "`--year` is not an option of new-year"),
    (("--markdown",), "build.py build: error: `--markdown` is not an option of build (it belongs to diff and gaps)"),
    (("check", "--lnag", "en"), "`--lnag` is not an option of check; did you mean `--lang`"),
    (("--lnag", "en"), "build.py build: error: `--lnag` is not an option of build; did you mean `--lang`"),
    (("chek",), "build.py: error: `chek` is not a command; did you mean `check`?"),
    ((str(FIXTURE_YEAR),), f"`{FIXTURE_YEAR}` is not a command; to choose a year, write --year {FIXTURE_YEAR}"),
    (("check", str(FIXTURE_YEAR)), f"`check` takes no argument `{FIXTURE_YEAR}`: to choose a year, write --year"),
    (("where",), "build.py where: error: `where` needs METRIC, e.g. `python build.py where workforce.total`"),
    (("where", "workforce.total", "ghg.scope2"), "`where` takes METRIC: `ghg.scope2` is one too many"),
    (("new-year", "next"), "build.py new-year: error: argument YEAR: `next` is not a year; write it like 2024"),
    (("translated", "--lang", "en"), "translated needs the sections (their ids, as in report.yaml) or --all"),
    (("translated", "--all", "workforce"), "translated takes the sections or --all, not both"),
    (("serve", "--port", "http"), "`http` is not a port"),
])
def test_an_option_or_argument_a_command_does_not_take_is_exit_2_naming_the_command(project, capsys, args, says):
    code, out = cli(project, capsys, *args)
    assert code == 2 and says in out, out
    assert "Traceback" not in out and not project.output.exists()


def test_a_refused_command_line_is_one_message_without_a_traceback():
    result = run(ROOT, "where", "--draft", "workforce.total")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-1] == \
        "build.py where: error: `--draft` is not an option of where (it belongs to build and check)"


@pytest.mark.parametrize("command, has, lacks", [
    ("serve", ["--port", "--lang", "--year"], ["--format", "--draft", "--markdown", "--all", "--output"]),
    ("check", ["--lang", "--draft", "--final", "--year"], ["--port", "--format", "--output", "--markdown"]),
    ("translated", ["SECTION", "--all", "--lang"], ["--port", "--format", "--draft"]),
    ("diff", ["[REV]", "--markdown", "--year"], ["--lang", "--port", "--format"]),
    ("new-year", ["YEAR"], ["--year", "--lang", "--port"]),
])
def test_a_commands_help_lists_its_own_options_only(project, capsys, command, has, lacks):
    code, out = cli(project, capsys, command, "--help")
    assert code == 0 and out.startswith(f"usage: build.py {command} "), out
    for option in has:
        assert option in out, option
    for option in lacks:
        assert option not in out, option
    assert "example: python build.py" in out


def test_the_top_level_help_lists_each_command_on_a_line(project, capsys):
    code, out = cli(project, capsys, "--help")
    assert code == 0
    for line in ("  new-year YEAR       start the report of YEAR", "  where METRIC        every place a figure",
                 "  translated SECTION  record that the translation", "  diff [REV]          what a change does"):
        assert line in out, line
    assert "--port" not in out and "python build.py translated chairmans-letter --lang en" in out


def test_without_a_command_the_report_is_built_with_options_in_any_order(project, capsys):
    code, out = cli(project, capsys, "--format", "html", "--year", str(FIXTURE_YEAR), "--lang", "en")
    assert code == 0 and f"en: output/{FIXTURE_YEAR}/en/ (index.html and 6 more pages" in out, out
    assert (edition_folder(project, "en") / "index.html").is_file()
    code, out = cli(project, capsys, "--lang", "en", "build", "--format", "html", "--year", str(FIXTURE_YEAR))
    assert code == 0 and "nothing to do: the output was built from these very files" in out, out


@pytest.mark.parametrize("edition, says", [
    ("fr", "the report has no edition fr"),
    ("zh-hant", "zh-hant is the edition the translations are made from"),
])
def test_translated_refuses_an_edition_that_has_no_translation_to_mark(project, capsys, edition, says):
    translation = project.content / str(FIXTURE_YEAR) / "en" / "workforce.md"
    before = translation.read_bytes()
    code, out = cli(project, capsys, "translated", "workforce", "--lang", edition)
    assert code == 1 and f"content/{FIXTURE_YEAR}/report.yaml: {says}" in out, out
    assert "→ a translation to mark: en" in out and "marked" not in out
    assert translation.read_bytes() == before
