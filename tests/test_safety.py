"""Bad input never gives a traceback: a corpus of broken content, markup, paths, command lines and
folders, each answered with one clear message naming the file (and the line where it has one) and
exit status 1 (2 for a command line argparse refuses). Fixture report; every network address here is
loopback (127.0.0.1, a closed port).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import FIXTURE_YEAR, append, edit

from esgreport.cli import main

Y = str(FIXTURE_YEAR)
NEXT = str(FIXTURE_YEAR + 1)


def run(project, capsys, *args: str) -> tuple[int, str]:
    code = main(["--root", str(project.root), *args])
    captured = capsys.readouterr()
    return code, captured.err + captured.out


def c(project) -> Path:
    return project.content / Y


def data(project, name="people.yaml") -> Path:
    return c(project) / "data" / name


def section(project, code="en", name="workforce.md") -> Path:
    return c(project) / code / name


def both(project, name: str, text: str) -> None:
    for code in ("zh-hant", "en"):
        append(section(project, code, name), text)


def picture(project, name: str, fmt: str, cut: bool = False, claims: tuple[int, int] | None = None) -> None:
    """A picture in the report's images/ folder, saved as `fmt` whatever its name; `cut`: its second
    half lost, as by a copy cut short; `claims`: a PNG whose header claims that size (a decompression
    bomb's: a small file that would decode to gigabytes)."""
    import struct
    import zlib

    from PIL import Image

    (c(project) / "images").mkdir(exist_ok=True)
    path = c(project) / "images" / name
    Image.effect_noise((300, 200), 50).save(path, format=fmt)
    data = path.read_bytes()
    if cut:
        data = data[: len(data) // 2]
    if claims:        # IHDR: length, type, width, height, …, CRC of type and data
        header = b"IHDR" + struct.pack(">II", *claims) + data[24:29]
        data = data[:12] + header + struct.pack(">I", zlib.crc32(header)) + data[33:]
    path.write_bytes(data)


def catalog(project, code="zh_Hant_HK") -> Path:
    return project.locales / code / "LC_MESSAGES" / "messages.po"


def link(path: Path, target: str) -> None:
    path.unlink()
    path.symlink_to(target)


def fifo(path: Path) -> None:
    """A named pipe in the place of `path`: reading it would wait for a writer for ever."""
    path.unlink(missing_ok=True)
    os.mkfifo(path)


# (id, how to break the fixture, command, what the message says, file named in it, line named?)
CASES: list[tuple[str, Callable, tuple, str, str, bool]] = [
    # YAML syntax and types
    ("unclosed-bracket", lambda p: edit(data(p), "unit: person", "unit: [person"), ("check",),
     "this YAML cannot be read", "people.yaml", True),
    ("tab-indentation", lambda p: edit(c(p) / "report.yaml", "\nyear:", "\n\tyear:"), ("check",),
     "this YAML cannot be read", "report.yaml", True),
    ("duplicate-key", lambda p: edit(data(p), "    unit: person\n", "    unit: person\n    unit: person\n"), ("check",),
     "duplicate key 'unit'", "people.yaml", True),
    ("alias-expansion", lambda p: data(p).write_text(
        "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nmetrics: [*c, *c, *c, *c, *c, *c, *c, *c]\n"),
     ("check",), "YAML aliases", "people.yaml", True),
    ("metrics-as-a-list", lambda p: data(p, "extra.yaml").write_text("metrics: [workforce.total, workforce.male]\n"),
     ("check",), "`metrics:` must be a mapping of ids", "extra.yaml", True),
    ("units-as-a-list", lambda p: (p.content / "units.yaml").write_text("- person\n- percent\n"), ("check",),
     "units.yaml maps unit keys", "units.yaml", True),
    ("values-as-a-list", lambda p: edit(data(p), "values: {2024: 18, 2025: 24}", "values: [18, 24]"), ("check",),
     "values must map years to numbers", "people.yaml", True),
    ("value-not-a-number", lambda p: edit(data(p), "values: {2024: 18, 2025: 24}", "values: {2024: 18, 2025: many}"),
     ("check",), "many is not a figure", "people.yaml", True),
    ("value-too-large", lambda p: edit(data(p), "values: {2024: 18, 2025: 24}", "values: {2024: 18, 2025: 1e40}"),
     ("check",), "larger than any figure", "people.yaml", True),
    ("absurd-precision", lambda p: edit(data(p), "    unit: sessions", "    unit: sessions\n    precision: 5000"),
     ("check",), "precision is the number of decimals shown", "people.yaml", True),
    ("negative-precision", lambda p: edit(data(p), "    unit: sessions", "    unit: sessions\n    precision: -2"),
     ("check",), "precision is the number of decimals shown", "people.yaml", True),
    ("status-as-a-list", lambda p: edit(section(p), "status: approved", "status: [approved, draft]"), ("check",),
     "status", "workforce.md", True),
    ("front-matter-never-closed", lambda p: edit(section(p, "zh-hant"), "status: approved\n---", "status: approved\n"),
     ("check",), "never closed", "workforce.md", True),
    ("front-matter-a-list", lambda p: edit(section(p, "zh-hant"), "status: approved", "- approved"), ("check",),
     "the front matter must be keys and values", "workforce.md", True),
    ("glossary-not-a-list", lambda p: (p.content / "glossary.yaml").write_text("持份者: stakeholders\n"), ("check",),
     "the glossary is a list of terms", "glossary.yaml", True),
    ("style-as-a-list", lambda p: (p.content / "style.yaml").write_text("- actively\n"), ("check",),
     "style.yaml lists phrases under an edition code", "style.yaml", True),
    ("label-as-a-list", lambda p: edit(data(p), "label: {zh-hant: 培訓場次, en: Training sessions}",
                                       "label: [培訓場次, Training sessions]"), ("check",),
     "label", "people.yaml", True),
    # encodings
    ("latin-1-section", lambda p: section(p).write_bytes("---\nstatus: draft\n---\n\nCaf\xe9 \xa9 2025\n".encode("latin-1")),
     ("check",), "not UTF-8 text", "workforce.md", False),
    ("binary-data-file", lambda p: data(p).write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe"), ("check",),
     "not UTF-8 text", "people.yaml", False),
    # characters no reader can see
    ("bidi-override-in-a-section", lambda p: both(p, "workforce.md", "\n\nSee the file \u202egpj.exe\u202c.\n"),
     ("check",), "U+202E RIGHT-TO-LEFT OVERRIDE", "workforce.md", True),
    ("zero-width-space-in-a-figure", lambda p: edit(data(p), "values: {2024: 18, 2025: 24}",
                                                    "values: {2024: 18, 2025: 2\u200b4}"),
     ("check",), "U+200B ZERO WIDTH SPACE", "people.yaml", True),
    ("control-character-in-a-catalog", lambda p: edit(p.locales / "zh_Hant_HK" / "LC_MESSAGES" / "messages.po",
                                                      'msgstr "目錄"', 'msgstr "目\x1b[2J錄"'),
     ("check",), "U+001B ESCAPE", "messages.po", True),
    # pictures that are not what their names say
    ("png-named-jpg", lambda p: (picture(p, "x.jpg", "PNG"), both(p, "workforce.md", "\n\n![A chart](images/x.jpg)\n")),
     ("check",), "is a PNG picture named .jpg", "workforce.md", True),
    ("truncated-image", lambda p: (picture(p, "x.png", "PNG", cut=True), both(p, "workforce.md", "\n\n![A chart](images/x.png)\n")),
     ("check",), "cannot be decoded", "workforce.md", True),
    ("text-named-png", lambda p: ((c(p) / "images").mkdir(), (c(p) / "images" / "x.png").write_text("<p>hello</p>"),
                                  both(p, "workforce.md", "\n\n![A chart](images/x.png)\n")),
     ("check",), "is not a PNG picture", "workforce.md", True),
    ("decompression-bomb", lambda p: (picture(p, "x.png", "PNG", claims=(30_000, 30_000)),
                                      both(p, "workforce.md", "\n\n![A chart](images/x.png)\n")),
     ("check",), "more than the 40 million an image may have", "workforce.md", True),
    ("pdf-fetch-refused", lambda p: append(p.templates / "static" / "print.css",
                                           '\nbody { background: url("http://127.0.0.1:9/x.png") }\n'),
     ("--lang", "en", "--format", "pdf"), "the PDF cannot use http://127.0.0.1:9/x.png", "print.css", True),
    # references
    ("unknown-metric", lambda p: edit(section(p), 'kpi("workforce.total")', 'kpi("workforce.totl")'), ("check",),
     "unknown metric `workforce.totl`", "workforce.md", True),
    ("unquoted-metric", lambda p: edit(section(p), 'kpi("workforce.total")', "kpi(workforce.total)"), ("check",),
     "arguments must be plain text", "workforce.md", True),
    ("absurd-decimals", lambda p: edit(section(p), 'kpi("workforce.total")', 'kpi("workforce.total", decimals=100)'),
     ("check",), "decimals=100 is not a number of decimals", "workforce.md", True),
    ("year-as-text", lambda p: edit(section(p), 'kpi("workforce.total")', 'kpi("workforce.total", year="last")'),
     ("check",), "is not a year", "workforce.md", True),
    ("unknown-chart", lambda p: edit(section(p), 'chart("workforce_gender")', 'chart("workforce_genders")'),
     ("check",), "unknown chart `workforce_genders`", "workforce.md", True),
    ("unknown-table", lambda p: edit(section(p, name="kpi-tables.md"), 'kpi_table("workforce")', 'kpi_table("staff")'),
     ("check",), "unknown KPI table `staff`", "kpi-tables.md", True),
    ("scale-of-another-edition", lambda p: edit(section(p), 'kpi("workforce.total")', 'kpi("workforce.total", scale="wan")'),
     ("check",), "does not write figures in `wan`", "workforce.md", True),
    # formulas
    ("formula-syntax", lambda p: edit(data(p, "environment.yaml"), "formula: ghg.scope2 / workforce.total",
                                      "formula: ghg.scope2 / / workforce.total"), ("check",),
     "cannot be read", "environment.yaml", True),
    ("formula-calls-code", lambda p: edit(data(p, "environment.yaml"), "formula: ghg.scope2 / workforce.total",
                                          "formula: __import__('os').system('true')"), ("check",),
     "only metric ids, numbers", "environment.yaml", True),
    ("formula-of-5000-terms", lambda p: edit(data(p, "environment.yaml"), "formula: ghg.scope2 / workforce.total",
                                             "formula: " + " + ".join(["ghg.scope2"] * 5000)), ("check",),
     "characters long", "environment.yaml", True),
    ("circular-formulas", lambda p: edit(data(p, "environment.yaml"), "formula: ghg.scope2 / workforce.total",
                                         "formula: ghg.scope2_intensity * 2"), ("check",),
     "in a circle", "environment.yaml", True),
    # values
    ("negative-head-count", lambda p: edit(data(p), "values: {2024: 18, 2025: 24}", "values: {2024: 18, 2025: -24}"),
     ("check",), "is outside the range of a count", "people.yaml", True),
    # markup
    ("style-attribute", lambda p: both(p, "workforce.md", '\n\n{style="background:url(http://127.0.0.1:9/x)"}\nA note.\n'),
     ("check",), "the attribute `style` is not allowed", "workforce.md", True),
    ("event-handler", lambda p: both(p, "workforce.md", '\n\n[Report](http://127.0.0.1:9/){onclick="alert(1)"}\n'),
     ("check",), "the attribute `onclick` is not allowed", "workforce.md", True),
    ("svg-image", lambda p: ((c(p) / "images").mkdir(), (c(p) / "images" / "x.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>'),
        both(p, "workforce.md", "\n\n![A chart](images/x.svg)\n")), ("check",),
     "not a picture the report publishes", "workforce.md", True),
    ("remote-image", lambda p: both(p, "workforce.md", "\n\n![A chart](http://127.0.0.1:9/x.png)\n"), ("check",),
     "is not a file of the report", "workforce.md", True),
    ("image-outside-the-project", lambda p: both(p, "workforce.md", "\n\n![A file](../../../../../etc/hostname)\n"),
     ("check",), "is outside the project", "workforce.md", True),
    ("image-of-the-build-machine", lambda p: both(p, "workforce.md", "\n\n![A file](file:///etc/hostname)\n"),
     ("check",), "is not a file of the report", "workforce.md", True),
    ("table-widths-injection", lambda p: both(p, "workforce.md",
                                             '\n\n```table\nwidths: ["50%; background:url(x)", 50]\nrows:\n  - [a, b]\n```\n'),
     ("check",), "`widths:` is a list of column widths", "workforce.md", True),
    ("table-block-duplicate-key", lambda p: both(p, "workforce.md", "\n\n```table\nrows:\n  - [a, b]\nrows:\n  - [c, d]\n```\n"),
     ("check",), "duplicate key 'rows'", "workforce.md", True),
    ("javascript-website", lambda p: edit(c(p) / "report.yaml", "website: https://example.org/",
                                          "website: javascript:alert(1)"), ("check",),
     "is not a web address", "report.yaml", True),
    # links that would lead to the build machine, or nowhere
    ("protocol-relative-link", lambda p: both(p, "workforce.md", "\n\nSee [the share](//127.0.0.1/share).\n"),
     ("check",), "the link `//127.0.0.1/share` names no scheme", "workforce.md", True),
    ("windows-share-link", lambda p: both(p, "workforce.md", "\n\nSee [the share](\\\\\\\\127.0.0.1\\\\share).\n"),
     ("check",), "names no scheme", "workforce.md", True),
    ("file-link", lambda p: both(p, "workforce.md", "\n\nSee [the rules](file:///etc/passwd).\n"),
     ("check",), "leads to a file of the computer the report is built on", "workforce.md", True),
    ("file-link-in-a-table-block", lambda p: both(p, "workforce.md",
                                                  '\n\n```table\nrows:\n  - [a, b]\n  - [c, "[d](file:///etc/passwd)"]\n```\n'),
     ("check",), "the link `file:///etc/passwd` leads to a file", "workforce.md", True),
    ("file-link-in-a-data-note", lambda p: edit(data(p, "environment.yaml"), "en: Scope 2 emissions are calculated with the grid emission factor.}",
                                                'en: "Scope 2 is computed with the [grid factor](file:///srv/factors.xlsx)."}'),
     ("check",), "the link `file:///srv/factors.xlsx` leads to a file", "environment.yaml", True),
    ("script-link", lambda p: both(p, "workforce.md", "\n\n[Report](javascript:alert(1))\n"), ("check",),
     "the link `javascript:alert(1)` leads neither to the web, nor to mail", "workforce.md", True),
    ("link-to-no-section", lambda p: both(p, "workforce.md", "\n\nSee [the policy](#anti-corruption).\n"),
     ("check",), "the link `#anti-corruption` leads to no section", "workforce.md", True),
    # UI catalogs
    ("catalog-markup", lambda p: edit(catalog(p), 'msgstr "目錄"', 'msgstr "<script>alert(1)</script>目錄"'),
     ("check",), "the translation of “Contents” holds markup its English does not: `<script>`", "messages.po", True),
    ("catalog-placeholder-renamed", lambda p: edit(catalog(p), 'msgstr "%(year)s年"', 'msgstr "%(yr)s年"'),
     ("--format", "html"), "the translation of “%(year)s” has %(yr)s, which “%(year)s” does not", "messages.po", True),
    ("catalog-placeholder-dropped", lambda p: edit(catalog(p), 'msgstr "%(group)s（續）"', 'msgstr "（續）"'),
     ("check",), "leaves out %(group)s", "messages.po", True),
    ("catalog-lone-percent", lambda p: edit(catalog(p), 'msgstr "目錄"', 'msgstr "100%目錄"'),
     ("--format", "html"), "has a `%` that is no placeholder", "messages.po", True),
    ("catalog-sheet-name-characters", lambda p: edit(catalog(p), 'msgstr "說明"', 'msgstr "說明: 1/2"'),
     ("--format", "data"), "names a worksheet of the KPI workbook, and a worksheet's name cannot hold `:`",
     "messages.po", True),
    ("catalog-sheet-name-too-long", lambda p: edit(catalog(p), 'msgstr "說明"', 'msgstr "' + "說明" * 16 + '"'),
     ("check",), "may have at most 31 characters (this has 32)", "messages.po", True),
    ("catalog-sheet-names-alike", lambda p: edit(catalog(p), 'msgstr "說明"', 'msgstr "關鍵績效指標數據"'),
     ("--format", "data"), "as that of “About” does", "messages.po", True),
    ("english-catalog-sheet-name", lambda p: edit(catalog(p, "en"), 'msgid "About"\nmsgstr "About"',
                                                  'msgid "About"\nmsgstr "history"'),
     ("check",), "Excel keeps the name “History” for itself", "messages.po", True),
    # bounds of the build
    ("table-block-of-501-rows", lambda p: both(p, "workforce.md", "\n\n```table\nrows:\n" + "  - [a, b]\n" * 501 + "```\n"),
     ("check",), "the table has 501 rows, more than the 500 a table may have", "workforce.md", True),
    ("markdown-table-of-501-rows", lambda p: both(p, "workforce.md", "\n\n| a | b |\n|---|---|\n" + "| c | d |\n" * 500),
     ("check",), "the table has 501 rows, more than the 500", "workforce.md", True),
    ("kpi-table-of-501-rows", lambda p: edit(data(p), "tables:\n", "tables:\n  big:\n    title: {zh-hant: 大, en: Big}\n"
                                             "    years: {last: 2}\n    rows:\n" + "      - metric: workforce.total\n" * 501),
     ("check",), "KPI table `big` has 501 rows, more than the 500", "people.yaml", True),
    ("3001-list-items", lambda p: both(p, "workforce.md", "\n\n" + "- a\n" * 3001),
     ("check",), "edition comes to 3,00", "workforce.md", True),
    ("10001-lines", lambda p: both(p, "workforce.md", "\n\na\n" * 5001),
     ("check",), "lines together, more than the 10,000 lines an edition may have", "workforce.md", False),
    ("401-cards", lambda p: both(p, "workforce.md", '\n\n::: highlights Many\n' + '{{ card("workforce.total") }}\n' * 401 + ":::\n"),
     ("check",), "comes to 401 cards, tables, charts and indexes drawn from data, more than the 400", "workforce.md",
     True),
    ("edition-text-of-700-kb", lambda p: append(section(p), "\n\n" + ("Text of the section. " * 40 + "\n\n") * 850),
     ("check",), "the en edition's section files hold 701 KB together, more than the 600 KB", "workforce.md", False),
    ("301-sections", lambda p: append(c(p) / "report.yaml", "  - id: more\n    kind: chapter\n    title: {zh-hant: 更多, en: More}\n"
                                      "    sections:\n" + "".join(f"      - {{id: s{i}, title: {{zh-hant: 節, en: S}}}}\n"
                                                                 for i in range(291))),
     ("check",), "report.yaml lists 301 sections, more than the 300", "report.yaml", True),
    # messages that name the cause
    ("data-label-the-fonts-cannot-draw", lambda p: edit(data(p), "en: Male employees}", "en: Male employees \u2c00}"),
     ("--lang", "en", "--format", "pdf"), "the fonts cannot draw 'Ⰰ' (U+2C00)", "people.yaml", True),
    # paths
    ("section-is-a-link-outside", lambda p: link(section(p), "/etc/hostname"), ("check",),
     "outside content/", "workforce.md", False),
    ("data-is-a-link-outside", lambda p: link(data(p), "/etc/hostname"), ("check",),
     "outside content/", "people.yaml", False),
    ("style-sheet-is-a-link-outside", lambda p: (p.templates / "static" / "extra.css").symlink_to("/etc/hostname"),
     ("--format", "html"), "outside", "extra.css", False),
    ("section-too-large", lambda p: append(section(p), "\n\n" + "1" * 1_100_000 + "\n"), ("check",),
     "larger than 1024 KB", "workforce.md", False),
    # the command line
    ("no-such-year", lambda p: None, ("--year", "1999"), "there is no report for 1999", "content", False),
    ("year-folder-without-report", lambda p: (p.content / "2026" / "en").mkdir(parents=True), ("--year", "2026"),
     "the folder of 2026 has no report.yaml", "2026", False),
    ("no-such-edition", lambda p: None, ("--lang", "fr"), "the report has no edition fr", "report.yaml", False),
    ("new-year-that-exists", lambda p: None, ("new-year", Y), f"the {Y} report already exists", Y, False),
    ("new-year-before-the-latest", lambda p: None, ("new-year", "2020"), "there is no report before 2020", "content", False),
    ("new-year-too-far-ahead", lambda p: None, ("new-year", "9999"), "9999 is more than 5 years after the latest report",
     "content", False),
    ("new-year-over-a-folder-that-is-no-report", lambda p: (p.content / NEXT).mkdir(), ("new-year", NEXT),
     f"content/{NEXT} already exists but is not a report", NEXT, False),
    # new-year never follows a link: copying its target would launder a file the build refuses
    ("new-year-with-a-section-linked-outside", lambda p: link(section(p), "/etc/hostname"), ("new-year", NEXT),
     "this is a link (to /etc/hostname); new-year copies files, never links", f"content/{Y}/en/workforce.md", False),
    ("new-year-with-a-section-linked-inside", lambda p: link(section(p), "../zh-hant/workforce.md"), ("new-year", NEXT),
     "this is a link (to ../zh-hant/workforce.md)", f"content/{Y}/en/workforce.md", False),
    ("new-year-with-a-linked-folder", lambda p: (c(p) / "images").symlink_to("/etc"), ("new-year", NEXT),
     "this is a link (to /etc)", f"content/{Y}/images", False),
    ("new-year-from-a-report-that-fails-check", lambda p: edit(section(p), 'kpi("workforce.total")', 'kpi("workforce.totl")'),
     ("new-year", NEXT), "unknown metric `workforce.totl`", "workforce.md", True),
    # a FIFO named like a section or a data file would make every read of it wait for ever
    ("fifo-section", lambda p: fifo(section(p)), ("check",), "this is a named pipe, not a file the report can read",
     f"content/{Y}/en/workforce.md", False),
    ("fifo-data-file", lambda p: fifo(data(p)), ("--format", "html"), "this is a named pipe", "people.yaml", False),
    ("new-year-with-a-fifo", lambda p: fifo(c(p) / "notes.txt"), ("new-year", NEXT), "this is not a regular file",
     "notes.txt", False),
    # the file system
    ("output-is-a-file", lambda p: (p.root / "out").write_text("x"), ("--format", "html", "--output", "{root}/out"),
     "the build cannot write here", "out", False),
    ("content-folder-missing", lambda p: shutil.rmtree(p.content), ("check",),
     "the content folder is missing", "content", False),
]


@pytest.mark.parametrize("case, breaks, args, says, names, has_line", CASES, ids=[c[0] for c in CASES])
def test_bad_input_gives_one_clear_message(project, capsys, case, breaks, args, says, names, has_line):
    breaks(project)
    folders = sorted(os.listdir(project.content)) if project.content.is_dir() else []
    # Stopped if it hangs (a read of a FIFO would wait for ever): SIGALRM interrupts the wait.
    signal.signal(signal.SIGALRM, hangs)
    signal.alarm(120)
    try:
        code, err = run(project, capsys, *(a.replace("{root}", str(project.root)) for a in args))
    finally:
        signal.alarm(0)
    assert code == 1, err
    assert "Traceback" not in err
    assert says in err, err
    located = [line for line in err.splitlines() if says in line]
    assert located and names in located[0], err
    if has_line:
        assert re.search(rf"{re.escape(names)}:\d+: ", located[0]), located[0]
    if args and args[0] != "check" and "new-year" not in args:
        output = args[args.index("--output") + 1].replace("{root}/", "") if "--output" in args else "output"
        assert f"Nothing in {output}/ was changed." in err
    if "new-year" in args:
        assert "Nothing was created" in err or "new-year found" in err
        assert sorted(os.listdir(project.content)) == folders            # no new year, no half-made one


def hangs(signum, frame):
    raise AssertionError("the command hung")


def test_a_command_line_argparse_refuses_exits_2_without_a_traceback(project, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--root", str(project.root), "--format", "docx"])
    assert exc.value.code == 2
    assert "invalid choice: 'docx'" in capsys.readouterr().err


@pytest.mark.parametrize("args", [("new-year", "２０２６"), ("new-year", "٢٠٢٦"), ("--year", "２０２５", "check")])
def test_a_year_in_digits_other_than_0_to_9_is_refused(project, capsys, args):
    """int() reads "２０２６" (full-width) and "٢٠٢٦" (Arabic-Indic) as 2026; a year is written in 0–9."""
    with pytest.raises(SystemExit) as exc:
        main(["--root", str(project.root), *args])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert f"`{args[1]}` is not a year; write it like 2024 (in the digits 0–9)" in err and "Traceback" not in err
    assert not (project.content / NEXT).exists()


def test_new_year_with_force_starts_from_a_report_that_fails_check_and_says_what_is_wrong(project, capsys):
    edit(section(project), 'kpi("workforce.total")', 'kpi("workforce.totl")')
    code, err = run(project, capsys, "new-year", NEXT, "--force")
    assert code == 0, err
    assert f"warning: the {Y} report does not pass check (1 problem); --force started from it" in err
    assert re.search(rf"^content/{Y}/en/workforce\.md:\d+: unknown metric `workforce\.totl`", err, re.M)
    assert f"started the {NEXT} report in content/{NEXT}/" in err
    assert 'kpi("workforce.totl")' in section(project).read_text(encoding="utf-8").replace(Y, NEXT) and \
        'kpi("workforce.totl")' in (project.content / NEXT / "en" / "workforce.md").read_text(encoding="utf-8")


def test_new_year_that_fails_half_way_leaves_no_half_made_year(project, capsys):
    """--force gets past check, and the roll-forward then meets a data file it cannot read."""
    edit(data(project), "unit: person", "unit: [person")
    before = sorted(os.listdir(project.content))
    code, err = run(project, capsys, "new-year", NEXT, "--force")
    assert code == 1 and "Traceback" not in err
    assert re.search(rf"^content/{Y}/data/people\.yaml:\d+: this YAML cannot be read", err, re.M), err
    assert sorted(os.listdir(project.content)) == before             # neither content/2026 nor .new-2026


def rendered_pages(project) -> dict[str, str]:
    """Every page of every edition, and each print document, rendered whatever prepare found wrong:
    what the sanitiser and the renderer let through when nothing refused the input first."""
    from esgreport.errors import Problems
    from esgreport.prepare.report import prepare
    from esgreport.render.edition import render_edition

    report = prepare(project.content, None, Problems())
    pages = {}
    for code in report.editions:
        rendered = render_edition(report, code, project.templates, project.locales, Problems(), draft=True)
        pages.update({f"{code}/{name}": text for name, text in rendered.pages.items() if name.endswith(".html")})
        pages[f"{code}/print"] = rendered.print_html
    return pages


def test_content_never_reaches_a_readers_browser_as_markup(project):
    """What the corpus refuses, rendering still makes safe: nothing active in any page, and no link of
    the print document leads anywhere but the web, mail, a telephone or a section."""
    scripts = {name: page.count("<script") for name, page in rendered_pages(project).items()}
    both(project, "workforce.md",
         '\n\n[one](javascript:alert(1)) [two](data:text/html,x) [three](vbscript:x) <script>alert(1)</script> '
         '<img src=x onerror=alert(1)> <a href="http://127.0.0.1:9/" style="x">four</a> [five](file:///etc/passwd) '
         '[six](//127.0.0.1/share) [seven](policy.html) [eight](../../etc/passwd) [nine](#emissions)\n')
    pages = rendered_pages(project)
    for name, text in pages.items():
        if not name.endswith("/print"):
            assert not active_markup(text), f"{name}: {active_markup(text)}"
        assert text.count("<script") == scripts[name], name    # only the layout's own
    for code in ("zh-hant", "en"):
        links = re.findall(r'<a [^>]*href="([^"]*)"', pages[f"{code}/print"])
        assert links and all(re.match(r"(https?:|mailto:|tel:|#)", href) for href in links), \
            [href for href in links if not re.match(r"(https?:|mailto:|tel:|#)", href)]
        assert 'href="https://example.org/policy.html"' in pages[f"{code}/print"]
        assert 'href="#emissions"' in pages[f"{code}/print"]
        assert 'href="https://example.org/etc/passwd"' in pages[f"{code}/people.html"]
        assert 'href="environment.html#emissions"' in pages[f"{code}/people.html"]


def active_markup(markup: str) -> list[str]:
    """Event handlers, and links, images or styles that reach anything but the web, mail or the site.
    (The layout's own small script is the build's, not content's.)"""
    from html.parser import HTMLParser

    found = []

    class Parser(HTMLParser):
        def handle_starttag(self, tag, attrs):
            for name, value in attrs:
                value = (value or "").strip().lower()
                if name.startswith("on"):
                    found.append(f"{tag} {name}")
                if name in ("href", "src") and value.split(":", 1)[0] in ("javascript", "vbscript", "data", "file"):
                    found.append(f"{tag} {name}={value[:30]}")
                if name == "style" and "url(" in value:
                    found.append(f"{tag} style={value[:30]}")

    Parser().feed(markup)
    return found


def test_a_named_pipe_beside_the_manifest_is_named_not_waited_for(project, capsys):
    """Every YAML file of a report folder is read through the one door (a regular file, inside content/),
    also by the check for Simplified characters, so a named pipe there cannot hang `check`."""
    import os
    import signal

    os.mkfifo(c(project) / "extra.yaml")
    signal.signal(signal.SIGALRM, lambda *_: pytest.fail("check waited on a named pipe"))
    signal.alarm(30)
    try:
        status, err = run(project, capsys, "check")
    finally:
        signal.alarm(0)
    assert status == 1 and "extra.yaml" in err and "named pipe" in err and "Traceback" not in err


# --- UI catalogs -----------------------------------------------------------------------------------

def test_a_catalog_problem_is_at_the_line_of_its_msgstr(project, capsys):
    po = catalog(project)
    edit(po, 'msgstr "目錄"', 'msgstr "<b onclick=alert(1)>目錄</b>"')
    line = next(i for i, text in enumerate(po.read_text(encoding="utf-8").split("\n"), 1) if "onclick" in text)
    code, err = run(project, capsys, "check")
    assert code == 1
    assert f"messages.po:{line}: the translation of “Contents” holds markup its English does not: " \
           "`<b onclick=alert(1)>`" in err, err
    assert err.count("messages.po") == 1, err


def test_a_translation_is_shown_as_text_but_for_the_markup_of_its_english(tmp_path):
    """Newstyle gettext takes a translation for safe markup; here it is text, except the tags its msgid
    (the template's own words) holds."""
    from babel.support import NullTranslations

    from esgreport.render.edition import template_environment

    class Catalog(NullTranslations):
        strings = {"Contents": "<script>alert(1)</script>目錄", "Read <strong>this</strong>": "請<strong>閱讀</strong>",
                   "%(year)s": "<img src=x onerror=alert(1)>%(year)s年"}

        def gettext(self, message):
            return self.strings.get(message, message)

    (tmp_path / "page.html").write_text('{{ _("Contents") }}|{{ _("Read <strong>this</strong>") }}|'
                                        '{{ _("%(year)s", year="<i>2025</i>") }}', encoding="utf-8")
    page = template_environment(tmp_path, Catalog(), False).get_template("page.html").render()
    contents, read, year = page.split("|")
    assert contents == "&lt;script&gt;alert(1)&lt;/script&gt;目錄"
    assert read == "請<strong>閱讀</strong>"
    assert year == "&lt;img src=x onerror=alert(1)&gt;&lt;i&gt;2025&lt;/i&gt;年"


def test_a_refused_translation_never_stops_rendering(project):
    """Rendering leaves out a translation `check` refuses (as it does a fuzzy one): the English shows."""
    edit(catalog(project), 'msgstr "%(year)s年"', 'msgstr "%(yr)s年"')
    edit(catalog(project), 'msgstr "說明"', 'msgstr "說明: 1/2"')
    pages = rendered_pages(project)
    assert ">2025</th>" in pages["zh-hant/print"]


# --- links and the PDF -----------------------------------------------------------------------------

def test_the_pdf_links_only_to_the_web_and_keeps_long_addresses_on_the_page(project):
    """A link without a scheme leads to the company's website, #id to a section, in the PDF as on the
    web; a long address breaks rather than running off the page, even in a heading or a table header."""
    from pypdf import PdfReader
    from weasyprint.formatting_structure import boxes

    from esgreport.errors import Problems
    from esgreport.prepare.report import prepare
    from esgreport.render.edition import render_edition
    from esgreport.writers.layout import write_pdf

    long = "https://example.org/" + "averyverylongpathsegment" * 8 + "/policy.html"
    append(section(project), f"\n\n### The policy: <{long}>\n\n| <{long}> | b |\n|---|---|\n| c | d |\n\n"
                             "See [the policy](policies/anti-corruption.pdf) and [emissions](#emissions).\n")
    report = prepare(project.content, None, Problems())
    rendered = render_edition(report, "en", project.templates, project.locales, Problems(), media=("print",))
    target = project.root / "x.pdf"
    document = write_pdf(rendered.print_html, project.templates / "static", target, project.root)
    uris = [annotation.get_object()["/A"].get("/URI") for page in PdfReader(target).pages
            for annotation in page.get("/Annots", []) if "/A" in annotation.get_object()]
    uris = [str(u) for u in uris if u is not None]
    assert "https://example.org/policies/anti-corruption.pdf" in uris
    assert all(u.startswith(("https:", "http:", "mailto:", "tel:")) for u in uris), uris
    pieces = []
    for page in document.pages:
        right = page._page_box.margin_width() - page._page_box.margin_right
        stack = [page._page_box]
        while stack:
            box = stack.pop()
            stack.extend(getattr(box, "children", ()))
            if isinstance(box, boxes.TextBox) and "averyverylong" in box.text:
                pieces.append((box.position_x + box.width - right, box.text))
    assert len(pieces) >= 4 and all(beyond <= 1 for beyond, _ in pieces), pieces


# --- content folders -------------------------------------------------------------------------------

def test_a_year_folder_without_its_manifest_is_named(project, capsys):
    (project.content / "2026" / "en").mkdir(parents=True)
    code, err = run(project, capsys, "check")
    assert code == 0, err
    assert "content/2026: warning: the folder of 2026 has no report.yaml: it is no report and is not built" in err, err


def test_a_character_the_fonts_cannot_draw_is_blamed_where_it_is_written(project, capsys):
    """A data label shows in the section that places its table; the character is written in the data."""
    edit(data(project), "en: Male employees}", "en: Male employees \u2c00}")
    append(section(project), "\n\nA sign: \u2c01.\n")
    code, err = run(project, capsys, "--lang", "en", "--format", "pdf")
    assert code == 1
    assert re.search(r"people\.yaml:\d+: the fonts cannot draw 'Ⰰ' \(U\+2C00\)\n", err), err
    assert re.search(r"en/workforce\.md:\d+: the fonts cannot draw 'Ⰱ' \(U\+2C01\)\n", err), err
    assert "kpi-tables.md" not in err and err.count("cannot draw") == 2, err
