"""Years side by side, and the yearly roll-forward: new-year, empty values, drafts, restatements.

The engine's rules run on the fixture report (2025); the roll-forward of what the company published
runs on the 2023 report, whose own output must not change by a byte.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import yaml
from conftest import (
    FIXTURE_YEAR,
    ROOT,
    edit,
    edition_folder,
    html_text,
    line_of,
    pdf_path,
    pdf_text,
    problems_of,
    unspaced,
)

from esgreport.commands.new_year import new_year
from esgreport.errors import Problems
from esgreport.pipeline import build, check, load
from esgreport.prepare.report import prepare


def run(project_root: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "ESGREPORT_NO_VENV": "1"}
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(project_root), *args],
                          capture_output=True, text=True, env=env, timeout=600)


def fill(project, year: int, values, restate: dict | None = None) -> None:
    """Fill every empty value of `year` with values(metric id, previous year's value); add restatements
    as {metric: (year, value, zh reason, en reason)}."""
    report = prepare(project.content, year, Problems())
    for path in sorted((project.content / str(year) / "data").glob("*.yaml")):
        lines = path.read_text(encoding="utf-8").split("\n")
        metric = None
        for i, line in enumerate(lines):
            if (m := re.match(r"^  ([a-z0-9_.]+):\s*(#.*)?$", line)):   # a comment may follow the id
                metric = m.group(1)
            if f"{{{year}: null}}" in line:
                before = report.metrics[metric].values.get(year - 1)
                lines[i] = line.replace(f"{{{year}: null}}", f"{{{year}: {values(metric, before)}}}")
            if restate and metric in restate and re.match(r"^    label:", line):
                y, v, zh, en = restate.pop(metric)
                lines[i] = line + f"\n    restated:\n      {y}: {{value: {v}, reason: {{zh-hant: {zh}, en: {en}}}}}"
        path.write_text("\n".join(lines), encoding="utf-8")


# --- years side by side (fixture) ---------------------------------------------------------------------

def test_each_year_builds_into_a_place_of_its_own(project):
    build(project, formats=["html"])
    new_year(project, FIXTURE_YEAR + 1)
    result = build(project, year=FIXTURE_YEAR + 1, formats=["html"], draft=True)
    assert result.year == FIXTURE_YEAR + 1
    for year in (FIXTURE_YEAR, FIXTURE_YEAR + 1):
        page = (edition_folder(project, "en", year) / "index.html").read_text(encoding="utf-8")
        assert f"{year} Environmental, Social and Governance Report" in page
    assert load(project).year == FIXTURE_YEAR + 1                  # the latest is the default


def test_a_figure_of_an_earlier_year_lives_where_it_was_published(project):
    new_year(project, FIXTURE_YEAR + 1)
    path = project.content / str(FIXTURE_YEAR + 1) / "data" / "people.yaml"
    edit(path, "values: {2026: null}", "values: {2025: 501, 2026: null}")
    found = problems_of(lambda: check(project, year=FIXTURE_YEAR + 1, draft=True))
    (p,) = [p for p in found if "published by" in p.message]
    assert (p.source, p.line) == (path, line_of(path, "2025: 501"))
    assert p.message == ("the 2025 figure of `workforce.total` was published by the 2025 report "
                         "(content/2025/data); this report reads it from there")
    assert "restated:" in p.hint


# --- the roll-forward of the fixture report, with PDFs ---------------------------------------------------

def test_new_year_check_lists_the_empty_values_and_nothing_else(project):
    new_year(project, 2026)
    found = problems_of(lambda: check(project, year=2026))
    assert {p.kind for p in found} == {"empty-value"}
    assert sorted(p.message for p in found) == sorted(
        f"`{m}` has no value for 2026 yet" for m in
        ("energy.electricity", "ghg.grid_factor", "workforce.total", "workforce.male", "workforce.female",
         "training.sessions"))
    people = project.content / "2026" / "data" / "people.yaml"
    assert any(p.source == people and p.line == line_of(people, "workforce.total:") for p in found)


def test_a_draft_shows_placeholders_and_is_marked_as_a_draft(project):
    new_year(project, 2026)
    problems_of(lambda: build(project, year=2026, formats=["html"]))        # refused without --draft
    build(project, year=2026, draft=True, formats=["html"])
    build(project, year=2026, draft=True, editions=["zh-hant"], formats=["pdf"])
    for code, mark in (("zh-hant", "草稿：不作發佈用途"), ("en", "Draft: not for publication")):
        folder = edition_folder(project, code, 2026)
        for page in folder.glob("*.html"):
            assert 'class="draft-mark"' in page.read_text(encoding="utf-8"), page.name
        people = (folder / "people.html").read_text(encoding="utf-8")
        assert '<span class="placeholder"' in people and "[workforce.total]" in people
        if code != "zh-hant":
            continue
        pages = pdf_text(pdf_path(folder), raw=True).split("\f")[:-1]
        assert "[workforce.total]" in "".join(pages)
        squashed = [re.sub(r"\s+", "", page) for page in pages]
        assert all(re.sub(r"\s+", "", mark) in page for page in squashed)   # the watermark, page by page
    assert "2,026" not in (edition_folder(project, "en", 2026) / "people.html").read_text(encoding="utf-8")


def test_after_the_values_are_filled_the_new_year_builds_with_its_comparatives(project):
    new_year(project, 2026)
    fill(project, 2026, lambda metric, before: before + 10 if metric == "workforce.male" else
         (before + 10 if metric == "workforce.total" else before),
         restate={"energy.electricity": (2025, "1010.00", "補錄十二月用電量。", "December consumption was added.")})
    result = build(project, year=2026, formats=["html", "data"])
    assert result.warnings == []
    build(project, year=2026, editions=["en"], formats=["pdf"])
    report = load(project)
    assert report.metrics["energy.electricity"].values[2025] == Decimal("1010.00")
    en = edition_folder(project, "en", 2026)
    appendix = (en / "appendix.html").read_text(encoding="utf-8")
    cell = re.search(r"Total electricity consumption</th>.*?</tr>", appendix, re.S).group(0)
    assert '<span class="int">1,010</span><span class="frac">.00</span><sup class="note-ref">(2)</sup>' in cell
    assert "Restated: the 2025 report published 1,000.00 MWh for 2025. December consumption was added." in appendix
    gri = re.search(r"2-4</span> Restatements of information</td>\s*<td>(.*?)</td>", appendix, re.S).group(1)
    assert "about-this-report.html#about-this-report" in gri and "appendix.html#kpi-tables" in gri
    about = unspaced((edition_folder(project, "zh-hant", 2026) / "about-this-report.html").read_text(encoding="utf-8"))
    assert "經重述：2025年報告披露的2025年數據為1,000.00兆瓦時。補錄十二月用電量。" in about
    assert "Restated" in pdf_text(pdf_path(en))


# --- the roll-forward of the published 2023 report --------------------------------------------------------

def test_the_2023_report_rolls_forward_and_2023_does_not_change(published, published_copy):
    project = published_copy
    started = run(project.root, "new-year", "2024")
    assert started.returncode == 0, started.stderr
    assert "started the 2024 report in content/2024/ from the 2023 report" in started.stderr
    manifest = yaml.safe_load((project.content / "2024" / "report.yaml").read_text(encoding="utf-8"))
    assert manifest["year"] == 2024 and manifest["title"]["en"] == "{{ year }} Environmental, Social and Governance Report"
    assert str(manifest["period"]["end"]) == "2024-12-31" and str(manifest["published"]) == "2025-04-23"
    assert manifest["ordinal"] == 3 and "report.yaml: ordinal: 2 → 3" in started.stderr
    assert (project.content / "2024" / "zh-hant" / "key-performance-2024.md").is_file()
    statuses = {re.search(r"^status: (\w+)", p.read_text(encoding="utf-8"), re.M).group(1)
                for p in (project.content / "2024").glob("*/*.md")}
    assert statuses == {"draft"}

    # check lists every empty value, grouped by data file, as problems; and, as warnings, every line that
    # still writes out a year before 2024, and no other
    checked = run(project.root, "--year", "2024", "check")
    assert checked.returncode == 1
    listed = [line for line in checked.stderr.splitlines() if re.match(r"content/2024/data/\w+\.yaml:\d+: (?!warning)", line)]
    assert listed and all(line.endswith("has no value for 2024 yet") for line in listed), checked.stderr
    assert f"check found {len(listed)} problems." in checked.stderr
    files = [line.split(":")[0] for line in listed]
    assert files == sorted(files)                                          # grouped by data file
    assert re.search(r"^\d+ empty values: business_ethics\.yaml \d+, ", checked.stderr, re.M)
    earlier = {tuple(m.groups()) for m in re.finditer(r"^(content/2024/\S+?):(\d+): warning: the text still says "
                                                       r"[\d and]+, before this report's year \(2024\)$", checked.stderr, re.M)}
    assert earlier == written_out_earlier_years(project.root, started.stderr)

    # a draft of both editions, HTML and PDF: the 2024 period, ordinal and year-end dates where 2023 had its own
    build(project, year=2024, formats=["html", "pdf"], draft=True)
    assert "[workforce.total]" in (edition_folder(project, "en", 2024) / "social.html").read_text(encoding="utf-8")
    for code, shown in (("zh-hant", ["本報告是", "第三份環境", "2024年1月1日至2024年12月31日", "截至2024年12月31日，公司董事會由",
                                     "截至2024年底，公司員工總數", "2024年關鍵績效", "較2023年降低"]),
                        ("en", ["This is the third Environmental", "1 January 2024 to 31 December 2024",
                                "As at 31 December 2024, the Board had", "As at the end of 2024, the Company had",
                                "2024 Key Performance", "compared with 2023"])):
        pages = html_text(edition_folder(project, code, 2024))
        pdf = re.sub(r"\s+", "", pdf_text(pdf_path(edition_folder(project, code, 2024))))
        for text in shown:
            assert text in pages, (code, text)
            assert re.sub(r"\s+", "", text) in pdf, (code, text)
    fill(project, 2024, lambda metric, before: "n/a" if before is None else
         (before - 10 if metric == "training.trained.male" else before),
         restate={"paper.consumption": (2023, "4.62", "補錄深圳職場十二月用紙量。",
                                        "December paper use at the Shenzhen workplace was added.")})
    build(project, year=2024, formats=["html"])
    for code, restated in (("zh-hant", "經重述：2023年報告披露的2023年數據為4.58噸。"),
                           ("en", "Restated: the 2023 report published 4.58 tonnes for 2023.")):
        appendix = unspaced((edition_folder(project, code, 2024) / "appendix.html").read_text(encoding="utf-8"))
        shown = re.sub(r"<[^>]+>", "", appendix)                            # the figures as printed
        assert "1,097.47" in shown and "2,440" in shown                      # 2023 comparatives
        assert restated in appendix and '<span class="frac">.62</span><sup class="note-ref">' in appendix
        assert re.search(r'2-4</span>[^<]*</td>\s*<td><ul class="index-locations">', appendix)

    # the published 2023 report builds as before, byte for byte
    build(project, year=2023, formats=["html"])
    for code in ("zh-hant", "en"):
        before = published.folder(code)
        for page in sorted(before.glob("*.html")):
            assert (edition_folder(project, code, 2023) / page.name).read_bytes() == page.read_bytes(), page.name


_YEAR = re.compile(r"(?<![\d.,])(?:19|20)\d\d(?!\d)")


def written_out_earlier_years(root: Path, started: str) -> set[tuple[str, str]]:
    """Every line of the 2024 content (section bodies, and the texts of its YAML files that new-year listed)
    holding a year before 2024 outside `{{ … }}`, a mark and a link: found here with a plain expression,
    not with the code under test."""
    found = set()
    for path in sorted((root / "content" / "2024").glob("*/*.md")):
        lines = path.read_text(encoding="utf-8").split("\n")
        body = lines.index("---", 1) + 1
        for number, line in enumerate(lines[body:], body + 1):
            line = re.sub(r"\{\{ (?:year|period\w*|ordinal)[^}]*\}\}", "", line)            # words
            line = re.sub(r"\{\{ (?:kpi|change|card|chart|kpi_table)\(\"[^\"]*\"[^}]*\}\}", "", line)   # figures
            line = re.sub(r"\[[^\]]*\]\{\.(?:history|not-figure)\}|\]\([^)]*\)", "", line)
            if any(int(y) < 2024 for y in _YEAR.findall(line)):
                found.add((str(path.relative_to(root)), str(number)))
    # The YAML texts: what new-year listed of them, which must be exactly its lines that hold such a year.
    for m in re.finditer(r"^  (content/2024/(?:data/\S+|report|disclosures)\.yaml):(\d+): ", started, re.M):
        found.add(m.groups())
        line = (root / m.group(1)).read_text(encoding="utf-8").split("\n")[int(m.group(2)) - 1]
        assert any(int(y) < 2024 for y in _YEAR.findall(re.sub(r"\[[^\]]*\]\{\.\w+(?:-\w+)?\}", "", line))), line
    assert ("content/2024/data/environment.yaml", "22") in found          # "2022年度全國電網平均排放因子"
    assert ("content/2024/data/feature.yaml", "12") in found              # "截至2023年6月28日"
    return found
