"""The zh-Hant edition carries the published 2023 report: its prose paragraph by paragraph, its tables."""

from __future__ import annotations

import re
import unicodedata

import opencc
import pytest
from conftest import SEED, html_text

FIXES = {"賣賬通": "壹賬通", "賣賬诵": "壹賬通", "賣基金": "壹基金", "牛熊": "生態"}
_t2t = opencc.OpenCC("s2t")   # fold stray simplified characters on both sides the same way
SHINGLE = 6


def normalise(text: str) -> str:
    for bad, good in FIXES.items():
        text = text.replace(bad, good)
    text = _t2t.convert(text)
    return "".join(ch for ch in text if not ch.isspace() and unicodedata.category(ch)[0] not in "PSZC")


def seed_paragraphs() -> list[tuple[int, str]]:
    """Prose paragraphs of the seed: blank-line separated, not table rows, with enough Chinese to count."""
    lines = SEED.read_text(encoding="utf-8").split("\n")
    skip = [(53, 72), (1293, 1513)]     # the printed contents and the two index tables (tables, not prose)
    paragraphs, current, start = [], [], 0
    for number, line in enumerate(lines + [""], 1):
        if any(a <= number <= b for a, b in skip) or "\t" in line or not line.strip():
            if current:
                paragraphs.append((start, "".join(current)))
            current = []
            continue
        if not current:
            start = number
        current.append(line)
    return [(n, p) for n, p in paragraphs if len(re.findall(r"[\u4e00-\u9fff]", p)) >= 25]


def covered_fraction(paragraph: str, haystack: str, grams: set[str]) -> float:
    if len(paragraph) < SHINGLE:
        return 1.0 if paragraph in haystack else 0.0
    hit = [False] * len(paragraph)
    for i in range(len(paragraph) - SHINGLE + 1):
        if paragraph[i:i + SHINGLE] in grams:
            for j in range(i, i + SHINGLE):
                hit[j] = True
    return sum(hit) / len(paragraph)


@pytest.fixture(scope="module")
def edition_text(published):
    text = normalise(html_text(published.folder("zh-hant")))
    grams = {text[i:i + SHINGLE] for i in range(len(text) - SHINGLE + 1)}
    return text, grams


def test_zh_hant_carries_at_least_98_percent_of_the_seed_prose(edition_text):
    text, grams = edition_text
    paragraphs = [(n, normalise(p)) for n, p in seed_paragraphs()]
    assert len(paragraphs) > 150
    total = covered = 0.0
    weak = []
    for line, para in paragraphs:
        fraction = covered_fraction(para, text, grams)
        total += len(para)
        covered += fraction * len(para)
        if fraction < 0.9:
            weak.append(f"seed line {line}: {fraction:.0%} «{para[:40]}…»")
    share = covered / total
    assert share >= 0.98, f"{share:.1%} of the seed's prose found; weakest paragraphs:\n" + "\n".join(weak)


# Table cells the extraction garbled beyond reading (icon labels, SDG names, row-group labels drawn
# as graphics); the edition carries the real text instead, so these cells cannot match.
GARBLED_LINES = {118, 119, 120, 405, 406, 407, 408, 415, 416, 417, 1197, 1201, 1228, 1236, 1423, 1449}


def seed_table_rows() -> list[tuple[int, list[str]]]:
    lines = SEED.read_text(encoding="utf-8").split("\n")
    rows = []
    for number, line in enumerate(lines, 1):
        if "\t" in line and not 53 <= number <= 72 and number not in GARBLED_LINES:
            cells = [normalise(c) for c in line.split("\t")]
            cells = [c for c in cells if len(c) >= 4]
            if cells:
                rows.append((number, cells))
    return rows


def test_every_table_of_the_seed_is_in_the_edition(edition_text):
    """Each table row's cells (with enough text to identify them) appear in the zh-Hant edition."""
    text, grams = edition_text
    missing = []
    rows = seed_table_rows()
    for line, cells in rows:
        for cell in cells:
            if covered_fraction(cell, text, grams) < 0.8:
                missing.append(f"seed line {line}: «{cell[:30]}»")
    share = 1 - len(missing) / sum(len(c) for _, c in rows)
    assert share >= 0.98, f"{len(missing)} table cells not found:\n" + "\n".join(missing[:60])
