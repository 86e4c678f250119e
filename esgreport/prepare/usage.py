"""Where a figure is used: `python build.py where METRIC`.

Every place a metric reaches a reader, read from the prepared report (nothing is rendered): the
section files that print it (per edition, with their lines), the KPI tables and charts that show it
and the sections that place them, the notes of tables and charts that print it, the home page's key
figures, the disclosure codes of those sections, the rules that check it, and the metrics derived
from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from esgreport.model.report import Location, Report
from esgreport.prepare.compute import FormulaError, formula_inputs, parse_formula


@dataclass
class Usage:
    metric: str
    defined: Location
    prose: list[tuple[str, Path, int | None, str]] = field(default_factory=list)   # edition, file, line, how
    tables: list[str] = field(default_factory=list)
    charts: list[str] = field(default_factory=list)
    placed: list[tuple[str, str, Path, int | None]] = field(default_factory=list)  # what, id, file, line
    codes: list[str] = field(default_factory=list)                               # HKEX/GRI tags there
    derived: list[str] = field(default_factory=list)                             # formulas over it
    notes: list[tuple[str, str, Path, int | None]] = field(default_factory=list)  # table/chart, id, file, line
    key_figures: list[tuple[str, Path, int | None]] = field(default_factory=list)  # part, report.yaml, line

    @property
    def sections(self) -> int:
        return len({p for _, p, _, _ in self.prose} | {p for *_, p, _ in self.placed})


def derived_from(report: Report, metric: str) -> list[str]:
    """Metrics whose formula reads `metric`, directly or through another derived metric."""
    readers: dict[str, set[str]] = {}
    for mid, m in report.metrics.items():
        if m.formula:
            try:
                for name in formula_inputs(parse_formula(m.formula)):
                    readers.setdefault(name, set()).add(mid)
            except FormulaError:
                continue
    found, stack = [], [metric]
    while stack:
        for reader in sorted(readers.get(stack.pop(), ())):
            if reader not in found:
                found.append(reader)
                stack.append(reader)
    return found


def where(report: Report, metric: str) -> Usage:
    usage = Usage(metric, report.metrics[metric].location)
    usage.tables = sorted(t for t, spec in report.tables.items() if metric in spec.metric_ids())
    usage.charts = sorted(c for c, spec in report.charts.items() if metric in [s.metric for s in spec.series])
    codes: set[str] = set()
    for section in report.sections():
        for edition, source in section.sources.items():
            for ref in source.references:
                tables = [t for t in ref.ids("table") if t in usage.tables]
                charts = [c for c in ref.ids("chart") if c in usage.charts]
                if metric in ref.metric_ids():
                    usage.prose.append((edition, source.path, ref.line, ref.name))
                elif tables:
                    usage.placed.append(("table", ", ".join(tables), source.path, ref.line))
                elif charts:
                    usage.placed.append(("chart", ", ".join(charts), source.path, ref.line))
                else:
                    continue
                codes.update(f"HKEX {c}" for c in section.hkex)
                codes.update(f"GRI {c}" for c in section.gri)
    usage.codes = sorted(codes)
    usage.derived = derived_from(report, metric)
    usage.notes = _in_notes(report, metric)
    doc = report.manifest_doc
    usage.key_figures = [(part, doc.path, doc.line_of(("key_figures", part, ids.index(metric))))
                         for part, ids in report.manifest.key_figures.items() if metric in ids]
    return usage


def _in_notes(report: Report, metric: str) -> list[tuple[str, str, Path, int | None]]:
    """The notes of KPI tables and charts (and their captions) whose text prints the metric, with their lines."""
    from esgreport.editions import EDITIONS
    from esgreport.markup.markdown import scan
    from esgreport.model.load import read_yaml

    written = [e for e in report.editions if e in EDITIONS and EDITIONS[e].source is None]
    found = []
    texts: list[tuple[str, str, tuple, dict | None]]
    texts = [("table", tid, ("notes", i), note) for tid, t in report.tables.items() for i, note in enumerate(t.notes)]
    texts += [("chart", cid, (key,), getattr(c, key)) for cid, c in report.charts.items() for key in ("caption", "note")]
    for kind, name, loc, localized in texts:
        where = report.location(kind, name)
        for edition in written:
            text = (localized or {}).get(edition, "")
            if where is not None and "{{" in text and any(t.kind == "metric" and t.id == metric
                                                          for call, _ in scan(text).calls for t in call.targets()):
                doc = read_yaml(where.path, report.content_root)
                found.append((f"{kind} {name} ({edition})", name, where.path,
                              doc.line_of((kind + "s", name, *loc, edition))))
    return found


def describe(usage: Usage, root: Path) -> str:
    def rel(path: Path) -> str:
        try:
            return str(path.relative_to(root))
        except ValueError:
            return str(path)

    lines = [f"{usage.metric}: defined at {rel(usage.defined.path)}:{usage.defined.line}"]
    for edition in sorted({e for e, *_ in usage.prose}):
        lines.append(f"  {edition} text:")
        lines += [f"    {rel(p)}:{line} ({how})" for e, p, line, how in usage.prose if e == edition]
    if usage.tables:
        lines.append(f"  KPI tables: {', '.join(usage.tables)}")
    if usage.charts:
        lines.append(f"  charts: {', '.join(usage.charts)}")
    for what, name, path, line in dict.fromkeys(usage.placed):     # a generated edition shares its source's files
        lines.append(f"    {what} {name} placed at {rel(path)}:{line}")
    for what, _, path, line in usage.notes:
        lines.append(f"  in a note of {what}: {rel(path)}:{line}")
    for part, path, line in usage.key_figures:
        lines.append(f"  a key figure of the home page ({part}): {rel(path)}:{line}")
    if usage.codes:
        lines.append(f"  disclosures of those sections: {', '.join(usage.codes)}")
    lines.append(f"  derived from it: {', '.join(usage.derived) if usage.derived else 'none'}")
    if not usage.prose and not usage.placed and not usage.notes and not usage.key_figures:
        lines.append("  not shown anywhere in the report")
    return "\n".join(lines)
