"""`python build.py` (or `python build.py build`): every edition of the report, in every format."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from esgreport.commands.console import Progress, print_failure, print_problems, relative
from esgreport.commands.options import add_draft_and_final, add_editions, add_year
from esgreport.errors import ReportError
from esgreport.project import Project
from esgreport.writers import load_writers

NAME = "build"
HELP = "build the report (the default)"
FAILURE = "The report cannot be built:"
EXAMPLE = "python build.py --lang en --format html"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_year(parser)
    add_editions(parser)
    formats = ", ".join(f"{name} ({w.description})" for name, w in load_writers().items())
    parser.add_argument("--format", choices=list(load_writers()), action="append",
                        help=f"output to produce (repeat for several; default: all): {formats}")
    add_draft_and_final(parser)
    parser.add_argument("--output", type=Path, metavar="DIR", help="where built files go (default: output/)")


def run(args: argparse.Namespace, project: Project, progress: Progress) -> int:
    output = (args.output or project.output).resolve()
    try:
        return _build(args, project, progress, output)
    except ReportError as exc:
        print_failure(FAILURE, exc.problems, project.root)
        print(f"Nothing in {relative(output, project.root)}/ was changed.", file=sys.stderr)
        return 1


def _build(args: argparse.Namespace, project: Project, progress: Progress, output: Path) -> int:
    from esgreport.pipeline import END_WITH_PARENT, build, end_with_parent, up_to_date

    if (parent := os.environ.get(END_WITH_PARENT, "")).isdigit():     # a build serve started
        end_with_parent(int(parent))
    if up_to_date(project, args.year, args.lang, args.format, output, args.draft, args.final):
        progress.say("nothing to do: the output was built from these very files")
        return 0
    result = build(project, editions=args.lang, formats=args.format, year=args.year, output=output,
                   draft=args.draft, final=args.final, log=progress.step, notice=progress.say,
                   jobs=os.cpu_count() or 1)
    print_problems(result.warnings, project.root)
    for code, files in result.editions.items():
        pages = [f for f in files if f.suffix == ".html"]
        others = [f.name for f in files if f.suffix in (".pdf",) and f.is_file()]
        folders = [f"{f.name}/" for f in files if f.is_dir() and f.name not in ("assets", "media")]
        where = relative(files[0].parent, project.root) if files else code
        listed = ", ".join([f"index.html and {len(pages) - 1} more pages"] * bool(pages) + others + folders)
        kept = [f for f in (args.format or list(load_writers())) if f not in result.written.get(code, [])]
        progress.say(f"{code}: {where}/ ({listed}){'; unchanged: ' + ', '.join(kept) if kept else ''}")
        for stale in result.stale.get(code, []):
            progress.say(f"    warning: the {stale} beside these pages was built from earlier files; "
                         f"`python build.py --lang {code} --format {stale}` brings it up to date")
    progress.say(f"built the {result.year} report in {result.seconds:.1f} s{' (draft)' if args.draft else ''}")
    return 0
