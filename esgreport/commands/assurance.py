"""`python build.py assurance`: the assurance provider's pack in output/<year>/assurance/ (collect/assurance.py)."""

from __future__ import annotations

import argparse
from pathlib import Path

from esgreport.commands.console import Progress, relative
from esgreport.commands.options import add_year
from esgreport.project import Project

NAME = "assurance"
HELP = ("write the assurance provider's pack into output/<year>/assurance/: every printed figure with its "
        "provenance, evidence hash, pages, history in git")
FAILURE = "assurance found"
EXAMPLE = "python build.py assurance --year 2024"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_year(parser)
    parser.add_argument("--output", type=Path, metavar="DIR", help="where built files go (default: output/)")


def run(args: argparse.Namespace, project: Project, progress: Progress) -> int:
    from esgreport.collect.assurance import make_pack, write_pack
    from esgreport.pipeline import check

    progress.step("checking the report")
    report, _ = check(project, year=args.year)
    progress.step("laying out each edition's PDF to find the pages")
    pack = make_pack(project, report)
    target = write_pack(pack, (args.output or project.output).resolve())
    assured = sum(r.assured for r in pack.rows)
    progress.say(f"{relative(target, project.root)}/: {len(pack.rows)} printed figures"
                 f"{f', {assured} assured' if report.manifest.assurance else ''}; "
                 f"built from {pack.commit or 'files outside git (no commit)'}")
    return 0
