"""The command line: `python build.py [COMMAND] [ARGUMENTS] [OPTIONS]` (see DESCRIPTION)."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from pathlib import Path

from esgreport.errors import Problem, ReportError
from esgreport.writers import load_writers

DESCRIPTION = """\
Build the ESG report from content/<year>/ into output/<year>/<edition>/: web pages (index.html
first) and one PDF per edition. Without a command every edition of the latest report is built.

commands:
  build               build the report (the default)
  check               validate content and data and report every problem at once, without writing
  new-year YEAR       start the report of YEAR from the latest one: content/YEAR/ with empty values
  serve               preview the web edition while you edit; saving a file refreshes the page
  status              each section's status and whether its translations are up to date
  translated SECTION  record that the translation of SECTION (--lang, default en) is up to date
                      with its source; `--all` for every section
  where METRIC        every place a figure is used: text, tables, charts, what is derived from it
  diff [REV]          what a change does to the report since REV (default: where it left main):
                      figures, sections, translations, new problems; --markdown for a PR comment
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
  python build.py serve                 preview on http://127.0.0.1:8000/ while editing
  python build.py status                the review cycle, section by section
  python build.py translated chairmans-letter --lang en
  python build.py where workforce.total
  python build.py diff main --markdown

Problems in the input are printed as file:line with what to do; the previous output is left as it
was. A build shows its steps on a terminal once it takes more than two seconds (-v: always; -q:
problems only); in a log (CI) it prints a summary.

Exit status: 0 done (for check: no problem), 1 problems in the input (check, build) or a translation
out of date (status), 2 a wrong command line, 130 stopped by Ctrl-C, 143 terminated.
"""

COMMANDS = ("build", "check", "new-year", "serve", "status", "translated", "where", "diff")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="build.py", description=DESCRIPTION, epilog=EPILOG,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("command", nargs="?", choices=COMMANDS, default="build", help="what to do (default: build)")
    p.add_argument("arguments", nargs="*", metavar="ARG", help="the command's arguments (YEAR, SECTION, METRIC, REV)")
    p.add_argument("--year", type=int, help="reporting year folder under content/ (default: the latest)")
    p.add_argument("--lang", action="append", metavar="EDITION",
                   help="edition: zh-hant or en (repeat for several; default: all editions)")
    formats = ", ".join(f"{name} ({w.description})" for name, w in load_writers().items())
    p.add_argument("--format", choices=list(load_writers()), action="append",
                   help=f"output to produce (repeat for several; default: all): {formats}")
    p.add_argument("--draft", action="store_true",
                   help="a preview of work in progress: empty figures show as placeholders naming the "
                        "metric, every page is marked as a draft, incomplete translations are warnings")
    p.add_argument("--final", action="store_true",
                   help="the edition for publication: refuses a section not approved or a translation out of date")
    p.add_argument("--output", type=Path, metavar="DIR", help="where built files go (default: output/)")
    p.add_argument("--port", type=int, default=8000, help="serve: the port on 127.0.0.1 (default: 8000)")
    p.add_argument("--all", action="store_true", help="translated: every section")
    p.add_argument("--markdown", action="store_true", help="diff: Markdown for a pull-request comment")
    p.add_argument("--root", type=Path, default=None, help=argparse.SUPPRESS)
    p.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    p.add_argument("-v", "--verbose", action="store_true", help="print every step, with times")
    return p


def _stop(signum, frame):
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None, root: Path | None = None) -> int:
    signal.signal(signal.SIGTERM, _stop)     # a build stopped by a timeout cleans up like Ctrl-C
    try:
        return _main(argv, root)
    except (KeyboardInterrupt, SystemExit) as exc:
        code = exc.code if isinstance(exc, SystemExit) else 130
        if not isinstance(code, int) or code in (0, 1, 2):     # a finished run, or a message to print
            raise
        print("Stopped: nothing in output/ was changed.", file=sys.stderr)
        return code


class Progress:
    """Steps as they run: on a terminal once the work takes more than two seconds, always with -v,
    never with -q or in a log (where only the summary is printed)."""

    def __init__(self, quiet: bool, verbose: bool):
        self.started = time.monotonic()
        self.quiet, self.verbose = quiet, verbose
        self.live = not quiet and (verbose or sys.stderr.isatty())
        self.held: list[str] = []

    def step(self, message: str) -> None:
        if not self.live:
            return
        line = f"  {time.monotonic() - self.started:5.1f} s  {message}"
        if self.verbose or time.monotonic() - self.started > 2:
            for held in self.held:
                print(held, file=sys.stderr, flush=True)
            self.held = []
            print(line, file=sys.stderr, flush=True)
        else:
            self.held.append(line)

    def say(self, message: str) -> None:
        if not self.quiet:
            print(message, file=sys.stderr, flush=True)


def _main(argv: list[str] | None, root: Path | None) -> int:
    p = parser()
    args = p.parse_args(argv)
    wants = {"new-year": (1, 1, "YEAR"), "translated": (0, 99, "SECTION"), "where": (1, 1, "METRIC"),
             "diff": (0, 1, "REV")}.get(args.command, (0, 0, ""))
    if not wants[0] <= len(args.arguments) <= wants[1]:
        if wants[1] == 0:
            p.error(f"`{args.command}` takes no argument `{args.arguments[0]}`" +
                    (f": to choose a year, write --year {args.arguments[0]}" if args.arguments[0].isdigit() else ""))
        p.error(f"`{args.command}` needs {wants[2]}, e.g. `python build.py {args.command} "
                f"{ {'YEAR': '2024', 'METRIC': 'workforce.total', 'SECTION': 'chairmans-letter', 'REV': 'main'}[wants[2]] }`")
    if args.command == "new-year" and not args.arguments[0].isdigit():
        p.error(f"new-year needs a year, e.g. `python build.py new-year 2024`, not `{args.arguments[0]}`")
    if args.command == "translated" and not args.arguments and not args.all:
        p.error("translated needs the sections (their ids, as in report.yaml) or --all")

    from esgreport.pipeline import Project

    project = Project((args.root or root or Path.cwd()).resolve())
    progress = Progress(args.quiet, args.verbose)
    try:
        return COMMAND_RUNNERS[args.command](project, args, progress)
    except ReportError as exc:
        errors = exc.errors
        verb = "check found" if args.command in ("check", "status", "where", "diff", "translated") else \
            "The report cannot be built:" if args.command == "build" else f"{args.command} found"
        print(f"{verb} {len(errors)} problem{'s' if len(errors) != 1 else ''}.", file=sys.stderr)
        _print_problems(exc.problems, project.root)
        if args.command == "build":
            print(f"Nothing in {_rel(getattr(args, 'output', None) or project.output, project.root)}/ "
                  "was changed.", file=sys.stderr)
        return 1


def run_build(project, args, progress: Progress) -> int:
    from esgreport.pipeline import build, up_to_date

    output = (args.output or project.output).resolve()
    if up_to_date(project, args.year, args.lang, args.format, output, args.draft, args.final):
        progress.say("nothing to do: the output was built from these very files")
        return 0
    result = build(project, editions=args.lang, formats=args.format, year=args.year, output=output,
                   draft=args.draft, final=args.final, log=progress.step, notice=progress.say,
                   jobs=os.cpu_count() or 1)
    _print_problems(result.warnings, project.root)
    for code, files in result.editions.items():
        pages = [f for f in files if f.suffix == ".html"]
        others = [f.name for f in files if f.suffix in (".pdf",) and f.is_file()]
        folders = [f"{f.name}/" for f in files if f.is_dir() and f.name not in ("assets", "media")]
        where = _rel(files[0].parent, project.root) if files else code
        listed = ", ".join([f"index.html and {len(pages) - 1} more pages"] * bool(pages) + others + folders)
        kept = [f for f in (args.format or list(load_writers())) if f not in result.written.get(code, [])]
        progress.say(f"{code}: {where}/ ({listed}){'; unchanged: ' + ', '.join(kept) if kept else ''}")
        for stale in result.stale.get(code, []):
            progress.say(f"    warning: the {stale} beside these pages was built from earlier files; "
                         f"`python build.py --lang {code} --format {stale}` brings it up to date")
    progress.say(f"built the {result.year} report in {result.seconds:.1f} s{' (draft)' if args.draft else ''}")
    return 0


def run_check(project, args, progress: Progress) -> int:
    from esgreport.pipeline import check

    report, warnings = check(project, year=args.year, editions=args.lang, draft=args.draft, final=args.final)
    _print_problems(warnings, project.root)
    files = sum(len(s.sources) for s in report.sections())
    print(f"check: no problems in the {report.year} report ({files} section files, data, indexes "
          f"and fonts checked{f'; {len(warnings)} warning' + ('s' if len(warnings) != 1 else '') if warnings else ''})")
    return 0


def run_new_year(project, args, progress: Progress) -> int:
    from esgreport.commands.new_year import new_year

    year = int(args.arguments[0])
    created = new_year(project, year)
    progress.say(f"started the {year} report in {_rel(created.folder, project.root)}/ from the "
                 f"{created.source_year} report: {created.sections} section files, {created.empty_values} "
                 f"empty values to fill in")
    progress.say(f"next: python build.py --year {year} check   (lists the empty values)")
    progress.say(f"      python build.py --year {year} --draft (a preview with placeholders)")
    return 0


def run_serve(project, args, progress: Progress) -> int:
    from esgreport.commands.serve import serve

    return serve(project, year=args.year, editions=args.lang, port=args.port, say=progress.say)


def run_status(project, args, progress: Progress) -> int:
    from esgreport.prepare.checks import source_edition
    from esgreport.prepare.report import prepare
    from esgreport.prepare.translations import translation_states

    report = prepare(project.content, args.year)
    source = source_edition(report)
    assert source is not None, "prepare() refuses a report without an edition written by hand"
    states = {(s.section, s.edition): s for s in translation_states(report, source)}
    from esgreport.editions import EDITIONS
    editions = [e for e in report.editions if EDITIONS[e].source is None]
    width = max(len(s.id) for s in report.sections())
    print(f"{'section'.ljust(width)}  " + "  ".join(e.ljust(22) for e in editions))
    stale = 0
    for section in report.sections():
        cells = []
        for edition in editions:
            file = section.sources.get(edition)
            if file is None:
                cells.append("—".ljust(22))
                continue
            cell = file.status
            state = states.get((section.id, edition))
            if state is not None:
                if not state.recorded:
                    cell += ", not marked"
                elif state.up_to_date:
                    cell += ", up to date"
                else:
                    cell += f", OUT OF DATE ({len(state.changed)})"
                    stale += 1
            cells.append(cell.ljust(22))
        print(f"{section.id.ljust(width)}  " + "  ".join(cells).rstrip())
        for edition in editions:
            state = states.get((section.id, edition))
            if state is not None and state.recorded and not state.up_to_date and (args.verbose or len(state.changed) <= 3):
                source_file = section.sources[source]
                for line, text in state.changed:
                    print(f"{' ' * width}    {_rel(source_file.path, project.root)}:{line}: {text[:70]}"
                          f"{'…' if len(text) > 70 else ''}")
    counts: dict[str, int] = {}
    for section in report.sections():
        for file in section.sources.values():
            counts[file.status] = counts.get(file.status, 0) + 1
    from esgreport.model.inputs import STATUSES
    print(f"\n{' → '.join(f'{s} {counts.get(s, 0)}' for s in STATUSES)}; translations out of date: {stale}")
    return 1 if stale else 0


def run_translated(project, args, progress: Progress) -> int:
    from esgreport.errors import did_you_mean, problem_at
    from esgreport.prepare.checks import source_edition
    from esgreport.prepare.report import prepare
    from esgreport.prepare.translations import mark_translated, recorded

    report = prepare(project.content, args.year)
    source = source_edition(report)
    assert source is not None, "prepare() refuses a report without an edition written by hand"
    editions = args.lang or [e for e in report.editions if e != source]
    ids = [s.id for s in report.sections()] if args.all else args.arguments
    marked = 0
    for section_id in ids:
        section = report.section(section_id)
        if section is None:
            raise problem_at(report.folder / "report.yaml", f"there is no section `{section_id}`",
                             did_you_mean(section_id, [s.id for s in report.sections()], "use an id of report.yaml"))
        for edition in editions:
            if source in section.sources and edition in section.sources and edition != source:
                mark_translated(section.sources[edition].path, recorded(section.sources[source]))
                marked += 1
    progress.say(f"marked {marked} translation{'s' if marked != 1 else ''} as up to date with {source}")
    return 0


def run_where(project, args, progress: Progress) -> int:
    from esgreport.errors import did_you_mean, problem_at
    from esgreport.prepare.report import prepare
    from esgreport.prepare.usage import describe, where

    report = prepare(project.content, args.year)
    metric = args.arguments[0]
    if metric not in report.metrics:
        raise problem_at(report.folder / "data", f"there is no metric `{metric}`",
                         did_you_mean(metric, report.metrics, "metric ids are like workforce.total"))
    print(describe(where(report, metric), project.root))
    return 0


def run_diff(project, args, progress: Progress) -> int:
    from esgreport.commands.diff import as_markdown, as_text, review

    result = review(project, args.arguments[0] if args.arguments else None, args.year)
    print(as_markdown(result) if args.markdown else as_text(result))
    return 0


COMMAND_RUNNERS = {"build": run_build, "check": run_check, "new-year": run_new_year, "serve": run_serve,
                   "status": run_status, "translated": run_translated, "where": run_where, "diff": run_diff}


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
