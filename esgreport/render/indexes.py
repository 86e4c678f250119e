"""The content indexes (HKEX, GRI) of an edition, generated from the frameworks and section tags."""


from __future__ import annotations

from dataclasses import dataclass, field

from esgreport.model.report import Report


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
    status: str                     # disclosed | not_applicable | explained | cited | missing
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
    answers = disclosures.hkex if family == "hkex" else disclosures.gri
    groups = []
    for group in fw.groups:
        rows = []
        for item in group.items:
            if item.repealed:
                continue
            locs = where.get(item.code, [])
            relief = fw.reliefs.get(answers.reliefs.get(item.code, ""))
            if locs:
                status = "disclosed"
            elif item.code in answers.not_applicable:
                status = "not_applicable"
            elif item.code in answers.explained:
                status = "explained"
            elif relief is not None:
                status = "relief"
            elif item.code in answers.notes:
                status = "cited"
            elif family == "gri":
                continue  # 'with reference to': only the disclosures the report cites are listed
            else:
                status = "missing"
            rows.append(IndexRow(
                code=item.code, title=t(item.title), requirement=t(item.requirement), level=item.level,
                status=status, status_label=t(fw.statuses.get(status)), locations=locs,
                # An item the report answers itself (restatements) needs no note where it is answered.
                explanation="" if locs and item.answered_by else
                t(answers.not_applicable.get(item.code) or answers.explained.get(item.code)
                  or (relief.title if relief is not None and not locs else None) or answers.notes.get(item.code)),
            ))
        if rows:
            groups.append(IndexGroup(group.id, t(group.title), rows))
    statement = ""
    gri1 = None
    if family == "gri":
        template = t(getattr(fw.statement_of_use, disclosures.gri.statement_of_use, None))
        statement = template.format(company=company, start=period[0], end=period[1],
                                    year=report.manifest.year)
        if fw.gri1_used:
            gri1 = (t(fw.gri1_used.label), t(fw.gri1_used.value))
    return DisclosureIndex(family, t(fw.title), {k: t(v) for k, v in fw.index_columns.items()},
                           groups, statement, gri1)
