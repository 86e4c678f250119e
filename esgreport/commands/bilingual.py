"""`python build.py bilingual [SECTION…]`: the bilingual review copy (render/bilingual.py), HTML and a PDF
for sign-off, of some sections or of the whole report."""

from __future__ import annotations

import argparse
from pathlib import Path

from esgreport.commands.console import Progress, relative
from esgreport.commands.options import add_editions, add_year
from esgreport.project import Project

NAME = "bilingual"
HELP = "a review copy of sections (default: the whole report) in both editions side by side, as HTML and PDF"
FAILURE = "check found"
EXAMPLE = "python build.py bilingual climate-change --format pdf"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("sections", nargs="*", metavar="SECTION", help="the sections (default: every one)")
    parser.add_argument("--format", dest="formats", action="append", choices=("html", "pdf"),
                        help="html or pdf (repeat for both; default: both)")
    parser.add_argument("--to", metavar="FOLDER", type=Path, help="where to write (default: output/<year>/review/)")
    add_editions(parser, "the translation to set beside the source: en (default: the report's first translation)")
    add_year(parser)


def run(args: argparse.Namespace, project: Project, progress: Progress) -> int:
    from esgreport.editions import EDITIONS
    from esgreport.errors import did_you_mean, problem_at
    from esgreport.pipeline import check
    from esgreport.prepare.checks import source_edition
    from esgreport.render.bilingual import review_copy

    report, _ = check(project, args.year)        # a copy for sign-off is made of text that passes check
    manifest = report.folder / "report.yaml"
    source = source_edition(report)
    translations = [e for e in report.editions if e != source and EDITIONS[e].source is None]
    if source is None or not translations:
        raise problem_at(manifest, "the report has no translation to review", "`editions:` lists zh-hant, then en")
    translation = (args.lang or [translations[0]])[0]
    if translation not in translations:
        raise problem_at(manifest, f"{translation} is not a translation of the report",
                         f"use one of: {', '.join(translations)}")
    ids = args.sections or [s.id for s in report.sections()]
    for section_id in ids:
        if report.section(section_id) is None:
            raise problem_at(manifest, f"there is no section `{section_id}`", did_you_mean(
                section_id, [s.id for s in report.sections()], "use an id of report.yaml"))
    page = review_copy(report, ids, source, translation, project.templates, project.locales)
    folder = args.to or project.output / str(report.year) / "review"
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"bilingual-{report.year}-{ids[0] if len(ids) == 1 else 'report' if not args.sections else 'sections'}"
    written = []
    formats = args.formats or ["html", "pdf"]
    if "html" in formats:
        target = folder / f"{stem}.html"
        target.write_text(page, encoding="utf-8")
        written.append(target)
    if "pdf" in formats:
        from esgreport.writers.layout import write_pdf
        target = folder / f"{stem}.pdf"
        progress.step("laying out the PDF")
        write_pdf(page, project.root, target, project.root)
        written.append(target)
    progress.say("bilingual review copy: " + ", ".join(relative(p, project.root) for p in written))
    return 0
