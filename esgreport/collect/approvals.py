"""`python build.py approve SECTION… --by NAME`: record a section's sign-off, bound to what was approved.

The record (who, when, and the hashes of prepare/approvals.py) goes into content/<year>/approvals.yaml,
kept in the file's order with its comments (yamledit.py); each edition's front matter says
`status: approved`. A section is approved as it stands: one whose translation is out of date, or
which has problems, is not approved until they are fixed.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from esgreport.collect import yamledit
from esgreport.errors import Problems, did_you_mean
from esgreport.model.report import Report, Section
from esgreport.prepare.approvals import APPROVALS_FILE, approval_record, hand_written

HEADER = ("# Sign-offs, written by `python build.py approve SECTION --by NAME`: who approved each section, when,\n"
          "# and SHA-256 hashes of what they approved (each edition's text, the figures it prints). An edit\n"
          "# since makes the section unapproved. Not edited by hand.\n")


def approve(report: Report, section_ids: list[str], by: str, when: date) -> list[Section]:
    """Record the approval of each section; ReportError (and nothing written) where one cannot be."""
    from esgreport.prepare.checks import source_edition
    from esgreport.prepare.translations import translation_states

    problems = Problems()
    manifest = report.folder / "report.yaml"
    if not by.strip():
        problems.add(None, None, "the approver's name is empty", "write --by \"Mary Chan\"")
    sections: list[Section] = []
    stale = {s.section: s for s in translation_states(report, source_edition(report)) if not s.up_to_date}
    for section_id in dict.fromkeys(section_ids):
        section = report.section(section_id)
        if section is None:
            problems.add(manifest, None, f"there is no section `{section_id}`",
                         did_you_mean(section_id, [s.id for s in report.sections()], "use an id of report.yaml"))
            continue
        if not hand_written(section):
            problems.add(manifest, section.manifest_line, f"the section `{section_id}` has no text of its own to approve",
                         "approve its sub-sections")
            continue
        if section_id in stale:
            state = stale[section_id]
            problems.add(state.path, None, f"the {state.edition} translation of `{section_id}` is "
                         f"{'not marked as translated' if not state.recorded else 'out of date'}",
                         "a section is approved in every edition at once: bring the translation up to date and "
                         f"run `python build.py translated {section_id} --lang {state.edition}` first")
            continue
        sections.append(section)
    problems.raise_if_any()
    _record(report, sections, by.strip(), when)
    for section in sections:
        for source in hand_written(section).values():
            _set_status(source.path, "approved")
    return sections


def _record(report: Report, sections: list[Section], by: str, when: date) -> None:
    from ruamel.yaml.comments import CommentedMap

    from esgreport.model.load import read_text

    path = report.folder / APPROVALS_FILE
    data = yamledit.load(read_text(path, report.content_root)) if path.is_file() else None
    if not isinstance(data, CommentedMap):
        data = CommentedMap()
    for section in sections:
        record = approval_record(report, section, by, when)
        data[section.id] = yamledit.block_map(by=record.by, date=record.date,
                                              text=yamledit.block_map(**record.text), figures=record.figures)
    text = yamledit.dump(data)
    path.write_text(text if text.startswith("#") else HEADER + text, encoding="utf-8")


def _set_status(path: Path, status: str) -> None:
    """`status: <status>` in a section file's front matter (added where there is none)."""
    text = path.read_text(encoding="utf-8")
    if text.startswith("---\n") and (end := text.find("\n---", 3)) > 0:
        front = text[4:end + 1]
        if re.search(r"^status:.*$", front, re.M):
            front = re.sub(r"^status:.*$", f"status: {status}", front, count=1, flags=re.M)
        else:
            front = f"status: {status}\n" + front
        text = "---\n" + front + text[end + 1:]
    else:
        text = f"---\nstatus: {status}\n---\n\n" + text
    path.write_text(text, encoding="utf-8")

