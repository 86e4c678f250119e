"""Approvals bound to content: a section is approved only as it was when it was approved.

`python build.py approve SECTION --by NAME` records in content/<year>/approvals.yaml who approved the
section, the date, and SHA-256 hashes of what they approved: each hand-written edition's text (the body,
without the front matter, which holds the review status and translation marks) and the figures the
section prints (its `kpi`, `change` and `card` references, and the KPI tables and charts it places,
each figure as the data now gives it). Any later edit of either edition's text, or of a figure the
section prints, makes the section unapproved: `status` shows it, `check` warns, `--final` refuses it.

The `status: approved` word in a section's front matter is the review cycle's; the approval record is
the sign-off, and a final build wants both.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from esgreport.editions import EDITIONS
from esgreport.errors import Problems, did_you_mean
from esgreport.markup.directives import resolve_year
from esgreport.model.inputs import Approval, Approvals, validate
from esgreport.model.load import read_yaml
from esgreport.model.report import Reference, Report, Section, SectionFile

APPROVALS_FILE = "approvals.yaml"


def read_approvals(folder: Path, content_root: Path, problems: Problems) -> dict[str, Approval]:
    """content/<year>/approvals.yaml, section id → approval (none where the file is absent)."""
    path = folder / APPROVALS_FILE
    if not path.is_file():
        return {}
    doc = read_yaml(path, content_root)
    if doc.data is not None and not isinstance(doc.data, dict):
        problems.add(path, 1, "approvals.yaml maps section ids to their approvals",
                     "it is written by `python build.py approve SECTION --by NAME`")
        return {}
    approvals = validate(Approvals, doc, problems)
    return dict(approvals.root) if approvals is not None else {}


def check_sections(report: Report, problems: Problems) -> None:
    """An approval of a section the manifest does not have is a problem at its line."""
    if not report.approvals:
        return
    known = [s.id for s in report.sections()]
    path = report.folder / APPROVALS_FILE
    doc = read_yaml(path, report.content_root)
    for section_id in report.approvals:
        if section_id not in known:
            problems.add(path, doc.line_of((section_id,)), f"approval of `{section_id}`, which is no section of "
                         "report.yaml", did_you_mean(section_id, known, "remove it, or correct the id"))


def _body(source: SectionFile) -> str:
    """The text of a section file after its front matter, line endings and trailing spaces aside."""
    lines = source.body.replace("\r\n", "\n").split("\n")[source.body_start - 1:]
    return "\n".join(line.rstrip() for line in lines).strip("\n") + "\n"


def text_hash(source: SectionFile) -> str:
    return hashlib.sha256(_body(source).encode("utf-8")).hexdigest()


def printed_figures(report: Report, section: Section) -> Iterator[tuple[str, int]]:
    """(metric, year) of every figure the section prints, in either edition: its own references and
    the KPI tables and charts it places."""
    for edition, source in section.sources.items():
        if EDITIONS.get(edition) is not None and EDITIONS[edition].source is not None:
            continue
        for ref in source.references:
            for metric, year, _ in figures_of_reference(report, ref):
                yield metric, year


def figures_of_reference(report: Report, ref: Reference) -> Iterator[tuple[str, int, str]]:
    """(metric, year, how it is shown) of every figure a directive prints, from what it refers to (the
    directive registry's targets): a figure in text or on a card, the two years of a change, the rows
    of a KPI table, the series of a chart, the list of restatements."""
    how = {"kpi": "text", "card": "card", "change": "change"}.get(ref.name, ref.name)
    for target in ref.targets:
        if target.kind == "metric":
            yield target.id, resolve_year(target.year, report.year), how
        elif target.kind == "table" and target.id in report.tables:
            table = report.tables[target.id]
            assert isinstance(table.years, list), "prepare resolves a table's years"
            for metric in table.metric_ids():
                for year in table.years:
                    yield metric, year, f"table {target.id}"
        elif target.kind == "chart" and target.id in report.charts:
            chart = report.charts[target.id]
            years = [chart.year] if chart.type == "donut" else chart.years
            assert isinstance(years, list), "prepare resolves a chart's years"
            for series in chart.series:
                for shown in years:
                    if shown is not None:
                        yield series.metric, shown, f"chart {target.id}"
        elif target.kind == "restatements":
            for restatement in report.restatements:
                yield restatement.metric, restatement.year, "restatements"


def figures_hash(report: Report, section: Section) -> str:
    """A hash of the figures the section prints, each as the data now gives it."""
    lines = []
    for metric_id, year in sorted(set(printed_figures(report, section))):
        metric = report.metrics.get(metric_id)
        if metric is None:
            value = "unknown"
        elif year in metric.pending:
            value = "empty"
        elif year not in metric.values:
            value = "none"
        else:
            figure = metric.values[year]
            value = "n/a" if figure is None else f"{Decimal(figure).normalize():f}"
        lines.append(f"{metric_id} {year} {value}\n")
    return hashlib.sha256("".join(lines).encode("utf-8")).hexdigest()


def hand_written(section: Section) -> dict[str, SectionFile]:
    return {e: f for e, f in section.sources.items() if e in EDITIONS and EDITIONS[e].source is None}


def approval_record(report: Report, section: Section, by: str, when) -> Approval:
    """What `approve` records for the section as it is now."""
    return Approval(by=by, date=when, text={e: text_hash(f) for e, f in hand_written(section).items()},
                    figures=figures_hash(report, section))


@dataclass
class ApprovalState:
    section: str
    approval: Approval | None
    changed: list[str] = field(default_factory=list)     # what changed since: "the en text", "its figures"

    @property
    def current(self) -> bool:
        return self.approval is not None and not self.changed

    def describe(self) -> str:
        if self.approval is None:
            return "not approved"
        said = f"approved by {self.approval.by} on {self.approval.date.isoformat()}"
        if self.changed:
            return f"{said}, EDITED SINCE ({', '.join(self.changed)})"
        return said


def approval_state(report: Report, section: Section) -> ApprovalState:
    approval = report.approvals.get(section.id)
    state = ApprovalState(section.id, approval)
    if approval is None:
        return state
    files = hand_written(section)
    for edition in sorted(set(files) | set(approval.text)):
        if edition not in files or edition not in approval.text or text_hash(files[edition]) != approval.text[edition]:
            state.changed.append(f"the {edition} text")
    if figures_hash(report, section) != approval.figures:
        state.changed.append("its figures")
    return state


def approval_states(report: Report) -> list[ApprovalState]:
    """The approval of every section with a text of its own, in reading order."""
    return [approval_state(report, s) for s in report.sections() if hand_written(s)]
