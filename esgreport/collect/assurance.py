"""`python build.py assurance`: the assurance provider's pack, in output/<year>/assurance/.

Every figure the report prints (in a section's text, a key-performance card, a KPI table, a chart, the
list of restatements, the web edition's home page), one row per metric and year, with:
- its value and unit; for a derived figure, its formula and the inputs it is computed from;
- its provenance (owner, source, evidence file and SHA-256, workbook and cell, date of import) and the
  explanation given for it, as `import` recorded them in the data of the report that published it;
- where it is printed: the sections, and the pages of each edition's PDF (each PDF is laid out as the
  build lays it out, at this commit; a figure is looked for on its sections' pages);
- its history in git (each commit that changed it: commit, author, date, value);
- the acknowledged findings about it and its restatement;
- whether it is within the assurance's scope (report.yaml `assurance:`), marked with its symbol.

As a workbook (assurance-<year>.xlsx) and an HTML page (index.html), both naming the commit the pack was
made from; the pack is the same for the same commit (its date is the report's published date).
"""

from __future__ import annotations

import html
import io
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from esgreport.collect.history import Change, History
from esgreport.errors import Problems
from esgreport.model.inputs import Acknowledgement, Provenance
from esgreport.model.report import Report
from esgreport.project import Project

FOLDER = "assurance"


@dataclass
class Place:
    section: str          # "3.1 Key Performance Indicators", or "home page (web edition)"
    section_id: str | None
    how: str              # text, card, change, table `x`, chart `y`, restatements, key figure


@dataclass
class Row:
    metric: str
    year: int
    label: dict[str, str]
    value: str                        # as stated (n/a where not reported)
    unit: str
    assured: bool = False
    formula: str = ""
    inputs: list[str] = field(default_factory=list)
    provenance: Provenance | None = None
    explanation: str = ""
    places: list[Place] = field(default_factory=list)
    pages: dict[str, list[int]] = field(default_factory=dict)      # edition → pages of its PDF
    history: list[Change] = field(default_factory=list)
    acknowledged: list[str] = field(default_factory=list)
    restatement: str = ""


@dataclass
class Pack:
    report: Report
    commit: str | None
    rows: list[Row]
    in_git: bool

    @property
    def when(self) -> date:
        m = self.report.manifest
        return m.published or m.period.end


def printed(report: Report) -> Iterator[tuple[str, int, Place]]:
    """(metric, year, place) of every figure the report prints, in reading order."""
    from esgreport.prepare.approvals import figures_of_reference, hand_written

    for section in report.sections():
        title = section.title.get("en") or next(iter(section.title.values()), section.id)
        place = f"{section.number} {title}" if section.number else title
        for source in hand_written(section).values():
            for ref in source.references:
                for metric, year, how in figures_of_reference(report, ref):
                    yield metric, year, Place(place, section.id, how)
    for part_id, metric_ids in report.manifest.key_figures.items():
        for metric_id in metric_ids:
            yield metric_id, report.year, Place("home page (web edition)", None, f"key figure of {part_id}")


def make_pack(project: Project, report: Report, pages: bool = True) -> Pack:
    """Every printed figure with what the assurance provider asks about it. `pages`: lay out each PDF to
    find the pages (the slow part: a WeasyPrint layout per edition)."""
    from esgreport.prepare.content import read_data
    from esgreport.prepare.content import report_folders as folders_of
    from esgreport.typography.formatting import format_number

    folders = folders_of(report.content_root)
    data_of: dict[int, object] = {}

    def data(year_of_report: int):
        if year_of_report not in data_of:
            folder = folders.get(year_of_report, report.folder)
            data_of[year_of_report] = read_data(folder, Problems(), report.editions)
        return data_of[year_of_report]

    scope = report.manifest.assurance
    assured = set(scope.figures) if scope else set()
    history = History(project.root)
    rows: dict[tuple[str, int], Row] = {}
    for metric_id, year, place in printed(report):
        metric = report.metrics.get(metric_id)
        if metric is None:
            continue
        row = rows.get((metric_id, year))
        if row is None:
            value = metric.values.get(year)
            unit = report.units.get(metric.unit)
            shown = "(empty)" if year in metric.pending else "n/a" if value is None else \
                format_number(value, metric.precision_for(year), "en")
            row = rows[(metric_id, year)] = Row(
                metric_id, year, dict(metric.label), shown,
                " / ".join(filter(None, [unit.label("zh-hant"), unit.label("en")])) if unit else metric.unit,
                assured=metric_id in assured and year == report.year)
            if metric.formula:
                row.formula = metric.formula
                row.inputs = _inputs(report, metric.formula, year)
            published_in = metric.published_in.get(year, report.year)
            items = data(published_in)
            spec, where = items.metrics.get(metric_id, (None, None))
            if spec is not None:
                row.provenance = spec.provenance.get(year)
                row.explanation = spec.explanations.get(year, "")
                row.history = history.of(where.path, metric_id, year)
            row.acknowledged = [_acknowledgement(a) for a, _ in items.acknowledged
                                if _about(a, metric_id, year, items.checks)]
            restated = metric.restated.get(year)
            if restated is not None:
                before = "-" if restated.published is None else format_number(restated.published,
                                                                              metric.precision_for(year), "en")
                row.restatement = (f"restated by the {report.year} report: the {restated.published_in} report "
                                   f"published {before}; {restated.reason.get('en', '')}")
        if not any(p.section == place.section and p.how == place.how for p in row.places):
            row.places.append(place)
    pack = Pack(report, project.commit, list(rows.values()), history.in_git)
    if pages:
        _find_pages(project, report, pack)
    return pack


def _inputs(report: Report, formula: str, year: int) -> list[str]:
    """The figures a derived one is computed from: each input of the formula, in its year (and the year
    before where the formula reads `prev()`)."""
    from esgreport.prepare.compute import FormulaError, formula_inputs, parse_formula
    from esgreport.typography.formatting import format_number

    try:
        names = sorted(formula_inputs(parse_formula(formula)))
    except FormulaError:
        return []
    out = []
    for name in names:
        source = report.metrics.get(name)
        for y in ([year - 1, year] if "prev(" in formula else [year]):
            value = source.values.get(y) if source is not None else None
            shown = "n/a" if value is None or source is None else format_number(value, source.precision_for(y), "en")
            out.append(f"{name} {y}: {shown}")
    return out


def _about(ack: Acknowledgement, metric: str, year: int, checks) -> bool:
    """Whether an acknowledged finding is about this figure: it names the metric (or a rule over it)
    and the year."""
    parts = ack.finding.split(":")
    if str(year) not in parts[1:]:
        return False
    if metric in parts:
        return True
    for rule, _ in checks:
        if rule.id in parts and metric in [*(rule.sum or []), *([rule.equals] if isinstance(rule.equals, str)
                                                                 else rule.equals or [])]:
            return True
    return False


def _acknowledgement(ack: Acknowledgement) -> str:
    follow_up = f" Open: {ack.follow_up}" if ack.follow_up else ""
    return f"{ack.finding}: found {ack.found}, expected {ack.expected}; {ack.reason.get('en', '')}{follow_up}"


# --- pages ------------------------------------------------------------------------------------------

def _page_texts(document) -> tuple[list[str], dict[str, int]]:
    """Each page's text (spaces removed) and the page (1-based) each element id starts on."""
    from weasyprint.formatting_structure import boxes

    def text(box) -> Iterator[str]:
        if isinstance(box, boxes.TextBox):
            yield box.text
        for child in getattr(box, "children", ()):
            yield from text(child)

    texts = [re.sub(r"\s+", "", "".join(text(page._page_box))) for page in document.pages]
    anchors: dict[str, int] = {}
    for number, page in enumerate(document.pages, start=1):
        for name in page.anchors:
            anchors.setdefault(name, number)
    return texts, anchors


def _span(section_id: str, order: list[str], anchors: dict[str, int], last: int) -> range:
    """The pages a section's content is on: from its first page to where the next section starts."""
    first = anchors.get(section_id)
    if first is None:
        return range(0)
    later = [anchors[s] for s in order[order.index(section_id) + 1:] if s in anchors]
    end = min((p for p in later if p >= first), default=last)
    return range(first, max(end, first) + 1)


def _find_pages(project: Project, report: Report, pack: Pack) -> None:
    """The pages of each edition's PDF where each figure is printed: on the pages of its sections (from
    a section's first page to the next section's), where the figure as the edition writes it is found,
    else the section's first page."""
    from esgreport.render.edition import render_edition
    from esgreport.render.figures import Figures
    from esgreport.writers.layout import write_pdf

    order = [s.id for s in report.sections()]
    figures = Figures(report.metrics, report.units, report.year)
    for code in report.editions:
        rendered = render_edition(report, code, project.templates, project.locales, Problems(), media=("print",))
        with tempfile.TemporaryDirectory(prefix="esgreport-assurance-") as tmp:
            document = write_pdf(rendered.print_html, project.templates / "static", Path(tmp) / rendered.pdf_name,
                                 project.root, commit=project.commit)
        texts, anchors = _page_texts(document)
        spans = {section_id: _span(section_id, order, anchors, len(texts)) for section_id in order}
        for row in pack.rows:
            try:
                shown = re.sub(r"\s+", "", figures.format(row.metric, code, year=row.year))
            except Exception:           # n/a or empty: looked for by section only
                shown = ""
            found: list[int] = []
            for place in row.places:
                if place.section_id is None:
                    continue
                pages = spans.get(place.section_id, range(0))
                hits = [p for p in pages if shown and shown in texts[p - 1]]
                found.extend(hits or pages[:1])
            row.pages[code] = sorted(set(found))


# --- the pack's files -------------------------------------------------------------------------------

COLUMNS = [("metric", "Metric", 28), ("label", "Indicator", 40), ("year", "Year", 7), ("value", "Value", 14),
           ("unit", "Unit", 16), ("assured", "Assured", 8), ("formula", "Formula", 30), ("inputs", "Inputs", 34),
           ("owner", "Owner", 14), ("source", "Source", 30), ("evidence", "Evidence file", 24),
           ("sha256", "Evidence SHA-256", 30), ("cell", "Workbook and cell", 24), ("imported", "Imported", 11),
           ("explanation", "Explanation", 34), ("printed", "Printed in", 40), ("pages", "PDF pages", 22),
           ("history", "History in git", 50), ("acknowledged", "Acknowledged findings", 40),
           ("restatement", "Restatement", 40)]


def cells(pack: Pack, row: Row) -> dict[str, str]:
    p = row.provenance
    symbol = pack.report.manifest.assurance.symbol if pack.report.manifest.assurance else ""
    history = "; ".join(f"{c.commit[:12]} {c.author} {c.date[:10]}: {c.value or '(empty)'}"
                        if c.commit != "uncommitted" else f"not committed yet: {c.value or '(empty)'}"
                        for c in row.history) or ("" if pack.in_git else "not in git")
    return {
        "metric": row.metric, "label": f"{row.label.get('zh-hant', '')}\n{row.label.get('en', '')}".strip(),
        "year": str(row.year), "value": row.value, "unit": row.unit, "assured": symbol if row.assured else "",
        "formula": row.formula, "inputs": "\n".join(row.inputs),
        "owner": p.owner if p else "", "source": p.source if p else "",
        "evidence": (p.evidence or "") if p else "", "sha256": (p.sha256 or "") if p else "",
        "cell": f"{p.workbook}: {p.cell}" if p else "", "imported": p.imported.isoformat() if p else "",
        "explanation": row.explanation + (f" ({p.not_reported.replace('_', ' ')})" if p and p.not_reported else ""),
        "printed": "\n".join(f"{pl.section} ({pl.how})" for pl in row.places),
        "pages": "\n".join(f"{code}: {', '.join(map(str, pages)) or '-'}" for code, pages in row.pages.items()),
        "history": history, "acknowledged": "\n".join(row.acknowledged), "restatement": row.restatement,
    }


def about(pack: Pack) -> list[tuple[str, str]]:
    report = pack.report
    scope = report.manifest.assurance
    lines = [("Report", f"{report.manifest.company.name.get('en', '')} — {report.manifest.title.get('en', '')}"),
             ("Year", str(report.year)),
             ("Built from commit", pack.commit or "not in git: no commit"),
             ("Figures", f"{len(pack.rows)} printed figures (metric and year)"),
             ("Assured figures", str(sum(r.assured for r in pack.rows)))]
    if scope is not None:
        lines += [("Assurance provider", f"{scope.provider.get('zh-hant', '')} / {scope.provider.get('en', '')}"),
                  ("Scope", f"{scope.scope.get('zh-hant', '')}\n{scope.scope.get('en', '')}"),
                  ("Symbol", scope.symbol)]
    lines.append(("How to read it", "One row per figure printed. Pages are those of the PDFs built from the "
                  "commit above. Provenance is as `python build.py import` recorded it; an evidence file's "
                  "SHA-256 identifies the file the owner supplied. History lists each commit that changed the "
                  "figure."))
    return lines


def to_xlsx(pack: Pack) -> bytes:
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    book.set_properties({"title": f"Assurance pack {pack.report.year}", "comments": pack.commit or "",
                         "created": datetime.combine(pack.when, time())})
    head = book.add_format({"bold": True, "bg_color": "#23324D", "font_color": "#FFFFFF", "text_wrap": True,
                            "valign": "top"})
    wrap = book.add_format({"text_wrap": True, "valign": "top", "font_size": 9})
    sheet = book.add_worksheet("Figures")
    for c, (_, title, width) in enumerate(COLUMNS):
        sheet.write_string(0, c, title, head)
        sheet.set_column(c, c, width)
    for r, row in enumerate(pack.rows, start=1):
        values = cells(pack, row)
        for c, (key, _, _) in enumerate(COLUMNS):
            sheet.write_string(r, c, values[key], wrap)
    sheet.freeze_panes(1, 1)
    sheet.autofilter(0, 0, len(pack.rows), len(COLUMNS) - 1)
    info = book.add_worksheet("About")
    info.set_column(0, 0, 22)
    info.set_column(1, 1, 100)
    for r, (key, value) in enumerate(about(pack)):
        info.write_string(r, 0, key, head)
        info.write_string(r, 1, value, wrap)
    book.close()
    return out.getvalue()


def to_html(pack: Pack) -> str:
    e = html.escape
    report = pack.report
    head = "".join(f"<th scope=\"col\">{e(title)}</th>" for _, title, _ in COLUMNS)
    body = []
    for row in pack.rows:
        values = cells(pack, row)
        body.append("<tr>" + "".join(
            (f"<th scope=\"row\">{e(values[key])}</th>" if key == "metric" else
             f"<td>{e(values[key]).replace(chr(10), '<br>')}</td>") for key, _, _ in COLUMNS) + "</tr>")
    facts = "".join(f"<dt>{e(k)}</dt><dd>{e(v).replace(chr(10), '<br>')}</dd>" for k, v in about(pack))
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Assurance pack {report.year}</title>
<style>
body {{ font: 13px/1.4 "Noto Sans", "Noto Sans CJK TC", sans-serif; margin: 1.5rem; color: #1f2937; }}
dl {{ display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; max-width: 70rem; }}
dt {{ font-weight: bold; }}
.scroll {{ overflow-x: auto; }}
table {{ border-collapse: collapse; font-size: 12px; }}
th, td {{ border: 1px solid #d9dde3; padding: .3rem .4rem; vertical-align: top; text-align: left; }}
thead th {{ background: #23324d; color: #fff; position: sticky; top: 0; }}
tbody th {{ font-family: monospace; white-space: nowrap; }}
</style>
</head>
<body>
<h1>Assurance pack {report.year}</h1>
<dl>{facts}</dl>
<div class="scroll" tabindex="0" role="region" aria-label="Figures">
<table>
<thead><tr>{head}</tr></thead>
<tbody>
{chr(10).join(body)}
</tbody>
</table>
</div>
</body>
</html>
"""


def write_pack(pack: Pack, output: Path) -> Path:
    """The pack's files into <output>/<year>/assurance/ (the folder replaced whole)."""
    import shutil

    target = output / str(pack.report.year) / FOLDER
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".assurance-", dir=target.parent) as tmp:
        staging = Path(tmp) / FOLDER
        staging.mkdir()
        (staging / f"assurance-{pack.report.year}.xlsx").write_bytes(to_xlsx(pack))
        (staging / "index.html").write_text(to_html(pack), encoding="utf-8")
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    return target

