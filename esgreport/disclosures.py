"""Disclosure frameworks (HKEX ESG guide, GRI) and the content indexes generated from section tags."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from .errors import Problems
from .load import YamlDoc, read_yaml
from .model import Framework, Manifest, ReportDisclosures, validate
from .report import Report

REQUIRED_LEVELS = {"mandatory", "comply_or_explain"}


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


def load_frameworks(content_root: Path, report_folder: Path, manifest: Manifest, manifest_doc: YamlDoc,
                    problems: Problems) -> tuple[dict[str, Framework], ReportDisclosures]:
    frameworks: dict[str, Framework] = {}
    folder = content_root / "frameworks"
    for family, fid in manifest.frameworks.items():
        path = folder / f"{fid}.yaml"
        if not path.exists():
            problems.add(manifest_doc.path, manifest_doc.line_of(("frameworks", family)),
                         f"framework `{fid}` not found ({path.name})",
                         f"use one of: {', '.join(sorted(p.stem for p in folder.glob('*.yaml')))}")
            continue
        fw = validate(Framework, read_yaml(path, content_root), problems)
        if fw is not None:
            frameworks[family] = fw
    path = report_folder / "disclosures.yaml"
    disclosures = ReportDisclosures()
    if path.exists():
        disclosures = validate(ReportDisclosures, read_yaml(path, content_root), problems) or disclosures
    return frameworks, disclosures


def answered_codes(frameworks: Mapping[str, Framework], answer: str) -> dict[str, list[str]]:
    """Codes, by family, that the framework data says the report answers itself (`answered_by:`)."""
    return {family: [code for code, item in fw.codes().items() if (item.model_extra or {}).get("answered_by") == answer]
            for family, fw in frameworks.items()}


def check_tags(report: Report, problems: Problems) -> None:
    """Unknown codes fail; a required HKEX item neither disclosed nor explained fails (comply or explain)."""
    frameworks, disclosures = report.frameworks, report.disclosures
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
            problems.add(report.folder / "disclosures.yaml", None,
                         f"explanation for unknown HKEX code `{code}`", "correct the code")
        for code, item in hkex.codes().items():
            if item.level in REQUIRED_LEVELS and code not in tagged["hkex"] and code not in explained:
                problems.add(doc.path, None,
                             f"HKEX {code} ({(item.title or item.requirement or {}).get('en', '')[:60]}) "
                             "is neither disclosed nor explained",
                             f"tag the section that discloses it with `disclose: {{hkex: [{code}]}}` in "
                             f"report.yaml, or explain why it does not apply under hkex.not_applicable "
                             f"in disclosures.yaml")


def disclosure_index(report: Report, family: str, edition: str, company: str,
                     period: tuple[str, str]) -> DisclosureIndex:
    fw, disclosures = report.frameworks[family], report.disclosures

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
                # An item the report answers itself (restatements) needs no note where it is answered.
                explanation="" if locs and (item.model_extra or {}).get("answered_by") else
                t(not_applicable.get(item.code) or notes.get(item.code)),
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
