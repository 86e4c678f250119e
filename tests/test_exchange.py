"""The files translators' CAT tools exchange (fixture report): XLIFF 2.0 and 1.2 out and back in through a
CAT-tool-style edit, a TBX termbase and a TMX memory, each valid against the structure schemas of
tests/schemas/ and read back by translate-toolkit."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURE_YEAR, ROOT, edit
from lxml import etree

from esgreport.pipeline import check, load

SCHEMAS = Path(__file__).parent / "schemas"
X2 = "{urn:oasis:names:tc:xliff:document:2.0}"
X12 = "{urn:oasis:names:tc:xliff:document:1.2}"


def run(project_root: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "ESGREPORT_NO_VENV": "1"}
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(project_root), *args],
                          capture_output=True, text=True, env=env, timeout=600)


def valid(path: Path, schema: str) -> None:
    grammar = etree.RelaxNG(etree.parse(str(SCHEMAS / schema)))
    assert grammar.validate(etree.parse(str(path))), grammar.error_log


def english(project, name: str) -> Path:
    return project.content / str(FIXTURE_YEAR) / "en" / name


def export(project, tmp_path, *args: str) -> Path:
    target = tmp_path / "exchange.xlf"
    result = run(project.root, "export", "xliff", *args, "--to", str(target))
    assert result.returncode == 0, result.stderr
    return target


def cat_tool_edit(path: Path, ns: str, section: str, unit: str, old: str, new: str) -> None:
    """What a translator does in a CAT tool: the target's text changed, its codes left as they are."""
    tree = etree.parse(str(path))
    tag = "unit" if ns == X2 else "trans-unit"
    (file,) = [f for f in tree.iter(f"{ns}file") if f.get("original").endswith(f"/{section}.md")]
    (element,) = [u for u in file.iter(f"{ns}{tag}") if u.get("id") == unit]
    target = element.find(f".//{ns}target")
    for node in (target, *target):
        for attr in ("text", "tail"):
            value = getattr(node, attr)
            if value and old in value:
                setattr(node, attr, value.replace(old, new))
                tree.write(str(path), xml_declaration=True, encoding="UTF-8")
                return
    raise AssertionError(f"{old!r} not in the target of {unit}")


@pytest.mark.parametrize("version, ns, schema", [("2.0", X2, "xliff-2.0.rng"), ("1.2", X12, "xliff-1.2.rng")])
def test_an_xliff_round_trip_through_a_cat_tool_updates_the_english_and_marks_it(project, tmp_path, version, ns, schema):
    path = export(project, tmp_path, "workforce", "emissions", "--xliff-version", version)
    valid(path, schema)
    from translate.storage import xliff, xliff2
    store = (xliff2.Xliff2File if version == "2.0" else xliff.xlifffile).parsestring(path.read_bytes())
    assert len([u for u in store.units if not u.isheader()]) == 5        # a unit per paragraph with text
    unchanged = english(project, "emissions.md").read_bytes()

    cat_tool_edit(path, ns, "workforce", "p1", "At the end of the year the Company had", "At the year end, the Company had")
    result = run(project.root, "import-xliff", str(path))
    assert result.returncode == 0, result.stderr
    assert f"content/{FIXTURE_YEAR}/en/workforce.md: 1 paragraph brought in, marked as translated; " \
           "approved → translated" in result.stderr
    text = english(project, "workforce.md").read_text(encoding="utf-8")
    assert 'At the year end, the Company had {{ kpi("workforce.total") }} employees. It held ' \
           '{{ kpi("training.sessions") }} training sessions' in text
    assert "- compliance and anti-corruption;\n- data security." in text          # the list's codes kept
    assert english(project, "emissions.md").read_bytes() == unchanged
    report, warnings = check(project)
    assert warnings == []
    workforce = load(project).section("workforce").sources["en"]
    assert workforce.status == "translated" and workforce.meta.translated_from


def test_a_target_that_lost_a_figure_is_refused_and_nothing_is_written(project, tmp_path):
    path = export(project, tmp_path, "workforce")
    tree = etree.parse(str(path))
    (unit,) = [u for u in tree.iter(f"{X2}unit") if u.get("id") == "p1"]
    target = unit.find(f".//{X2}target")
    ph = target[1]
    ph.getparent().remove(ph)           # the reference to training.sessions, dropped
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")
    before = english(project, "workforce.md").read_bytes()
    result = run(project.root, "import-xliff", str(path))
    assert result.returncode == 1
    assert "unit `p1` (line 5 of the source): the translation lost the codes 2 " \
           '({{ kpi("training.sessions") }})' in result.stderr
    assert english(project, "workforce.md").read_bytes() == before


def test_a_source_changed_since_the_export_is_refused(project, tmp_path):
    path = export(project, tmp_path, "workforce")
    edit(project.content / str(FIXTURE_YEAR) / "zh-hant" / "workforce.md", "截至年末", "截至本年末")
    result = run(project.root, "import-xliff", str(path))
    assert result.returncode == 1
    assert "the zh-hant paragraph of unit `p1` (workforce, line 5) changed since the file was exported" in result.stderr


def test_the_termbase_holds_the_glossary_and_validates(project, tmp_path):
    glossary = project.content / "glossary.yaml"
    glossary.write_text(glossary.read_text(encoding="utf-8").replace(
        "{zh-hant: 董事會, en: Board}", "{zh-hant: 董事會, en: Board, banned: [board of directors]}"), encoding="utf-8")
    target = tmp_path / "glossary.tbx"
    result = run(project.root, "export", "tbx", "--to", str(target))
    assert result.returncode == 0, result.stderr
    valid(target, "tbx-basic.rng")
    from translate.storage import tbx
    store = tbx.tbxfile.parsestring(target.read_bytes())
    assert [(u.source, u.target) for u in store.units][:2] == [("持份者", "stakeholders"), ("董事會", "Board")]
    tree = etree.parse(str(target))
    deprecated = tree.xpath("//tig[termNote='deprecatedTerm-admn-sts']/term/text()")
    assert deprecated == ["board of directors"]


def test_the_memory_holds_the_approved_paragraphs_and_validates(project, tmp_path):
    target = tmp_path / "memory.tmx"
    result = run(project.root, "export", "tmx", "--to", str(target))
    assert result.returncode == 0, result.stderr
    valid(target, "tmx-1.4.rng")
    from translate.storage import tmx
    store = tmx.tmxfile.parsestring(target.read_bytes())
    pairs = {u.source: u.target for u in store.units}
    assert pairs['截至年末，公司共有員工{{ kpi("workforce.total") }}人。公司全年開展培訓{{ kpi("training.sessions") }}場，內容包括：'] \
        .startswith('At the end of the year the Company had {{ kpi("workforce.total") }} employees.')


def test_the_2023_report_goes_out_and_back_unchanged(published_copy, tmp_path):
    for version, schema in (("2.0", "xliff-2.0.rng"), ("1.2", "xliff-1.2.rng")):
        target = tmp_path / f"report-{version}.xlf"
        assert run(published_copy.root, "export", "xliff", "--year", "2023", "--xliff-version", version,
                   "--to", str(target)).returncode == 0
        valid(target, schema)
        before = {p: p.read_bytes() for p in (published_copy.content / "2023").rglob("*.md")}
        result = run(published_copy.root, "import-xliff", str(target), "--year", "2023")
        assert result.returncode == 0, result.stderr
        assert "brought in" not in result.stderr
        assert {p: p.read_bytes() for p in before} == before


def test_a_containers_arguments_are_codes_and_its_title_is_text():
    from esgreport.writers.exchange import Code, pieces
    text = [p for p in pieces('::: timeline title="金融科技行業標準化建設"\n- **2023年3月**：手冊') if isinstance(p, str)]
    assert text == ["金融科技行業標準化建設", "2023年3月", "：手冊"]
    assert pieces('::: values icons=("globe", "people")') == [Code("1", '::: values icons=("globe", "people")', "markup")]
    assert [p for p in pieces("::: case 標題") if isinstance(p, str)] == ["標題"]


def test_a_timeline_title_translated_with_quotation_marks_comes_back_as_its_title(project, tmp_path):
    from conftest import append

    from esgreport.writers.exchange import pieces
    for code in ("zh-hant", "en"):
        append(project.content / str(FIXTURE_YEAR) / code / "workforce.md",
               '\n::: timeline title="標準化建設"\n- **2023年3月**：《手冊》重要貢獻者\n:::\n')
    path = export(project, tmp_path, "workforce")
    cat_tool_edit(path, X2, "workforce", "p5", "標準化建設", 'The "Standards" \\ <Building>')
    result = run(project.root, "import-xliff", str(path))
    assert result.returncode == 0, result.stderr
    text = english(project, "workforce.md").read_text(encoding="utf-8")
    assert r'::: timeline title="The \"Standards\" \\ <Building>"' in text
    assert "The \"Standards\" \\ <Building>" in [p for p in pieces(text.split("\n\n")[-1]) if isinstance(p, str)]
    report, warnings = check(project)
    assert not [w for w in warnings if "timeline" in w.message]
