"""Every item of a framework with its state for a report: disclosed (where), not applicable, explained,
relief applied (until when), voluntary or not yet required, or missing.

What an item requires may depend on the issuer and the year: a framework that phases its requirements in
(`phasing:`) gives each issuer category a level from a financial year on (content/frameworks/*.yaml); the
report says its category (`issuer:` in report.yaml). A report of a year before a framework takes effect
is assessed as if it were in force, which is what a gap analysis asks. `check` reports the missing
required items of the report's own framework (frameworks.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from esgreport.errors import Problems, did_you_mean
from esgreport.model.inputs import Framework, FrameworkItem, IndexAnswers, Localized, Relief
from esgreport.model.load import read_yaml
from esgreport.model.report import Report

REQUIRED_LEVELS = {"mandatory", "comply_or_explain"}
# The category assessed where a report does not state its own.
DEFAULT_CATEGORY = "main_board"


@dataclass(frozen=True)
class Gap:
    item: FrameworkItem
    group: Localized
    level: str | None                # for this issuer and year; None: not yet required
    # disclosed | not_applicable | explained | relief | cited | voluntary | not_required | optional | missing
    state: str
    where: tuple[tuple[str | None, Localized], ...] = ()    # sections: (number, title)
    answer: Localized | None = None  # the explanation, or the relief's title
    relief: str | None = None        # the relief's id
    until: int | None = None         # the last year the relief may be applied

    @property
    def required(self) -> bool:
        return self.level in REQUIRED_LEVELS


@dataclass
class Gaps:
    framework: Framework
    year: int                        # the financial year assessed
    category: str                    # the issuer category assessed
    notes: list[str] = field(default_factory=list)      # what was assumed
    items: list[Gap] = field(default_factory=list)

    def missing(self) -> list[Gap]:
        return [g for g in self.items if g.state == "missing"]


def level_for(framework: Framework, item: FrameworkItem, category: str, year: int) -> str | None:
    """The item's level for an issuer of `category` in `year`: its phasing's latest step by then (None
    before the first), or its `level:`."""
    if item.phasing is None:
        return item.level
    steps = framework.phasing[item.phasing].get(category, {})
    started = [y for y in steps if y <= year]
    return steps[max(started)] if started else None


def assess(report: Report, framework: Framework) -> Gaps:
    """The state of every item of `framework` (repealed ones left out) for `report`."""
    family = framework.family
    year = report.year
    notes = []
    if framework.effective is not None and year < framework.effective:
        notes.append(f"{framework.id} applies from financial years starting in {framework.effective}: the "
                     f"{report.year} report is assessed as if it were in force in {framework.effective}")
        year = framework.effective
    category = report.manifest.issuer
    if category is None:
        category = DEFAULT_CATEGORY
        if framework.phasing:
            notes.append(f"report.yaml states no `issuer:`; assessed as a Main Board issuer ({DEFAULT_CATEGORY})")
    gaps = Gaps(framework, year, category, notes)

    where: dict[str, list[tuple[str | None, Localized]]] = {}
    for section in report.sections():
        for code in getattr(section, family, ()):
            where.setdefault(code, []).append((section.number, section.title))
    answers: IndexAnswers = getattr(report.disclosures, family)
    for group in framework.groups:
        for item in group.items:
            if item.repealed:
                continue
            level = level_for(framework, item, category, year)
            gaps.items.append(_state(framework, item, group.title, level, where.get(item.code, []), answers))
    return gaps


def _state(framework: Framework, item: FrameworkItem, group: Localized, level: str | None,
           where: list[tuple[str | None, Localized]], answers: IndexAnswers) -> Gap:
    code = item.code
    if where:
        return Gap(item, group, level, "disclosed", tuple(where))
    if code in answers.not_applicable:
        return Gap(item, group, level, "not_applicable", answer=answers.not_applicable[code])
    if code in answers.explained:
        return Gap(item, group, level, "explained", answer=answers.explained[code])
    if code in answers.reliefs:
        relief: Relief | None = framework.reliefs.get(answers.reliefs[code])
        if relief is not None:
            return Gap(item, group, level, "relief", answer=relief.title, relief=answers.reliefs[code],
                       until=relief.until)
    if code in answers.notes:
        return Gap(item, group, level, "cited", answer=answers.notes[code])
    if level is None:
        return Gap(item, group, level, "not_required" if item.phasing else "optional")
    if level not in REQUIRED_LEVELS:
        return Gap(item, group, level, "voluntary")
    return Gap(item, group, level, "missing")


def check_reliefs(report: Report, framework: Framework, problems: Problems) -> None:
    """A relief a report applies exists, covers the item, is for the report's issuer, and has not expired."""
    answers: IndexAnswers = getattr(report.disclosures, framework.family)
    if not answers.reliefs:
        return
    path = report.folder / "disclosures.yaml"
    doc = read_yaml(path, report.content_root)
    category = report.manifest.issuer or DEFAULT_CATEGORY
    for code, rid in answers.reliefs.items():
        line = doc.line_of((framework.family, "reliefs", code))
        relief = framework.reliefs.get(rid)
        if relief is None:
            problems.add(path, line, f"{code}: `{framework.id}` has no relief `{rid}`",
                         did_you_mean(rid, framework.reliefs, f"use one of: {', '.join(framework.reliefs) or 'none'}"))
        elif code not in relief.covers:
            problems.add(path, line, f"relief `{rid}` does not cover {code}",
                         f"it covers {', '.join(relief.covers)}; disclose {code} or explain why not")
        elif category not in relief.issuers:
            problems.add(path, line, f"relief `{rid}` is not for a {category} issuer",
                         f"it is for {', '.join(relief.issuers)}")
        elif relief.until is not None and report.year > relief.until:
            problems.add(path, line, f"relief `{rid}` for {code} ended with the financial year {relief.until}",
                         f"the {report.year} report discloses {code}, or explains why not")


def check_issuer(report: Report, framework: Framework, problems: Problems) -> None:
    """A report under a framework that phases its requirements in by issuer states its category."""
    if not framework.phasing or report.manifest.issuer is not None:
        return
    if framework.effective is not None and report.year < framework.effective:
        return
    doc = report.manifest_doc
    problems.add(doc.path, doc.line_of(("frameworks",)),
                 f"{framework.id} sets what an issuer must disclose by its category, and report.yaml states none",
                 "add `issuer: main_board` (or `largecap`: a Hang Seng Composite LargeCap Index constituent "
                 "throughout the year before; or `gem`)")
