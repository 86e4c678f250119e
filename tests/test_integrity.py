"""One number, everywhere: integrity checks, literal figures in prose, disclosure tags."""

from __future__ import annotations

import re

import pytest

from esgreport.errors import ReportError
from esgreport.pipeline import check

REPORT = "2023"


def problems(project) -> list:
    with pytest.raises(ReportError) as info:
        check(project, editions=["en"])
    return info.value.problems


def edit(path, old, new, count=1):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def data(project, name):
    return project.content / REPORT / "data" / name


def test_bundled_data_passes(project):
    assert check(project) > 0


def test_changing_one_breakdown_value_fails(project):
    edit(data(project, "employment.yaml"), "values: {2022: 1836, 2023: 1581}", "values: {2022: 1836, 2023: 1580}")
    found = problems(project)
    (p,) = [p for p in found if "workforce-by-gender" in p.message]
    assert p.source.name == "employment.yaml" and p.line
    assert "2023" in p.message and "2439" in p.message and "2440" in p.message
    assert "correct the breakdown or the total" in p.hint


def test_removing_an_acknowledgement_brings_the_finding_back(project):
    path = data(project, "governance.yaml")
    text = path.read_text(encoding="utf-8")
    start = text.index('  - finding: "formula:board.executive_share:2023"')
    end = text.index('  - finding: "formula:board.non_executive_share:2023"')
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    found = problems(project)
    (p,) = found
    assert p.source.name == "governance.yaml"
    assert "board.executive_share 2023: stated 11.10" in p.message and "11.11" in p.message
    assert 'finding: "formula:board.executive_share:2023"' in p.hint   # how to acknowledge it


def test_an_acknowledgement_does_not_hide_a_new_discrepancy(project):
    # the same finding with a different published value is a new discrepancy
    edit(data(project, "governance.yaml"), "values: {2023: 11.10}", "values: {2023: 11.20}")
    found = problems(project)
    assert any("board.executive_share 2023: stated 11.20" in p.message for p in found)
    assert any("acknowledgement of `formula:board.executive_share:2023`" in p.message for p in found)


def test_derived_values_are_checked_against_stated_ones(project):
    edit(data(project, "environment.yaml"), "values: {2022: 0.47, 2023: 0.45}", "values: {2022: 0.47, 2023: 0.46}")
    found = problems(project)
    assert any(p.message.startswith("ghg.scope2_intensity 2023: stated 0.46") and "0.45" in p.message
               for p in found)


def test_literal_kpi_figure_in_prose_fails(project):
    path = project.content / REPORT / "en" / "employment.md"
    edit(path, '{{ kpi("workforce.total") }}', "2,440")
    found = problems(project)
    (p,) = [p for p in found if "typed into the text" in p.message]
    assert p.source == path
    assert p.line == next(i for i, l in enumerate(path.read_text().split("\n"), 1) if "2,440" in l)
    assert 'kpi("workforce.total")' in p.hint


def test_years_dates_and_section_numbers_are_not_figures(project):
    path = project.content / REPORT / "en" / "board-statement.md"
    path.write_text(path.read_text(encoding="utf-8") +
                    "\n\nOn 18 March 2024, see section 3.2.1 and ISO 27001; in 2023 we served 1,000s.\n",
                    encoding="utf-8")
    assert check(project, editions=["en"]) > 0


def manifest(project):
    return project.content / REPORT / "report.yaml"


def test_removing_a_mandatory_disclosure_tag_fails(project):
    path = manifest(project)
    text = path.read_text(encoding="utf-8")
    assert text.count("MDR.boundary") == 1
    path.write_text(re.sub(r",?\s*MDR\.boundary", "", text), encoding="utf-8")
    found = problems(project)
    (p,) = [p for p in found if "MDR.boundary" in p.message]
    assert p.source == path
    assert "neither disclosed nor explained" in p.message
    assert "disclosures.yaml" in p.hint and "disclose:" in p.hint


def test_mistyped_code_fails(project):
    edit(manifest(project), "B6.5", "B6.55")
    found = problems(project)
    (p,) = [p for p in found if "B6.55" in p.message]
    assert p.source == manifest(project) and p.line
    assert "unknown HKEX code" in p.message


def test_switching_to_the_2025_guide_is_one_line(project):
    edit(manifest(project), "hkex: hkex-esg-2023", "hkex: hkex-esg-2025")
    found = problems(project)
    # the new Part D climate requirements are neither disclosed nor explained yet
    assert any(re.search(r"HKEX D\.\d+", p.message) for p in found)


def test_a_report_on_the_2025_guide_gets_its_index_from_the_new_requirements(project):
    """Switch the framework, tag the climate section with Part D: the index lists Part D, not A4."""
    from esgreport.disclosures import disclosure_index
    from esgreport.pipeline import load

    path = manifest(project)
    edit(path, "hkex: hkex-esg-2023", "hkex: hkex-esg-2025")
    import yaml
    framework = yaml.safe_load((project.content / "frameworks" / "hkex-esg-2025.yaml").read_text())
    part_d = [item["code"] for group in framework["groups"] for item in group["items"]
              if item["code"].startswith("D.") and item.get("level") in ("mandatory", "comply_or_explain")]
    kept = [c for c in ("A1.2",) if c in {i["code"] for g in framework["groups"] for i in g["items"]}]
    edit(path, "hkex: [A1.2, A4, A4.1]", f"hkex: [{', '.join(kept + part_d)}]")
    text = path.read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    report = load(project)
    index = disclosure_index(report, "hkex", report.frameworks, report.disclosures, "en", "OneConnect",
                             ("1 January 2025", "31 December 2025"))
    codes = [row.code for group in index.groups for row in group.rows]
    assert set(part_d) <= set(codes)
    assert "A4" not in codes and "A4.1" not in codes
    d = next(row for group in index.groups for row in group.rows if row.code == part_d[0])
    assert d.status == "disclosed" and [loc.number for loc in d.locations] == ["4.1"]
