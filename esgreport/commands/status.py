"""`python build.py status`: each section's place in the review cycle, whether its translations are up
to date with the text they were made from, and its approval (prepare/approvals.py); exit status 1 when
a translation is out of date or a section was edited since it was approved."""

from __future__ import annotations

import argparse

from esgreport.commands.console import Progress, relative
from esgreport.commands.options import add_year
from esgreport.project import Project

NAME = "status"
HELP = "each section's status, whether its translations are up to date, and its approval"
FAILURE = "check found"
EXAMPLE = "python build.py status --year 2024"
WIDTH = 22          # of an edition's column


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_year(parser)


def run(args: argparse.Namespace, project: Project, progress: Progress) -> int:
    from esgreport.editions import EDITIONS
    from esgreport.model.inputs import STATUSES
    from esgreport.prepare.approvals import approval_states
    from esgreport.prepare.checks import source_edition
    from esgreport.prepare.report import prepare
    from esgreport.prepare.translations import translation_states

    report = prepare(project.content, args.year)
    source = source_edition(report)
    states = {(s.section, s.edition): s for s in translation_states(report, source)} if source else {}
    editions = [e for e in report.editions if EDITIONS[e].source is None]
    width = max(len(s.id) for s in report.sections())
    print(f"{'section'.ljust(width)}  " + "  ".join(e.ljust(WIDTH) for e in editions))
    stale = 0
    for section in report.sections():
        cells = []
        for edition in editions:
            file = section.sources.get(edition)
            if file is None:
                cells.append("—".ljust(WIDTH))
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
            cells.append(cell.ljust(WIDTH))
        print(f"{section.id.ljust(width)}  " + "  ".join(cells).rstrip())
        for edition in editions:
            state = states.get((section.id, edition))
            if state is not None and source and state.recorded and not state.up_to_date and args.verbose:
                source_file = section.sources[source]
                for line, text in state.changed:
                    print(f"{' ' * width}    {relative(source_file.path, project.root)}:{line}: {text[:70]}"
                          f"{'…' if len(text) > 70 else ''}")
    counts: dict[str, int] = {}
    for section in report.sections():
        for file in section.sources.values():
            counts[file.status] = counts.get(file.status, 0) + 1
    approvals = approval_states(report)
    edited = [a for a in approvals if a.approval is not None and a.changed]
    print(f"\napprovals (content/{report.year}/approvals.yaml):")
    for approval in approvals:
        print(f"  {approval.section.ljust(width)}  {approval.describe()}")
    print(f"\n{' → '.join(f'{s} {counts.get(s, 0)}' for s in STATUSES)}; translations out of date: {stale}"
          + ("" if args.verbose or not stale else " (-v shows the paragraphs that changed, with their lines)")
          + f"; approved {sum(a.current for a in approvals)} of {len(approvals)}, edited since approval: {len(edited)}")
    return 1 if stale or edited else 0
