"""The editorial record: every place where an edition departs on purpose from the published text.

A report that reproduces a published one (2023) rebuilds what the extraction of the printed report
lost, fills or removes elements left empty in print, corrects labels and errors. An auditor must be able
to tell each of those from the published text, so each is recorded in `content/<year>/editorial.yaml`:
the text as published, ours in each edition, the reason, and who decided. The record is held to the
content: the text it says an edition now has must be in that edition's file, so that an edit which
undoes or changes a departure brings the record up for review. `python build.py editorial` lists it.
"""

from __future__ import annotations

import re
from pathlib import Path

from esgreport.editions import EDITIONS
from esgreport.errors import Problems, did_you_mean
from esgreport.model.inputs import Departure, validate
from esgreport.model.load import read_yaml
from esgreport.model.report import EditorialEntry, Location, Report

FILE_NAME = "editorial.yaml"


def read_editorial(report: Report, problems: Problems) -> tuple[EditorialEntry, ...]:
    path = report.folder / FILE_NAME
    if not path.is_file():
        return ()
    doc = read_yaml(path, report.content_root)
    if doc.data is None:
        return ()
    if not isinstance(doc.data, list):
        problems.add(path, 1, "the editorial record is a list of departures from the published text",
                     "write `- id: …` with kind, section (or file), published, ours, reason and decided_by")
        return ()
    entries: list[EditorialEntry] = []
    seen: dict[str, int | None] = {}
    for i, item in enumerate(doc.data):
        line = doc.line_of((i,))
        if not isinstance(item, dict):
            problems.add(path, line, "a departure is a mapping", "write `- id: …` and its keys below it")
            continue
        departure = validate(Departure, doc, problems, prefix=(i,), data=item)
        if departure is None:
            continue
        if departure.id in seen:
            problems.add(path, line, f"the departure `{departure.id}` is recorded twice (also line {seen[departure.id]})",
                         "give each departure an id of its own")
            continue
        seen[departure.id] = line
        entries.append(EditorialEntry(departure, Location(path, line)))
        _held_to_the_content(report, departure, doc, i, problems)
    return tuple(entries)


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _held_to_the_content(report: Report, departure: Departure, doc, i: int, problems: Problems) -> None:
    """What the record says an edition now reads must be in that edition's file."""
    files: dict[str, Path] = {}
    if departure.section is not None:
        section = report.section(departure.section)
        if section is None:
            problems.add(doc.path, doc.line_of((i, "section")), f"there is no section `{departure.section}`",
                         did_you_mean(departure.section, [s.id for s in report.sections()], "use an id of report.yaml"))
            return
        files = {e: f.path for e, f in section.sources.items()}
    else:
        assert departure.file is not None
        target = (report.folder / departure.file).resolve()
        if not target.is_relative_to(report.content_root.resolve()) or not target.is_file():
            problems.add(doc.path, doc.line_of((i, "file")), f"there is no file `{departure.file}`",
                         f"name a file of {report.folder.name}/ (data/community.yaml), or ../sdgs.yaml under content/")
            return
        files = {e: target for e in report.editions}
    for edition, text in departure.ours.items():
        if EDITIONS[edition].source is not None:
            problems.add(doc.path, doc.line_of((i, "ours", edition)), f"the {edition} edition is made from "
                         f"{EDITIONS[edition].source}: its text is not written by hand", f"record the {EDITIONS[edition].source} text")
            continue
        path = files.get(edition)
        if path is None:
            problems.add(doc.path, doc.line_of((i, "ours", edition)),
                         f"the section `{departure.section}` has no {edition} text", "record the editions it has")
            continue
        if text.strip() and _squeezed(text) not in _squeezed(path.read_text(encoding="utf-8-sig")):
            problems.add(doc.path, doc.line_of((i, "ours", edition)),
                         f"the departure `{departure.id}` says the {edition} text reads “{_short(text)}”, "
                         f"which {path.name} no longer has",
                         "the text changed since the departure was recorded: record what it reads now "
                         "(or remove the entry if the published text is back)")


def _short(text: str, width: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width] + "…"


def counts(entries: tuple[EditorialEntry, ...]) -> dict[str, int]:
    """How many departures of each kind."""
    out: dict[str, int] = {}
    for entry in entries:
        out[entry.departure.kind] = out.get(entry.departure.kind, 0) + 1
    return out
