"""`python build.py gaps`: every item of a framework with its state for the report (prepare/gaps.py)."""

from __future__ import annotations

import argparse

from esgreport.commands.console import Progress
from esgreport.commands.options import add_year
from esgreport.project import Project

NAME = "gaps"
HELP = "every item of a framework with its state: disclosed (where), explained, relief applied, missing"
FAILURE = "gaps found"
EXAMPLE = "python build.py gaps --framework hkex-esg-2025"

STATES = {"disclosed": "disclosed", "not_applicable": "not applicable", "explained": "explained",
          "relief": "relief applied", "cited": "cited", "voluntary": "voluntary", "not_required": "not yet required",
          "optional": "no level", "missing": "MISSING"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--framework", metavar="ID",
                        help="a framework of content/frameworks/ (default: the report's HKEX framework)")
    parser.add_argument("--markdown", action="store_true", help="print Markdown tables (for a pull request)")
    parser.add_argument("--lang", metavar="EDITION", default="en",
                        help="the language of titles and explanations (default: en)")
    add_year(parser)


def run(args: argparse.Namespace, project: Project, progress: Progress) -> int:
    from esgreport.errors import Problems, did_you_mean, problem_at
    from esgreport.model.inputs import Framework, validate
    from esgreport.model.load import read_yaml
    from esgreport.prepare.gaps import assess
    from esgreport.prepare.report import prepare

    found = Problems()
    report = prepare(project.content, args.year, found)
    if found:
        progress.say(f"note: the {report.year} report has problems (`python build.py check` lists them); "
                     "the gaps below are as far as it could be read")
    if args.framework is None:
        framework = report.frameworks.get("hkex")
        if framework is None:
            raise problem_at(report.manifest_doc.path, "the report names no HKEX framework",
                             "name one with --framework, e.g. --framework hkex-esg-2025")
    else:
        folder = project.content / "frameworks"
        path = folder / f"{args.framework}.yaml"
        known = sorted(p.stem for p in folder.glob("*.yaml"))
        if args.framework not in known:
            raise problem_at(folder, f"there is no framework `{args.framework}`",
                             did_you_mean(args.framework, known, f"use one of: {', '.join(known)}"))
        local = Problems()
        read = validate(Framework, read_yaml(path, project.content), local)
        local.raise_if_any()
        assert read is not None, "validate() returns a framework or reports why not"
        framework = read
    gaps = assess(report, framework)
    print(markdown(gaps, report.year, args.lang) if args.markdown else text(gaps, report.year, args.lang))
    return 0


def _t(localized, lang: str) -> str:
    return str((localized or {}).get(lang) or (localized or {}).get("en", "")) if isinstance(localized, dict) else ""


def _where(gap, lang: str) -> str:
    if gap.state == "disclosed":
        return "; ".join(f"{n} {_t(t, lang)}" if n else _t(t, lang) for n, t in gap.where)
    if gap.state == "relief":
        return f"{gap.relief}: {_t(gap.answer, lang)}" + (f" (until FY{gap.until})" if gap.until else " (no expiry)")
    return _t(gap.answer, lang)


def _heading(gaps, year: int, lang: str) -> list[str]:
    fw = gaps.framework
    lines = [f"{fw.id}: {_t(fw.title, lang)}" + (f", {_t(fw.version, lang)}" if fw.version else "")
             + f" — the {year} report, a {gaps.category} issuer, financial year {gaps.year}"]
    lines += [f"note: {n}" for n in gaps.notes]
    if fw.unconfirmed:
        lines.append("not confirmed against the published text (items marked *): " + "; ".join(fw.unconfirmed))
    return lines


def _summary(gaps) -> str:
    counts: dict[str, int] = {}
    for g in gaps.items:
        counts[g.state] = counts.get(g.state, 0) + 1
    required = sum(1 for g in gaps.missing() if g.required)
    return (f"{len(gaps.items)} items: " + ", ".join(f"{n} {STATES[s].lower()}" for s, n in counts.items())
            + f"; {required} required item{'s' if required != 1 else ''} missing")


def _paragraph(gap) -> str:
    return (gap.item.paragraph or "") + ("*" if gap.item.verified is False else "")


def text(gaps, year: int, lang: str = "en") -> str:
    out = _heading(gaps, year, lang) + [""]
    rows = [(g.item.code, _paragraph(g), _t(g.item.title or g.item.requirement, lang)[:48], g.level or "—",
             STATES[g.state], _where(g, lang)) for g in gaps.items]
    widths = [max(len(r[i]) for r in rows + [("code", "para.", "item", "level", "state", "")]) for i in range(5)]
    out.append("  ".join(h.ljust(w) for h, w in zip(("code", "para.", "item", "level", "state"), widths)) + "  where / why")
    group = None
    for gap, row in zip(gaps.items, rows):
        if gap.group != group:
            group = gap.group
            out.append(f"— {_t(group, lang)}")
        out.append(("  ".join(c.ljust(w) for c, w in zip(row[:5], widths)) + "  " + row[5]).rstrip())
    out += ["", _summary(gaps)]
    return "\n".join(out)


def markdown(gaps, year: int, lang: str = "en") -> str:
    out = [f"### {line}" if i == 0 else f"> {line}" for i, line in enumerate(_heading(gaps, year, lang))] + [""]
    group = None
    for gap in gaps.items:
        if gap.group != group:
            group = gap.group
            out += ["", f"**{_t(group, lang)}**", "", "| Code | Para. | Item | Level | State | Where / why |",
                    "| --- | --- | --- | --- | --- | --- |"]
        cells = [gap.item.code, _paragraph(gap), _t(gap.item.title or gap.item.requirement, lang), gap.level or "—",
                 STATES[gap.state] if gap.state != "missing" else "**missing**", _where(gap, lang)]
        out.append("| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |")
    out += ["", _summary(gaps)]
    return "\n".join(out)
