"""`python build.py approve SECTION… --by NAME`: record a sign-off bound to the section as it is now
(collect/approvals.py; the rule is prepare/approvals.py)."""

from __future__ import annotations

import argparse
from datetime import date

from esgreport.commands.console import Progress
from esgreport.commands.options import a_date, add_year
from esgreport.project import Project

NAME = "approve"
HELP = ("record that SECTION is approved, by whom, when, and a hash of what was approved (both editions); "
        "an edit since makes it unapproved")
FAILURE = "approve found"
EXAMPLE = 'python build.py approve workforce --by "Mary Chan"'


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("sections", nargs="+", metavar="SECTION", help="a section's id, as in report.yaml")
    parser.add_argument("--by", required=True, metavar="NAME", help="who approves it (a person, or a body: Board of Directors)")
    parser.add_argument("--date", type=a_date, metavar="YYYY-MM-DD", help="the date of the approval (default: today)")
    add_year(parser)


def run(args: argparse.Namespace, project: Project, progress: Progress) -> int:
    from esgreport.collect.approvals import approve
    from esgreport.prepare.report import prepare

    report = prepare(project.content, args.year)
    approved = approve(report, args.sections, args.by, args.date or date.today())
    progress.say(f"approved by {args.by.strip()}: {', '.join(s.id for s in approved)} "
                 f"(recorded in content/{report.year}/approvals.yaml)")
    return 0
