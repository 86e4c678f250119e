"""Command line: `python build.py [build|check] [--lang CODE] [--format html|pdf]`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import ReportError

DESCRIPTION = """\
Build the ESG report from content/ into output/<edition>/: web pages (index.html first) and one PDF
per edition. Without options every edition of the latest report under content/ is built.

commands:
  build    build the report (the default)
  check    validate content and data and report every problem at once, without writing anything
"""

EPILOG = """\
examples:
  python build.py                       build every edition, HTML and PDF
  python build.py --lang zh-hant        build the Traditional Chinese edition only
  python build.py --lang en --format html
  python build.py check                 list every problem in content/ as file:line

Problems in the input are printed as file:line with what to do, and the build exits with status 1;
the previous output is left as it was.
"""


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="build.py", description=DESCRIPTION, epilog=EPILOG,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("command", nargs="?", choices=["build", "check"], default="build",
                   help="what to do (default: build)")
    p.add_argument("--lang", action="append", metavar="EDITION",
                   help="edition to build: zh-hant or en (repeat for several; default: all editions)")
    p.add_argument("--format", choices=["html", "pdf"], action="append",
                   help="output to produce (repeat for both; default: html and pdf)")
    p.add_argument("--year", type=int, help="reporting year folder under content/ (default: the latest)")
    p.add_argument("--root", type=Path, default=None, help=argparse.SUPPRESS)
    p.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    return p


def main(argv: list[str] | None = None, root: Path | None = None) -> int:
    args = parser().parse_args(argv)
    from .pipeline import FORMATS, Project, build, check

    project = Project((args.root or root or Path.cwd()).resolve())
    log = (lambda s: None) if args.quiet else (lambda s: print(s, file=sys.stderr))
    try:
        if args.command == "check":
            files = check(project, year=args.year, editions=args.lang)
            print(f"check: no problems ({files} section files, data, indexes and fonts checked)")
            return 0
        result = build(project, editions=args.lang, formats=tuple(args.format or FORMATS),
                       year=args.year, log=log)
    except ReportError as exc:
        problems = exc.problems
        verb = "check found" if args.command == "check" else "The report cannot be built:"
        print(f"{verb} {len(problems)} problem{'s' if len(problems) != 1 else ''}.", file=sys.stderr)
        for problem in problems:
            print(problem.format(project.root), file=sys.stderr)
        print("Nothing in output/ was changed.", file=sys.stderr)
        return 1
    for code, files in result.editions.items():
        log(f"{code}: {len(files)} files in output/{code}/")
    log(f"built in {result.seconds:.1f} s")
    return 0
