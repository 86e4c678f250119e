"""`python build.py editorial`: every recorded departure from the published text (prepare/editorial.py),
with the published text, ours, the reason and who decided."""

from __future__ import annotations

import argparse
import textwrap

from esgreport.commands.console import Progress, relative
from esgreport.commands.options import add_year
from esgreport.project import Project

NAME = "editorial"
HELP = "every place the report departs on purpose from the published text, and why (content/<year>/editorial.yaml)"
FAILURE = "check found"
EXAMPLE = "python build.py editorial --year 2023"
WIDTH = 100


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("sections", nargs="*", metavar="SECTION", help="only the departures in these sections")
    add_year(parser)


def run(args: argparse.Namespace, project: Project, progress: Progress) -> int:
    from esgreport.prepare.editorial import FILE_NAME, counts
    from esgreport.prepare.report import prepare

    report = prepare(project.content, args.year)
    entries = [e for e in report.editorial if not args.sections or e.departure.section in args.sections]
    if not report.editorial:
        print(f"No departure from the published text is recorded ({relative(report.folder / FILE_NAME, project.root)}).")
        return 0
    for entry in entries:
        d = entry.departure
        section = report.section(d.section) if d.section else None
        where = f"{section.number or ''} {section.title.get(report.editions[0], '')} ({d.section})".strip() \
            if section else str(d.file)
        print(f"{d.id} — {d.kind}, {where}")
        print(f"  recorded at {relative(entry.location.path, project.root)}:{entry.location.line}")
        _block("published", (d.published or "(empty)") + (f"  [{d.published_at}]" if d.published_at else ""))
        for edition, text in d.ours.items():
            _block(f"ours, {edition}", text or "(removed)")
        if not d.ours:
            _block("ours", "(removed)")
        _block("reason", d.reason)
        _block("decided by", d.decided_by)
        print()
    by_kind = counts(tuple(entries))
    print(f"{len(entries)} departure{'s' if len(entries) != 1 else ''} from the published text: "
          + ", ".join(f"{kind} {n}" for kind, n in sorted(by_kind.items())))
    return 0


def _block(label: str, text: str) -> None:
    lines = textwrap.wrap(" ".join(text.split()), WIDTH - 18) or [""]
    print(f"  {label + ':':<16}{lines[0]}")
    for line in lines[1:]:
        print(f"  {'':<16}{line}")
