"""`python build.py export xliff|tbx|tmx`: the files translators' CAT tools exchange (writers/exchange.py):
XLIFF per translation and section, a TBX termbase of the glossary, a TMX memory of approved sections."""

from __future__ import annotations

import argparse
from pathlib import Path

from esgreport.commands.console import Progress, relative
from esgreport.commands.options import UsageError, add_editions, add_year
from esgreport.project import Project

NAME = "export"
HELP = "files for translators' tools: XLIFF of sections (2.0, or --xliff-version 1.2), a TBX termbase, a TMX memory"
FAILURE = "check found"
EXAMPLE = "python build.py export xliff climate-change --lang en"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", choices=("xliff", "tbx", "tmx"), help="xliff: sections to translate; "
                        "tbx: the glossary as a termbase; tmx: the approved sections as a translation memory")
    parser.add_argument("sections", nargs="*", metavar="SECTION", help="xliff: the sections (default: every one)")
    parser.add_argument("--xliff-version", choices=("2.0", "1.2"), default="2.0",
                        help="XLIFF 2.0 (default), or 1.2 for a CAT tool that reads no other")
    parser.add_argument("--to", metavar="FILE", type=Path,
                        help="where to write (default: output/<year>/exchange/…)")
    add_editions(parser, "the translation: en (default: the report's first translation)")
    add_year(parser)


def run(args: argparse.Namespace, project: Project, progress: Progress) -> int:
    from esgreport.editions import EDITIONS
    from esgreport.errors import did_you_mean, problem_at
    from esgreport.prepare.checks import source_edition
    from esgreport.prepare.report import prepare
    from esgreport.writers.exchange import export_tbx, export_tmx, export_xliff

    if args.sections and args.kind != "xliff":
        raise UsageError(f"export {args.kind} takes no sections: it is made from the whole report")
    report = prepare(project.content, args.year)
    manifest = report.folder / "report.yaml"
    source = source_edition(report)
    translations = [e for e in report.editions if e != source and EDITIONS[e].source is None]
    if source is None or not translations:
        raise problem_at(manifest, "the report has no translation to exchange", "`editions:` lists zh-hant, then en")
    edition = (args.lang or [translations[0]])[0]
    if edition not in translations:
        raise problem_at(manifest, f"{edition} is not a translation of the report", f"use one of: {', '.join(translations)}")
    folder = project.output / str(report.year) / "exchange"
    if args.kind == "tbx":
        data, name, what = export_tbx(report), "glossary.tbx", f"{len(report.glossary)} terms"
    elif args.kind == "tmx":
        data, count = export_tmx(report, edition)
        name, what = f"memory-{report.year}-{edition}.tmx", f"{count} aligned paragraphs of approved sections"
    else:
        ids = args.sections or [s.id for s in report.sections() if source in s.sources]
        for section_id in ids:
            section = report.section(section_id)
            if section is None:
                raise problem_at(manifest, f"there is no section `{section_id}`", did_you_mean(
                    section_id, [s.id for s in report.sections()], "use an id of report.yaml"))
            if source not in section.sources:
                raise problem_at(manifest, f"the section `{section_id}` has no {source} text to translate",
                                 line=section.manifest_line)
        data = export_xliff(report, ids, edition, args.xliff_version)
        suffix = "" if args.xliff_version == "2.0" else "-xliff12"
        name = f"{ids[0] if len(ids) == 1 else 'report'}-{report.year}-{edition}{suffix}.xlf"
        what = f"{len(ids)} section{'s' if len(ids) != 1 else ''}, XLIFF {args.xliff_version}"
    target = args.to or folder / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    progress.say(f"{args.kind}: {relative(target, project.root)} ({what})")
    return 0
