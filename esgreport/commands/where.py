"""`python build.py where METRIC`: every place a figure is used (prepare/usage.py)."""

from __future__ import annotations

import argparse

from esgreport.commands.console import Progress
from esgreport.commands.options import add_year
from esgreport.project import Project

NAME = "where"
HELP = "every place a figure is used: text, tables, charts, what is derived from it"
FAILURE = "check found"
EXAMPLE = "python build.py where workforce.total"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("metric", metavar="METRIC", help="a metric's id, as in data/*.yaml, e.g. workforce.total")
    add_year(parser)


def run(args: argparse.Namespace, project: Project, progress: Progress) -> int:
    from esgreport.errors import did_you_mean, problem_at
    from esgreport.prepare.report import prepare
    from esgreport.prepare.usage import describe, where

    report = prepare(project.content, args.year)
    if args.metric not in report.metrics:
        raise problem_at(report.folder / "data", f"there is no metric `{args.metric}`",
                         did_you_mean(args.metric, report.metrics, "metric ids are like workforce.total"))
    print(describe(where(report, args.metric), project.root))
    return 0
