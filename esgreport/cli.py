"""Command line: `python build.py [build|check|new-year YEAR] [--year Y] [--lang CODE] [--format F] [--draft]`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import Problem, ReportError
from .writers import WRITERS

DESCRIPTION = """\
Build the ESG report from content/<year>/ into output/<year>/<edition>/: web pages (index.html
first) and one PDF per edition. Without options every edition of the latest report is built.

commands:
  build          build the report (the default)
  check          validate content and data and report every problem at once, without writing anything
  new-year YEAR  start the report of YEAR from the latest one: content/YEAR/ with empty values
"""

EPILOG = """\
examples:
  python build.py                       build every edition of the latest year, HTML and PDF
  python build.py --lang zh-hant        build the Traditional Chinese edition only
  python build.py --lang en --format html
  python build.py --year 2023           build an earlier year (each year has its own output folder)
  python build.py check                 list every problem in content/ as file:line
  python build.py new-year 2024         start the 2024 report from the 2023 one
  python build.py --year 2024 --draft   preview with empty figures shown as placeholders

Problems in the input are printed as file:line with what to do, and the build exits with status 1;
the previous output is left as it was. Exit status: 0 built (or no problems), 1 problems in the
input, 2 a wrong command line.
"""


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="build.py", description=DESCRIPTION, epilog=EPILOG,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("command", nargs="?", choices=["build", "check", "new-year"], default="build",
                   help="what to do (default: build)")
    p.add_argument("new_year", nargs="?", type=int, metavar="YEAR", help="the year new-year starts")
    p.add_argument("--year", type=int, help="reporting year folder under content/ (default: the latest)")
    p.add_argument("--lang", action="append", metavar="EDITION",
                   help="edition to build: zh-hant or en (repeat for several; default: all editions)")
    formats = ", ".join(f"{name} ({w.description})" for name, w in WRITERS.items())
    p.add_argument("--format", choices=list(WRITERS), action="append",
                   help=f"output to produce (repeat for several; default: all): {formats}")
    p.add_argument("--draft", action="store_true",
                   help="a preview of work in progress: empty figures show as placeholders naming the "
                        "metric, every page is marked as a draft, incomplete translations are warnings")
    p.add_argument("--output", type=Path, metavar="DIR", help="where built files go (default: output/)")
    p.add_argument("--root", type=Path, default=None, help=argparse.SUPPRESS)
    p.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    return p


def main(argv: list[str] | None = None, root: Path | None = None) -> int:
    p = parser()
    args = p.parse_args(argv)
    if args.command == "new-year" and args.new_year is None:
        p.error("new-year needs the year to start, e.g. `python build.py new-year 2024`")
    if args.command != "new-year" and args.new_year is not None:
        p.error(f"unexpected `{args.new_year}`: to choose a year, write --year {args.new_year}")
    from .pipeline import Project, build, check

    project = Project((args.root or root or Path.cwd()).resolve())
    log = (lambda s: None) if args.quiet else (lambda s: print(s, file=sys.stderr))
    try:
        if args.command == "new-year":
            from .newyear import new_year
            created = new_year(project, args.new_year)
            log(f"started the {args.new_year} report in {_rel(created.folder, project.root)}/ from the "
                f"{created.source_year} report: {created.sections} section files, {created.empty_values} "
                f"empty values to fill in")
            log(f"next: python build.py --year {args.new_year} check   (lists the empty values)")
            log(f"      python build.py --year {args.new_year} --draft (a preview with placeholders)")
            return 0
        if args.command == "check":
            report, warnings = check(project, year=args.year, editions=args.lang, draft=args.draft)
            _print_problems(warnings, project.root)
            files = sum(len(s.sources) for s in report.sections())
            print(f"check: no problems in the {report.year} report ({files} section files, data, indexes "
                  f"and fonts checked{f'; {len(warnings)} warnings' if warnings else ''})")
            return 0
        output = (args.output or project.output).resolve()
        result = build(project, editions=args.lang, formats=args.format, year=args.year, output=output,
                       draft=args.draft, log=log)
    except ReportError as exc:
        errors = exc.errors
        verb = "check found" if args.command == "check" else "The report cannot be built:"
        print(f"{verb} {len(errors)} problem{'s' if len(errors) != 1 else ''}.", file=sys.stderr)
        _print_problems(exc.problems, project.root)
        if args.command != "check":
            print("Nothing in output/ was changed.", file=sys.stderr)
        return 1
    _print_problems(result.warnings, project.root)
    for code, files in result.editions.items():
        pages = [f for f in files if f.suffix == ".html"]
        others = [f.name for f in files if f.suffix in (".pdf",) and f.is_file()]
        folders = [f"{f.name}/" for f in files if f.is_dir() and f.name not in ("assets", "media")]
        where = _rel(files[0].parent, project.root) if files else code
        listed = ", ".join([f"index.html and {len(pages) - 1} more pages"] * bool(pages) + others + folders)
        log(f"{code}: {where}/ ({listed})")
    log(f"built the {result.year} report in {result.seconds:.1f} s{' (draft)' if args.draft else ''}")
    return 0


def _rel(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


def _print_problems(problems: list[Problem], root: Path) -> None:
    """Problems grouped by file, in the order found; a hint repeated for problems of one kind in a
    row is printed once, after the last of them. Empty values are summarised per file at the end."""
    by_file: dict[str, list[Problem]] = {}
    for p in problems:
        by_file.setdefault(p.location(root).rsplit(":", 1)[0] if p.line else p.location(root), []).append(p)
    for group in by_file.values():
        group.sort(key=lambda p: (p.severity != "error", p.line or 0))
        for i, p in enumerate(group):
            later = group[i + 1] if i + 1 < len(group) else None
            same_hint_next = later is not None and later.kind and later.kind == p.kind and later.hint == p.hint
            print(p.format(root, hint=not same_hint_next), file=sys.stderr)
    empty = [p for p in problems if p.kind == "empty-value"]
    if empty:
        counts: dict[str, int] = {}
        for p in empty:
            counts[p.location(root).rsplit(":", 1)[0]] = counts.get(p.location(root).rsplit(":", 1)[0], 0) + 1
        print(f"{len(empty)} empty values: " + ", ".join(f"{Path(f).name} {n}" for f, n in counts.items()),
              file=sys.stderr)
