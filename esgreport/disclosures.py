"""Disclosure frameworks (HKEX ESG guide, GRI) and the content indexes generated from section tags."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from pydantic import ConfigDict

from .content import Report, validate
from .errors import Problems
from .load import read_yaml
from .model import Localized, Strict

REQUIRED_LEVELS = {"mandatory", "comply_or_explain"}


class FrameworkItem(Strict):
    model_config = ConfigDict(extra="allow")
    code: str
    level: Optional[str] = None
    title: Optional[Localized] = None
    requirement: Optional[Localized] = None


class FrameworkGroup(Strict):
    model_config = ConfigDict(extra="allow")
    id: str
    title: Localized
    items: list[FrameworkItem]


class Framework(Strict):
    model_config = ConfigDict(extra="allow")
    id: str
    family: str
    title: Localized
    groups: list[FrameworkGroup]
    statuses: dict[str, Localized] = {}
    index_columns: dict[str, Localized] = {}
    levels: dict[str, Localized] = {}
    statement_of_use: dict = {}
    gri1_used: dict = {}

    def codes(self) -> dict[str, FrameworkItem]:
        return {item.code: item for group in self.groups for item in group.items}


class ReportDisclosures(Strict):
    """What the report says about items it does not disclose in a section (content, both languages)."""

    model_config = ConfigDict(extra="forbid")
    hkex: dict = {}
    gri: dict = {}


@dataclass
class Location:
    section_id: str
    number: str | None
    title: str
    part_id: str


@dataclass
class IndexRow:
    code: str
    title: str
    requirement: str
    level: str | None
    status: str                     # disclosed | not_applicable | missing | cited
    status_label: str
    locations: list[Location] = field(default_factory=list)
    explanation: str = ""


@dataclass
class IndexGroup:
    id: str
    title: str
    rows: list[IndexRow]


@dataclass
class DisclosureIndex:
    family: str
    title: str
    columns: dict[str, str]
    groups: list[IndexGroup]
    statement: str = ""
    gri1: tuple[str, str] | None = None


def load_frameworks(report: Report, problems: Problems) -> tuple[dict[str, Framework], ReportDisclosures]:
    frameworks: dict[str, Framework] = {}
    folder = report.content_root / "frameworks"
    for family, fid in report.manifest.frameworks.items():
        path = folder / f"{fid}.yaml"
        if not path.exists():
            problems.add(report.manifest_doc.path, report.manifest_doc.line_of(("frameworks", family)),
                         f"framework `{fid}` not found ({path.name})",
                         f"use one of: {', '.join(sorted(p.stem for p in folder.glob('*.yaml')))}")
            continue
        fw = validate(Framework, read_yaml(path), problems)
        if fw is not None:
            frameworks[family] = fw
    path = report.root / "disclosures.yaml"
    disclosures = ReportDisclosures()
    if path.exists():
        disclosures = validate(ReportDisclosures, read_yaml(path), problems) or disclosures
    return frameworks, disclosures


def check_tags(report: Report, frameworks: dict[str, Framework], disclosures: ReportDisclosures,
               problems: Problems) -> None:
    """Unknown codes fail; a required HKEX item neither disclosed nor explained fails (comply or explain)."""
    doc = report.manifest_doc
    tagged: dict[str, set[str]] = {family: set() for family in frameworks}
    for section in report.sections():
        for family in ("hkex", "gri"):
            codes = getattr(section, family)
            fw = frameworks.get(family)
            if fw is None:
                continue
            known = fw.codes()
            for code in codes:
                if code not in known:
                    near = [c for c in known if c.replace(" ", "").lower() == code.replace(" ", "").lower()]
                    problems.add(doc.path, section.manifest_line,
                                 f"section `{section.id}` tags unknown {family.upper()} code `{code}`",
                                 f"did you mean `{near[0]}`?" if near else
                                 f"use a code of frameworks/{fw.id}.yaml (e.g. {', '.join(list(known)[:4])})")
                tagged[family].add(code)
    hkex = frameworks.get("hkex")
    if hkex is not None:
        explained = set((disclosures.hkex or {}).get("not_applicable", {}) or {}) | \
            set((disclosures.hkex or {}).get("explained", {}) or {})
        for code in explained - set(hkex.codes()):
            problems.add(report.root / "disclosures.yaml", None,
                         f"explanation for unknown HKEX code `{code}`", "correct the code")
        for code, item in hkex.codes().items():
            if item.level in REQUIRED_LEVELS and code not in tagged["hkex"] and code not in explained:
                problems.add(doc.path, None,
                             f"HKEX {code} ({(item.title or item.requirement or {}).get('en', '')[:60]}) "
                             "is neither disclosed nor explained",
                             f"tag the section that discloses it with `disclose: {{hkex: [{code}]}}` in "
                             f"report.yaml, or explain why it does not apply under hkex.not_applicable "
                             f"in disclosures.yaml")


def disclosure_index(report: Report, family: str, frameworks: dict[str, Framework],
                     disclosures: ReportDisclosures, edition: str, company: str,
                     period: tuple[str, str]) -> DisclosureIndex:
    fw = frameworks[family]

    def t(loc) -> str:
        return str((loc or {}).get(edition, "")) if isinstance(loc, dict) else str(loc or "")

    where: dict[str, list[Location]] = {}
    for section in report.sections():
        for code in getattr(section, family):
            where.setdefault(code, []).append(
                Location(section.id, section.number, t(section.title), section.part_id))
    extra = (disclosures.hkex if family == "hkex" else disclosures.gri) or {}
    not_applicable = extra.get("not_applicable", {}) or {}
    notes = extra.get("notes", {}) or {}
    groups = []
    for group in fw.groups:
        rows = []
        for item in group.items:
            locs = where.get(item.code, [])
            if locs:
                status = "disclosed"
            elif item.code in not_applicable:
                status = "not_applicable"
            elif item.code in notes:
                status = "cited"
            elif family == "gri":
                continue  # 'with reference to': only the disclosures the report cites are listed
            else:
                status = "missing"
            rows.append(IndexRow(
                code=item.code, title=t(item.title), requirement=t(item.requirement), level=item.level,
                status=status, status_label=t(fw.statuses.get(status)), locations=locs,
                explanation=t(not_applicable.get(item.code) or notes.get(item.code)),
            ))
        if rows:
            groups.append(IndexGroup(group.id, t(group.title), rows))
    statement = ""
    gri1 = None
    if family == "gri":
        kind = extra.get("statement_of_use", "with_reference")
        template = t((fw.statement_of_use or {}).get(kind))
        statement = template.format(company=company, start=period[0], end=period[1],
                                    year=report.manifest.year)
        if fw.gri1_used:
            gri1 = (t(fw.gri1_used.get("label")), t(fw.gri1_used.get("value")))
    return DisclosureIndex(family, t(fw.title), {k: t(v) for k, v in fw.index_columns.items()},
                           groups, statement, gri1)
