"""The translator's workbench: what changed in the source, reference parity, `translated`, the editorial
record (fixture report; the last tests read the published 2023 report and its record)."""

from __future__ import annotations

import codecs
import os
import re
import subprocess
import sys
from pathlib import Path

import yaml
from conftest import FIXTURE_YEAR, ROOT, SEED, edit, problems_of

from esgreport.pipeline import check, load


def run(project_root: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "ESGREPORT_NO_VENV": "1"}
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(project_root), *args],
                          capture_output=True, text=True, env=env, timeout=600, input=stdin)


def section(project, code: str, name: str) -> Path:
    return project.content / str(FIXTURE_YEAR) / code / name


def commit_all(root: Path) -> None:
    git = ["git", "-C", str(root), "-c", "user.email=editor@example.com", "-c", "user.name=Editor"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "the report as translated"], check=True)


# --- what changed ---------------------------------------------------------------------------------------

def test_an_edited_chinese_paragraph_shows_its_old_and_new_text(project):
    commit_all(project.root)
    edit(section(project, "zh-hant", "workforce.md"), "截至年末，公司共有員工", "截至2025年末，本公司共有員工")
    result = run(project.root, "status", "workforce")
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("2.1 workforce: the en translation is out of date with zh-hant (1 paragraph; "
                               "as translated: commit ")
    assert lines[1] == f"  content/{FIXTURE_YEAR}/zh-hant/workforce.md:5"
    assert lines[2].startswith("    was: 截至年末，公司共有員工{{ kpi(\"workforce.total\") }}人。")
    assert lines[3].startswith("    now: 截至{+2025+}年末，{+本+}公司共有員工{{ kpi(\"workforce.total\") }}人。")


def test_without_git_the_new_paragraph_is_still_shown(project):
    edit(section(project, "zh-hant", "workforce.md"), "公司共有員工", "本公司共有員工")
    result = run(project.root, "status", "workforce")
    assert result.returncode == 1
    assert "the text as translated is not in git: only the new text is shown" in result.stdout
    assert "    new: 截至年末，本公司共有員工" in result.stdout


# --- reference parity ------------------------------------------------------------------------------------

def test_a_swapped_reference_is_caught_at_its_line(project):
    path = section(project, "en", "emissions.md")
    edit(path, 'or {{ kpi("ghg.scope2_intensity") }} tCO₂e', 'or {{ kpi("ghg.scope2") }} tCO₂e')
    (p,) = problems_of(lambda: check(project))
    assert (p.source, p.line) == (path, 6)
    assert p.message == ('the en paragraph refers to kpi("ghg.scope2") of 2025 where zh-hant/emissions.md:5 '
                         'refers to kpi("ghg.scope2_intensity") of 2025')


def test_a_dropped_reference_is_caught_at_its_paragraph(project):
    path = section(project, "en", "workforce.md")
    edit(path, 'It held {{ kpi("training.sessions") }} training sessions', "It held training sessions")
    (p,) = problems_of(lambda: check(project))
    assert (p.source, p.line) == (path, 6)
    assert p.message == 'the en paragraph leaves out kpi("training.sessions") of 2025, which ' \
                        'zh-hant/workforce.md:5 refers to'


def test_a_reference_of_another_year_is_another_reference(project):
    path = section(project, "en", "workforce.md")
    edit(path, '{{ kpi("workforce.total") }} employees', '{{ kpi("workforce.total", year=-1) }} employees')
    (p,) = problems_of(lambda: check(project))
    assert "refers to kpi(\"workforce.total\") of 2024 where" in p.message


# --- translated --------------------------------------------------------------------------------------------

def test_translated_moves_a_draft_and_keeps_the_byte_order_mark_and_line_endings(project):
    path = section(project, "en", "workforce.md")
    text = path.read_text(encoding="utf-8").replace("status: approved", "status: draft")
    text = re.sub(r"translated_from: .*\n", "", text)
    path.write_bytes(codecs.BOM_UTF8 + text.replace("\n", "\r\n").encode("utf-8"))
    result = run(project.root, "translated", "workforce", "--lang", "en")
    assert result.returncode == 0, result.stderr
    assert "marked 1 translation as up to date with zh-hant; 1 moved from draft to translated" in result.stderr
    raw = path.read_bytes()
    assert raw.startswith(codecs.BOM_UTF8) and raw.count(b"---") == 2
    assert raw.count(b"\r\n") == text.count("\n") + 1            # one line more: translated_from
    report = load(project)
    english = report.section("workforce").sources["en"]
    assert english.status == "translated" and english.meta.translated_from


def test_translated_all_asks_first_and_refuses_without_a_terminal(project):
    before = section(project, "en", "workforce.md").read_bytes()
    result = run(project.root, "translated", "--all")
    assert result.returncode == 2
    assert "there is no terminal to ask on: add --yes to mark them all" in result.stderr
    assert section(project, "en", "workforce.md").read_bytes() == before
    assert run(project.root, "translated", "--all", "--yes").returncode == 0


# --- the editorial record ---------------------------------------------------------------------------------

RECORD = """\
- id: scope-1
  kind: correction
  section: emissions
  published: 公司披露範圍一及範圍二排放。
  ours: {zh-hant: 公司的溫室氣體排放全部來自外購電力, en: All of the Company's greenhouse gas emissions}
  reason: The Company has no Scope 1 emissions.
  decided_by: ESG team
"""


def test_editorial_lists_every_departure(project):
    (project.content / str(FIXTURE_YEAR) / "editorial.yaml").write_text(RECORD, encoding="utf-8")
    result = run(project.root, "editorial")
    assert result.returncode == 0, result.stderr
    assert "scope-1 — correction, 1.1" in result.stdout
    assert "  published:      公司披露範圍一及範圍二排放。" in result.stdout
    assert "  decided by:     ESG team" in result.stdout
    assert result.stdout.rstrip().endswith("1 departure from the published text: correction 1")
    assert "departures from the published text: 1" in run(project.root, "status").stdout


def test_a_departure_whose_text_is_gone_is_a_problem_at_its_line(project):
    path = project.content / str(FIXTURE_YEAR) / "editorial.yaml"
    path.write_text(RECORD.replace("All of the Company's", "Every one of the Company's"), encoding="utf-8")
    (p,) = problems_of(lambda: check(project))
    assert (p.source, p.line) == (path, 5)
    assert p.message == ("the departure `scope-1` says the en text reads “Every one of the Company's greenhouse ga…”, "
                         "which emissions.md no longer has")


def test_a_departure_without_reason_or_place_is_refused(project):
    path = project.content / str(FIXTURE_YEAR) / "editorial.yaml"
    path.write_text(RECORD.replace("  section: emissions\n", "").replace("  reason: The Company has no Scope 1 "
                                                                         "emissions.\n", ""), encoding="utf-8")
    messages = sorted(p.message for p in problems_of(lambda: check(project)))
    assert messages == ["`reason` is missing"]


# --- the published 2023 report ---------------------------------------------------------------------------

def _squeezed(text: str) -> str:
    return re.sub(r"[\s,，、。:：()（）]", "", text)


def test_the_2023_record_quotes_the_published_text_and_lists_every_departure():
    record = yaml.safe_load((ROOT / "content" / "2023" / "editorial.yaml").read_text(encoding="utf-8"))
    seed = _squeezed(SEED.read_text(encoding="utf-8"))
    for entry in record:
        for piece in re.split(r"\[[^]]*\]|…|/", entry["published"]):
            assert _squeezed(piece) in seed, (entry["id"], piece)
    result = run(ROOT, "editorial", "--year", "2023")
    assert result.returncode == 0, result.stderr
    assert [line.split(" — ")[0] for line in result.stdout.splitlines() if " — " in line] == [e["id"] for e in record]


def test_the_corrections_are_in_both_editions_where_they_apply():
    folder = ROOT / "content" / "2023"

    def text(code: str, name: str) -> str:
        return (folder / code / f"{name}.md").read_text(encoding="utf-8")

    assert "不涉及範圍一溫室氣體排放" in text("zh-hant", "climate-change")
    assert "involve no Scope 1 GHG emissions" in text("en", "climate-change")
    assert "including Scope 1 and Scope 2" not in text("en", "climate-change")
    assert "其中包括來自阿布扎比以及" in text("zh-hant", "belt-and-road") and "全球其他地區" in text("zh-hant", "belt-and-road")
    assert "institutions from Abu Dhabi and financial institutions from other parts of the world" in \
        text("en", "belt-and-road")
    for label in ("SDG 9 產業、創新與基礎設施", "SDG 10 減少國內及國家間不平等", "SDG 17 促進目標實現的全球夥伴關係"):
        assert label in text("zh-hant", "sdgs")
    assert "to identify who wrote them" in text("en", "whistleblowing")
    assert "on the preparation of the annual ESG report" in text("en", "esg-governance")


# --- zh-hans vocabulary ------------------------------------------------------------------------------------

# Where 著 stays 著 in Simplified Chinese (著名, 著作, 显著 …); anywhere else it is the Hong Kong form of 着.
_ZHU_KEPT = re.compile(r"著(?:名|作|称|述)|(?:显|卓|土|巨|名|编|原|专|论)著")
_HONG_KONG = re.compile(r"搜寻|搜尋|程式")


def test_the_simplified_edition_has_no_hong_kong_forms():
    from babel.messages.pofile import read_po

    from esgreport.editions import EDITIONS
    from esgreport.prepare.generate import converter

    # The conversion the zh-hans edition is made with (the 2023 manifest does not list the edition).
    terms = yaml.safe_load((ROOT / "content" / "terminology.yaml").read_text(encoding="utf-8"))["zh-hans"]
    convert = converter((EDITIONS["zh-hans"].opencc, tuple(terms.items())))
    texts = [(p.name, convert(p.read_text(encoding="utf-8"))) for p in sorted((ROOT / "content" / "2023" / "zh-hant").glob("*.md"))]
    texts += [(p.name, convert(p.read_text(encoding="utf-8"))) for p in sorted((ROOT / "content" / "2023").rglob("*.yaml"))]
    with (ROOT / "locales" / "zh_Hant_HK" / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        texts += [(f"messages.po: {m.id}", convert(m.string)) for m in read_po(fh) if m.id and isinstance(m.string, str)]
    found = []
    for name, text in texts:
        for line in text.split("\n"):
            rest = _ZHU_KEPT.sub("", line)
            for m in (*re.finditer(r".?著.?", rest), *_HONG_KONG.finditer(rest)):
                found.append(f"{name}: {m.group()}")
    assert found == [], "Hong Kong forms in zh-hans (add them to content/terminology.yaml): " + ", ".join(found)


# --- the bilingual review copy -------------------------------------------------------------------------

def test_the_review_copy_sets_the_paragraphs_side_by_side_with_their_figures(project):
    report = load(project)
    total = f'{report.metrics["workforce.total"].values[FIXTURE_YEAR]:,.0f}'
    edit(section(project, "zh-hant", "workforce.md"), "公司全年開展培訓", "本公司全年開展培訓")
    result = run(project.root, "bilingual", "workforce", "--to", str(project.root / "review"))
    assert result.returncode == 0, result.stderr
    page = (project.root / "review" / "bilingual-2025-workforce.html").read_text(encoding="utf-8")
    (row,) = [r for r in page.split("<tr") if "zh-hant 5" in r]
    zh, en = row.split('<td lang="zh-Hant-HK" class="stale">')[1], row.split('<td lang="en">')[1]
    assert f"截至年末，公司共有員工{total}人" in zh and f"the Company had {total} employees" in en
    assert "source changed since translated" in row
    assert (project.root / "review" / "bilingual-2025-workforce.pdf").read_bytes().startswith(b"%PDF")


# --- Chinese style and banned renderings -------------------------------------------------------------

def test_the_chinese_style_list_is_applied_as_the_english_one(project):
    (project.content / "style.yaml").write_text(
        "zh-hant:\n  - {phrase: 發布, prefer: 發佈, max: 0}\n", encoding="utf-8")
    path = section(project, "zh-hant", "workforce.md")
    edit(path, "公司全年開展培訓", "公司全年發布並開展培訓")
    report, warnings = check(project)
    (w,) = [w for w in warnings if w.kind == "style"]
    assert (w.source, w.line) == (path, 5)
    assert w.message == "“發布” occurs 1 times in the zh-hant edition (at most 0): workforce.md:5"
    assert w.hint == "prefer 發佈"


def test_a_banned_rendering_is_a_problem_in_the_paragraph_that_uses_the_term(project):
    glossary = project.content / "glossary.yaml"
    glossary.write_text(glossary.read_text(encoding="utf-8").replace(
        "{zh-hant: 持份者, en: stakeholders}", "{zh-hant: 持份者, en: stakeholders, banned: [interested parties]}"),
        encoding="utf-8")
    path = section(project, "en", "about-this-report.md")
    edit(path, "for stakeholders", "for stakeholders and interested parties")
    (p,) = problems_of(lambda: check(project))
    assert p.source == path and p.line is not None
    assert p.message == "“interested parties” renders 持份者, which the glossary renders “stakeholders”"


# --- numbers on cards in each edition's own form ---------------------------------------------------------

def test_a_card_writes_its_figure_as_the_prose_beside_it_does(project):
    path = section(project, "zh-hant", "workforce.md")
    edit(path, '共有員工{{ kpi("workforce.total") }}人', '共有員工{{ kpi("workforce.total", scale="wan") }}萬人')
    report, warnings = check(project)
    (w,) = [w for w in warnings if "card" in w.message]
    assert (w.source, w.line) == (path, 11)
    assert w.message == "the card of `workforce.total` shows the whole figure, where the text of the section writes it in `wan`"
    assert w.hint == 'write {{ card("workforce.total", scale="wan", …) }} as the text does'


def test_english_qualifiers_of_2023_are_words():
    for path in sorted((ROOT / "content" / "2023" / "data").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for mid, metric in (data.get("metrics") or {}).items():
            for year, qualifier in (metric.get("qualifiers") or {}).items():
                english = qualifier.get("en", "")
                assert re.search(r"[A-Za-z(]", english), f"{path.name}: {mid} {year}: “{english}” — write it in words"


def test_diff_counts_the_departures_a_change_records(project):
    commit_all(project.root)
    (project.content / str(FIXTURE_YEAR) / "editorial.yaml").write_text(RECORD, encoding="utf-8")
    result = run(project.root, "diff", "HEAD")
    assert result.returncode == 0, result.stderr
    assert "departures from the published text: 1 (was 0: +scope-1)" in result.stdout
    markdown = run(project.root, "diff", "HEAD", "--markdown").stdout
    assert "**Departures from the published text** (editorial.yaml): 0 → 1" in markdown
