"""The data directives of section bodies (`{{ kpi(...) }}`, `{{ chart(...) }}` …): every call and
everything it refers to is checked before anything is drawn, each mistake one problem at its line
(fixture report); every directive and every container (`::: case …`, `::: values …`) is declared once,
drawn and documented."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURE_YEAR, ROOT, append, edit, line_of, problems_of

from esgreport.markup.directives import CONTAINERS, DIRECTIVES, parse_call
from esgreport.pipeline import build, check, load
from esgreport.prepare.usage import where


def section(project, code: str, name: str = "workforce.md") -> Path:
    return project.content / str(FIXTURE_YEAR) / code / name


def data(project, name: str = "people.yaml") -> Path:
    return project.content / str(FIXTURE_YEAR) / "data" / name


def errors_of(fn) -> list:
    """The errors `fn` stops with (a source edited, its translation is out of date: a warning)."""
    return [p for p in problems_of(fn) if p.severity == "error"]


def one_problem(project) -> tuple[Path, int | None, str, str]:
    """The one error `check` finds (it renders every edition too), as (file, line, message, hint)."""
    (p,) = errors_of(lambda: check(project))
    return p.source, p.line, p.message, p.hint


# --- calls: each mistake one problem at its line, with what to write ------------------------------------

CALLS = [
    ("misspelt-directive", 'kpi("workforce.total")', 'kpu("workforce.total")',
     "unknown directive `kpu`", "did you mean `kpi`?"),
    ("wrong-type", 'kpi("workforce.total")', 'kpi("workforce.total", year="last")',
     'kpi(): year="last" is not a year', "write year=2022, or year=-1 for the year before the report's"),
    ("not-a-year", 'kpi("workforce.total")', 'kpi("workforce.total", year=5)',
     "kpi(): year=5 is not a year", "write year=2022, or year=-1 for the year before the report's"),
    ("true-is-not-a-number", 'kpi("workforce.total")', 'kpi("workforce.total", decimals=True)',
     "kpi(): decimals=True is not a number of decimals", "write decimals=0 to decimals=8"),
    ("id-not-text", 'kpi("workforce.total")', "kpi(2024)",
     "kpi(): 2024 is not a metric id", 'write the id in quotes, e.g. "workforce.total"'),
    ("missing-argument", 'kpi("workforce.total")', "kpi()",
     "kpi() needs a metric id", 'write {{ kpi("workforce.total") }}'),
    ("missing-year", 'kpi("workforce.total")', 'change("workforce.total", -1)',
     "change() needs the year it changes to",
     'write {{ change("energy.electricity", -1, 0) }}'),
    ("unknown-keyword", 'kpi("workforce.total")', 'kpi("workforce.total", yaer=2024)',
     "kpi() has no argument `yaer`", "did you mean `year`?"),
    ("unknown-keyword-unlike-any", 'kpi("workforce.total")', 'kpi("workforce.total", colour="red")',
     "kpi() has no argument `colour`", "its arguments: metric, year, unit, scale, decimals"),
    ("too-many-in-order", 'kpi("workforce.total")', 'kpi("workforce.total", 2024)',
     "kpi() takes 1 argument in order (metric), not 2",
     'write {{ kpi("workforce.total") }}; give the others by name: year=…, unit=…, scale=…, decimals=…'),
    ("given-twice", 'kpi("workforce.total")', 'kpi("workforce.total", metric="training.sessions")',
     "kpi() is given `metric` twice", 'write {{ kpi("workforce.total") }}'),
    ("unknown-scale", 'kpi("workforce.total")', 'kpi("workforce.total", scale="lakh")',
     'kpi(): scale="lakh" is not a scale (wan, yi, thousand, million, billion)',
     "each edition writes its own: zh-hant: wan, yi; en: thousand, million, billion; zh-hans: wan, yi"),
    ("block-directive-in-text", 'kpi("workforce.total")', 'chart("workforce_gender")',
     "`chart()` stands on a line of its own", 'put {{ chart("workforce_gender") }} on a line by itself'),
    ("three-charts", 'chart("workforce_gender")', 'chart("workforce_gender", "electricity", "electricity")',
     "chart() takes one chart id, or two for two charts side by side",
     'write chart("electricity"), or chart("electricity", "water")'),
    ("no-chart", 'chart("workforce_gender")', "chart()",
     "chart() takes one chart id, or two for two charts side by side",
     'write chart("electricity"), or chart("electricity", "water")'),
    ("code-as-argument", 'kpi("workforce.total")', "kpi(workforce.total)",
     "`{{ kpi(workforce.total) }}`: arguments must be plain text, numbers or True/False",
     'put ids in quotes: {{ kpi("workforce.total") }}'),
    # what a call refers to
    ("unknown-metric", 'kpi("workforce.total")', 'kpi("workforce.totl")',
     "unknown metric `workforce.totl`", "did you mean `workforce.total` or `workforce.male` or `workforce.female`?"),
    ("unknown-chart", 'chart("workforce_gender")', 'chart("workforce_genders")',
     "unknown chart `workforce_genders`", "did you mean `workforce_gender`?"),
    ("unknown-metric-of-a-card", 'card("training.sessions")', 'card("training.session")',
     "unknown metric `training.session`", "did you mean `training.sessions`?"),
    ("year-without-a-value", 'kpi("workforce.total")', 'kpi("workforce.total", year=2019)',
     "metric `workforce.total` has no value for 2019", "years with values: 2024, 2025"),
    ("relative-year-without-a-value", 'kpi("workforce.total")', 'kpi("workforce.total", year=-3)',
     "metric `workforce.total` has no value for 2022", "years with values: 2024, 2025"),
    ("scale-of-another-edition", 'kpi("workforce.total")', 'kpi("workforce.total", scale="wan")',
     "the en edition does not write figures in `wan`", "use one of: thousand, million, billion"),
]


@pytest.mark.parametrize("case, old, new, message, hint", CALLS, ids=[c[0] for c in CALLS])
def test_a_mistaken_call_is_one_problem_at_its_line(project, case, old, new, message, hint):
    path = section(project, "en")
    edit(path, old, new)
    assert one_problem(project) == (path, line_of(path, new), message, hint)


def test_an_unknown_table_is_one_problem_with_the_ids_it_resembles(project):
    path = section(project, "zh-hant", "kpi-tables.md")
    edit(path, 'kpi_table("workforce")', 'kpi_table("workfroce")')
    assert one_problem(project) == (path, line_of(path, "workfroce"), "unknown KPI table `workfroce`",
                                    "did you mean `workforce`?")


def test_an_unknown_framework_is_one_problem(project):
    path = section(project, "en", "hkex-index.md")
    edit(path, 'disclosure_index("hkex")', 'disclosure_index("hkx")')
    assert one_problem(project) == (path, line_of(path, "hkx"),
                                    "the report names no `hkx` framework in report.yaml (frameworks:)",
                                    "did you mean `hkex`?")


def test_a_wide_chart_beside_another_is_one_problem(project):
    append(data(project, "environment.yaml"), "    wide: true\n")       # the file ends with the chart
    paths = [section(project, code, "emissions.md") for code in ("zh-hant", "en")]
    for path in paths:
        edit(path, '{{ chart("electricity") }}', '{{ chart("electricity", "workforce_gender") }}')
    problems = errors_of(lambda: check(project))
    assert [(p.source, p.line, p.message, p.hint) for p in problems] == [
        (path, line_of(path, "chart("), "chart `electricity` is wide (the full width): give it a line of its own",
         'write {{ chart("electricity") }} alone on its line') for path in paths]


def test_a_directive_in_a_text_of_data_is_checked_at_its_line(project):
    path = data(project, "environment.yaml")
    edit(path, "en: Scope 2 emissions are calculated with the grid emission factor.",
         'en: "Scope 2 emissions are calculated with the grid emission factor ({{ kpi(\\"ghg.grid_factr\\") }})."')
    assert one_problem(project) == (path, line_of(path, "grid_factr"), "unknown metric `ghg.grid_factr`",
                                    "did you mean `ghg.grid_factor`?")


def test_a_mistaken_call_in_a_text_of_data_is_one_problem(project):
    path = data(project, "environment.yaml")
    edit(path, "en: Scope 2 emissions are calculated with the grid emission factor.",
         'en: "Scope 2 emissions are calculated with a factor of {{ kpi(\\"ghg.grid_factor\\", decimal=4) }}."')
    assert one_problem(project) == (path, line_of(path, "decimal=4"), "kpi() has no argument `decimal`",
                                    "did you mean `decimals`?")


def test_a_change_from_a_zero_value_is_one_problem(project):
    edit(data(project), "values: {2024: 18, 2025: 24}", "values: {2024: 0, 2025: 24}")
    path = section(project, "en")
    edit(path, 'kpi("training.sessions")', 'change("training.sessions", -1, 0)')
    assert one_problem(project) == (path, line_of(path, "change("),
                                    "cannot compute a change of `training.sessions` from 2024: the value is 0",
                                    "compare with a year whose value is not 0")


def test_the_calls_editors_write_draw_as_before(project):
    """kpi with its named arguments, change, a pair of charts: drawn, and nothing reported."""
    path = section(project, "en")
    edit(path, "employees.", 'employees ({{ kpi("workforce.total", year=-1) }} a year before, a change of '
                             '{{ change("workforce.total", -1, 0, decimals=1) }}%; '
                             '{{ kpi("energy.electricity", scale="thousand", decimals=1) }} thousand MWh).')
    # The source refers to the same figures (reference parity), each written in its edition's form.
    edit(section(project, "zh-hant"), "人。公司全年", '人（上年{{ kpi("workforce.total", year=-1) }}人，變動'
                                      '{{ change("workforce.total", -1, 0, decimals=1) }}%；'
                                      '{{ kpi("energy.electricity", decimals=1) }}兆瓦時）。公司全年')
    for code in ("zh-hant", "en"):
        edit(section(project, code, "emissions.md"), '{{ chart("electricity") }}',
             '{{ chart("electricity", "workforce_gender") }}')
    build(project, editions=["en"], formats=["html"])
    page = (project.output / str(FIXTURE_YEAR) / "en" / "people.html").read_text(encoding="utf-8")
    assert "(2,380 a year before, a change of 2.9%; 1.0 thousand MWh)" in page
    environment = (project.output / str(FIXTURE_YEAR) / "en" / "environment.html").read_text(encoding="utf-8")
    assert environment.count('class="chart') >= 2 and "unresolved" not in page + environment


# --- an item defined but malformed is reported once, where it is defined --------------------------------

def use_in_two_sections(project, directive: str) -> None:
    """`directive` on a line of its own in workforce.md and emissions.md of both editions."""
    for code in ("zh-hant", "en"):
        for name in ("workforce.md", "emissions.md"):
            append(section(project, code, name), f"\n{directive}\n")


def test_a_chart_with_a_misspelt_key_used_twice_in_both_editions_is_one_problem(project):
    use_in_two_sections(project, '{{ chart("workforce_gender") }}')
    path = data(project)
    edit(path, "    type: donut", "    tpye: donut")
    for attempt in (lambda: check(project), lambda: build(project, formats=["html"])):
        (p,) = errors_of(attempt)
        assert (p.source, p.line, p.message, p.hint) == (path, line_of(path, "tpye"), "unknown key `tpye`",
                                                         "did you mean `type`?")


def test_a_malformed_table_is_one_problem(project):
    path = data(project)
    edit(path, "    years: {last: 2}\n    rows:", "    yeers: {last: 2}\n    rows:")
    (p,) = problems_of(lambda: check(project))
    assert (p.source, p.line, p.message) == (path, line_of(path, "yeers"), "unknown key `yeers`")


def test_an_organisation_chart_with_a_mistake_is_one_problem(project):
    path = data(project)
    append(path, "\norgcharts:\n  esg_governance:\n    title: {zh-hant: 管治架構, en: Governance}\n"
                 "    units:\n      - id: board\n        name: {zh-hant: 董事會, en: Board}\n"
                 "      - id: committee\n        reports_to: bord\n        name: {zh-hant: 委員會, en: Committee}\n")
    use_in_two_sections(project, '{{ org_chart("esg_governance") }}')
    (p,) = errors_of(lambda: check(project))
    assert (p.source, p.line) == (path, line_of(path, "esg_governance:"))
    assert "reports to `bord`" in p.message


def test_a_malformed_metric_used_by_a_card_and_a_key_figure_is_one_problem(project):
    path = data(project)
    edit(path, "    unit: person\n    values: {2024: 2380", "    unti: person\n    values: {2024: 2380")
    problems = errors_of(lambda: build(project, formats=["html"]))
    assert [(p.source, p.message) for p in problems] == [(path, "unknown key `unti`")]


def test_a_misspelt_key_figure_is_one_problem_before_anything_is_drawn(project):
    manifest = project.content / str(FIXTURE_YEAR) / "report.yaml"
    edit(manifest, "people: [workforce.total]", "people: [workforce.totl]")
    (p,) = problems_of(lambda: load(project))
    assert (p.source, p.line, p.message) == (manifest, line_of(manifest, "workforce.totl"), "unknown metric `workforce.totl`")
    assert p.hint.startswith("did you mean `workforce.total`")


# --- the structure of the editions: a directive that does not validate is one problem ----------------------

def test_a_misspelt_block_directive_is_not_also_a_missing_chart(project):
    path = section(project, "en")
    edit(path, '{{ chart("workforce_gender") }}', '{{ chrt("workforce_gender") }}')
    assert one_problem(project) == (path, line_of(path, "chrt"), "unknown directive `chrt`",
                                    "did you mean `chart` or `org_chart`?")


def test_a_chart_call_with_a_wrong_argument_is_not_also_a_structure_difference(project):
    path = section(project, "en")
    edit(path, '{{ chart("workforce_gender") }}', '{{ chart("workforce_gender", 2) }}')
    assert one_problem(project) == (path, line_of(path, "chart("), "chart(): 2 is not a chart id",
                                    'write chart("electricity"), or chart("electricity", "water")')


def test_two_charts_side_by_side_count_as_two(project):
    path = section(project, "en")
    edit(path, '{{ chart("workforce_gender") }}', '{{ chart("workforce_gender", "electricity") }}')
    (p,) = problems_of(lambda: check(project))
    assert p.message == "the en text differs in structure from zh-hant/workforce.md: charts 1 → 2"


# --- the references prepare keeps --------------------------------------------------------------------------

def test_where_a_figure_is_used_reads_what_the_directives_refer_to(project):
    report = load(project)
    usage = where(report, "workforce.male")
    assert usage.tables == ["workforce"] and usage.charts == ["workforce_gender"]
    placed = sorted((what, name, path.parent.name) for what, name, path, _ in usage.placed)
    assert placed == [("chart", "workforce_gender", "en"), ("chart", "workforce_gender", "zh-hant"),
                      ("table", "workforce", "en"), ("table", "workforce", "zh-hant")]
    prose = where(report, "workforce.total").prose
    assert sorted((edition, how) for edition, _, _, how in prose) == [
        ("en", "card"), ("en", "kpi"), ("zh-hant", "card"), ("zh-hant", "kpi")]


# --- the registry ------------------------------------------------------------------------------------------

def test_every_directive_is_drawn_by_render():
    import esgreport.render.edition  # noqa: F401  (registers the drawings)

    assert DIRECTIVES.undrawn() == []
    assert CONTAINERS.undrawn() == []       # the boxes are drawn by the Markdown renderer


@pytest.mark.parametrize("written, name, meant", [("::: cas 辦公室節能", "cas", "case"),
                                                  (":::highlight 辦公室節能", "highlight", "highlights"),
                                                  ("::: numbred", "numbred", "numbered")])
def test_an_unknown_container_is_one_problem_naming_the_one_it_resembles(project, written, name, meant):
    """Boxes and infographics alike; the box the other edition has is not said to be missing as well."""
    path = section(project, "zh-hant", "emissions.md")
    edit(path, "::: case 辦公室節能", written)
    found = [p for p in problems_of(lambda: check(project)) if p.severity == "error"]
    assert [(p.source, p.line, p.message, p.hint) for p in found] == [
        (path, line_of(path, written), f"unknown container `::: {name}`", f"did you mean `{meant}`?")]


def test_the_syntax_of_every_directive_in_the_bundled_report_is_valid():
    from esgreport.markup.years import directive_spans

    texts = [path.read_text(encoding="utf-8") for path in (ROOT / "content").glob("*/*/*.md")]
    calls = {text[start + 2:end - 2] for text in texts for start, end in directive_spans(text)}  # a card's
    # label may hold words of report.yaml: `{{ card("x", label="{{ year }}年…") }}`
    placements = {d.name: d.placement for d in DIRECTIVES}
    for text in calls:
        call = parse_call(text, placements.get(text.strip().split("(")[0], "inline"))
        assert call.arguments is not None, (text, call.problems)


def arguments_of(declared) -> str:
    model = declared.arguments
    return "; ".join(f"`{name}`: {model.described(name).what}" for name in model.model_fields) or "none"


def directive_reference() -> str:
    """The directive reference of docs/authoring.md, made from the declarations."""
    lines = ["| directive | where | what it shows | arguments |", "|---|---|---|---|"]
    for d in DIRECTIVES:
        arguments = arguments_of(d)
        where_ = "in the text" if d.placement == "inline" else "on a line of its own"
        lines.append(f"| `{{{{ {d.signature()} }}}}` | {where_} | {d.summary} | {arguments} |")
    return "\n".join(lines)


def container_reference() -> str:
    """The container reference of docs/authoring.md, made from the declarations."""
    lines = ["| container | what it is | after its name |", "|---|---|---|"]
    for c in CONTAINERS:
        arguments = arguments_of(c)
        lines.append(f"| `::: {c.signature()}` | {c.summary} | {arguments} |")
    return "\n".join(lines)


def test_docs_list_every_directive_with_its_arguments():
    doc = (ROOT / "docs" / "authoring.md").read_text(encoding="utf-8")
    expected = directive_reference()
    assert expected in doc, "docs/authoring.md, 'Directives': the list should read\n\n" + expected
    for d in DIRECTIVES:
        assert f"{{{{ {d.example} }}}}" in doc, f"docs/authoring.md shows no example of {d.name}()"
    expected = container_reference()
    assert expected in doc, "docs/authoring.md, 'Containers': the list should read\n\n" + expected
    for c in CONTAINERS:
        assert c.written_as(c.example) in doc, f"docs/authoring.md shows no example of `::: {c.name}`"


# --- what the guide shows: named headings, footnotes, pictures, scales with units -------------------------

def test_a_named_heading_keeps_its_link_in_both_editions(project):
    append(section(project, "zh-hant"), "\n\n### 培訓時數 {#training-hours}\n\n全年培訓。\n")
    append(section(project, "en"), "\n\n### Training hours {#training-hours}\n\nTraining all year.\n")
    build(project, formats=["html"])
    for code, title in (("zh-hant", "培訓時數"), ("en", "Training hours")):
        page = (project.output / str(FIXTURE_YEAR) / code / "people.html").read_text(encoding="utf-8")
        assert f'<h3 id="workforce-training-hours">{title}</h3>' in page


@pytest.mark.parametrize("zh, en, line_of_, message", [
    ("### 甲 {#hours}\n\n### 乙 {#hours}", "### A {#hours}\n\n### B {#hours}", "乙",
     "the heading's name `hours` is used twice (also workforce.md:{first})"),
    ("### 甲 {#step-2}", "### A {#step-2}", "甲", "the heading's name `step-2` ends in a number, as the headings' "
                                              "numbered links do"),
    ("### 甲 {#hours}", "### A", "甲", "`{{#hours}}` names a heading in one edition of `workforce` only"),
])
def test_a_heading_name_that_cannot_be_a_link_is_one_problem(project, zh, en, line_of_, message):
    append(section(project, "zh-hant"), f"\n\n{zh}\n")
    append(section(project, "en"), f"\n\n{en}\n")
    path = section(project, "zh-hant")
    problems = [p for p in problems_of(lambda: check(project)) if "heading" in p.message]
    assert [(p.source, p.line, p.message) for p in problems if p.source == path] == [
        (path, line_of(path, line_of_), message.format(first=line_of(path, "甲")))]


def test_a_footnote_and_a_picture_build_as_the_guide_shows(project):
    from PIL import Image

    folder = project.content / str(FIXTURE_YEAR)
    (folder / "images").mkdir()
    Image.new("RGB", (40, 30), "orange").save(folder / "images" / "office.png")
    for code, text in (("zh-hant", "經社保局認定的工傷[^1]。\n\n[^1]: 按國家標準統計。\n\n![辦公室](images/office.png)"),
                       ("en", "Work injuries recognised[^1].\n\n[^1]: As the national standard counts them.\n\n"
                              "![The office](images/office.png)")):
        append(section(project, code), f"\n\n{text}\n")
    _, warnings = check(project)            # the fonts draw every character; an image is no exclamation
    assert [p for p in warnings if p.kind != "translation"] == []
    build(project, formats=["html"])
    page = (project.output / str(FIXTURE_YEAR) / "en" / "people.html").read_text(encoding="utf-8")
    assert 'class="footnote-backref">↑</a>' in page


def test_a_scale_with_its_unit_prints_the_scale_word(project):
    append(section(project, "en"), '\n\nThe Company used {{ kpi("energy.electricity", scale="thousand", unit=True) }}.\n')
    append(section(project, "zh-hant"), '\n\n公司用電{{ kpi("energy.electricity") }}兆瓦時。\n')    # its source
    build(project, formats=["html"], editions=["en"])
    page = (project.output / str(FIXTURE_YEAR) / "en" / "environment.html").read_text(encoding="utf-8")
    text = (project.output / str(FIXTURE_YEAR) / "en" / "people.html").read_text(encoding="utf-8") + page
    assert "The Company used 1.00 thousand MWh." in text


def test_a_colon_line_that_closes_no_container_is_one_problem(project):
    """A second `:::` (after a container nested in a box closed the box early) would print as text."""
    path = section(project, "zh-hant", "emissions.md")
    edit(path, "::: case 辦公室節能\n公司在辦公室更換節能照明，並在下班後自動關閉空調。\n:::",
         "::: case 辦公室節能\n公司在辦公室更換節能照明，並在下班後自動關閉空調。\n:::\n\n本段之後。\n:::")
    found = [p for p in problems_of(lambda: check(project)) if p.severity == "error"]
    assert [(p.source, p.line, p.message) for p in found] == [
        (path, line_of(path, "本段之後") + 1, "this `:::` closes no container: it would be printed as text")]
    assert "`:::: case …`" in found[0].hint
