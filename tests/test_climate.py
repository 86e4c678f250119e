"""Climate disclosures: the emission inventory (activity × factor, year by year), the library of
emission factors, targets, HKEX Part D by issuer and year, `gaps`, and new-year's climate chapter.

The engine's rules run on the climate fixture (tests/fixtures/climate: two entities, Scope 1, Scope 2
location- and market-based, Scope 3 categories 6 and 7, a target; test factors with round values);
what the company published is read from content/2023.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, append, copy_project, edit, edition_folder, line_of, problems_of
from test_years import fill

from esgreport.pipeline import build, check, load

CLIMATE = Path(__file__).parent / "fixtures" / "climate"
YEAR = 2025


def run(project_root: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "ESGREPORT_NO_VENV": "1"}
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(project_root), *args],
                          capture_output=True, text=True, env=env, timeout=600)


@pytest.fixture
def climate(tmp_path):
    return copy_project(tmp_path, CLIMATE / "content")


def inventory_path(project) -> Path:
    return project.content / str(YEAR) / "inventory.yaml"


def values(report, metric: str) -> dict[int, Decimal | None]:
    return dict(report.metrics[metric].values)


# --- the inventory's sums ----------------------------------------------------------------------------

def test_the_inventory_sums_each_scope_category_and_entity_year_by_year(climate):
    report = load(climate)
    assert values(report, "ghg.scope1") == {2024: Decimal("4.042"), 2025: Decimal("2.771")}
    assert values(report, "ghg.scope2_location") == {2024: Decimal("720.00"), 2025: Decimal("530.0")}
    assert values(report, "ghg.scope3") == {2024: Decimal("80.00"), 2025: Decimal("90.00")}
    assert values(report, "ghg.scope3.business_travel") == {2024: Decimal("30"), 2025: Decimal("45")}
    assert values(report, "ghg.scope3.commuting") == {2024: Decimal("50"), 2025: Decimal("45")}
    assert values(report, "ghg.hk.scope1") == {2024: Decimal("1.542"), 2025: Decimal("0.771")}
    assert values(report, "ghg.sz.scope1") == {2024: Decimal("2.5"), 2025: Decimal("2.0")}
    assert values(report, "ghg.hk.scope2") == {2024: Decimal("280"), 2025: Decimal("180")}
    assert values(report, "ghg.sz.scope2") == {2024: Decimal("440"), 2025: Decimal("350")}
    # the entities add up to the group; a figure the report states is kept, the others are computed
    for year in (2024, 2025):
        assert values(report, "ghg.hk.scope2")[year] + values(report, "ghg.sz.scope2")[year] == \
            values(report, "ghg.scope2_location")[year]
    assert report.metrics["ghg.scope2_location"].derived == {2025}
    assert report.metrics["ghg.scope1"].derived == {2024, 2025}
    # formulas over the inventory's totals: Scope 1 and 2, and its intensity
    assert values(report, "ghg.scope12")[2025] == Decimal("532.771")
    assert round(values(report, "ghg.scope12_intensity")[2025], 4) == Decimal("1.0246")

    # every line is activity × factor, with the factor of its own year or the latest before it
    lines = {(line.source.id, line.year): line for line in report.inventory.lines}
    assert lines[("electricity-hk", 2025)].factor.key == "hk-grid@2025"
    diesel = lines[("diesel-sz", 2025)]
    assert (diesel.factor.key, diesel.older_factor, diesel.emissions) == ("diesel@2024", True, Decimal("2.0000"))


def test_scope2_market_based_takes_certificates_and_the_residual_mix(climate):
    report = load(climate)
    # Shenzhen 2025: 700 MWh, 200 under certificates: (700 − 200) × 0.6 residual = 300; location 700 × 0.5
    assert values(report, "ghg.sz.scope2_market") == {2024: Decimal("480.00"), 2025: Decimal("300.0")}
    assert values(report, "ghg.scope2_market") == {2024: Decimal("760.00"), 2025: Decimal("480.0")}
    # Hong Kong has no instruments nor residual mix: market-based is the location-based figure
    lines = {(line.source.id, line.year): line for line in report.inventory.lines}
    assert lines[("electricity-hk", 2025)].market == lines[("electricity-hk", 2025)].emissions == Decimal("180.0")

    activity = climate.content / str(YEAR) / "data" / "activity.yaml"
    edit(activity, "values: {2024: 0, 2025: 200}", "values: {2024: 0, 2025: 900}")
    found = problems_of(lambda: load(climate))
    assert [p.message for p in found] == ["source `electricity-sz` 2025: 900 covered by instruments, more than "
                                          "the 700 used"]
    assert (found[0].source, found[0].line) == (inventory_path(climate), line_of(inventory_path(climate), "instruments:"))


def test_a_published_figure_that_disagrees_with_activity_times_factor_is_a_finding(climate):
    emissions = climate.content / str(YEAR) / "data" / "emissions.yaml"
    edit(emissions, "values: {2024: 720.00}", "values: {2024: 730.00}")
    (p,) = problems_of(lambda: load(climate))
    assert (p.source, p.line) == (emissions, line_of(emissions, "ghg.scope2_location:"))
    assert p.message == ("ghg.scope2_location 2024: stated 730.00, but the inventory gives 720.00 (energy.electricity.hk "
                         "400 mwh × 0.7 tco2e/mwh `hk-grid@2024` + energy.electricity.sz 800 mwh × 0.55 tco2/mwh "
                         "`cn-grid@2024`)")
    assert '{finding: "inventory:ghg.scope2_location:2024", found: "730.00", expected: "720.00"' in p.hint
    append(emissions, '\nacknowledged:\n  - finding: "inventory:ghg.scope2_location:2024"\n    found: "730.00"\n'
                      '    expected: "720.00"\n    reason: {zh-hant: 按上年度報告披露。, en: As the 2024 report published it.}\n')
    report = load(climate)
    assert values(report, "ghg.scope2_location")[2024] == Decimal("730.00")      # printed as published


def test_a_factor_of_the_wrong_year_is_a_finding(climate):
    path = inventory_path(climate)
    edit(path, "factor: cn-grid\n", "factor: cn-grid@2024\n")
    (p,) = problems_of(lambda: load(climate))
    assert (p.source, p.line) == (path, line_of(path, "factor: cn-grid@2024"))
    assert p.message == ("source `electricity-sz` 2025: computed with `cn-grid@2024`, the factor of 2024, but the "
                         "library has `cn-grid` of 2025")
    assert '{finding: "factor-year:electricity-sz:2025", found: "cn-grid@2024", expected: "cn-grid@2025"' in p.hint
    # accepted with a reason, the choice stands: 2025 is computed with the 2024 factor
    append(path, '\nacknowledged:\n  - finding: "factor-year:electricity-sz:2025"\n    found: "cn-grid@2024"\n'
                 '    expected: "cn-grid@2025"\n    reason: {zh-hant: 沿用上年度因子。, en: The previous factor is kept.}\n')
    assert values(load(climate), "ghg.sz.scope2")[2025] == Decimal("385.00")       # 700 × 0.55


def test_a_year_without_a_factor_in_the_library_is_one_problem(climate):
    activity = climate.content / str(YEAR) / "data" / "activity.yaml"
    edit(activity, "values: {2024: 1000, 2025: 800}", "values: {2023: 900, 2024: 1000, 2025: 800}")
    (p,) = problems_of(lambda: load(climate))
    assert p.message == "source `diesel-sz`: the library has no factor `diesel` for 2023 or any year before"
    assert p.line == line_of(inventory_path(climate), "factor: diesel")


def test_inventory_mistakes_are_one_problem_each_at_their_line(climate):
    path = inventory_path(climate)
    edit(path, "activity: fuel.diesel.sz", "activity: fuel.diesle.sz")
    edit(path, "factor: air-travel", "factor: air-travle")
    edit(path, "factor: commuting}", "factor: cn-grid}")
    found = problems_of(lambda: load(climate))
    assert [(p.line, p.message) for p in found] == [
        (line_of(path, "fuel.diesle.sz"), "source `diesel-sz`: unknown metric `fuel.diesle.sz`"),
        (line_of(path, "air-travle"), "source `flights`: unknown factor `air-travle`"),
        (line_of(path, "id: commuting"), "source `commuting`: factor `cn-grid` is per `mwh`, but the activity "
                                         "`commuting.distance` is in `passenger_km`"),
    ]
    assert found[0].hint == "did you mean `fuel.diesel.sz`?" and found[1].hint == "did you mean `air-travel`?"


def test_scope3_categories_are_each_reported_or_excluded_with_a_reason(climate):
    path = inventory_path(climate)
    edit(path, "  15: {zh-hant: 沒有重大投資。, en: No material investments.}\n", "")
    edit(path, "  5: {zh-hant: 廢棄物量不大。, en: Waste is immaterial.}\n",
         "  5: {zh-hant: 廢棄物量不大。, en: Waste is immaterial.}\n  6: {zh-hant: 不適用。, en: Not applicable.}\n")
    found = problems_of(lambda: load(climate))
    assert [p.message for p in found] == [
        "Scope 3 category 6 (Business travel) is reported by a source and excluded",
        "Scope 3 category 15 (Investments) is neither reported nor excluded"]


def test_the_factor_library_names_gas_gwp_source_and_year(climate):
    path = climate.content / "factors" / "test-factors.yaml"
    edit(path, "value: 771, emits: kgco2e, per: kg, gas: HFC-32, gwp: AR6,", "value: 771, emits: kgco2e, per: kgs, gas: HFC-32,")
    found = problems_of(lambda: load(climate))
    assert [p.message for p in found] == ["factors.6: a HFC-32 factor names the IPCC assessment its global-warming "
                                          "potentials come from: `gwp: AR5` or `gwp: AR6`"]
    edit(path, "gas: HFC-32,", "gas: HFC-32, gwp: AR5,")
    found = problems_of(lambda: load(climate))
    assert [p.message for p in found] == ["factor `gwp-hfc-32@2021` is per unknown unit `kgs`"]
    edit(path, "per: kgs,", "per: kg,")
    (p,) = problems_of(lambda: load(climate))
    assert p.message == "source `refrigerant-hk`: factor `gwp-hfc-32` uses AR5 global-warming potentials, the inventory AR6"


# --- targets -------------------------------------------------------------------------------------------

def test_target_progress_is_computed_and_shown_as_a_table_and_a_chart(climate):
    report = load(climate)
    (target,) = report.inventory.targets
    assert target.baseline_value == Decimal("724.042") and target.target_value == Decimal("506.8294")
    assert values(report, "ghg.target.scope12_level") == {2024: Decimal("506.8294"), 2025: Decimal("506.8294")}
    assert round(values(report, "ghg.target.scope12_reduction")[2025], 1) == Decimal("26.4")
    assert round(values(report, "ghg.target.scope12_progress")[2025], 1) == Decimal("88.1")
    assert values(report, "ghg.target.scope12_progress")[2024] == 0

    build(climate, formats=["html"], editions=["en"])
    page = (edition_folder(climate, "en") / "climate.html").read_text(encoding="utf-8")
    assert "Progress towards Climate-related Targets" in page
    assert '<span class="int">88</span><span class="frac">.1</span>' in page            # progress, per cent
    assert '<span class="int">26</span><span class="frac">.4</span>' in page            # below the baseline
    assert 'id="chart-scope12_target-title"' in page and "Target level for 2030" in page


def test_a_target_needs_its_baseline(climate):
    path = inventory_path(climate)
    edit(path, "baseline: 2024", "baseline: 2023")
    (p,) = problems_of(lambda: load(climate))
    assert p.message == "target `scope12-2030`: `ghg.scope12` has no value for the baseline year 2023"
    assert p.line == line_of(path, "baseline: 2023")


# --- Part D by issuer and year; reliefs; gaps ------------------------------------------------------------

def test_check_asks_for_part_d_items_by_the_issuers_category(climate):
    manifest = climate.content / str(YEAR) / "report.yaml"
    edit(manifest, '"D.26(c)", ', "")
    (p,) = problems_of(lambda: check(climate))
    assert p.message == "HKEX D.26(c) (Scope 3 greenhouse gas emissions) is neither disclosed nor explained"
    edit(manifest, "issuer: main_board", "issuer: gem")          # voluntary for a GEM issuer
    check(climate)
    edit(manifest, '"D.26(a)", ', "")                            # Scope 1: mandatory for every issuer
    (p,) = problems_of(lambda: check(climate))
    assert p.message.startswith("HKEX D.26(a) (Scope 1 greenhouse gas emissions)")
    edit(manifest, "issuer: gem\n", "")
    found = problems_of(lambda: check(climate))
    assert any(p.message == "hkex-climate-mini sets what an issuer must disclose by its category, and report.yaml "
                            "states none" for p in found)


def test_a_relief_is_applied_until_it_expires(climate):
    manifest = climate.content / str(YEAR) / "report.yaml"
    disclosures = climate.content / str(YEAR) / "disclosures.yaml"
    edit(manifest, '"D.26(c)", ', "")
    edit(manifest, "D.22, D.23, D.24", "D.22, D.24")
    disclosures.write_text("hkex:\n  reliefs:\n    D.26(c): interim\n    D.23: reasonable-information\n", encoding="utf-8")
    check(climate)
    report = load(climate)
    from esgreport.prepare.gaps import assess
    states = {g.item.code: (g.state, g.relief, g.until) for g in assess(report, report.frameworks["hkex"]).items}
    assert states["D.26(c)"] == ("relief", "interim", 2026) and states["D.23"][:2] == ("relief", "reasonable-information")

    framework = climate.content / "frameworks" / "hkex-climate-mini.yaml"
    edit(framework, "until: 2026", "until: 2024")
    (p,) = problems_of(lambda: check(climate))
    assert (p.source, p.line) == (disclosures, 3)
    assert p.message == "relief `interim` for D.26(c) ended with the financial year 2024"
    edit(framework, "until: 2024", "until: 2026")
    disclosures.write_text("hkex:\n  reliefs:\n    D.26(c): commensurate-approach\n    D.23: reasonable-information\n",
                           encoding="utf-8")
    (p,) = problems_of(lambda: check(climate))
    assert p.message == "relief `commensurate-approach` does not cover D.26(c)"


def test_the_index_shows_a_relief_applied(climate):
    edit(climate.content / str(YEAR) / "report.yaml", '"D.26(c)", ', "")
    (climate.content / str(YEAR) / "disclosures.yaml").write_text("hkex:\n  reliefs:\n    D.26(c): interim\n",
                                                                  encoding="utf-8")
    build(climate, formats=["html"], editions=["en"])
    page = (edition_folder(climate, "en") / "appendix.html").read_text(encoding="utf-8")
    assert "Relief applied" in page and "Interim provisions for the first two reporting years" in page


def test_gaps_lists_part_d_disclosed_on_the_fixture(climate):
    shutil.copy(ROOT / "content" / "frameworks" / "hkex-esg-2025.yaml", climate.content / "frameworks")
    result = run(climate.root, "gaps", "--framework", "hkex-esg-2025")
    assert result.returncode == 0, result.stderr
    part_d = [line for line in result.stdout.splitlines() if line.startswith("D.")]
    assert len(part_d) == 14 and all("disclosed" in line for line in part_d), result.stdout
    assert any(line.split()[:2] == ["D.26(a)", "26(a)*"] and line.endswith("1.4 Metrics and Targets")
               for line in part_d)
    assert "not confirmed against the published text (items marked *)" in result.stdout
    markdown = run(climate.root, "gaps", "--framework", "hkex-esg-2025", "--markdown").stdout
    assert "| D.29 | 29* | Climate-related targets | comply_or_explain | disclosed | 1.4 Metrics and Targets |" in markdown


def test_gaps_lists_part_d_missing_on_the_2023_report(published_copy):
    result = run(published_copy.root, "gaps", "--framework", "hkex-esg-2025", "--year", "2023")
    assert result.returncode == 0, result.stderr
    rows = {line.split()[0]: line for line in result.stdout.splitlines() if line.startswith("D.")}
    framework = yaml.safe_load((ROOT / "content" / "frameworks" / "hkex-esg-2025.yaml").read_text(encoding="utf-8"))
    part_d = [item for g in framework["groups"] if g.get("area") == "D" for item in g["items"]]
    assert set(rows) == {item["code"] for item in part_d}
    for item in part_d:
        line = rows[item["code"]]
        assert line.split()[1] == item["paragraph"] + "*"            # its paragraph, marked unconfirmed
        assert ("voluntary" if item["code"] == "D.28" else "MISSING") in line
    assert "assessed as if it were in force in 2025" in result.stdout
    assert "assessed as a Main Board issuer" in result.stdout


def test_the_test_framework_keeps_step_with_hkex_esg_2025():
    def part_d(path: Path):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        items = {i["code"]: (i.get("paragraph"), i.get("phasing"), i.get("level")) for g in data["groups"]
                 for i in g["items"] if i["code"].startswith("D.")}
        reliefs = {k: (v["covers"], v.get("until")) for k, v in data["reliefs"].items()}
        return items, data["phasing"], reliefs
    assert part_d(CLIMATE / "content" / "frameworks" / "hkex-climate-mini.yaml") == \
        part_d(ROOT / "content" / "frameworks" / "hkex-esg-2025.yaml")


def test_part_d_items_carry_paragraphs_cross_references_and_their_doubts():
    data = yaml.safe_load((ROOT / "content" / "frameworks" / "hkex-esg-2025.yaml").read_text(encoding="utf-8"))
    items = [i for g in data["groups"] if g.get("area") == "D" for i in g["items"]]
    assert items and all(i["paragraph"] and i["verified"] is False and i["ifrs_s2"] for i in items)
    assert data["unconfirmed"] and data["effective"] == 2025
    assert data["phasing"]["part-d"]["largecap"] == {2025: "comply_or_explain", 2026: "mandatory"}


# --- the published 2023 report ---------------------------------------------------------------------------

def test_check_on_2023_reports_the_scope2_comparative_computed_with_another_factor(published_copy):
    environment = published_copy.content / "2023" / "data" / "environment.yaml"
    text = environment.read_text(encoding="utf-8")
    start = text.index('  - finding: "inventory:ghg.scope2:2022"')
    environment.write_text(text[:start] + text[text.index('  - finding: "formula:waste'):], encoding="utf-8")
    found = problems_of(lambda: load(published_copy, 2023))
    emissions = [p for p in found if "ghg.scope" in p.message]
    assert [p.message for p in emissions] == [
        "ghg.scope2 2022: stated 1326.30, but the inventory gives 1294.02 (energy.electricity 2269.01 mwh × "
        "0.5703 tco2/mwh `cn-grid-average@2022`)"]
    assert emissions[0].line == line_of(environment, "ghg.scope2:")


def test_emissions_traces_each_figure_to_activity_and_factor(published_copy):
    result = run(published_copy.root, "emissions", "--year", "2023")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert ("energy.electricity 2,269.01 MWh × 0.5703 tco2/MWh [cn-grid-average@2022] = 1,294.02 tCO2e" in out)
    assert "Scope 2, location-based: 1,294.02 tCO2e → ghg.scope2 (stated 1,326.30)" in out
    assert "[cn-grid-average@2022, the latest the library has] = 1,097.47 tCO2e" in out
    assert ("cn-grid-average@2022: 0.5703 tco2/MWh CO2, Chinese mainland (national grid) — Ministry of Ecology and "
            "Environment of the People's Republic of China, Notice on Effectively Managing Greenhouse Gas Emission "
            "Reporting by Enterprises in the Power Generation Industry for 2023–2025, 2023-02 [not verified: published]") in out
    assert "Scope 3: not assessed" in out


# --- new-year's climate chapter ----------------------------------------------------------------------------

def test_new_year_adds_a_climate_chapter_in_a_year_part_d_applies(published_copy):
    project = published_copy
    assert run(project.root, "new-year", "2024").returncode == 0
    manifest = yaml.safe_load((project.content / "2024" / "report.yaml").read_text(encoding="utf-8"))
    assert manifest["frameworks"]["hkex"] == "hkex-esg-2023"
    assert "climate" not in [p["id"] for p in manifest["parts"]]          # Part D does not apply to 2024

    fill(project, 2024, lambda metric, before: "n/a" if before is None else           # as test_years does
         (before - 10 if metric == "training.trained.male" else before))
    started = run(project.root, "new-year", "2025")
    assert started.returncode == 0, started.stderr
    # The framework in force moves on with the year (new-year's roll-forward says so); the climate step
    # then drops the tags the 2025 code no longer has.
    assert "hkex-esg-2023 → hkex-esg-2025" in started.stderr, started.stderr
    assert "A4 (climate-change), A4.1 (climate-change)" in started.stderr
    folder = project.content / "2025"
    manifest = yaml.safe_load((folder / "report.yaml").read_text(encoding="utf-8"))
    assert manifest["frameworks"]["hkex"] == "hkex-esg-2025"
    ids = [p["id"] for p in manifest["parts"]]
    assert ids.index("climate") == ids.index("appendix") - 1
    chapter = manifest["parts"][ids.index("climate")]
    assert [s["id"] for s in chapter["sections"]] == ["climate-governance", "climate-strategy",
                                                       "climate-risk-management", "climate-metrics-targets"]
    assert chapter["sections"][3]["disclose"]["hkex"][:2] == ["D.26(a)", "D.26(b)"]
    for code, mark in (("zh-hant", "〔待撰寫〕"), ("en", "[To be written]")):
        body = (folder / code / "climate-metrics-targets.md").read_text(encoding="utf-8")
        assert body.startswith("---\nstatus: draft\n---\n") and mark in body
        assert '{{ kpi_table("ghg_inventory") }}' in body and '{{ chart("ghg_by_scope") }}' in body
    climate_data = yaml.safe_load((folder / "data" / "climate.yaml").read_text(encoding="utf-8"))
    assert set(climate_data["metrics"]) == {"ghg.scope1", "ghg.scope2_market", "ghg.scope3"}
    assert [r["metric"] for r in climate_data["tables"]["ghg_inventory"]["rows"]] == \
        ["ghg.scope1", "ghg.scope2", "ghg.scope2_market", "ghg.scope3"]

    edit(folder / "report.yaml", "frameworks: {hkex: hkex-esg-2025, gri: gri-2021}",
         "frameworks: {hkex: hkex-esg-2025, gri: gri-2021}\nissuer: main_board")
    _, found = check(project, year=2025, draft=True)
    mine = ("report.yaml", "inventory.yaml", "climate.yaml", *(f"{s}.md" for s in (
        "climate-governance", "climate-strategy", "climate-risk-management", "climate-metrics-targets")))
    # Who supplies the new figures is the team's to say: the owner warning is expected, nothing else.
    climate_problems = [p for p in found if ((p.source is not None and p.source.name in mine)
                                             or "HKEX" in p.message or "climate" in p.message)
                        and p.kind != "owner"]
    assert climate_problems == []
    build(project, year=2025, formats=["html"], editions=["en"], draft=True)
    page = (edition_folder(project, "en", 2025) / "climate.html").read_text(encoding="utf-8")
    assert "[To be written]" in page and "Greenhouse Gas Emissions by Scope" in page


def test_new_year_adds_no_climate_chapter_where_the_framework_has_no_part_d(project):
    from esgreport.commands.new_year import new_year
    created = new_year(project, 2026)
    assert created.climate == []
    assert not (project.content / "2026" / "data" / "climate.yaml").exists()


def test_a_malformed_activity_figure_is_one_problem_not_also_an_unknown_metric(climate):
    """A figure written the way a European spreadsheet writes it makes the metric malformed; the sources
    that use it are left out quietly: one mistake, one problem, at the value."""
    data = climate.content / "2025" / "data" / "activity.yaml"
    edit(data, "values: {2024: 400, 2025: 300}", 'values: {2024: 400, 2025: "1.300,5"}')
    (p,) = problems_of(lambda: load(climate))
    assert p.source == data and "1.300,5 is not a number" in p.message
