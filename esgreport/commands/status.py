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
    parser.add_argument("sections", nargs="*", metavar="SECTION",
                        help="show what changed in these sections' source text since each translation was marked: "
                             "the old and the new paragraph, the change marked")
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
    if args.sections:
        return _changes(args.sections, report, source, project)
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
    if report.editorial:
        print(f"departures from the published text: {len(report.editorial)} (`python build.py editorial` lists them)")
    return 1 if stale or edited else 0


def _changes(section_ids: list[str], report, source: str | None, project: Project) -> int:
    """Each out-of-date paragraph of these sections' source: as it was translated and as it is now."""
    import sys

    from esgreport.errors import did_you_mean, problem_at
    from esgreport.prepare.translations import changes, marked, translation_states

    color = sys.stdout.isatty()
    states = translation_states(report, source)
    stale = 0
    for section_id in section_ids:
        section = report.section(section_id)
        if section is None:
            raise problem_at(report.folder / "report.yaml", f"there is no section `{section_id}`",
                             did_you_mean(section_id, [s.id for s in report.sections()], "use an id of report.yaml"))
        title = f"{section.number + ' ' if section.number else ''}{section_id}"
        departures = [e for e in report.editorial if e.departure.section == section_id]
        for state in (s for s in states if s.section == section_id):
            if not state.recorded:
                print(f"{title}: the {state.edition} translation was never marked as translated")
                continue
            if state.up_to_date:
                print(f"{title}: the {state.edition} translation is up to date with {source}")
                continue
            stale += 1
            original = section.sources[source]
            commit, found = changes(original, (report.section(section_id).sources[state.edition]
                                               .meta.translated_from or "").split())
            where = f"as translated: commit {commit[:10]}" if commit else \
                "the text as translated is not in git: only the new text is shown"
            print(f"{title}: the {state.edition} translation is out of date with {source} "
                  f"({len(found)} paragraph{'s' if len(found) != 1 else ''}; {where})")
            for change in found:
                at = f"{relative(original.path, project.root)}:{change.line}" if change.line else \
                    f"{relative(original.path, project.root)} (removed)"
                print(f"  {at}")
                if change.before is not None and change.after is not None:
                    pieces = marked(change.before, change.after)
                    print("    was: " + "".join(_shown(kind, text, color) for kind, text in pieces if kind != "+"))
                    print("    now: " + "".join(_shown(kind, text, color) for kind, text in pieces if kind != "-"))
                elif change.after is not None:
                    print("    new: " + change.after)
                elif change.before is not None:
                    print("    removed: " + change.before)
        if departures:
            print(f"{title}: {len(departures)} departure{'s' if len(departures) != 1 else ''} from the published "
                  f"text recorded (`python build.py editorial {section_id}`)")
    return 1 if stale else 0


def _shown(kind: str, text: str, color: bool) -> str:
    """A piece of a marked change: removed [-…-], added {+…+} (on a terminal, in red and green too)."""
    if kind == "=":
        return text
    if color:
        return f"\033[9;31m[-{text}-]\033[0m" if kind == "-" else f"\033[1;32m{{+{text}+}}\033[0m"
    return f"[-{text}-]" if kind == "-" else f"{{+{text}+}}"
