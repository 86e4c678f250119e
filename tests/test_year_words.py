"""The report's year in its own words (fixture report, 2025): years and periods written through report.yaml,
marks for history and for numbers that are not figures, the years a rolled-forward report still writes out,
what `new-year` carries forward, and the framework versions in force."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURE_YEAR, append, edit, edition_folder, line_of, problems_of

from esgreport.commands.new_year import new_year
from esgreport.errors import Problems
from esgreport.pipeline import build, check
from esgreport.prepare.years import EARLIER_YEAR

Y = FIXTURE_YEAR
NEXT = Y + 1


def section(project, code: str, year: int = Y, name: str = "workforce.md") -> Path:
    return project.content / str(year) / code / name


def data(project, name: str = "people.yaml", year: int = Y) -> Path:
    return project.content / str(year) / "data" / name


def manifest(project, year: int = Y) -> Path:
    return project.content / str(year) / "report.yaml"


def page(project, code: str, name: str = "people.html", year: int = Y) -> str:
    return re.sub(r"<[^>]+>", "", (edition_folder(project, code, year) / name).read_text(encoding="utf-8"))


def errors_of(fn) -> list:
    return [p for p in problems_of(fn) if p.severity == "error"]


def found_by(fn) -> list:
    """Every problem and warning `fn` (a check) finds."""
    from esgreport.errors import ReportError
    try:
        return list(fn()[1])
    except ReportError as exc:
        return exc.problems


# --- the words of report.yaml --------------------------------------------------------------------------

def test_the_words_print_the_year_the_period_and_the_ordinal_in_each_editions_form(project):
    append(section(project, "zh-hant"), "\n\n本報告是公司的{{ ordinal() }}報告，涵蓋{{ period() }}。截至{{ period_end() }}，"
                                        "較{{ year - 1 }}年增加；上年度始於{{ period_start(year=-1) }}。\n")
    append(section(project, "en"), "\n\nThis {{ ordinal() }} report covers {{ period() }}. As at {{ period_end() }}, "
                                   "up on {{ year - 1 }}; the year before began on {{ period_start(year=-1) }}.\n")
    build(project, formats=["html"])
    assert ("本報告是公司的第三份報告，涵蓋2025年1月1日至2025年12月31日。截至2025年12月31日，較2024年增加；"
            "上年度始於2024年1月1日。") in page(project, "zh-hant")
    assert ("This third report covers 1 January 2025 to 31 December 2025. As at 31 December 2025, up on 2024; "
            "the year before began on 1 January 2024.") in page(project, "en")


@pytest.mark.parametrize("code, written, typed", [
    ("zh-hant", "公司的員工人數截至{{ period_end() }}", "公司的員工人數截至2025年12月31日"),
    ("zh-hant", "公司共有員工(截至{{ year }}年底)", "公司共有員工(截至2025年底)"),
    ("zh-hant", "本報告涵蓋{{ period() }}", "本報告涵蓋2025年1月1日至2025年12月31日"),
    ("en", "\"{{ year }}\" -- the {{ ordinal() }} report", "\"2025\" -- the third report"),
])
def test_the_words_are_set_as_if_they_had_been_typed(project, code, written, typed):
    """Quotes, dashes and the Chinese text rules (full-width punctuation, the last two characters kept
    together) treat a word of report.yaml as the text it prints."""
    from esgreport.prepare.report import prepare
    from esgreport.render.edition import EditionRenderer

    report = prepare(project.content)
    renderer = EditionRenderer(report, code, project.templates, project.locales, Problems())
    assert renderer.inline(written) == renderer.inline(typed)


def test_the_words_stand_in_titles_labels_notes_and_box_titles(project):
    edit(manifest(project), "{zh-hant: 員工, en: People}", '{zh-hant: "{{ year }}年員工", en: "People in {{ year }}"}')
    edit(data(project), "label: {zh-hant: 員工總人數, en: Total number of employees}",
         'label: {zh-hant: "截至{{ period_end() }}員工總人數", en: "Employees as at {{ period_end() }}"}')
    edit(data(project), "          - metric: workforce.female\n",
         "          - metric: workforce.female\n    notes:\n"
         "      - {zh-hant: '數據截至{{ period_end() }}。', en: 'Figures as at {{ period_end() }}.'}\n")
    edit(section(project, "zh-hant"), "::: highlights 2025年關鍵績效\n{{ card(\"workforce.total\") }}",
         "::: highlights {{ year }}年關鍵績效\n{{ card(\"workforce.total\", label=\"{{ year }}年末員工\") }}")
    edit(section(project, "en"), "::: highlights 2025 Key Performance\n{{ card(\"workforce.total\") }}",
         "::: highlights {{ year }} Key Performance\n{{ card(\"workforce.total\", label=\"Employees, end of {{ year }}\") }}")
    build(project, formats=["html", "data"])
    zh, en = page(project, "zh-hant"), page(project, "en")
    assert "2025年員工" in zh and "People in 2025" in en                                 # a part's title
    assert "2025年關鍵績效" in zh and "2025 Key Performance" in en                     # a box's title
    assert "2025年末員工" in zh and "Employees, end of 2025" in en                      # a card's label
    kpi = page(project, "zh-hant", "appendix.html") + page(project, "en", "appendix.html")
    assert "截至2025年12月31日員工總人數" in kpi and "Employees as at 31 December 2025" in kpi   # a metric's label
    assert "數據截至2025年12月31日。" in kpi and "Figures as at 31 December 2025." in kpi       # a table's note
    downloads = (edition_folder(project, "en") / "data" / f"esg-kpi-{Y}-en.json").read_text(encoding="utf-8")
    assert "Employees as at 31 December 2025" in downloads and "{{" not in downloads
    assert "{{" not in zh + en + kpi


WRONG = [
    ("section", "{{ year - x }}", "`{{ year - x }}` is not a year", "write {{ year }}, {{ year - 1 }} (the year before) or {{ year + 1 }}"),
    ("section", "{{ yaer }}", "unknown directive `yaer`", "did you mean `year`?"),
    ("section", '{{ period(year="last") }}', 'period(): year="last" is not a year',
     "write year=2022, or year=-1 for the year before the report's"),
    ("section", "{{ year - 40 }}", "year(): -40 is not a number of years from the report's year",
     "write {{ year }}, {{ year - 1 }} (the year before) or {{ year + 1 }}"),
    ("label", "員工總人數{{ yaer }}", "unknown directive `yaer`", "did you mean `year`?"),
    ("label", '員工{{ kpi("workforce.male") }}', 'a label holds words only: `{{ kpi("workforce.male") }}` is not one',
     "write the label as text; {{ year }}, {{ year - 1 }} and {{ period_end() }} may stand in it"),
    ("card", "{{ yaer }}年末員工", "unknown directive `yaer`", "did you mean `year`?"),
]


@pytest.mark.parametrize("where, text, message, hint", WRONG, ids=[f"{w[0]}:{w[1]}" for w in WRONG])
def test_a_mistaken_word_is_one_problem_at_its_line(project, where, text, message, hint):
    if where == "section":
        path = section(project, "en")
        append(path, f"\n\nIn {text}, the Company grew.\n")
        needle = "the Company grew"
    elif where == "label":
        path = data(project)
        edit(path, "{zh-hant: 員工總人數,", f"{{zh-hant: '{text}',")
        needle = text
    else:
        path = section(project, "zh-hant")
        edit(path, '{{ card("workforce.total") }}', f'{{{{ card("workforce.total", label="{text}") }}}}')
        needle = 'card("workforce.total"'
    (p,) = errors_of(lambda: check(project))
    assert (p.source, p.line, p.message, p.hint) == (path, line_of(path, needle), message, hint)


def test_the_ordinal_needs_report_yaml_to_give_it(project):
    edit(manifest(project), "ordinal: 3              # the company's third ESG report\n", "")
    append(section(project, "en"), "\n\nThis is the {{ ordinal() }} report.\n")
    (p,) = errors_of(lambda: check(project))
    assert (p.source, p.line) == (section(project, "en"), line_of(section(project, "en"), "ordinal()"))
    assert p.message == "ordinal() needs the report's place in the series: report.yaml has no `ordinal:`"
    assert p.hint.startswith("add `ordinal: 2` to report.yaml")


# --- marks --------------------------------------------------------------------------------------------------

def test_a_mark_reads_as_its_text(project):
    append(section(project, "zh-hant"), "\n\n公司於[2019年12月]{.history}上市，熱線[400]{.not-figure}電話。\n")
    append(section(project, "en"), "\n\nListed [in December 2019]{.history}; hotline [400]{.not-figure}.\n")
    build(project, formats=["html"])
    assert "公司於2019年12月上市，熱線400電話。" in page(project, "zh-hant")
    assert "Listed in December 2019; hotline 400." in page(project, "en")


# --- numbers that are not figures ---------------------------------------------------------------------

def typed_figures(project) -> list:
    _, warnings = check(project, draft=True)
    return [p for p in warnings if "is typed into the text" in p.message]


def test_a_value_equal_to_a_number_that_is_not_a_figure_is_no_problem(project):
    edit(data(project), "values: {2024: 18, 2025: 24}", "values: {2024: 18, 2025: 400}")       # training.sessions
    append(section(project, "zh-hant"), "\n\n客戶可撥打[400]{.not-figure}電話查詢。\n")
    append(section(project, "en"), "\n\nCustomers may call the [400]{.not-figure} hotline.\n")
    assert [p for p in found_by(lambda: check(project)) if "typed into the text" in p.message] == []


def test_the_same_value_typed_where_a_figure_belongs_is_still_caught(project):
    edit(data(project), "values: {2024: 18, 2025: 24}", "values: {2024: 18, 2025: 400}")
    append(section(project, "zh-hant"), "\n\n客戶可撥打[400]{.not-figure}電話查詢。全年開展培訓400場。\n")
    path = section(project, "zh-hant")
    (p,) = [p for p in problems_of(lambda: check(project)) if "typed into the text" in p.message]
    assert (p.source, p.line) == (path, line_of(path, "全年開展培訓400場"))
    assert p.message == "the figure 400 is typed into the text; it is the value of training.sessions (2025)"


@pytest.mark.parametrize("code, text, caught", [
    ("en", "In 2026, the Company grew.", False),
    ("zh-hant", "2026年，公司持續發展。", False),
    ("en", "The Company had 2026 persons.", True),
    ("zh-hant", "公司共有員工2026人。", True),
    ("en", "The Company had 2,026 employees.", True),
])
def test_a_year_is_never_taken_for_a_typed_figure(project, code, text, caught):
    """A value that equals a year (2,026 employees) is a figure where the figure is written, not a year."""
    edit(data(project), "values: {2024: 2380, 2025: 2450}", "values: {2024: 2380, 2025: 2026}")
    edit(data(project), "values: {2024: 1140, 2025: 1150}", "values: {2024: 1140, 2025: 726}")
    append(section(project, code), f"\n\n{text}\n")
    found = [p for p in found_by(lambda: check(project)) if "typed into the text" in p.message]
    assert bool(found) == caught, found


# --- years left from the report a new one was started from ---------------------------------------------

def earlier(problems) -> set[tuple[Path, int | None]]:
    return {(p.source, p.line) for p in problems if p.kind == EARLIER_YEAR}


def test_check_names_every_line_that_still_writes_out_an_earlier_year_and_no_other(project):
    new_year(project, NEXT)
    zh, en = section(project, "zh-hant", NEXT), section(project, "en", NEXT)
    append(zh, "\n\n2025年8月，公司舉辦了開放日。\n\n公司於[2019年12月]{.history}上市。\n\n"
               "截至{{ period_end() }}，員工{{ kpi(\"workforce.total\", year=2025) }}人，較{{ year - 1 }}年增加。\n\n"
               "### 2024年回顧\n\n::: note 自2020年起\n計劃持續。\n:::\n\n詳見[報告](https://example.org/2024/report.pdf)。\n")
    append(en, "\n\nIn August 2025, the Company held an open day.\n\nListed [in December 2019]{.history}.\n\n"
               "As at {{ period_end() }}, up on {{ year - 1 }}.\n\n### 2024 in review\n\n::: note Since 2020\n"
               "The programme continues.\n:::\n\nSee the [report](https://example.org/2024/report.pdf).\n")
    edit(zh, '{{ card("workforce.total") }}', '{{ card("workforce.total", label="2025年末員工") }}')
    edit(en, '{{ card("workforce.total") }}', '{{ card("workforce.total", label="Employees, end of {{ year }}") }}')
    people = data(project, year=NEXT)
    edit(people, "label: {zh-hant: 男性員工, en: Male employees}", "label: {zh-hant: 男性員工（2025年）, en: Male employees}")
    env = data(project, "environment.yaml", NEXT)
    edit(env, "{zh-hant: 範圍二排放按電網排放因子計算。, en: Scope 2 emissions are calculated with the grid emission factor.}",
         "{zh-hant: 範圍二排放按電網排放因子計算。, en: 'Scope 2 emissions use the grid factor of 2024.'}")
    report_yaml = manifest(project, NEXT)
    edit(report_yaml, "{zh-hant: 員工, en: People}", "{zh-hant: 2025年員工, en: People}")
    expected = {(zh, line_of(zh, "2025年8月")), (zh, line_of(zh, "2024年回顧")), (zh, line_of(zh, "自2020年起")),
                (zh, line_of(zh, "2025年末員工")),
                (en, line_of(en, "In August 2025")), (en, line_of(en, "2024 in review")), (en, line_of(en, "Since 2020")),
                (people, line_of(people, "男性員工（2025年）")), (env, line_of(env, "grid factor of 2024")),
                (report_yaml, line_of(report_yaml, "2025年員工"))}

    _, warnings = check(project, year=NEXT, draft=True)
    assert earlier(warnings) == expected
    (one,) = [p for p in warnings if p.kind == EARLIER_YEAR and p.line == line_of(zh, "2025年8月") and p.source == zh]
    assert one.message == "the text still says 2025, before this report's year (2026)"
    assert "[2019年12月]{.history}" in one.hint and "{{ year }}" in one.hint

    fill(project, NEXT)
    final = problems_of(lambda: check(project, year=NEXT, final=True))
    assert earlier(p for p in final if p.severity == "error") == expected        # --final refuses them


def fill(project, year: int) -> None:
    """Every empty value of `year` filled with last year's (the sum rule holds)."""
    for path in (project.content / str(year) / "data").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        for name, value in (("energy.electricity", "1000.00"), ("ghg.grid_factor", "0.5703"), ("workforce.total", "2450"),
                            ("workforce.male", "1300"), ("workforce.female", "1150"), ("training.sessions", "24")):
            text = re.sub(rf"(  {re.escape(name)}:\n(?:    .*\n)*?    values: )\{{{year}: null\}}", rf"\g<1>{{{year}: {value}}}", text)
        path.write_text(text, encoding="utf-8")


def test_the_first_report_in_the_content_folder_is_not_held_to_it(project):
    append(section(project, "zh-hant"), "\n\n2024年，公司成立了新部門。\n")
    _, warnings = check(project, draft=True)
    assert earlier(warnings) == set()


def test_a_restatements_reason_may_name_an_earlier_year(project):
    new_year(project, NEXT)
    edit(data(project, "environment.yaml", NEXT), "    values: {2026: null}\n",
         "    values: {2026: null}\n    restated:\n      2025: {value: 1010.00, reason: {zh-hant: 補錄2025年十二月用電量。, "
         "en: December 2025 consumption was added.}}\n", count=1)
    _, warnings = check(project, year=NEXT, draft=True)
    assert earlier(warnings) == set()


# --- new-year: the mentions it carries forward, and the rest ---------------------------------------------

ROLLED_ZH = [
    ("本報告涵蓋2025年1月1日至2025年12月31日。", "本報告涵蓋{{ period_start() }}至{{ period_end() }}。"),
    ("截至2025年12月31日，公司共有員工{{ kpi(\"workforce.total\") }}人，較2024年增加。",
     "截至{{ period_end() }}，公司共有員工{{ kpi(\"workforce.total\") }}人，較{{ year - 1 }}年增加。"),
    ("截至2025年底，女性員工{{ kpi(\"workforce.female\") }}人。", "截至{{ year }}年底，女性員工{{ kpi(\"workforce.female\") }}人。"),
    ("2025年度，公司開展培訓{{ kpi(\"training.sessions\") }}場。", "{{ year }}年度，公司開展培訓{{ kpi(\"training.sessions\") }}場。"),
]
LEFT_ZH = ["2025年8月，公司舉辦了{{ kpi(\"training.sessions\") }}場活動，截至2025年12月31日仍在進行。",
           "2025年，公司推出新產品。"]
ROLLED_EN = [
    ("This report covers 1 January 2025 to 31 December 2025.", "This report covers {{ period_start() }} to {{ period_end() }}."),
    ("As at 31 December 2025, the Company had {{ kpi(\"workforce.total\") }} employees, up from 2024.",
     "As at {{ period_end() }}, the Company had {{ kpi(\"workforce.total\") }} employees, up from {{ year - 1 }}."),
    ("In 2025, it held {{ kpi(\"training.sessions\") }} sessions.", "In {{ year }}, it held {{ kpi(\"training.sessions\") }} sessions."),
]
LEFT_EN = ["In August 2025, it held an open day.", "In 2025, the Company launched a product."]


def test_new_year_carries_the_mentions_of_the_year_forward_and_lists_the_rest(project):
    for code, rolled, left in (("zh-hant", ROLLED_ZH, LEFT_ZH), ("en", ROLLED_EN, LEFT_EN)):
        append(section(project, code), "\n\n" + "\n\n".join([old for old, _ in rolled] + left) + "\n")
    edit(data(project), "label: {zh-hant: 男性員工, en: Male employees}",
         "label: {zh-hant: 男性員工（較2024年）, en: Male employees (compared with 2024)}")
    edit(data(project, "environment.yaml"), "{zh-hant: 範圍二排放按電網排放因子計算。,",
         "{zh-hant: 範圍二排放按電網排放因子計算，數據截至2025年12月31日。,")
    from esgreport.cli import main
    assert main(["--root", str(project.root), "-q", "translated", "workforce", "--lang", "en"]) == 0
    # The sample sentences of the two editions are not translations of each other (reference parity
    # names that): new-year starts from the report as it is.
    created = new_year(project, NEXT, force=True)

    for code, rolled, left in (("zh-hant", ROLLED_ZH, LEFT_ZH), ("en", ROLLED_EN, LEFT_EN)):
        text = section(project, code, NEXT).read_text(encoding="utf-8")
        for old, new in rolled:
            assert new in text and old not in text
        for old in left:
            assert old in text                                       # an event's date, a claim: as written
    people = data(project, year=NEXT).read_text(encoding="utf-8")
    assert 'label: {zh-hant: "男性員工（較{{ year - 1 }}年）", en: "Male employees (compared with {{ year - 1 }})"}' in people
    assert '"範圍二排放按電網排放因子計算，數據截至{{ period_end() }}。"' in data(project, "environment.yaml", NEXT).read_text(encoding="utf-8")

    assert created.rolled is not None and created.rolled.carried == 6 + 5 + 2 + 2 + 1     # zh, en, the titles of
    # the highlights boxes, the label in both editions, the note
    listed = {(created.folder / path, line) for path, line, _ in created.rolled.left}
    zh, en = section(project, "zh-hant", NEXT), section(project, "en", NEXT)
    assert listed == {(zh, line_of(zh, left)) for left in LEFT_ZH} | {(en, line_of(en, left)) for left in LEFT_EN}
    _, warnings = check(project, year=NEXT, draft=True)
    assert earlier(warnings) == listed                               # and check names the same lines

    build(project, year=NEXT, formats=["html"], draft=True)
    assert "本報告涵蓋2026年1月1日至2026年12月31日。" in page(project, "zh-hant", year=NEXT)
    assert "As at 31 December 2026, the Company had" in page(project, "en", year=NEXT)
    assert "In 2026, it held" in page(project, "en", year=NEXT)
    assert [p for p in warnings if p.kind == "translation"] == []   # the translations are as up to date as they were


def test_new_year_says_what_it_carried_and_lists_what_it_left(project, capsys):
    from esgreport.cli import main

    append(section(project, "zh-hant"), "\n\n2025年8月，公司舉辦了開放日。\n")
    assert main(["--root", str(project.root), "new-year", str(NEXT)]) == 0
    said = capsys.readouterr().err
    assert "report.yaml: ordinal: 3 → 4" in said
    assert "carried 2 mentions of the year forward as words of report.yaml" in said     # the two highlights titles
    line = line_of(section(project, "zh-hant", NEXT), "2025年8月")
    assert f"  content/{NEXT}/zh-hant/workforce.md:{line}: 2025" in said


def test_new_year_moves_a_note_on_last_years_figure_to_the_new_year(project):
    edit(data(project), "          - metric: workforce.male\n", "          - {metric: workforce.male, note_refs: {2025: 1}}\n")
    edit(data(project), "          - metric: workforce.female\n",
         "          - metric: workforce.female\n    notes:\n      - {zh-hant: 含兼職員工。, en: Part-time employees included.}\n")
    check(project)
    new_year(project, NEXT)
    assert "{metric: workforce.male, note_refs: {2026: 1}}" in data(project, year=NEXT).read_text(encoding="utf-8")


# --- frameworks in force --------------------------------------------------------------------------------

def versions(project, current: str, later: str) -> None:
    """hkex-mini in force for `current` (a span of financial years), and a later version in force for `later`."""
    folder = project.content / "frameworks"
    shutil.copy(folder / "hkex-mini.yaml", folder / "hkex-mini-2027.yaml")
    edit(folder / "hkex-mini.yaml", "family: hkex\n", f"family: hkex\nin_force: {current}\n")
    edit(folder / "hkex-mini-2027.yaml", "id: hkex-mini\nfamily: hkex\n", f"id: hkex-mini-2027\nfamily: hkex\nin_force: {later}\n")


def test_new_year_switches_to_the_framework_version_in_force_and_says_so(project):
    versions(project, "{from: 2020-01-01, before: 2027-01-01}", "{from: 2027-01-01}")
    assert new_year(project, NEXT).rolled.manifest == ["ordinal: 3 → 4"]        # 2026: hkex-mini still applies
    created = new_year(project, NEXT + 1, force=True)      # 2026 is still empty: it fails check
    assert "frameworks: {hkex: hkex-mini-2027, gri: gri-mini}" in manifest(project, NEXT + 1).read_text(encoding="utf-8")
    assert ("frameworks: hkex hkex-mini → hkex-mini-2027, in force for financial years commencing on or after "
            "2027-01-01 (this one commences 2027-01-01)") in created.rolled.manifest


def test_where_two_versions_apply_new_year_keeps_the_one_named_and_names_the_other(project):
    versions(project, "{from: 2020-01-01, before: 2028-01-01}", "{from: 2026-01-01}")
    created = new_year(project, NEXT)
    assert "frameworks: {hkex: hkex-mini, gri: gri-mini}" in manifest(project, NEXT).read_text(encoding="utf-8")
    assert ("frameworks: hkex stays hkex-mini; hkex-mini-2027 also applies to a financial year commencing "
            "2026-01-01: name it under `frameworks:` in report.yaml to follow it instead") in created.rolled.manifest


def test_check_names_a_framework_version_that_does_not_apply_to_the_reports_year(project):
    versions(project, "{from: 2020-01-01, before: 2025-01-01}", "{from: 2025-01-01}")
    (p,) = errors_of(lambda: check(project))
    assert (p.source, p.line) == (manifest(project), line_of(manifest(project), "frameworks:"))
    assert p.message == ("`hkex-mini` applies to financial years commencing from 2020-01-01 and before 2025-01-01; "
                         "this report's year commences on 2025-01-01")
    assert p.hint == "name `hkex-mini-2027` under `frameworks:`"
