"""The two editions of a section, paragraph by paragraph: what the translator's tools stand on.

A paragraph is a run of lines between blank lines, as `translated_from:` hashes them
(prepare/translations.py). A translation keeps its source's paragraphs in order, so the two files are
aligned by position when they have as many; otherwise by what each paragraph refers to (the figures and
directives, as markup/directives.py declares them), so that a paragraph added on one side does not put
every later one out of step. The alignment serves the check of reference parity, the bilingual review
copy, the XLIFF exchange and the translation memory.
"""

from __future__ import annotations

import difflib
from collections import Counter
from dataclasses import dataclass

from esgreport.errors import Problems
from esgreport.markup.directives import DIRECTIVES, resolve_year
from esgreport.model.report import Reference, Report, SectionFile

# What a reference is when the editions are compared: the directive, and each thing it refers to with
# the year it reads. A scale is how an edition writes a figure (萬 or million), not what it refers to.
RefKey = tuple[str, tuple[tuple[str, str, int | None], ...]]


@dataclass(frozen=True)
class Paragraph:
    line: int                          # its first line in the file
    end: int                           # its last line
    text: str                          # its lines as written, joined by newlines
    references: tuple[Reference, ...]  # the directives called in it

    def keys(self, year: int) -> Counter[RefKey]:
        # The words of report.yaml ({{ year }}, {{ period() }} …) are the language's to place: a translation
        # may say "during the year" where the source names it. Figures and drawn data must agree.
        return Counter(reference_key(r, year) for r in self.references
                       if not (r.targets and all(t.kind == "manifest" for t in r.targets)))


def reference_key(reference: Reference, year: int) -> RefKey:
    return reference.name, tuple((t.kind, t.id, resolve_year(t.year, year) if t.kind == "metric" else None)
                                 for t in reference.targets if t.kind not in ("scale", "restatements"))


def shown(key: RefKey) -> str:
    """A reference as an editor would write it, for messages: kpi("ghg.scope2", year=2022)."""
    name, targets = key
    ids = ", ".join(f'"{i}"' for _, i, _ in targets)
    years = sorted({y for kind, _, y in targets if kind == "metric" and y is not None})
    return f"{name}({ids})" + (f" of {years[0]}" if len(years) == 1 and name in ("kpi", "card") else "")


def paragraphs(source: SectionFile) -> list[Paragraph]:
    """The paragraphs of a section file's body, with their lines and the references made in them."""
    lines = source.body.split("\n")
    spans: list[tuple[int, int]] = []
    start = None
    for number in range(source.body_start, len(lines) + 2):
        blank = number > len(lines) or not lines[number - 1].strip()
        if not blank and start is None:
            start = number
        elif blank and start is not None:
            spans.append((start, number - 1))
            start = None
    out = []
    for first, last in spans:
        text = "\n".join(lines[first - 1:last])
        refs = tuple(r for r in source.references if r.line is not None and first <= r.line <= last)
        out.append(Paragraph(first, last, text, refs))
    return out


Pair = tuple[Paragraph | None, Paragraph | None]


def align(source: list[Paragraph], translation: list[Paragraph], year: int) -> list[Pair]:
    """The paragraphs of a source and its translation, side by side (None where one side has none)."""
    if len(source) == len(translation):
        return list(zip(source, translation))
    keys = [[tuple(sorted(p.keys(year).elements())) for p in side] for side in (source, translation)]
    pairs: list[Pair] = []
    matcher = difflib.SequenceMatcher(None, keys[0], keys[1], autojunk=False)
    for _, a0, a1, b0, b1 in matcher.get_opcodes():
        left, right = source[a0:a1], translation[b0:b1]
        for i in range(max(len(left), len(right))):
            pairs.append((left[i] if i < len(left) else None, right[i] if i < len(right) else None))
    return pairs


def section_pairs(report: Report, section_id: str, source: str, translation: str) -> list[Pair]:
    section = report.section(section_id)
    if section is None or source not in section.sources or translation not in section.sources:
        return []
    return align(paragraphs(section.sources[source]), paragraphs(section.sources[translation]), report.year)


# --- reference parity -------------------------------------------------------------------------------------

def reference_parity(report: Report, problems: Problems, source: str, structure_differs: dict[str, set[str]]) -> None:
    """The figures and directives each paragraph refers to are the same in the translation as in its
    source: a reference dropped, added or swapped for another is a problem at the translation's line.
    What the check of structure already reported (a card or a chart missing) is not reported again."""
    from esgreport.editions import EDITIONS

    for section in report.sections():
        original = section.sources.get(source)
        if original is None:
            continue
        for edition, translated in section.sources.items():
            if edition == source or EDITIONS.get(edition) is None or EDITIONS[edition].source is not None:
                continue
            skip = structure_differs.get(str(translated.path), set())
            for left, right in align(paragraphs(original), paragraphs(translated), report.year):
                _compare(report, left, right, original, translated, edition, source, skip, problems)


def _counted(key: RefKey, skip: set[str]) -> bool:
    """Not a reference whose kind the check of structure found different (a card, a chart …)."""
    directive = DIRECTIVES.get(key[0])
    return not (directive and directive.counts_as in skip)


def _unsound(paragraph: Paragraph | None, report: Report, edition: str) -> bool:
    """A paragraph with a call that does not validate (it makes no reference) or whose targets do not
    resolve: prepare reports it at its line."""
    from esgreport.prepare.references import resolve

    if paragraph is None:
        return False
    calls = paragraph.text.count("{{")
    return calls != len(paragraph.references) or any(resolve(r.targets, report, edition) for r in paragraph.references)


def _typed(paragraph: Paragraph | None, key: RefKey, report: Report) -> bool:
    """The figure a missing reference would show is typed into the paragraph instead: the check of typed
    figures names it (one mistake, one problem)."""
    from esgreport.prepare.typed import typed_numbers

    if paragraph is None:
        return False
    values = set()
    for kind, i, year in key[1]:
        metric = report.metrics.get(i) if kind == "metric" else None
        value = metric.values.get(year) if metric is not None and year is not None else None
        if value is not None:
            values.add(value.normalize())
    return any(v in values for line in paragraph.text.split("\n") for _, v, _ in typed_numbers(line)[1])


def _compare(report: Report, left: Paragraph | None, right: Paragraph | None, original: SectionFile,
             translated: SectionFile, edition: str, source: str, skip: set[str], problems: Problems) -> None:
    if any(_unsound(p, report, e) for p, e in ((left, source), (right, edition))):
        return      # a call that does not validate or resolve is reported at its line; compared once corrected
    want, have = (side.keys(report.year) if side else Counter() for side in (left, right))
    want = Counter({k: n for k, n in want.items() if _counted(k, skip)})
    have = Counter({k: n for k, n in have.items() if _counted(k, skip)})
    missing, extra = list((want - have).elements()), list((have - want).elements())
    if not missing and not extra:
        return
    where = f"{source}/{original.path.name}:{left.line}" if left else f"{source}/{original.path.name}"
    line = right.line if right else None

    def line_of(key: RefKey) -> int | None:
        found = next((r.line for r in (right.references if right else ()) if reference_key(r, report.year) == key), None)
        return found or line

    # A reference in place of another of the same directive is one mistake: swapped.
    for key in list(extra):
        twin = next((m for m in missing if m[0] == key[0]), None)
        if twin is None:
            continue
        missing.remove(twin)
        extra.remove(key)
        problems.add(translated.path, line_of(key),
                     f"the {edition} paragraph refers to {shown(key)} where {where} refers to {shown(twin)}",
                     "a translation refers to the same figures as its source, paragraph by paragraph: "
                     f"write {{{{ {_call(twin)} }}}} as the source does")
    for key in missing:
        if _typed(right, key, report):
            continue
        problems.add(translated.path, line,
                     f"the {edition} paragraph leaves out {shown(key)}, which {where} refers to",
                     f"add {{{{ {_call(key)} }}}} where the source has it" if right else
                     "the translation has no paragraph for it: translate the source paragraph")
    for key in extra:
        problems.add(translated.path, line_of(key),
                     f"the {edition} paragraph refers to {shown(key)}, which {where} does not",
                     "a translation refers to the figures its source refers to: remove it, or add it to the source")


def _call(key: RefKey) -> str:
    name, targets = key
    return f"{name}({', '.join(repr(i).replace(chr(39), chr(34)) for _, i, _ in targets)})"
