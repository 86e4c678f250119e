"""`python build.py check`: every problem in the report at once, as file:line, without writing anything."""

from __future__ import annotations

import argparse

from esgreport.commands.console import Progress, print_problems
from esgreport.commands.options import add_draft_and_final, add_editions, add_year
from esgreport.project import Project

NAME = "check"
HELP = "validate content and data and report every problem at once, without writing"
FAILURE = "check found"
EXAMPLE = "python build.py --year 2024 check"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_year(parser)
    add_editions(parser, "the editions to check: zh-hant or en (repeat for several; default: all editions)")
    add_draft_and_final(parser)


def run(args: argparse.Namespace, project: Project, progress: Progress) -> int:
    from esgreport.pipeline import check

    report, warnings = check(project, year=args.year, editions=args.lang, draft=args.draft, final=args.final)
    print_problems(warnings, project.root)
    files = sum(len(s.sources) for s in report.sections())
    print(f"check: no problems in the {report.year} report ({files} section files, data, indexes "
          f"and fonts checked{f'; {len(warnings)} warning' + ('s' if len(warnings) != 1 else '') if warnings else ''})")
    return 0
