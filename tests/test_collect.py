"""Data from the business: request workbooks, the strict import, approvals bound to content, the
assurance provider's pack (esgreport/collect/). On the fixture report, and on a 2024 report rolled
forward from a copy of the published 2023 one. Workbooks are filled in with openpyxl, as an owner would
in a spreadsheet."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
from pathlib import Path

import pytest
from conftest import FIXTURE_YEAR, append, edit, edition_folder, pdf_path

from esgreport.cli import main
from esgreport.collect.layout import FIRST_ROW, INSTRUCTIONS_SHEET, column_letter, columns

Y = FIXTURE_YEAR
TODAY = "2026-02-01"


def cli(project, capsys, *args: str) -> tuple[int, str]:
    try:
        code = main(["--root", str(project.root), *args])
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    out = capsys.readouterr()
    return code, out.out + out.err


def requests_folder(project, year: int = Y) -> Path:
    return project.output / str(year) / "requests"


def cell(book: Path, metric: str, key: str, year: int = Y) -> str:
    """The cell (Sheet!H5) of `key` (value, source, evidence, explanation, not_reported) on `metric`'s row."""
    from openpyxl import load_workbook

    at = {c.key: i for i, c in enumerate(columns(year))}
    wb = load_workbook(book)
    for sheet in wb.worksheets:
        for row in range(FIRST_ROW, sheet.max_row + 1):
            if sheet.cell(row, 1).value == metric:
                return f"{sheet.title}!{column_letter(at[key])}{row}"
    raise AssertionError(f"{metric} is not in {book.name}")


def fill(book: Path, entries: dict[str, object]) -> None:
    """Type into the workbook: {"People!I2": 2460, …}, as an owner does."""
    from openpyxl import load_workbook

    wb = load_workbook(book)
    for ref, value in entries.items():
        sheet, at = ref.split("!")
        wb[sheet][at] = value
    wb.save(book)


def fill_metric(book: Path, metric: str, value, source: str = "HR system, as at 31 December", year: int = Y,
                **others) -> dict[str, object]:
    entries = {cell(book, metric, "value", year): value, cell(book, metric, "source", year): source}
    entries.update({cell(book, metric, key, year): text for key, text in others.items()})
    fill(book, entries)
    return entries


# --- requests -----------------------------------------------------------------------------------------

def test_requests_writes_a_workbook_per_owner_with_only_its_input_cells_editable(project, capsys):
    from openpyxl import load_workbook

    code, out = cli(project, capsys, "requests", "--date", TODAY)
    assert code == 0, out
    folder = requests_folder(project)
    assert sorted(p.name for p in folder.iterdir()) == ["Administration.xlsx", "HR.xlsx"]
    assert f"output/{Y}/requests/HR.xlsx: 4 figures (People)" in out

    wb = load_workbook(folder / "HR.xlsx")
    assert wb.sheetnames == [INSTRUCTIONS_SHEET, "People"]
    instructions = "\n".join(str(c.value) for row in wb[INSTRUCTIONS_SHEET].iter_rows() for c in row if c.value)
    assert "如何填寫" in instructions and "How to fill in this workbook" in instructions
    assert "Owner: HR" in instructions and "負責單位：HR" in instructions
    sheet = wb["People"]
    assert sheet.protection.sheet                                   # protected: only input cells editable
    rows = {sheet.cell(r, 1).value: r for r in range(FIRST_ROW, sheet.max_row + 1)}
    assert list(rows) == ["workforce.total", "workforce.male", "workforce.female", "training.sessions"]
    cols = {c.key: i + 1 for i, c in enumerate(columns(Y))}
    r = rows["workforce.total"]
    assert sheet.cell(r, cols["label_zh"]).value == "員工總人數"
    assert sheet.cell(r, cols["label_en"]).value == "Total number of employees"
    assert sheet.cell(r, cols["unit"]).value == "人\npersons"
    assert sheet.cell(r, cols[f"year:{Y - 1}"]).value == 2380              # the earlier year
    assert "a change beyond ±50 % from last year needs an explanation" in sheet.cell(r, cols["rules"]).value
    for key, column in cols.items():
        locked = sheet.cell(r, column).protection.locked
        assert locked is (key not in ("value", "not_reported", "source", "evidence", "explanation")), key
    checks = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    value_cell = f"{column_letter(cols['value'] - 1)}{r}"
    assert checks[value_cell].type == "whole" and checks[value_cell].operator == "greaterThanOrEqual"
    choice = checks[f"{column_letter(cols['not_reported'] - 1)}{r}"]
    assert choice.type == "list" and "Not applicable" in choice.formula1 and "Not available" in choice.formula1

    # the same request written twice is the same file
    first = (folder / "HR.xlsx").read_bytes()
    cli(project, capsys, "requests", "--date", TODAY)
    assert (folder / "HR.xlsx").read_bytes() == first


def test_a_figure_without_an_owner_is_in_no_request_and_check_says_so(project, capsys):
    from esgreport.pipeline import check

    path = project.content / str(Y) / "data" / "environment.yaml"
    edit(path, "owner: Administration", "")
    edit(path, "values: {2024: 1200.00, 2025: 1000.00}", "values: {2024: 1200.00, 2025: null}")
    code, out = cli(project, capsys, "requests", "--date", TODAY)
    assert code == 0 and "warning: 2 figures of 2025 have no owner" in out
    assert not (requests_folder(project) / "Administration.xlsx").exists()
    code, out = cli(project, capsys, "check")
    assert code == 1
    assert f"content/{Y}/data/environment.yaml: warning: 1 empty value of {Y} has no owner to supply it" in out
    assert "name who supplies the file's figures at its top, `owner: HR`" in out
    report, warnings = check(project, draft=True)
    assert [w.kind for w in warnings] == ["owner"]


# --- import -------------------------------------------------------------------------------------------

def test_a_filled_workbook_imports_with_provenance_keeping_comments_and_the_report_builds(project, capsys):
    from esgreport.pipeline import build

    cli(project, capsys, "requests", "--date", TODAY)
    book = requests_folder(project) / "HR.xlsx"
    (book.parent / "headcount-2025.pdf").write_bytes(b"%PDF- the HR system's year-end headcount")
    fill_metric(book, "workforce.total", 2460, evidence="headcount-2025.pdf")
    fill_metric(book, "workforce.male", 1300)
    fill_metric(book, "workforce.female", "1,160")             # text, as a pasted figure is
    path = project.content / str(Y) / "data" / "people.yaml"
    before = path.read_text(encoding="utf-8")

    code, out = cli(project, capsys, "import", str(book), "--date", TODAY)
    assert code == 0, out
    assert "HR.xlsx: 3 figures of 2025" in out and f"wrote content/{Y}/data/people.yaml" in out
    assert "left empty by their owner: 1" in out                 # training.sessions: nothing typed
    text = path.read_text(encoding="utf-8")
    assert "values: {2024: 2380, 2025: 2460}" in text and "values: {2024: 1140, 2025: 1160}" in text
    digest = hashlib.sha256(b"%PDF- the HR system's year-end headcount").hexdigest()
    assert (f"    provenance:\n      2025:\n        owner: HR\n        source: HR system, as at 31 December\n"
            f"        evidence: headcount-2025.pdf\n        sha256: {digest}\n        workbook: HR.xlsx\n"
            f"        cell: {cell(book, 'workforce.total', 'value')}\n        imported: {TODAY}\n") in text
    # everything else as the team wrote it: comments, flow mappings, the rule, the owner's line
    for line in before.splitlines():
        if "2025:" not in line:
            assert line in text, line
    assert text.startswith("# Employment KPIs of the fixture report.\n")

    result = build(project, formats=["html", "data"])
    assert result.warnings == []
    page = (edition_folder(project, "en") / "people.html").read_text(encoding="utf-8")
    assert "2,460" in page
    data = json.loads((edition_folder(project, "en") / "data" / f"esg-kpi-{Y}-en.json").read_text(encoding="utf-8"))
    assert "commit" not in data["report"]                           # built outside git: no commit to name

    # the next year starts without last year's records of where its figures came from
    assert cli(project, capsys, "new-year", str(Y + 1))[0] == 0
    rolled = (project.content / str(Y + 1) / "data" / "people.yaml").read_text(encoding="utf-8")
    assert "provenance" not in rolled and f"values: {{{Y + 1}: null}}" in rolled and "owner: HR" in rolled


def test_an_explained_change_imports_and_the_explanation_is_kept(project, capsys):
    cli(project, capsys, "requests", "--date", TODAY)
    book = requests_folder(project) / "HR.xlsx"
    fill_metric(book, "training.sessions", 60, explanation="A new compliance course for every team.")
    code, out = cli(project, capsys, "import", str(book), "--date", TODAY)
    assert code == 0, out
    text = (project.content / str(Y) / "data" / "people.yaml").read_text(encoding="utf-8")
    assert "explanations:\n      2025: A new compliance course for every team." in text
    # an explanation in the data counts as well, for a figure typed by hand
    edit(project.content / str(Y) / "data" / "people.yaml", "values: {2024: 1240, 2025: 1300}",
         "values: {2024: 1240, 2025: 1300}\n    explanations: {2025: Two teams joined from a subsidiary.}")


SLIPS = [
    # (what, metric, typed, message)
    ("a thousands separator in the wrong place", "workforce.total", "24,60",
     "24,60 has a decimal comma"),
    ("a thousands separator in the wrong place", "workforce.total", "2,45,0",
     "2,45,0: a comma separates thousands, in groups of three digits"),
    ("text in a number cell", "workforce.total", "about 2500", "about 2500 is not a number"),
    ("text in a number cell", "workforce.male", "1300 persons", "1300 persons is not a number"),
    ("an unexplained tenfold change", "workforce.total", 24600,
     "workforce.total 2025: 24,600 is 10 times 2024's 2,380, a change beyond ±50 % that has no explanation"),
    ("a value far outside its unit's range", "workforce.female", -1150,
     "workforce.female 2025: -1150 is outside the range of a count (0 or more)"),
    ("a count with decimals", "workforce.male", 1300.5,
     "workforce.male 2025: 1300.5 is not a whole number, and `person` counts"),
]


@pytest.mark.parametrize("what, metric, typed, message", SLIPS, ids=[f"{s[0]}: {s[2]}" for s in SLIPS])
def test_each_slip_is_one_problem_at_its_cell_and_nothing_is_written(project, capsys, what, metric, typed, message):
    cli(project, capsys, "requests", "--date", TODAY)
    book = requests_folder(project) / "HR.xlsx"
    for other in ("workforce.total", "workforce.male", "workforce.female"):
        if other != metric:
            fill_metric(book, other, {"workforce.total": 2450, "workforce.male": 1300, "workforce.female": 1150}[other])
    fill_metric(book, metric, typed)
    _refused_at(project, capsys, book, cell(book, metric, "value"), message)


def _refused_at(project, capsys, book: Path, at: str, message: str, year: int = Y) -> str:
    data = {p: p.read_bytes() for p in (project.content / str(year) / "data").glob("*.yaml")}
    code, out = cli(project, capsys, "import", str(book), "--year", str(year), "--date", TODAY)
    assert code == 1
    assert "The workbooks cannot be imported: 1 problem." in out, out
    assert f"{book.name}: {at}: {message}" in out, out
    assert "Nothing in content/ was changed." in out and "Traceback" not in out
    assert {p: p.read_bytes() for p in data} == data                        # nothing written
    return out


def test_a_fraction_for_a_percentage_is_one_problem_at_its_cell(project, capsys):
    append(project.content / str(Y) / "data" / "people.yaml", "")
    edit(project.content / str(Y) / "data" / "people.yaml", "  training.sessions:", """  women.share:
    label: {zh-hant: 女性員工佔比, en: Share of women}
    unit: percent
    precision: 1
    values: {2024: 47.9, 2025: null}
  training.sessions:""")
    cli(project, capsys, "requests", "--date", TODAY)
    book = requests_folder(project) / "HR.xlsx"
    fill_metric(book, "women.share", 0.469)
    out = _refused_at(project, capsys, book, cell(book, "women.share", "value"),
                      "women.share 2025: 0.469 looks like a share written as a fraction")
    assert "percentages are written 0–100: write 46.9" in out
    # a spreadsheet's 47% (a fraction with a percent format) is refused with what happened
    from openpyxl import load_workbook
    wb = load_workbook(book)
    sheet, at = cell(book, "women.share", "value").split("!")
    wb[sheet][at] = 0.47
    wb[sheet][at].number_format = "0%"
    wb.save(book)
    _refused_at(project, capsys, book, f"{sheet}!{at}", "the cell shows 47% but holds 0.47")


def test_a_falling_running_total_is_one_problem_at_its_cell(project, capsys):
    edit(project.content / str(Y) / "data" / "people.yaml", "    unit: sessions\n",
         "    unit: sessions\n    cumulative: true     # sessions since the programme began\n")
    cli(project, capsys, "requests", "--date", TODAY)
    book = requests_folder(project) / "HR.xlsx"
    fill_metric(book, "training.sessions", 2)
    _refused_at(project, capsys, book, cell(book, "training.sessions", "value"),
                "training.sessions 2025: 2 is less than 2024's 18, and the figure is a running total")


def test_a_breakdown_that_no_longer_adds_up_is_refused_at_the_cells_it_names(project, capsys):
    cli(project, capsys, "requests", "--date", TODAY)
    book = requests_folder(project) / "HR.xlsx"
    fill_metric(book, "workforce.male", 1310)
    code, out = cli(project, capsys, "import", str(book), "--date", TODAY)
    assert code == 1 and "rule `workforce-by-gender` 2025" in out
    assert f"HR.xlsx: {cell(book, 'workforce.male', 'value')}: rule" in out


def test_other_workbook_mistakes_are_named(project, capsys, tmp_path):
    cli(project, capsys, "requests", "--date", TODAY)
    book = requests_folder(project) / "HR.xlsx"
    fill_metric(book, "workforce.total", 2460, evidence="missing.pdf")
    _refused_at(project, capsys, book, cell(book, "workforce.total", "evidence"),
                "the evidence file `missing.pdf` is not beside the workbook")
    fill(book, {cell(book, "workforce.total", "evidence"): None, cell(book, "workforce.total", "source"): None})
    _refused_at(project, capsys, book, cell(book, "workforce.total", "source"), "`workforce.total` has no source")
    fill(book, {cell(book, "workforce.total", "source"): "HR system", cell(book, "workforce.total", "value"): None,
                cell(book, "workforce.total", "not_reported"): "不適用 Not applicable"})
    _refused_at(project, capsys, book, cell(book, "workforce.total", "explanation"),
                "`workforce.total` is `不適用 Not applicable` without a reason")
    not_a_book = tmp_path / "notes.xlsx"
    not_a_book.write_text("not a workbook", encoding="utf-8")
    code, out = cli(project, capsys, "import", str(not_a_book))
    assert code == 1 and "this is not an Excel workbook (.xlsx) that can be read" in out


# --- approvals ------------------------------------------------------------------------------------------

SECTIONS = ("about-this-report", "emissions", "workforce", "kpi-tables", "hkex-index", "gri-index")


def test_an_approved_section_edited_afterwards_is_unapproved_and_final_refuses_it(project, capsys):
    code, out = cli(project, capsys, "--final", "check")
    assert code == 1 and "the section `workforce` is marked approved, but nobody has approved it" in out

    code, out = cli(project, capsys, "approve", *SECTIONS, "--by", "Mary Chan", "--date", "2026-03-01")
    assert code == 0, out
    record = (project.content / str(Y) / "approvals.yaml").read_text(encoding="utf-8")
    assert "workforce:\n  by: Mary Chan\n  date: 2026-03-01\n  text:\n    zh-hant: " in record
    code, out = cli(project, capsys, "--final", "check")
    assert code == 0, out
    code, out = cli(project, capsys, "status")
    assert code == 0 and re.search(r"^  workforce\s+approved by Mary Chan on 2026-03-01$", out, re.M)

    edit(project.content / str(Y) / "en" / "workforce.md", "At the end of the year", "At year end")
    code, out = cli(project, capsys, "status")
    assert code == 1
    assert re.search(r"^  workforce\s+approved by Mary Chan on 2026-03-01, EDITED SINCE \(the en text\)$", out, re.M)
    code, out = cli(project, capsys, "check")
    assert code == 0 and "warning: the section was approved by Mary Chan on 2026-03-01 and has changed since" in out
    code, out = cli(project, capsys, "--final", "check")
    assert code == 1 and "check found 1 problem." in out
    assert ("the section `workforce` was approved by Mary Chan on 2026-03-01 and has changed since (the en text)"
            in out)

    # a figure the section prints changed: unapproved as well
    cli(project, capsys, "approve", "workforce", "--by", "Mary Chan", "--date", "2026-03-02")
    edit(project.content / str(Y) / "data" / "people.yaml", "values: {2024: 18, 2025: 24}",
         "values: {2024: 18, 2025: 25}")
    code, out = cli(project, capsys, "--final", "check")
    assert code == 1 and "has changed since (its figures)" in out


def test_approve_refuses_what_cannot_be_approved(project, capsys):
    edit(project.content / str(Y) / "zh-hant" / "workforce.md", "公司全年開展培訓", "公司全年共開展培訓")
    code, out = cli(project, capsys, "approve", "workforce", "worforce", "people", "--by", "Mary Chan")
    assert code == 1
    assert "the en translation of `workforce` is out of date" in out
    assert "there is no section `worforce`" in out and "did you mean `workforce`" in out
    assert "the section `people` has no text of its own to approve" in out
    assert not (project.content / str(Y) / "approvals.yaml").exists()


# --- the assurance provider's pack ---------------------------------------------------------------------------

def test_assurance_lists_every_printed_figure_with_provenance_and_pages(project, capsys):
    from openpyxl import load_workbook

    cli(project, capsys, "requests", "--date", TODAY)
    book = requests_folder(project) / "HR.xlsx"
    (book.parent / "headcount.csv").write_text("total,2460\n", encoding="utf-8")
    fill_metric(book, "workforce.total", 2460, evidence="headcount.csv")
    fill_metric(book, "workforce.male", 1310)
    assert cli(project, capsys, "import", str(book), "--date", TODAY)[0] == 0
    edit(project.content / str(Y) / "report.yaml", "key_figures:", """assurance:
  provider: {zh-hant: 示例會計師事務所, en: Example Assurance LLP}
  scope: {zh-hant: 有限鑒證：員工及溫室氣體數據, en: "Limited assurance: workforce and GHG figures"}
  symbol: "◆"
  figures: [workforce.total, ghg.scope2]
key_figures:""")

    code, out = cli(project, capsys, "assurance")
    assert code == 0, out
    folder = project.output / str(Y) / "assurance"
    assert f"output/{Y}/assurance/: " in out and "2 assured" in out
    wb = load_workbook(folder / f"assurance-{Y}.xlsx")
    sheet = wb["Figures"]
    header = [c.value for c in sheet[1]]
    rows = {(r[0], r[2]): dict(zip(header, r)) for r in sheet.iter_rows(min_row=2, values_only=True)}
    total = rows[("workforce.total", str(Y))]
    assert total["Value"] == "2,460" and total["Assured"] == "◆" and total["Owner"] == "HR"
    assert total["Evidence SHA-256"] == hashlib.sha256(b"total,2460\n").hexdigest()
    assert total["Workbook and cell"] == f"HR.xlsx: {cell(book, 'workforce.total', 'value')}"
    assert "2.1 Employment (text)" in total["Printed in"] and "3.1 Key Performance Indicators (table workforce)" \
        in total["Printed in"]
    pages = dict(line.split(": ") for line in total["PDF pages"].splitlines())
    assert set(pages) == {"zh-hant", "en"} and all(re.fullmatch(r"\d+(, \d+)*", p) for p in pages.values())
    assert total["History in git"] == "not in git"
    scope2 = rows[("ghg.scope2", str(Y))]
    assert scope2["Formula"] == "energy.electricity * ghg.grid_factor"
    assert "energy.electricity 2025: 1,000.00" in scope2["Inputs"] and "ghg.grid_factor 2025: 0.5703" in scope2["Inputs"]
    assert ("workforce.total", str(Y - 1)) in rows                            # comparatives printed in tables
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert "<h1>Assurance pack 2025</h1>" in page and "Example Assurance LLP" in page

    # the assured figures are marked in the web edition, the PDF's source and the downloads
    from esgreport.pipeline import build
    build(project, formats=["html", "data"])
    people = (edition_folder(project, "en") / "people.html").read_text(encoding="utf-8")
    assert re.search(r'2,460<sup class="assured" title="◆ Assured by Example Assurance LLP: Limited assurance: '
                     r'workforce and GHG figures">◆</sup>', people)
    data = json.loads((edition_folder(project, "en") / "data" / f"esg-kpi-{Y}-en.json").read_text(encoding="utf-8"))
    assert data["report"]["assurance"]["symbol"] == "◆"
    total_values = next(m for m in data["metrics"] if m["id"] == "workforce.total")["values"]
    assert [v.get("assured") for v in total_values] == [None, True]
    csv = (edition_folder(project, "en") / "data" / f"esg-kpi-{Y}-en.csv").read_text(encoding="utf-8-sig")
    assert csv.splitlines()[0].endswith(",assured")
    assert re.search(r"^workforce\.total,Total number of employees,.*,2025,2460,.*,yes\r?$", csv, re.M), csv


def test_the_build_names_its_commit_in_the_pdf_the_json_and_the_pack(project, capsys):
    from pypdf import PdfReader

    from esgreport.pipeline import build
    from esgreport.project import Project

    git = ["git", "-C", str(project.root), "-c", "user.name=Editor", "-c", "user.email=editor@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "The report"], check=True)
    head = subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    project = Project(project.root)
    build(project, editions=["en"], formats=["pdf", "data"])
    assert PdfReader(pdf_path(edition_folder(project, "en"))).metadata["/Commit"] == head
    data = json.loads((edition_folder(project, "en") / "data" / f"esg-kpi-{Y}-en.json").read_text(encoding="utf-8"))
    assert data["report"]["commit"] == head
    edit(project.content / str(Y) / "en" / "workforce.md", "At the end of the year", "At year end")
    assert Project(project.root).commit == f"{head}-dirty"        # the files are not that commit's

    # `diff` shows what an import brought in
    cli(project, capsys, "requests", "--date", TODAY)
    book = requests_folder(project) / "HR.xlsx"
    fill_metric(book, "training.sessions", 30)
    assert cli(project, capsys, "import", str(book), "--date", TODAY)[0] == 0
    code, out = cli(project, capsys, "diff", "HEAD")
    assert code == 0 and "  training.sessions 2025: 24 → 30  (shown in" in out, out


# --- a report rolled forward from the published 2023 one --------------------------------------------------

OWNERS = {"employment.yaml": "HR", "training.yaml": "HR", "people.yaml": "HR", "health_safety.yaml": "HR",
          "environment.yaml": "Administration", "community.yaml": "Community"}


def test_on_a_2024_report_rolled_forward_requests_import_and_the_report_builds(published_copy, capsys):
    from openpyxl import load_workbook

    from esgreport.pipeline import build

    project = published_copy
    assert cli(project, capsys, "new-year", "2024")[0] == 0
    data = project.content / "2024" / "data"
    for path in sorted(data.glob("*.yaml")):
        owner = OWNERS.get(path.name, "ESG team")
        path.write_text(path.read_text(encoding="utf-8") + f"\nowner: {owner}\n", encoding="utf-8")
    code, out = cli(project, capsys, "--year", "2024", "requests", "--date", "2025-01-10")
    assert code == 0, out
    folder = requests_folder(project, 2024)
    books = sorted(folder.glob("*.xlsx"))
    assert [b.name for b in books] == ["Administration.xlsx", "Community.xlsx", "ESG team.xlsx", "HR.xlsx"]

    # the slips an owner makes, each one problem at its cell
    community = folder / "Community.xlsx"
    fill_metric(community, "community.rural_cumulative", 20, year=2024)
    _refused_at(project, capsys, community, cell(community, "community.rural_cumulative", "value", 2024),
                "community.rural_cumulative 2024: 20 is less than 2023's 11,000,000", year=2024)
    hr = folder / "HR.xlsx"
    fill_metric(hr, "workforce.total", 24400, year=2024)
    _refused_at(project, capsys, hr, cell(hr, "workforce.total", "value", 2024),
                "workforce.total 2024: 24,400 is 10 times 2023's 2,440", year=2024)
    fill_metric(hr, "workforce.total", "2,44,0", year=2024)
    _refused_at(project, capsys, hr, cell(hr, "workforce.total", "value", 2024),
                "2,44,0: a comma separates thousands", year=2024)

    # every owner fills in every figure: last year's, or not available with a reason
    for book in books:
        wb = load_workbook(book)
        cols = {c.key: i + 1 for i, c in enumerate(columns(2024))}
        for sheet in wb.worksheets[1:]:
            for row in range(FIRST_ROW, sheet.max_row + 1):
                before = sheet.cell(row, cols["year:2023"]).value
                if isinstance(before, (int, float)):
                    # the published breakdowns of 2023 disagree by 10 (acknowledged there): not again
                    metric = sheet.cell(row, cols["metric"]).value
                    sheet.cell(row, cols["value"]).value = before - 10 if metric == "training.trained.male" else before
                else:
                    sheet.cell(row, cols["value"]).value = None
                    sheet.cell(row, cols["not_reported"]).value = "未能提供 Not available"
                    sheet.cell(row, cols["explanation"]).value = "Not collected in 2024."
                sheet.cell(row, cols["source"]).value = "Year-end records"
        wb.save(book)
    code, out = cli(project, capsys, "--year", "2024", "import", *map(str, books), "--date", "2025-02-01")
    assert code == 0, out
    text = (data / "community.yaml").read_text(encoding="utf-8")
    assert "# --- 3.4.2 Supporting Rural Revitalisation ----" in text           # comments survive
    assert "values: {2024: 11000000}" in text
    result = build(project, year=2024, formats=["html"])
    assert result.year == 2024
    appendix = (edition_folder(project, "en", 2024) / "appendix.html").read_text(encoding="utf-8")
    assert "2,440" in appendix
