"""The guide is true: every example of docs/authoring.md and the README is run, so that neither can drift
from the tool.

Each example in the two documents is marked, on the line before it, with what it is:

    <!-- example: section, shows "截至2023年底" -->     a section's Markdown: built in both editions, no
                                                       problem, the page shows the text named
    <!-- example: section file -->                      the same, with its front matter
    <!-- example: outputs -->                           a table of calls and what each edition prints
    <!-- example: data -->, manifest, disclosures, section entry, part of a metric, part of a framework
                                                       YAML, read by the model of that file
    <!-- example: commands -->                          command lines the command line accepts (make: a target)
    <!-- example: files -->                             a listing of files that exist after a build
    <!-- example: output of a build, with `a` written `b` in FILE -->   a mistake, and the message it gives
    <!-- example: inventory -->, editorial              an emission inventory, an editorial record: read by their models
    <!-- example: package -->                           the code's folders: every module and folder named exists
    <!-- example: not run, REASON -->                   shown only, with the reason (a file of another tool, a
                                                       shape with placeholders, a message tested elsewhere)

The examples speak of the company's 2023 report (its metrics, its figures), so they run on a copy of it.
"""

from __future__ import annotations

import ast
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from conftest import PUBLISHED_YEAR, ROOT, append, edit, published_content
from pydantic import TypeAdapter

from esgreport.cli import CommandLine
from esgreport.errors import Problems
from esgreport.markup.directives import DIRECTIVES, parse_call
from esgreport.model.inputs import DataFile, Departure, Framework, Manifest, MetricSpec, ReportDisclosures, SectionNode
from esgreport.model.inventory import Inventory

DOCS = (ROOT / "README.md", ROOT / "docs" / "authoring.md")
_MARK = re.compile(r"^\s*<!-- example: (.*?) -->\s*$")
_FENCE = re.compile(r"^(\s*)(`{3,})(\w*)\s*$")


@dataclass
class Example:
    doc: Path
    line: int                      # of its first line in the document
    kind: str
    options: str
    text: str
    shows: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.doc.relative_to(ROOT)}:{self.line} ({self.kind})"


def examples(doc: Path) -> tuple[list[Example], list[int]]:
    """The marked examples of a document (fences, and the table after an `outputs` mark), and the lines
    of fences that are not marked."""
    lines = doc.read_text(encoding="utf-8").split("\n")
    found, unmarked = [], []
    i = 0
    while i < len(lines):
        mark = _MARK.match(lines[i])
        fence = _FENCE.match(lines[i])
        if mark:
            kind, _, options = mark.group(1).partition(",")
            j = i + 1
            if kind.strip() == "outputs":
                while j < len(lines) and lines[j].startswith("|"):
                    j += 1
                found.append(Example(doc, i + 2, "outputs", "", "\n".join(lines[i + 1:j])))
                i = j
                continue
            opened = _FENCE.match(lines[j]) if j < len(lines) else None
            assert opened, f"{doc.name}:{i + 1}: an example mark stands right before its example"
            indent, ticks = opened.group(1), opened.group(2)
            k = next(k for k in range(j + 1, len(lines)) if lines[k].strip() == ticks)
            text = "\n".join(line[len(indent):] for line in lines[j + 1:k])
            found.append(Example(doc, j + 2, kind.strip(), options, text, re.findall(r'shows "([^"]*)"', options)))
            i = k + 1
            continue
        if fence:
            unmarked.append(i + 1)
            ticks = fence.group(2)
            i = next(k for k in range(i + 1, len(lines)) if lines[k].strip() == ticks) + 1
            continue
        i += 1
    return found, unmarked


ALL = [e for doc in DOCS for e in examples(doc)[0]]


def of(*kinds: str) -> list[Example]:
    return [e for e in ALL if e.kind in kinds]


def test_every_example_in_the_guides_is_marked_and_run():
    for doc in DOCS:
        found, unmarked = examples(doc)
        assert not unmarked, f"{doc.name}: the examples at lines {unmarked} are not marked with what they are"
        assert found
    known = {"section", "section file", "outputs", "data", "manifest", "disclosures", "section entry",
             "part of a metric", "part of a framework", "commands", "files", "output of a build", "inventory",
             "editorial",
             "package", "not run"}
    assert {e.kind for e in ALL} <= known, {e.kind for e in ALL} - known
    unexplained = [str(e) for e in of("not run") if len(e.options.strip()) < 10]
    assert not unexplained, f"an example not run says why: {unexplained}"


def _visible(html: str) -> str:
    return re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", html))


# --- sections ---------------------------------------------------------------------------------------------

SECTION = "vision-and-values"       # the examples are added to this section, in both editions


def test_the_section_examples_build_and_show_what_they_say(tmp_path):
    from PIL import Image

    from esgreport.pipeline import build, check

    project = published_content(tmp_path)
    folder = project.content / str(PUBLISHED_YEAR)
    for example in of("section", "section file"):
        body = example.text
        if example.kind == "section file":
            front, body = re.match(r"---\n(.*?)\n---\n(.*)", body, re.S).groups()
            assert set(yaml.safe_load(front)) <= {"status", "translated_from"}, example
        for picture in re.findall(r"picture (\S+)", example.options):
            (folder / picture).parent.mkdir(parents=True, exist_ok=True)
            Image.new("RGB", (80, 60), "orange").save(folder / picture)
        for code in ("zh-hant", "en"):
            append(folder / code / f"{SECTION}.md", f"\n\n{body}\n")
    _, warnings = check(project, year=PUBLISHED_YEAR, draft=True)      # fonts too: every glyph drawn
    edited = {folder / code / f"{SECTION}.md" for code in ("zh-hant", "en")}
    said = [p for p in warnings if p.source in edited and p.kind != "translation"
            and "is not rendered as agreed" not in p.message]
    assert not said, "\n".join(f"{p.source.name}:{p.line}: {p.message}" for p in said)
    build(project, year=PUBLISHED_YEAR, formats=["html"], draft=True)
    pages = {code: "".join(_visible(page.read_text(encoding="utf-8"))
                           for page in (project.output / str(PUBLISHED_YEAR) / code).glob("*.html"))
             for code in ("zh-hant", "en")}
    page = "".join(pages.values())
    for example in of("section", "section file"):
        for shown in example.shows:
            assert _visible(shown) in page, f"{example}: the page does not show {shown!r}"
    for code, text in pages.items():
        for markup in ("{{", "]{.", "{#"):
            assert markup not in text, f"the {code} pages show {markup!r} as text"


# --- what the calls print ------------------------------------------------------------------------------

def _rows():
    for example in of("outputs"):
        for row in example.text.split("\n")[2:]:
            cells = [c.strip() for c in row.strip("|").split("|")]
            yield pytest.param(cells[0].strip("`"), cells[1], cells[2], id=cells[0].strip("`"))


@pytest.fixture(scope="module")
def published_report(tmp_path_factory):
    from esgreport.prepare.report import prepare

    project = published_content(tmp_path_factory.mktemp("guide"))
    return project, prepare(project.content, PUBLISHED_YEAR)


@pytest.mark.parametrize("written, zh, en", list(_rows()))
def test_each_call_prints_what_the_guide_says(published_report, written, zh, en):
    from esgreport.prepare.references import resolve
    from esgreport.render.edition import EditionRenderer

    project, report = published_report
    call = parse_call(written.strip("{} "), "inline")
    assert call.arguments is not None, call.problems
    for code, expected in (("zh-hant", zh), ("en", en)):
        refused = resolve(call.targets(), report, code)
        if expected == "—":
            assert refused, f"{written}: the {code} edition should refuse it"
            continue
        assert not refused, refused
        problems = Problems()
        shown = EditionRenderer(report, code, project.templates, project.locales, problems).inline(written)
        assert re.sub(r"<[^>]+>", "", str(shown)) == expected and not problems.items


def test_every_call_written_in_the_guides_is_a_valid_one():
    """The calls the prose mentions in passing (`{{ kpi("workforce.total", year=-1) }}`) as well."""
    for doc in DOCS:
        for m in re.finditer(r"`[^`\n]*?\{\{ (.*?) \}\}[^`\n]*?`", doc.read_text(encoding="utf-8")):
            text = m.group(1)
            name = text.split("(")[0].strip()
            directive = DIRECTIVES.get(name)
            if "…" in text or "..." in text or "arguments" in text or name in ("name", "_"):
                continue          # a pattern, not a call: kpi(...), name(arguments); a template's _("…")
            try:
                node = ast.parse(text.strip(), mode="eval").body
            except SyntaxError:
                node = None
            if isinstance(node, ast.Call) and any(isinstance(a, ast.Name) for a in node.args):
                continue          # a signature: kpi_table(table)
            call = parse_call(text, directive.placement if directive else "inline")
            if not call.problems or re.fullmatch(r"\w+\(\)", text.strip()):   # kpi(): the directive named
                continue
            raise AssertionError(f"{doc.name}: {{{{ {text} }}}}: {call.problems}")


# --- YAML, read by the models of the files -------------------------------------------------------------

def _yaml(example: Example):
    return yaml.safe_load(example.text)


@pytest.mark.parametrize("example", of("data", "manifest", "disclosures", "section entry", "part of a metric",
                                       "part of a framework", "inventory", "editorial"), ids=str)
def test_each_yaml_example_is_read_by_its_model(example):
    data = _yaml(example)
    if example.kind == "data":
        DataFile.model_validate(data)
    elif example.kind == "disclosures":
        ReportDisclosures.model_validate(data)
    elif example.kind == "section entry":
        for node in data:
            SectionNode.model_validate(node)
    elif example.kind == "manifest":
        for key, value in data.items():
            TypeAdapter(Manifest.model_fields[key].annotation).validate_python(value)
    elif example.kind == "editorial":
        for entry in data:
            Departure.model_validate(entry)
    elif example.kind == "inventory":
        Inventory.model_validate(data)
    elif example.kind == "part of a metric":
        for spec in data.values():
            MetricSpec.model_validate({"label": {"zh-hant": "標籤", "en": "label"}, "unit": "percent", **spec})
    else:
        for key, value in data.items():
            TypeAdapter(Framework.model_fields[key].annotation).validate_python(value)


# --- command lines and files -----------------------------------------------------------------------------

@pytest.mark.parametrize("example", of("commands"), ids=str)
def test_each_command_line_is_accepted(example):
    targets = set(re.findall(r"^([\w-]+):", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M))
    for line in example.text.split("\n"):
        words = shlex.split(line, comments=True)
        if not words:
            continue
        if words[0] == "make":
            assert words[1] in targets, f"{example}: the Makefile has no target {words[1]}"
            continue
        assert words[:2] == ["python", "build.py"], line
        try:
            CommandLine().parse(words[2:])
        except SystemExit as exc:       # --help answers and ends (0); a refusal is 2
            if exc.code != 0:
                raise AssertionError(f"{example}: `{line}` is refused") from exc


def _listed(text: str) -> list[str]:
    """The paths a listing names: a tree by indentation (`content/` … `  units.yaml`), or whole paths."""
    paths, parents = [], []
    for line in text.split("\n"):
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        name = line.split()[0].rstrip(",")
        parents = [(i, p) for i, p in parents if i < indent]
        path = (parents[-1][1].rstrip("/") + "/" if parents else "") + name
        parents.append((indent, path))
        if "…" not in name and "..." not in name:
            paths.append(re.sub(r"<[^>]+>", "*", path))
    return paths


@pytest.mark.parametrize("example", of("files"), ids=str)
def test_each_listing_names_files_that_are_there(example, published):
    for path in _listed(example.text):
        if path.startswith("output/"):
            base, path = published.project.output, path.removeprefix("output/")
        else:
            base = ROOT
        if path.endswith(".pdf"):      # the published fixture builds the pages and data; the PDF's name:
            year, code = path.split("/")[:2]
            assert path.endswith(f"esg-report-{year}-{code}.pdf"), path
            continue
        assert list(base.glob(path.rstrip("/"))), f"{example}: {path} is not there"


@pytest.mark.parametrize("example", of("output of a build"), ids=str)
def test_the_mistake_shown_gives_the_message_shown(example, tmp_path):
    import os
    import subprocess
    import sys

    right, wrong, file = re.search(r"with `([^`]+)` written `([^`]+)` in (\S+)", example.options).groups()
    project = published_content(tmp_path)
    edit(project.content / str(PUBLISHED_YEAR) / file, right, wrong)
    done = subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(project.root), "--format", "html"],
                          capture_output=True, text=True, env={**os.environ, "ESGREPORT_NO_VENV": "1"}, timeout=600)
    assert done.returncode == 1
    assert done.stderr.strip() == example.text.strip(), done.stderr


def test_the_examples_are_read_as_they_are_written():
    """The marks themselves: a mark names a kind the test knows, and its `shows` are strings."""
    for example in ALL:
        assert example.text.strip(), example
        if example.kind.startswith("section"):
            for shown in example.shows:
                assert ast.literal_eval(f'"{shown}"') == shown


@pytest.mark.parametrize("example", of("package"), ids=str)
def test_the_code_folders_the_guide_names_are_there(example):
    """Every module (`edition.py`) and folder (`render/`) the description of the code names exists in the
    folder it is listed under."""
    folder = None
    for line in example.text.split("\n"):
        head = re.match(r"^  (\w+)/\s", line)
        if head:
            folder = ROOT / "esgreport" / head.group(1)
            assert folder.is_dir(), f"{example}: esgreport/{head.group(1)}/ is not there"
        for name in re.findall(r"(?<![\w/.])(\w+)\.py\b", line):
            places = [ROOT / "esgreport", *([folder] if folder else []), *(ROOT / "esgreport").iterdir()]
            assert any((p / f"{name}.py").is_file() for p in places if p.is_dir()), \
                f"{example}: {name}.py is not in esgreport/"
