"""`python build.py translated SECTION --lang en`: record that a section's translation is up to date
with the text of the source edition it was made from (prepare/translations.py)."""

from __future__ import annotations

import argparse
import sys

from esgreport.commands.console import Progress
from esgreport.commands.options import UsageError, add_editions, add_year
from esgreport.errors import did_you_mean, problem_at
from esgreport.project import Project

NAME = "translated"
HELP = ("record that the translation of SECTION (--lang, default en) is up to date with its source; "
        "`--all` for every section")
FAILURE = "check found"
EXAMPLE = "python build.py translated chairmans-letter --lang en"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("sections", nargs="*", metavar="SECTION", help="a section's id, as in report.yaml")
    parser.add_argument("--all", action="store_true", help="every section (asks first; --yes does not)")
    parser.add_argument("--yes", action="store_true", help="with --all: mark them without asking")
    add_editions(parser, "the translation to mark: en (repeat for several; default: every translation)")
    add_year(parser)


def run(args: argparse.Namespace, project: Project, progress: Progress) -> int:
    if not args.sections and not args.all:
        raise UsageError(f"translated needs the sections (their ids, as in report.yaml) or --all, e.g. `{EXAMPLE}`")
    if args.sections and args.all:
        raise UsageError("translated takes the sections or --all, not both")
    if args.yes and not args.all:
        raise UsageError("--yes answers the question --all asks: give it with --all")
    return _mark(args, project, progress)


def _mark(args: argparse.Namespace, project: Project, progress: Progress) -> int:
    from esgreport.editions import EDITIONS
    from esgreport.prepare.checks import source_edition
    from esgreport.prepare.report import prepare
    from esgreport.prepare.translations import mark_translated, recorded

    report = prepare(project.content, args.year)
    manifest = report.folder / "report.yaml"
    source = source_edition(report)
    translations = [e for e in report.editions if e != source and EDITIONS[e].source is None]
    if source is None or not translations:
        raise problem_at(manifest, "the report has no translation to mark",
                         "`editions:` lists the edition written first, then its translations")
    for edition in args.lang or ():
        if edition in translations:
            continue
        if edition == source:
            why = f"{edition} is the edition the translations are made from"
        elif edition in report.editions:
            why = f"{edition} is made from {EDITIONS[edition].source} by the build, not translated by hand"
        else:
            why = f"the report has no edition {edition}"
        raise problem_at(manifest, why, f"a translation to mark: {', '.join(translations)}")
    editions = list(dict.fromkeys(args.lang or translations))

    sections = list(report.sections()) if args.all else []
    for section_id in args.sections:
        section = report.section(section_id)
        if section is None:
            raise problem_at(manifest, f"there is no section `{section_id}`",
                             did_you_mean(section_id, [s.id for s in report.sections()], "use an id of report.yaml"))
        missing = [e for e in (source, *editions) if e not in section.sources]
        if missing:
            raise problem_at(manifest, f"the section `{section_id}` has no {' or '.join(missing)} text",
                             "only a section with a text of its own in both editions has a translation to mark",
                             line=section.manifest_line)
        sections.append(section)
    chosen = [(section, edition) for section in sections for edition in editions
              if source in section.sources and edition in section.sources]
    if args.all and not args.yes and not _confirmed(len(chosen), editions, source):
        return 1
    marked, moved = 0, 0
    for section, edition in chosen:
        moved += mark_translated(section.sources[edition].path, recorded(section.sources[source]))
        marked += 1
    progress.say(f"marked {marked} translation{'s' if marked != 1 else ''} as up to date with {source}"
                 + (f"; {moved} moved from draft to translated" if moved else ""))
    return 0


def _confirmed(count: int, editions: list[str], source: str) -> bool:
    """--all records every translation as made from today's source text: asked on a terminal, refused
    without one (a script says --yes)."""
    question = (f"Mark all {count} {'/'.join(editions)} translations as up to date with the {source} text as it "
                "is now? Out-of-date paragraphs will no longer be shown.")
    if not sys.stdin.isatty():
        raise UsageError(f"translated --all marks {count} translations at once and asks first; there is no "
                         "terminal to ask on: add --yes to mark them all")
    answer = input(f"{question} [y/N] ").strip().lower()
    if answer not in ("y", "yes"):
        print("Nothing was marked.", file=sys.stderr)
        return False
    return True

