"""`python build.py requests`: a data-request workbook per owner, into output/<year>/requests/."""

from __future__ import annotations

import argparse
import shutil
import tempfile
from datetime import date
from pathlib import Path

from esgreport.commands.console import Progress, relative
from esgreport.commands.options import a_date, add_year
from esgreport.project import Project

NAME = "requests"
HELP = "write a data-request workbook per owner (HR.xlsx …) for the year's figures into output/<year>/requests/"
FAILURE = "requests found"
EXAMPLE = "python build.py requests --year 2024"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_year(parser)
    parser.add_argument("--output", type=Path, metavar="DIR", help="where built files go (default: output/)")
    parser.add_argument("--date", type=a_date, metavar="YYYY-MM-DD", help="the date the requests are sent (default: today)")


def run(args: argparse.Namespace, project: Project, progress: Progress) -> int:
    from esgreport.collect.requests import requests
    from esgreport.errors import problem_at
    from esgreport.prepare.report import prepare

    report = prepare(project.content, args.year)
    made, unowned = requests(report, args.date or date.today())
    if not made:
        raise problem_at(report.folder / "data", f"no figure of {report.year} has an owner to ask for it",
                         "name who supplies each data file's figures at its top, `owner: HR` (a role)")
    target = (args.output or project.output).resolve() / str(report.year) / "requests"
    target.parent.mkdir(parents=True, exist_ok=True)
    # The folder is replaced whole: a request for an owner who no longer has figures does not linger.
    with tempfile.TemporaryDirectory(prefix=".requests-", dir=target.parent) as tmp:
        staging = Path(tmp) / "requests"
        staging.mkdir()
        for request in made:
            (staging / request.file).write_bytes(request.content)
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    for request in made:
        count = sum(len(m) for m in request.sheets.values())
        progress.say(f"{relative(target / request.file, project.root)}: {count} figure{'s' if count != 1 else ''} "
                     f"({', '.join(request.sheets)})")
    if unowned:
        files = sorted({relative(m.location.path, project.root) for m in unowned})
        progress.say(f"warning: {len(unowned)} figure{'s' if len(unowned) != 1 else ''} of {report.year} "
                     f"{'have' if len(unowned) != 1 else 'has'} no owner and {'are' if len(unowned) != 1 else 'is'} "
                     f"in no request: {', '.join(files)}\n    → name who supplies them: `owner: HR` at the top "
                     "of the data file (or on a metric)")
    progress.say(f"next: the owners fill in their workbook; then python build.py import {relative(target, project.root)}/*.xlsx")
    return 0
