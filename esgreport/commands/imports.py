"""`python build.py import WORKBOOK…`: the owners' filled-in requests into the data files, all or nothing."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from esgreport.commands.console import Progress, relative
from esgreport.commands.options import a_date, add_year
from esgreport.project import Project

NAME = "import"
HELP = ("read owners' filled-in request workbooks into content/<year>/data/, with each figure's provenance; "
        "any problem and nothing is written")
FAILURE = "The workbooks cannot be imported:"
EXAMPLE = "python build.py import output/2024/requests/HR.xlsx"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("workbooks", nargs="+", type=Path, metavar="WORKBOOK",
                        help="a filled-in request workbook (its evidence files beside it)")
    add_year(parser)
    parser.add_argument("--date", type=a_date, metavar="YYYY-MM-DD", help="the date of import to record (default: today)")


def run(args: argparse.Namespace, project: Project, progress: Progress) -> int:
    from esgreport.collect.imports import import_workbooks
    from esgreport.commands.console import print_failure
    from esgreport.errors import ReportError

    try:
        result = import_workbooks(project, [w.resolve() for w in args.workbooks], args.year, args.date)
    except ReportError as exc:
        print_failure(FAILURE, exc.problems, project.root)
        print("Nothing in content/ was changed.", file=sys.stderr)
        return 1
    by_book: dict[str, int] = {}
    for figure in result.figures:
        by_book[figure.workbook.name] = by_book.get(figure.workbook.name, 0) + 1
    for name, count in by_book.items():
        progress.say(f"{name}: {count} figure{'s' if count != 1 else ''} of {result.year}")
    for path in result.files:
        progress.say(f"    wrote {relative(path, project.root)}")
    if result.left_empty:
        progress.say(f"left empty by their owner: {len(result.left_empty)} ({', '.join(result.left_empty[:6])}"
                     f"{' …' if len(result.left_empty) > 6 else ''}); `check` lists what is still missing")
    if result.figures:
        progress.say("next: python build.py diff   (what came in), then python build.py check")
    return 0
