"""The generated HKEX and GRI indexes say what the published 2023 indexes say, with real page numbers."""

from __future__ import annotations

import re

import pytest
from conftest import PUBLISHED_YEAR, ROOT, SEED

from esgreport.prepare.report import prepare
from esgreport.render.indexes import disclosure_index

MANDATORY = {"管治架構": "MDR.governance", "匯報原則": "MDR.principles", "匯報範圍": "MDR.boundary"}


def numbers_in(cell: str) -> set[str]:
    cell = re.sub(r"-\s*(\d)(\d)(?=\s*[\u4e00-\u9fff])", r"- \1.\2", cell)   # extraction lost dots: 21 合規經營
    return set(re.findall(r"(?<![\d.])(\d\.\d)(?![\d.])", cell))


def published_hkex() -> dict[str, tuple[str, set[str]]]:
    lines = SEED.read_text(encoding="utf-8").split("\n")[1294:1402]
    rows, aspect = {}, None
    for line in lines:
        if m := re.search(r"層面([AB]\d)", line):
            aspect = m.group(1)
            continue
        cells = line.split("\t")
        status = next((c.strip() for c in cells if c.strip() in ("已披露", "不適用")), None)
        if not status:
            continue
        head = cells[0]
        code = (re.search(r"[AB]\d\.\d", head) or [None])[0]
        if code is None:
            code = next((v for k, v in MANDATORY.items() if k in head), None) or aspect
        rows[code] = (status, numbers_in(cells[-1]))
    return rows


def published_gri() -> dict[str, set[str]]:
    lines = SEED.read_text(encoding="utf-8").split("\n")[1405:1508]
    rows = {}
    for line in lines:
        cells = [c for c in line.split("\t") if c.strip()]
        for i, cell in enumerate(cells):
            if m := re.match(r"\s*(\d{1,3}-\d{1,2})\s", cell):
                rows[m.group(1)] = numbers_in(" ".join(cells[i + 1:]))
    return rows


@pytest.fixture(scope="module")
def report():
    return prepare(ROOT / "content", PUBLISHED_YEAR)


def sections_named(row) -> set[str]:
    """The sections a generated row points to, at the depth the published index names them (3.2 for
    a pointer to 3.2.4: the published index named the section, ours names the sub-section that answers)."""
    return {".".join(loc.number.split(".")[:2]) for loc in row.locations if loc.number}


def generated(report, family):
    index = disclosure_index(report, family, "zh-hant", "金融壹賬通", ("2023年1月1日", "2023年12月31日"))
    return {row.code: row for group in index.groups for row in group.rows}


def test_hkex_index_matches_the_published_one(report):
    published = published_hkex()
    assert len(published) >= 50
    ours = generated(report, "hkex")
    status_label = {"disclosed": "已披露", "not_applicable": "不適用"}
    for code, (status, numbers) in published.items():
        row = ours[code]
        assert status_label[row.status] == status, code
        assert sections_named(row) == numbers, code
        if status == "不適用":
            assert row.explanation, code
    assert set(ours) == set(published)      # nothing more, nothing less


def test_gri_index_matches_the_published_one(report):
    published = published_gri()
    assert len(published) >= 60
    ours = generated(report, "gri")
    assert set(ours) == set(published)
    for code, numbers in published.items():
        assert sections_named(ours[code]) == numbers, code


@pytest.mark.parametrize("code", ["zh-hant"])
def test_index_page_numbers_in_the_pdf_are_real(pdf_texts, code):
    pages = pdf_texts[code].split("\f")
    flat = [re.sub(r"\s+", "", p) for p in pages]
    checked = 0
    for page in pages:
        for number, title, target in re.findall(r"(\d\.\d(?:\.\d)?) ?([^\s\d]{2,20})\s*第(\d+)頁", page):
            heading = f"{number}{title}"
            assert heading in flat[int(target) - 1], f"{heading} is not on page {target}"
            checked += 1
    assert checked > 100
