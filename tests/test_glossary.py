"""Agreed terms: where a zh-hant section uses a glossary term, its English section uses the agreed rendering.

content/glossary.yaml is a list of `{zh-hant: 持份者, en: stakeholders}` entries, with optional
`variants:` (other acceptable English forms) and `note:`. For every section, every term whose
zh-hant form occurs in the zh-hant body (outside `{{ ... }}` references) must have its English form,
or one of its variants, in the English body. The English match ignores case, treats curly and
straight quotation marks alike, and allows a plural or possessive ending (stakeholder → stakeholders,
Board → Board’s); it does not match inside a longer word (SME is not found in "assessment").
A term that is part of a longer glossary term is only asked for where it stands on its own.
Section titles in report.yaml are checked the same way.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from esgreport.content import find_report_dir, load_report
from esgreport.pipeline import load

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
GLOSSARY = CONTENT / "glossary.yaml"

REFERENCE = re.compile(r"\{\{.*?\}\}", re.S)
FOLD = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "\u00a0": " "})


def load_glossary() -> list[dict]:
    data = yaml.safe_load(GLOSSARY.read_text(encoding="utf-8"))
    assert isinstance(data, list), f"{GLOSSARY} must be a list of terms"
    return data


def without_front_matter(text: str) -> str:
    if text.startswith("---"):
        end = text.find("\n---", 3)
        if end != -1:
            return text[end + 4:]
    return text


def zh_text(text: str) -> str:
    return REFERENCE.sub(" ", text)


def en_text(text: str) -> str:
    text = REFERENCE.sub(" ", text).translate(FOLD)
    text = text.replace("*", "")                  # emphasis around titles
    return re.sub(r"\s+", " ", text).lower()


def en_pattern(form: str) -> re.Pattern:
    form = re.sub(r"\s+", " ", form.translate(FOLD)).lower().strip()
    return re.compile(r"(?<![a-z0-9])" + re.escape(form) + r"(?:s|es|'s|s')?(?![a-z0-9])")


def missing_terms(glossary: list[dict], zh: str, en: str) -> list[str]:
    zh, en = zh_text(zh), en_text(en)
    out = []
    # Longest terms first; a term found is blanked out, so that a shorter term inside it
    # (金融科技 in 壹賬通金融科技有限公司) is not asked for where the longer one is rendered as a whole.
    for entry in sorted(glossary, key=lambda e: -len(e["zh-hant"])):
        term = entry["zh-hant"]
        if term not in zh:
            continue
        zh = zh.replace(term, "\0")
        forms = [entry["en"], *entry.get("variants", [])]
        if not any(en_pattern(f).search(en) for f in forms):
            expected = entry["en"] + (f" (or {', '.join(entry['variants'])})" if entry.get("variants") else "")
            out.append(f"{term} → expected “{expected}”")
    return out


@pytest.fixture(scope="module")
def report():
    return load_report(find_report_dir(CONTENT))


@pytest.fixture(scope="module")
def glossary():
    return load_glossary()


def test_glossary_entries_are_well_formed(glossary):
    seen = {}
    problems = []
    for i, entry in enumerate(glossary):
        where = f"entry {i + 1} ({entry.get('zh-hant')})"
        if not isinstance(entry, dict):
            problems.append(f"entry {i + 1} is not a mapping")
            continue
        unknown = set(entry) - {"zh-hant", "en", "variants", "note"}
        if unknown:
            problems.append(f"{where}: unknown keys {sorted(unknown)}")
        for key in ("zh-hant", "en"):
            if not isinstance(entry.get(key), str) or not entry[key].strip():
                problems.append(f"{where}: `{key}` is missing or empty")
        if not isinstance(entry.get("variants", []), list):
            problems.append(f"{where}: `variants` must be a list")
        term = entry.get("zh-hant")
        if term in seen:
            problems.append(f"{where}: `{term}` is already entry {seen[term]}; keep one rendering")
        seen[term] = i + 1
    assert not problems, "\n".join(problems)


def test_loader_reads_the_glossary(report, glossary):
    assert report.glossary == [e for e in glossary if isinstance(e, dict)]


def test_english_sections_use_the_agreed_terms(report, glossary):
    failures = []
    for section in report.sections():
        zh, en = section.sources.get("zh-hant"), section.sources.get("en")
        if zh is None or en is None:
            continue
        for problem in missing_terms(glossary, without_front_matter(zh.body), without_front_matter(en.body)):
            failures.append(f"{section.id} ({en.path.name}): {problem}")
    assert not failures, "terms not rendered as in content/glossary.yaml:\n" + "\n".join(failures)


def test_english_titles_use_the_agreed_terms(report, glossary):
    failures = []
    for section in report.sections():
        for problem in missing_terms(glossary, section.title.get("zh-hant", ""), section.title.get("en", "")):
            failures.append(f"{section.id} (title in report.yaml): {problem}")
    assert not failures, "titles not rendered as in content/glossary.yaml:\n" + "\n".join(failures)


def test_a_glossary_that_is_not_a_list_is_named(project):
    from esgreport.errors import ReportError

    (project.content / "glossary.yaml").write_text("持份者: stakeholders\n", encoding="utf-8")
    with pytest.raises(ReportError) as info:
        load(project)
    assert any(p.source is not None and p.source.name == "glossary.yaml" and "list of terms" in p.message for p in info.value.problems)
