"""The KPI data for download: every metric of the report, read back from the CSV, the workbook and the
JSON each edition publishes, and compared with the data files (esgreport/downloads.py)."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest
from conftest import EDITIONS, FIXTURE_YEAR, PUBLISHED_YEAR, edition_folder

from esgreport.editions import EDITIONS as DEFINITIONS
from esgreport.pipeline import build, load
from esgreport.typography.formatting import round_half_up


def files(folder, year: int, code: str) -> dict[str, object]:
    """The three files, read back: CSV rows, the workbook's sheet as rows, the JSON document."""
    from openpyxl import load_workbook
    stem = folder / "data" / f"esg-kpi-{year}-{code}"
    raw = stem.with_suffix(".csv").read_bytes()
    assert raw.startswith("\ufeff".encode()), "the CSV starts with a byte-order mark (Excel reads it as UTF-8)"
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    book = load_workbook(stem.with_suffix(".xlsx"), read_only=True)
    sheet = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    return {"csv": rows, "xlsx": sheet, "json": json.loads(stem.with_suffix(".json").read_text(encoding="utf-8"))}


def assert_matches_the_data(report, code: str, read: dict) -> None:
    lang = DEFINITIONS[code].content_edition
    metrics = report.metrics
    years = sorted({y for m in metrics.values() for y in m.values})

    # JSON: every metric, in the data files' order, with everything about it
    doc = read["json"]
    assert doc["report"]["year"] == report.year and doc["report"]["edition"] == code
    assert doc["years"] == years
    assert [m["id"] for m in doc["metrics"]] == list(metrics)
    for item in doc["metrics"]:
        metric = metrics[item["id"]]
        unit = report.units[metric.unit]
        assert item["label"] == metric.label[lang]
        assert (item["unit"], item["unit_label"]) == (metric.unit, unit.label(lang))
        assert item["basis"] == ("derived" if metric.formula else "stated")
        assert item["formula"] == metric.formula
        assert item["note"] == (metric.note[lang] if metric.note else None)
        assert [v["year"] for v in item["values"]] == sorted(metric.values)
        for v in item["values"]:
            value = metric.values[v["year"]]
            assert v["precision"] == metric.precision_for(v["year"])
            if value is None:
                assert (v["value"], v["basis"]) == (None, "not_reported")
                continue
            stated = round_half_up(value, v["precision"])
            assert Decimal(v["text"]) == stated and v["value"] == float(stated), (item["id"], v)
            assert v["basis"] == ("computed" if v["year"] in metric.derived else "stated")

    # CSV: a row per metric and year, the same values as text
    by_key = {(r["metric_id"], int(r["year"])): r for r in read["csv"]}
    assert len(by_key) == len(read["csv"]) == sum(len(m.values) for m in metrics.values())
    for metric in metrics.values():
        for year, value in metric.values.items():
            row = by_key[metric.id, year]
            assert row["label"] == metric.label[lang] and row["formula"] == (metric.formula or "")
            precision = metric.precision_for(year)
            assert row["value"] == ("" if value is None else f"{round_half_up(value, precision):f}"), row
            assert int(row["precision"]) == precision

    # the workbook: a row per metric, a column per year, numbers as numbers
    header, *rows = read["xlsx"]
    year_columns = {y: header.index(_year_heading(code, y)) for y in years}
    assert [r[0] for r in rows] == list(metrics)
    for row in rows:
        metric = metrics[row[0]]
        assert row[1] == metric.label[lang]
        for year, column in year_columns.items():
            value = metric.values.get(year)
            if year not in metric.values:
                assert row[column] is None
            elif value is None:
                assert row[column] == "-"
            else:
                assert Decimal(str(row[column])) == round_half_up(value, metric.precision_for(year)), (row[0], year)


def _year_heading(code: str, year: int) -> str:
    return f"{year}年" if code == "zh-hant" else str(year)


def test_every_metric_of_the_fixture_report_read_back(project):
    """A derived value (scope 2 of 2025, computed by the formula) is marked as such; stated ones too."""
    build(project, formats=["data"])
    report = load(project)
    assert FIXTURE_YEAR in report.metrics["ghg.scope2"].derived
    for code in EDITIONS:
        read = files(edition_folder(project, code), FIXTURE_YEAR, code)
        assert_matches_the_data(report, code, read)
    scope2 = next(m for m in read["json"]["metrics"] if m["id"] == "ghg.scope2")
    assert {v["year"]: v["basis"] for v in scope2["values"]} == {2024: "stated", 2025: "computed"}
    assert scope2["values"][1]["value"] == 570.3 and scope2["formula"] == "energy.electricity * ghg.grid_factor"


def test_the_data_writer_owns_its_folder_and_rebuilds_the_same_bytes(project):
    from pathlib import PurePosixPath

    from esgreport.writers import owner
    assert owner(PurePosixPath("data/esg-kpi-2025-en.xlsx")) == "data"
    build(project, editions=["en"], formats=["data"])
    folder = edition_folder(project, "en") / "data"
    first = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert sorted(first) == [f"esg-kpi-{FIXTURE_YEAR}-en.{f}" for f in ("csv", "json", "xlsx")]
    build(project, editions=["en"], formats=["html"])              # an HTML-only build keeps the data
    build(project, editions=["en"], formats=["data"])
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == first


@pytest.mark.parametrize("code", EDITIONS)
def test_the_published_report_data_read_back(published, code):
    """The files the home page and the appendix link, for the 2023 report as published."""
    report = published.report
    read = files(published.folder(code), PUBLISHED_YEAR, code)
    assert_matches_the_data(report, code, read)
    scope2 = {(r["metric_id"], r["year"]): r for r in read["csv"]}["ghg.scope2", "2023"]
    assert scope2["value"] == "1097.47" and scope2["unit"] == "tco2e"


def test_text_that_a_spreadsheet_would_run_is_published_as_text(project):
    """A label or note beginning with = (or +, -, @) would run as a formula in Excel (CSV injection):
    the CSV gives it a leading apostrophe and the workbook writes every text cell, headings included,
    as text."""
    from openpyxl import load_workbook

    people = project.content / str(FIXTURE_YEAR) / "data" / "people.yaml"
    text = people.read_text(encoding="utf-8")
    people.write_text(text.replace("en: Total number of employees}",
                                   "en: '=HYPERLINK(\"http://example.com\",\"x\")'}", 1), encoding="utf-8")
    po = project.root / "locales" / "en" / "LC_MESSAGES" / "messages.po"
    po.write_text(po.read_text(encoding="utf-8").replace('msgid "Unit"\nmsgstr "Unit"', 'msgid "Unit"\nmsgstr "=1+1"'),
                  encoding="utf-8")
    build(project, editions=["en"], formats=["data"])
    stem = edition_folder(project, "en") / "data" / f"esg-kpi-{FIXTURE_YEAR}-en"
    rows = list(csv.DictReader(io.StringIO(stem.with_suffix(".csv").read_bytes().decode("utf-8-sig"))))
    labels = {r["label"] for r in rows if r["metric_id"] == "workforce.total"}
    assert labels == {"'=HYPERLINK(\"http://example.com\",\"x\")"}
    assert all(r["qualifier"] in ("", "+") or not r["qualifier"].startswith(("=", "@")) for r in rows)
    sheet = load_workbook(stem.with_suffix(".xlsx")).worksheets[0]
    cells = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")]
    assert cells and all(c.data_type == "s" for c in cells), [(c.coordinate, c.data_type) for c in cells]
