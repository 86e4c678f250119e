"""`python build.py import-xliff FILE.xlf`: bring a translation back from a CAT tool (writers/exchange.py). The
file must be one `export xliff` made: the same units, every code kept, the source unchanged since."""

from __future__ import annotations

import argparse
from pathlib import Path

from esgreport.commands.console import Progress, relative
from esgreport.commands.options import add_year
from esgreport.project import Project

NAME = "import-xliff"
HELP = "write the translations of an XLIFF file a CAT tool edited into the sections, and mark them"
FAILURE = "the XLIFF file cannot be imported"
EXAMPLE = "python build.py import-xliff climate-change-2023-en.xlf"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", type=Path, help="an XLIFF file (2.0 or 1.2) made by `export xliff`")
    parser.add_argument("--dry-run", action="store_true", help="check the file; write nothing")
    add_year(parser)


def run(args: argparse.Namespace, project: Project, progress: Progress) -> int:
    from esgreport.errors import Problems, ReportError, problem_at
    from esgreport.prepare.report import prepare
    from esgreport.writers.exchange import import_xliff

    if not args.file.is_file():
        raise problem_at(args.file, "there is no such file", "give the path of the XLIFF file to import")
    report = prepare(project.content, args.year)
    problems = Problems()
    imported = import_xliff(report, args.file, problems, write=not args.dry_run)
    if problems.errors:
        raise ReportError(problems.errors)
    if args.dry_run:
        progress.say(f"{relative(args.file, project.root)} can be imported")
        return 0
    for item in imported:
        moved = f"; {item.status_before} → {item.status_after}" if item.status_before != item.status_after else ""
        what = f"{item.changed} paragraph{'s' if item.changed != 1 else ''} brought in" if item.changed else "unchanged"
        progress.say(f"{relative(item.path, project.root)}: {what}, marked as translated{moved}")
    return 0
