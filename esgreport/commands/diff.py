"""Review of a change: `python build.py diff [REV]`.

The report as it is in the working tree against the report at a git revision (default: where the
branch left `main`), both prepared and checked the same way: the figures that changed (metric, year,
old → new, with where they appear), the sections changed per edition, the translations that fell
out of date, and the problems that are new. As text for the terminal, or Markdown for a pull-request
comment.

REV is first verified to name a commit (`git rev-parse --verify --end-of-options REV^{commit}`), and
only that commit's id is given to git afterwards: a revision spelt like an option (`--output=FILE`,
`--remote=URL`) never reaches `git archive`. The comment shows what content says (titles, labels,
messages) as text, whatever backticks or HTML it holds (`as_markdown`).
"""

from __future__ import annotations

import argparse
import io
import re
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from esgreport.commands.console import Progress
from esgreport.commands.options import add_year
from esgreport.errors import Problem, Problems, problem_at
from esgreport.project import Project

if TYPE_CHECKING:
    from esgreport.model.report import Report

NAME = "diff"
HELP = ("what a change does to the report since REV (default: where it left main): figures, sections, "
        "translations, new problems; --markdown for a PR comment")
FAILURE = "diff found"
EXAMPLE = "python build.py diff main --markdown"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("revision", nargs="?", metavar="REV", type=revision_name,
                        help="a branch, tag or commit to compare with (default: where the branch left main)")
    parser.add_argument("--markdown", action="store_true", help="Markdown for a pull-request comment")
    add_year(parser)


def revision_name(text: str) -> str:
    """REV as the command line takes it: never something git would read as an option."""
    if text.startswith("-"):
        raise argparse.ArgumentTypeError(f"`{text}` is not a revision: a branch, tag or commit does not start "
                                         "with `-`, e.g. `python build.py diff main`")
    return text


def run(args: argparse.Namespace, project: Project, progress: Progress) -> int:
    result = review(project, args.revision, args.year)
    print(as_markdown(result) if args.markdown else as_text(result))
    return 0


@dataclass
class FigureChange:
    metric: str
    year: int
    old: Decimal | None | str
    new: Decimal | None | str
    places: list[str]


@dataclass
class Review:
    revision: str                                                       # as the user named it
    commit: str                                                         # the commit it names
    year: int
    figures: list[FigureChange] = field(default_factory=list)
    sections: dict[str, list[str]] = field(default_factory=dict)       # edition → section ids changed
    stale: list[str] = field(default_factory=list)                      # translations now out of date
    new_problems: list[str] = field(default_factory=list)
    fixed_problems: int = 0
    # Departures from the published text recorded in editorial.yaml: how many before and after, and which
    # were added or removed (prepare/editorial.py)
    departures: tuple[int, int] = (0, 0)
    departures_changed: list[str] = field(default_factory=list)


def _git(root: Path, *args: str) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True, stdin=subprocess.DEVNULL)
    except OSError as exc:
        raise problem_at(root, f"git cannot be run ({exc.strerror})",
                         "diff compares with a git revision: install git") from None


def default_revision(root: Path) -> str:
    for base in ("main", "origin/main", "master"):
        found = _git(root, "merge-base", "HEAD", base)
        if found.returncode == 0:
            return found.stdout.decode().strip()
    return "HEAD"


def commit_of(root: Path, revision: str) -> str:
    """The id of the commit `revision` names, or one problem saying it names none. Only this id is
    given to git afterwards: a revision spelt like an option (`--output=FILE`, `--remote=…`) is
    read here as a name (`--end-of-options`), finds no commit, and reaches nothing else."""
    if _git(root, "rev-parse", "--is-inside-work-tree").returncode != 0:
        raise problem_at(root, "the project is not a git checkout", "diff compares with a git revision")
    found = _git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}")
    commit = found.stdout.decode("ascii", "replace").strip()
    if found.returncode != 0 or not re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}", commit):
        raise problem_at(root, f"`{revision}` is not a commit of this repository",
                         "give a branch, tag or commit, e.g. `python build.py diff main`")
    return commit


def checkout(root: Path, commit: str, dest: Path) -> Project:
    """The project's content, templates and catalogs as they were at `commit` (an id from
    commit_of), in `dest`."""
    names = [n for n in ("content", "templates", "locales") if (root / n).exists()]
    archive = _git(root, "archive", "--format=tar", commit, "--", *names)
    if archive.returncode != 0:
        raise problem_at(root, f"git cannot read commit {commit[:12]}: {archive.stderr.decode(errors='replace').strip()}",
                         "give a branch, tag or commit that has the report, e.g. `python build.py diff main`")
    try:
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(dest, filter="data")
    except (tarfile.TarError, OSError) as exc:
        raise problem_at(root, f"the files of commit {commit[:12]} cannot be unpacked ({exc})",
                         "check that the commit has the report's folders") from None
    return Project(dest)


def _value(metric, year):
    if metric is None:
        return "—"
    if year in metric.pending:
        return "empty"
    return metric.values.get(year, "—")


def _checked(project: Project, year: int) -> tuple[Report | None, list[Problem]]:
    from esgreport.errors import ReportError
    from esgreport.pipeline import verify
    from esgreport.prepare.report import prepare

    problems = Problems()
    try:
        report = prepare(project.content, year, problems)
        verify(report, project, report.editions, [], problems)
    except ReportError as exc:
        return None, exc.problems
    return report, problems.items


def review(project: Project, revision: str | None = None, year: int | None = None) -> Review:
    from esgreport.prepare.checks import source_edition
    from esgreport.prepare.content import find_report_dir
    from esgreport.prepare.translations import translation_states
    from esgreport.prepare.usage import where

    revision = revision or default_revision(project.root)
    commit = commit_of(project.root, revision)
    if year is None:
        year = int(find_report_dir(project.content).name)     # the latest, or why there is none
    with tempfile.TemporaryDirectory() as tmp:
        before = checkout(project.root, commit, Path(tmp))
        old, old_problems = _checked(before, year) if (before.content / str(year)).is_dir() else (None, [])
        new, new_problems = _checked(project, year)
        result = Review(revision, commit, year)

        def key(p: Problem, root: Path) -> str:
            return f"{p.location(root).rsplit(':', 1)[0] if p.line else p.location(root)}: {p.message}"

        seen = {key(p, before.root) for p in old_problems}
        now = {key(p, project.root): p for p in new_problems}
        result.new_problems = [p.format(project.root) for k, p in now.items() if k not in seen]
        result.fixed_problems = len(seen - set(now))
        if new is None:
            return result

        for mid in sorted(set(new.metrics) | set(old.metrics if old else ())):
            m_new, m_old = new.metrics.get(mid), old.metrics.get(mid) if old else None
            years = sorted(set(m_new.values if m_new else ()) | set(m_new.pending if m_new else ())
                           | set(m_old.values if m_old else ()) | set(m_old.pending if m_old else ()))
            for y in years:
                a, b = _value(m_old, y), _value(m_new, y)
                if a != b:
                    places = []
                    if m_new is not None:
                        usage = where(new, mid)
                        places = [f"{p.relative_to(project.root)}:{line}" for _, p, line, _ in usage.prose] + \
                                 [f"table {t}" for t in usage.tables] + [f"chart {c}" for c in usage.charts]
                    result.figures.append(FigureChange(mid, y, a, b, places))

        old_bodies = {(s.id, e): f.body for s in (old.sections() if old else ()) for e, f in s.sources.items()}
        for section in new.sections():
            for edition, file in section.sources.items():
                if old_bodies.get((section.id, edition)) != file.body:
                    result.sections.setdefault(edition, []).append(section.id)

        old_ids = [e.departure.id for e in old.editorial] if old else []
        new_ids = [e.departure.id for e in new.editorial]
        result.departures = (len(old_ids), len(new_ids))
        result.departures_changed = [f"+{i}" for i in new_ids if i not in old_ids] + \
            [f"-{i}" for i in old_ids if i not in new_ids]

        source, old_source = source_edition(new), source_edition(old) if old else None
        was_current = {(s.section, s.edition) for s in translation_states(old, old_source) if s.up_to_date} \
            if old and old_source else set()
        result.stale = [f"{s.section} ({s.edition})" for s in translation_states(new, source)
                        if not s.up_to_date and (s.section, s.edition) in was_current] if source else []
    return result


def _number(v) -> str:
    return f"{v:,}" if isinstance(v, Decimal) else ("n/a" if v is None else str(v))


def _since(r: Review) -> str:
    return r.commit[:12] if r.commit.startswith(r.revision) else f"{r.revision} ({r.commit[:12]})"


def as_text(r: Review) -> str:
    out = [f"Changes to the {r.year} report since {_since(r)}:"]
    out.append(f"figures changed: {len(r.figures)}")
    for f in r.figures:
        out.append(f"  {f.metric} {f.year}: {_number(f.old)} → {_number(f.new)}"
                   + (f"  (shown in {', '.join(f.places[:6])}{' …' if len(f.places) > 6 else ''})" if f.places else ""))
    for edition, ids in sorted(r.sections.items()):
        out.append(f"sections changed ({edition}): {', '.join(ids)}")
    if not r.sections:
        out.append("sections changed: none")
    out.append(f"translations now out of date: {', '.join(r.stale) if r.stale else 'none'}")
    out.append(f"departures from the published text: {r.departures[1]}" + (
        f" (was {r.departures[0]}: {', '.join(r.departures_changed)})" if r.departures_changed else ""))
    out.append(f"new problems: {len(r.new_problems)}" + (f" ({r.fixed_problems} fixed)" if r.fixed_problems else ""))
    out.extend("  " + p.replace("\n", "\n  ") for p in r.new_problems)
    return "\n".join(out)


# The pull-request comment shows what content says (titles, labels, messages) and must never let it
# act as Markdown or HTML: text is escaped, names are code spans, problems a code block, each fenced
# with more backticks than the text holds in a row (CommonMark closes a fence only with as many).

def _longest_backtick_run(text: str) -> int:
    return max((len(run) for run in re.findall(r"`+", text)), default=0)


def code_block(lines: list[str]) -> list[str]:
    fence = "`" * max(3, _longest_backtick_run("\n".join(lines)) + 1)
    return [fence, *lines, fence]


def code_span(text: str, in_table: bool = False) -> str:
    text = " ".join(str(text).splitlines())
    fence = "`" * (_longest_backtick_run(text) + 1)
    pad = " " if text.startswith(("`", " ")) or text.endswith(("`", " ")) else ""
    span = f"{fence}{pad}{text}{pad}{fence}"
    return span.replace("|", "\\|") if in_table else span    # a table splits at | even in code


def plain(text: str) -> str:
    """Text that shows as itself: every ASCII punctuation mark escaped (CommonMark allows it for
    all of them), so no emphasis, link, table cell or HTML tag can start in it."""
    return re.sub(r"([!-/:-@\[-`{-~])", r"\\\1", " ".join(str(text).split()))


def as_markdown(r: Review) -> str:
    since = code_span(r.commit[:12]) if r.commit.startswith(r.revision) else \
        f"{code_span(r.revision)} ({code_span(r.commit[:12])})"
    out = [f"### ESG report {r.year}: what this change does", "", f"Compared with {since}.", ""]
    if r.figures:
        out += ["**Figures changed**", "", "| metric | year | before | after | shown in |", "|---|---|---:|---:|---|"]
        out += [f"| {code_span(f.metric, True)} | {f.year} | {_number(f.old)} | {_number(f.new)} | "
                f"{', '.join(code_span(p, True) for p in f.places[:4])} |" for f in r.figures]
        out.append("")
    else:
        out += ["No figure changed.", ""]
    if r.sections:
        out += ["**Sections changed**", ""] + [f"- {plain(e)}: {', '.join(plain(i) for i in ids)}"
                                               for e, ids in sorted(r.sections.items())] + [""]
    if r.stale:
        out += ["**Translations now out of date**", ""] + [f"- {plain(s)}" for s in r.stale] + [""]
    if r.departures_changed:
        out += [f"**Departures from the published text** (editorial.yaml): {r.departures[0]} → {r.departures[1]}", ""]
        out += [f"- {'added' if c[0] == '+' else 'removed'}: `{c[1:]}`" for c in r.departures_changed] + [""]
    if r.new_problems:
        lines = [line for p in r.new_problems for line in p.splitlines()]
        out += [f"**New problems ({len(r.new_problems)})**", "", *code_block(lines), ""]
    else:
        out += ["No new problems." + (f" {r.fixed_problems} fixed." if r.fixed_problems else ""), ""]
    return "\n".join(out)
