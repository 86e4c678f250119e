"""One strict door: every input file has a strict model, so a misspelt key in any of them is one
problem at its line with the key it resembles, and nothing is silently dropped (fixture report)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import FIXTURE_YEAR, append, edit, line_of, problems_of

from esgreport.pipeline import check, load

Y = str(FIXTURE_YEAR)


def report_file(project, *parts: str) -> Path:
    return project.content.joinpath(Y, *parts)


def shared(project, name: str) -> Path:
    return project.content / name


ORGCHART = """
orgcharts:
  esg_governance:
    title: {zh-hant: ESG管治架構, en: ESG governance structure}
    units:
      - {id: board, name: {zh-hant: 董事會, en: Board}}
      - {id: committee, name: {zh-hant: ESG委員會, en: ESG Committee}, reports_to: board}
"""

ACKNOWLEDGED = """
acknowledged:
  - {finding: "x", found: "1", expected: "2", reason: {zh-hant: 甲, en: a}}
"""


def _with(path_of: Callable, text: str, old: str, new: str) -> Callable:
    """Add `text` to a file (or write it), then misspell `old` as `new` in it."""
    def breaks(project) -> Path:
        path = path_of(project)
        if path.exists():
            append(path, text)
        else:
            path.write_text(text, encoding="utf-8")
        edit(path, old, new)
        return path
    return breaks


def _edit(path_of: Callable, old: str, new: str) -> Callable:
    def breaks(project) -> Path:
        edit(path_of(project), old, new)
        return path_of(project)
    return breaks


def people(p):
    return report_file(p, "data", "people.yaml")


def environment(p):
    return report_file(p, "data", "environment.yaml")


def manifest(p):
    return report_file(p, "report.yaml")


def disclosures(p):
    return report_file(p, "disclosures.yaml")


# (what is broken, how (returns the file), the text on the misspelt line, the message, the name the hint offers)
MISSPELT: list[tuple[str, Callable[..., Path], str, str, str]] = [
    ("manifest", _edit(manifest, "\nperiod:", "\nperiode:"), "periode:",
     "unknown key `periode`", "period"),
    ("manifest-contact", _edit(manifest, "    email:", "    emial:"), "emial:",
     "unknown key `emial`", "email"),
    ("manifest-listing", _edit(manifest, "nyse: HLT", "nyes: HLT"), "nyes:",
     "unknown key `nyes`", "nyse"),
    ("manifest-frameworks", _edit(manifest, "{hkex: hkex-mini,", "{hkx: hkex-mini,"), "hkx:",
     "unknown framework family `hkx`", "hkex"),
    ("manifest-part", _edit(manifest, "    kind: chapter\n    number: \"2\"", "    kind: chapter\n    numbr: \"2\""),
     "numbr:", "unknown key `numbr`", "number"),
    ("data-file", _edit(people, "\ncharts:", "\nchart:"), "chart:",
     "unknown key `chart`", "charts"),
    ("metric", _edit(people, "    unit: sessions", "    unti: sessions"), "unti:",
     "unknown key `unti`", "unit"),
    ("table", _edit(people, "    title: {zh-hant: 僱傭, en: Employment}", "    titel: {zh-hant: 僱傭, en: Employment}"),
     "titel:", "unknown key `titel`", "title"),
    ("table-row", _edit(people, "      - metric: workforce.total", "      - metrc: workforce.total"), "metrc:",
     "unknown key `metrc`", "metric"),
    ("chart", _edit(people, "    type: donut", "    typ: donut"), "typ:",
     "unknown key `typ`", "type"),
    ("orgchart", _with(people, ORGCHART, "reports_to: board", "report_to: board"), "report_to:",
     "unknown key `report_to`", "reports_to"),
    ("check", _edit(people, "equals: workforce.total", "equal: workforce.total"), "equal:",
     "unknown key `equal`", "equals"),
    ("acknowledgement", _with(people, ACKNOWLEDGED, "reason:", "reasn:"), "reasn:",
     "unknown key `reasn`", "reason"),
    ("disclosures", _edit(disclosures, "  not_applicable:", "  not_aplicable:"), "not_aplicable:",
     "unknown key `not_aplicable`", "not_applicable"),
    ("disclosures-gri", _edit(disclosures, "  statement_of_use:", "  statement_of_us:"), "statement_of_us:",
     "unknown key `statement_of_us`", "statement_of_use"),
    ("disclosures-statement", _edit(disclosures, "statement_of_use: with_reference", "statement_of_use: with_referense"),
     "with_referense", "unknown statement of use `with_referense`", "with_reference"),
    ("disclosures-code", _edit(disclosures, "    A1.1:", "    A1.l:"), "A1.l:",
     "unknown HKEX code `A1.l`", "A1.1"),
    ("framework", _edit(lambda p: shared(p, "frameworks/gri-mini.yaml"), "\nstatement_of_use:", "\nstatement_of_uses:"),
     "statement_of_uses:", "unknown key `statement_of_uses`", "statement_of_use"),
    ("framework-group", _edit(lambda p: shared(p, "frameworks/hkex-mini.yaml"), "  - id: B1\n    title:", "  - id: B1\n    tilte:"),
     "tilte:", "unknown key `tilte`", "title"),
    ("framework-item", _edit(lambda p: shared(p, "frameworks/gri-mini.yaml"), "answered_by:", "answerd_by:"),
     "answerd_by:", "unknown key `answerd_by`", "answered_by"),
    ("framework-level", _edit(lambda p: shared(p, "frameworks/hkex-mini.yaml"), "{code: A1.2, level: comply_or_explain",
                              "{code: A1.2, level: comply_or_explian"),
     "comply_or_explian", "unknown level `comply_or_explian`", "comply_or_explain"),
    ("framework-statuses", _edit(lambda p: shared(p, "frameworks/hkex-mini.yaml"), "  not_applicable: {", "  not_aplicable: {"),
     "not_aplicable:", "unknown status `not_aplicable`", "not_applicable"),
    ("glossary", _edit(lambda p: shared(p, "glossary.yaml"), "variants: [GHG]", "variant: [GHG]"), "variant:",
     "unknown key `variant`", "variants"),
    ("glossary-language", _edit(lambda p: shared(p, "glossary.yaml"), "{zh-hant: 董事會", "{zh-hnat: 董事會"), "zh-hnat",
     "unknown key `zh-hnat`", "zh-hant"),
    ("style", _edit(lambda p: shared(p, "style.yaml"), 'prefer: "a full stop"', 'prefr: "a full stop"'), "prefr:",
     "unknown key `prefr`", "prefer"),
    ("style-edition", _edit(lambda p: shared(p, "style.yaml"), "en:", "eng:"), "eng:",
     "unknown edition `eng`", "en"),
    ("terminology", _with(lambda p: shared(p, "terminology.yaml"), "zh-hans:\n  持份者: 利益相关方\n", "zh-hans", "zh-hnas"),
     "zh-hnas", "unknown generated edition `zh-hnas`", "zh-hans"),
    ("sdgs", _with(lambda p: shared(p, "sdgs.yaml"), "13: {zh-hant: 氣候行動, en: Climate Action}\n", "en:", "eng:"),
     "eng:", "unknown edition `eng`", "en"),
    ("front-matter", _edit(lambda p: report_file(p, "en", "workforce.md"), "status: approved", "stauts: approved"),
     "stauts:", "unknown key `stauts`", "status"),
]


def offers(hint: str, name: str) -> bool:
    """The hint is a did-you-mean naming `name` (with at most two other close names)."""
    return re.fullmatch(r"did you mean `[^`]+`( or `[^`]+`){0,2}\?", hint) is not None and f"`{name}`" in hint


@pytest.mark.parametrize("breaks, needle, message, meant", [case[1:] for case in MISSPELT],
                         ids=[case[0] for case in MISSPELT])
def test_a_misspelt_key_in_any_file_is_one_problem_at_its_line(project, breaks, needle, message, meant):
    path = breaks(project)
    (problem,) = problems_of(lambda: check(project))
    assert problem.message == message and offers(problem.hint, meant), problem.hint
    assert (problem.source, problem.line) == (path, line_of(path, needle))


@pytest.mark.parametrize("where, old", [
    ("data/people.yaml", "label: {zh-hant: 培訓場次"),                       # a metric's label
    ("data/environment.yaml", "  - {zh-hant: 範圍二排放"),                  # a table's note
    ("report.yaml", "  slogan: {zh-hant:"),                                 # the manifest
    ("disclosures.yaml", "      zh-hant: 公司業務"),                         # an explanation
])
def test_a_misspelt_edition_in_a_text_is_one_problem(project, where, old):
    path = report_file(project, where)
    edit(path, old, old.replace("zh-hant", "zh-hnat"))
    (problem,) = problems_of(lambda: check(project))
    assert problem.message == "unknown edition `zh-hnat`" and offers(problem.hint, "zh-hant")
    assert (problem.source, problem.line) == (path, line_of(path, "zh-hnat"))


def test_a_misspelt_edition_in_a_framework_text_is_one_problem(project):
    path = shared(project, "frameworks/gri-mini.yaml")
    edit(path, "  disclosure: {zh-hant: 披露項, en: Disclosure}", "  disclosure: {zh-hant: 披露項, en-gb: Disclosure}")
    (problem,) = problems_of(lambda: check(project))
    assert problem.message == "unknown edition `en-gb`" and "`en`" in problem.hint
    assert (problem.source, problem.line) == (path, line_of(path, "en-gb"))


def test_the_fixture_loads_with_no_problem(project):
    report, warnings = check(project)
    assert warnings == []
    assert report.disclosures.hkex.not_applicable["A1.1"]["en"].startswith("The Company's business")
    assert report.disclosures.gri.statement_of_use == "with_reference"
    assert [t.en for t in report.glossary] == ["stakeholders", "Board", "greenhouse gas"]


def test_a_misspelt_key_in_disclosures_is_a_problem_not_a_shorter_index(project):
    """`notes:` misspelt used to leave the GRI index without the item, and no message."""
    path = disclosures(project)
    append(path, '  notes:\n    "2-4": {zh-hant: 不適用, en: "Not applicable: no restatement"}\n')
    report = load(project)
    assert "2-4" in report.disclosures.gri.notes
    edit(path, "  notes:", "  note:")
    (problem,) = problems_of(lambda: check(project))
    assert (problem.message, problem.hint) == ("unknown key `note`", "did you mean `notes`?")
    assert (problem.source, problem.line) == (path, line_of(path, "  note:"))


def test_an_explanation_shows_in_the_index(project):
    """`explained:` (comply or explain) answers an HKEX item and the index prints the explanation."""
    from esgreport.render.indexes import disclosure_index

    edit(manifest(project), "hkex: [B1.1]", "hkex: []")
    edit(disclosures(project), "gri:", "  explained:\n    B1.1: {zh-hant: 見年報。, en: See the annual report.}\ngri:")
    report, _ = check(project)
    index = disclosure_index(report, "hkex", "en", "Harbour Ledger", ("1 January 2025", "31 December 2025"))
    (row,) = [r for g in index.groups for r in g.rows if r.code == "B1.1"]
    assert (row.status, row.explanation) == ("explained", "See the annual report.")


def test_disclosures_for_a_framework_the_report_has_not_is_a_problem(project):
    edit(manifest(project), "frameworks: {hkex: hkex-mini, gri: gri-mini}", "frameworks: {hkex: hkex-mini}")
    edit(manifest(project), ', gri: ["2-1"]', "")
    edit(manifest(project), ', gri: ["305-2"]', "")
    for code in ("zh-hant", "en"):
        edit(report_file(project, code, "gri-index.md"), '{{ disclosure_index("gri") }}', "GRI")
    problems = problems_of(lambda: check(project))
    assert [(p.source.name, p.line, p.message) for p in problems if p.severity == "error"] == [
        ("disclosures.yaml", line_of(disclosures(project), "gri:"), "the report has no GRI framework")]


def _acknowledge_the_finding(project) -> str:
    """Make the gender breakdown disagree with the total, and acknowledge that finding as published."""
    edit(people(project), "values: {2024: 1240, 2025: 1300}", "values: {2024: 1240, 2025: 1301}")
    (finding,) = problems_of(lambda: check(project))
    entry = re.search(r"\{finding: .*\}\}", finding.hint).group(0).replace("…", "as published")
    append(people(project), f"\nacknowledged:\n  - {entry}\n")
    check(project)
    return entry


def test_a_misspelt_acknowledgement_is_one_problem_not_also_its_finding(project):
    _acknowledge_the_finding(project)
    edit(people(project), "reason:", "reasn:")
    (problem,) = problems_of(lambda: check(project))
    assert (problem.message, problem.hint) == ("unknown key `reasn`", "did you mean `reason`?")


def test_a_misspelt_rule_is_one_problem_not_also_a_stale_acknowledgement(project):
    _acknowledge_the_finding(project)
    edit(people(project), "equals: workforce.total", "equal: workforce.total")
    (problem,) = problems_of(lambda: check(project))
    assert (problem.message, problem.hint) == ("unknown key `equal`", "did you mean `equals`?")
