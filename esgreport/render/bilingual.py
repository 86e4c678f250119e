"""The bilingual review copy: a section (or the whole report) in both editions side by side, paragraph
by paragraph (prepare/bilingual.py), each paragraph drawn as the edition draws it (figures resolved),
with the lines of both files, a mark where the translation is out of date with its source and where the
editorial record notes a departure from the published text. HTML, and a PDF for sign-off.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from esgreport.editions import EDITIONS
from esgreport.errors import Problems
from esgreport.model.report import Report, Section
from esgreport.prepare.bilingual import Paragraph, section_pairs
from esgreport.prepare.translations import fingerprint
from esgreport.render.edition import EditionRenderer

STYLE = """
@page { size: A4 landscape; margin: 14mm 12mm 16mm;
        @bottom-right { content: counter(page) " / " counter(pages); font-size: 8pt; color: #666; } }
body { font-size: 9.5pt;
       line-height: 1.5; color: #1a1a1a; margin: 0 auto; max-width: 80rem; padding: 1rem; }
h1 { font-size: 15pt; margin: 0 0 .3em; } h2 { font-size: 12pt; margin: 1.6em 0 .4em; break-after: avoid; }
p.meta { color: #555; margin: 0 0 1em; }
table.pairs { width: 100%; border-collapse: collapse; table-layout: fixed; }
table.pairs th, table.pairs td { border: 1px solid #ccc; padding: .35em .5em; vertical-align: top; }
table.pairs th { background: #f2f2f2; text-align: left; font-weight: 600; }
table.pairs tr { break-inside: avoid; }
td.where { width: 5.5em; color: #666; font-size: 8pt; }
td.stale { background: #fff6d6; } tr.departure td.where { border-left: 4px solid #c0392b; }
td p:first-child { margin-top: 0; } td p:last-child { margin-bottom: 0; }
td svg { max-width: 100%; height: auto; }
.flag { display: block; font-size: 7.5pt; color: #8a5a00; margin-top: .3em; }
.flag.departure { color: #c0392b; }
tfoot td { border: none; color: #555; }
"""


def review_copy(report: Report, section_ids: list[str], source: str, translation: str, templates: Path,
                locales: Path) -> str:
    """The review copy's HTML: for each section, its paragraphs side by side."""
    problems = Problems()        # the check before this has reported what is wrong with the text
    renderers = {code: EditionRenderer(report, code, templates, locales, problems) for code in (source, translation)}
    title = report.manifest.title.get(source, "")
    rows = []
    for section_id in section_ids:
        section = report.section(section_id)
        assert section is not None
        rows.append(_section(report, section, source, translation, renderers))
    names = f"{EDITIONS[source].name} / {EDITIONS[translation].name}"
    heading = html.escape(f"{report.year} · {names}" + (f" · {title}" if title else ""))
    what = "the whole report" if len(section_ids) > 3 else ", ".join(section_ids)
    fonts = "".join(f'[lang="{EDITIONS[c].html_lang}"] {{ font-family: {EDITIONS[c].font_stack}; }}'
                    for c in (translation, source))
    return (f'<!DOCTYPE html>\n<html lang="{EDITIONS[translation].html_lang}"><head><meta charset="utf-8">'
            f"<title>Bilingual review copy — {html.escape(what)}</title><style>{STYLE}{fonts}</style></head><body>"
            f"<h1>Bilingual review copy</h1><p class=\"meta\">{heading} — {html.escape(what)}. Each row is a "
            f"paragraph of the {source} text and its {translation} translation, with the lines of both files. "
            "A yellow cell: the source changed since the translation was marked. A red edge: the editorial "
            "record notes a departure from the published text there.</p>" + "".join(rows) + "</body></html>")


def _section(report: Report, section: Section, source: str, translation: str,
             renderers: dict[str, EditionRenderer]) -> str:
    heading = html.escape(" ".join(filter(None, (section.number, section.title.get(source, ""),
                                                   "/", section.title.get(translation, "")))))
    pairs = section_pairs(report, section.id, source, translation)
    if not pairs:
        return f"<h2>{heading}</h2><p class=\"meta\">No text of its own in both editions.</p>"
    recorded = set((section.sources[translation].meta.translated_from or "").split()) \
        if translation in section.sources else set()
    departures = [e.departure for e in report.editorial if e.departure.section == section.id]
    out = [f"<h2 id=\"{section.id}\">{heading}</h2><table class=\"pairs\"><colgroup><col style=\"width:5.5em\">"
           f"<col><col></colgroup><thead><tr><th>lines</th><th>{source}</th><th>{translation}</th></tr></thead><tbody>"]
    for left, right in pairs:
        stale = bool(left is not None and recorded and fingerprint(left.text) not in recorded)
        noted = [d for d in departures if _has(left, d.ours.get(source)) or _has(right, d.ours.get(translation))]
        where = "<br>".join(f"{code} {p.line}" for code, p in ((source, left), (translation, right)) if p)
        cells = [_cell(renderers[source], section, left, "stale" if stale else ""),
                 _cell(renderers[translation], section, right, "")]
        flags = "".join(f'<span class="flag departure">editorial: {html.escape(d.id)} ({d.kind})</span>'
                        for d in noted)
        if stale:
            flags += '<span class="flag">source changed since translated</span>'
        row = ' class="departure"' if noted else ""
        out.append(f'<tr{row}><td class="where">{where}{flags}</td>' + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _has(paragraph: Paragraph | None, text: str | None) -> bool:
    return bool(paragraph and text and text.strip() and re.sub(r"\s+", "", text) in re.sub(r"\s+", "", paragraph.text))


def _cell(renderer: EditionRenderer, section: Section, paragraph: Paragraph | None, css: str) -> str:
    attrs = f' class="{css}"' if css else ""
    if paragraph is None:
        return f"<td{attrs}><em>(no paragraph)</em></td>"
    renderer._source = section.sources[renderer.content_edition].path
    try:
        body = renderer.cleaned(renderer.md.render(paragraph.text, renderer.hooks(docId=section.id,
                                                                                 heading_shift=section.level - 2)))
    finally:
        renderer._source = None
    return f'<td lang="{renderer.edition.html_lang}"{attrs}>{body}</td>'
