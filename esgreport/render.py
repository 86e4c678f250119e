"""Render a prepared report into HTML for one edition: section bodies, web pages, the print document.

Rendering reads the report and the edition's definition; it writes nothing and changes nothing in the
report. Problems it meets (an unknown metric in prose, an image outside the report) go to `problems`.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel.support import NullTranslations
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from . import artwork
from .charts import ChartWords, chart_frame, chart_svg, shared_frame, text_width
from .disclosures import disclosure_index
from .editions import EDITIONS
from .errors import Problems
from .figures import FigureError, Figures
from .formatting import format_date, format_number
from .i18n import load_translations
from .markdown import Call, keep_last_html, report_markdown
from .report import Report, Restatement, Section
from .tables import kpi_table_view

_TAG = re.compile(r"<[^>]+>")
# A display title breaks after a phrase's closing punctuation (and at spaces), never inside a phrase.
_PHRASE_END = re.compile(r"(?<=[：，、；。！？）」』])")
LONGEST_PHRASE = 14     # characters; a longer run of text without spaces may break inside
CARD_FIGURE_ROOM = 100  # pt: the width a card's figure and unit have on one line (the narrowest card)


@dataclass
class SectionView:
    """What a template needs to show one section in one edition."""

    id: str
    number: str | None
    title: str
    level: int
    kind: str
    part_id: str
    body: Markup
    children: list["SectionView"] = field(default_factory=list)

    @property
    def heading(self) -> str:
        return f"{self.number} {self.title}" if self.number and self.level > 1 else self.title

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class RenderedEdition:
    """One edition in HTML: what the writers turn into files."""

    code: str
    year: int
    parts: list[SectionView]
    pages: dict[str, str]          # file name → HTML (web edition)
    print_html: str                # the document the PDF is made from
    section_text: dict[Path, str]  # source file → text it produced (for the font check)
    media: dict[Path, str] = field(default_factory=dict)   # image file → path under the edition folder
    draft: bool = False

    @property
    def pdf_name(self) -> str:
        return f"esg-report-{self.year}-{self.code}.pdf"


def template_environment(templates_dir: Path, translations: NullTranslations) -> Environment:
    env = Environment(
        loader=FileSystemLoader(templates_dir),
        autoescape=select_autoescape(["html", "svg", "xml"], default_for_string=True),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(translations, newstyle=True)
    env.filters["phrases"] = phrases
    return env


def phrases(text: str) -> Markup:
    """A display title (cover, openers) as phrases kept whole: a run without spaces up to its closing
    punctuation (管治：|穩健經營) never breaks inside, so a Chinese title breaks between phrases, not
    inside a word. Text with spaces (English) breaks at its spaces as usual."""
    out = []
    for part in (p for p in _PHRASE_END.split(str(text)) if p):
        escaped = html.escape(part, quote=False)
        keep = " " not in part.strip() and len(part) <= LONGEST_PHRASE
        out.append(f'<span class="phrase">{escaped}</span>' if keep else escaped)
    return Markup("".join(out))


def visible_text(markup: str) -> str:
    return html.unescape(_TAG.sub(" ", markup))


class EditionRenderer:
    """Turns every section body of one edition into HTML, resolving data references.

    In a draft, a figure still empty shows as a placeholder naming the metric, and every page is
    marked as a draft; otherwise an empty figure is left to the check that lists empty values."""

    def __init__(self, report: Report, edition_code: str, templates_dir: Path, locales_dir: Path,
                 problems: Problems, draft: bool = False):
        self.report = report
        self.edition = EDITIONS[edition_code]
        self.code = edition_code
        self.content_edition = self.edition.content_edition
        self.draft = draft
        translations = load_translations(locales_dir, self.edition.locale)
        self.jinja = template_environment(templates_dir, translations)
        # Text the templates show from data (card labels, index requirements, goals' names) follows
        # the edition's rule for last lines, as section text does.
        keep = "keep_last_characters" in self.edition.text_rules
        self.jinja.filters["keep"] = lambda text: Markup(keep_last_html(str(text))) if keep and text else text
        self.gettext, self.pgettext = translations.gettext, translations.pgettext
        self.problems = problems
        self.figures = Figures(report.metrics, report.units, report.year, report.invalid_metrics)
        self.md = report_markdown(self.edition.quotes, self.edition.text_rules)
        self._source: Path | None = None
        self.link_mode = "print"   # print: one document, links are #id; web: one page per part
        self.media: dict[Path, str] = {}   # image file → its path beside the web pages
        self.part_of = {s.id: s.part_id for s in report.sections()}

    # -- localisation helpers -----------------------------------------------------------------
    def text(self, localized: dict | None) -> str:
        if not localized:
            return ""
        return str(localized.get(self.content_edition, ""))

    # -- hooks called by the Markdown renderer -------------------------------------------------
    def fail(self, message: str, line: int | None, hint: str = "", reported: bool = False) -> str:
        if not reported:
            self.problems.add(self._source, line, message, hint)
        return '<span class="unresolved">?</span>'

    def placeholder(self, metric_id: str) -> str:
        """Where a draft shows a figure that is still empty."""
        year = self.report.year
        title = html.escape(self.gettext("No figure for %(year)s yet") % {"year": year})
        return f'<span class="placeholder" title="{title}">[{html.escape(metric_id)}]</span>'

    def figure_error(self, exc: FigureError, line: int | None, metric_id: str | None = None) -> str:
        if exc.pending and metric_id:
            return self.placeholder(metric_id)
        return self.fail(exc.message, line, exc.hint, exc.reported)

    def resolve(self, call: Call, line: int | None) -> str:
        if call.error:
            return self.fail(call.error, line, 'write it as {{ kpi("metric.id") }}; see docs/authoring.md')
        metric_id = call.args[0] if call.args and isinstance(call.args[0], str) else None
        try:
            if call.name == "kpi":
                if metric_id is None:
                    return self.fail("kpi() needs a metric id in quotes", line, 'write {{ kpi("workforce.total") }}')
                allowed = {"year", "unit", "scale", "decimals"}
                bad = set(call.kwargs) - allowed
                if bad or len(call.args) > 1:
                    return self.fail(f"kpi() does not take {', '.join(sorted(bad)) or 'more than one argument'}",
                                     line, f"allowed: {', '.join(sorted(allowed))}")
                return html.escape(self.figures.format(metric_id, self.code, **call.kwargs))
            if call.name == "change":
                if len(call.args) != 3:
                    return self.fail("change() needs a metric id and two years", line,
                                     'write {{ change("energy.electricity", -1, 0) }} (the year before to this year)')
                return html.escape(self.figures.format_change(*call.args, edition=self.code, **call.kwargs))
        except FigureError as exc:
            return self.figure_error(exc, line, metric_id)
        except TypeError as exc:
            return self.fail(f"`{{{{ {call.text} }}}}`: {exc}", line)
        return self.fail(f"unknown function `{call.name}`", line)

    def block(self, call: Call, line: int | None) -> str:
        if call.error:
            return self.fail(call.error, line)
        try:
            if call.name == "card":
                return self.card(*call.args, **call.kwargs)
            if call.name == "kpi_table":
                (table_id,) = call.args
                table = self.report.tables.get(table_id)
                if table is None:
                    return self.fail(f"unknown KPI table `{table_id}`", line,
                                     f"known tables: {', '.join(sorted(self.report.tables))}")
                view = kpi_table_view(table, table_id, self.figures, self.code, self.content_edition,
                                      self.restatement_note)
                view.notes = [self.inline(n) for n in view.notes]
                return self.jinja.get_template("components/kpi_table.html").render(table=view, edition=self.edition)
            if call.name == "disclosure_index":
                return self.disclosure_index(*call.args, **call.kwargs)
            if call.name == "chart":
                return self.chart(*call.args, **call.kwargs)
            if call.name == "restatements":
                return self.restatements(*call.args, **call.kwargs)
            if call.name == "org_chart":
                return self.org_chart(*call.args, **call.kwargs)
        except FigureError as exc:
            return self.figure_error(exc, line, call.args[0] if call.name == "card" and call.args else None)
        except TypeError as exc:
            return self.fail(f"`{{{{ {call.text} }}}}`: wrong arguments ({exc})", line)
        except ValueError as exc:
            return self.fail(f"`{{{{ {call.text} }}}}`: {exc}", line)
        return self.fail(f"`{call.name}` is not available here", line)

    def card(self, metric_id: str, label: str | None = None, year: int | None = None,
             scale: str | None = None, decimals: int | None = None) -> str:
        metric = self.figures.metric(metric_id)
        year = self.figures.year_of(year)
        unit = self.report.units.get(metric.unit)
        unit_label = unit.label(self.content_edition) if unit else ""
        apart = self.edition.unit_style == "as_unit"
        try:
            figure = self.figures.format(metric_id, self.code, year=year, scale=scale, decimals=decimals)
        except FigureError as exc:
            if not exc.pending:
                raise
            figure = None
        if figure is not None and scale:
            if self.edition.scale_joins_unit:
                unit_label = self.edition.scale_word(scale) + unit_label
            else:
                figure += self.edition.scale_word(scale)
        qualifier = self.figures.qualifier(metric_id, year, self.content_edition)  # (before, after)
        # A figure with its unit never breaks; where the two are too wide for a card on one line,
        # the unit stands under the figure.
        wide = (text_width(figure or metric_id, 20) + text_width(unit_label, 10)
                + text_width("".join(qualifier), 8.5)) > CARD_FIGURE_ROOM
        return self.jinja.get_template("components/card.html").render(
            figure=figure if figure is not None else Markup(self.placeholder(metric_id)),
            wide=wide,
            unit=unit_label,
            unit_first=bool(unit and unit.prefix and apart),
            unit_spaced=bool(unit and unit.space and apart),
            label=label if label is not None else self.text(metric.label),
            qualifier=qualifier,
        )

    def chart_words(self) -> ChartWords:
        _, pgettext = self.gettext, self.pgettext
        return ChartWords(total=_("Total"), missing=_("not reported"), colon=pgettext("punctuation", ": "),
                          sep=pgettext("punctuation", "; "), stop=pgettext("punctuation", "."),
                          year=self.year_label)

    def year_label(self, year: int) -> str:
        """A year as the KPI tables head their columns (2023年 / 2023)."""
        return self.gettext("%(year)s") % {"year": year}

    def chart(self, *chart_ids: str) -> str:
        """`{{ chart("id") }}`, or two ids for two charts side by side."""
        if not chart_ids or len(chart_ids) > 2:
            raise ValueError("chart() takes one chart id, or two for two charts side by side")
        specs = []
        for chart_id in chart_ids:
            spec = self.report.charts.get(chart_id) if isinstance(chart_id, str) else None
            if spec is None:
                known = ", ".join(sorted(self.report.charts)) or "none yet"
                raise ValueError(f"unknown chart `{chart_id}` (charts: {known}; they are defined under "
                                 "`charts:` in data/charts.yaml)")
            if spec.wide and len(chart_ids) > 1:
                raise ValueError(f"chart `{chart_id}` is wide (the full width): give it a line of its own")
            specs.append(spec)
        words = self.chart_words()
        # Charts side by side stand on one baseline, and share their scale where they measure alike.
        frames = shared_frame([chart_frame(spec, self.figures, self.code, self.content_edition, words)
                               for spec in specs],
                              [self.figures.metric(spec.series[0].metric).unit for spec in specs])
        charts = []
        for chart_id, spec, frame in zip(chart_ids, specs, frames):
            svg = chart_svg(spec, self.figures, self.code, self.content_edition, chart_id,
                            words=words, frame=frame)
            charts.append({
                "id": chart_id,
                "type": spec.type,
                "wide": spec.wide,
                "title": self.text(spec.title),
                "period": self.year_label(spec.year) if spec.type == "donut" else "",
                "caption": self.inline(self.text(spec.caption)) if spec.caption else "",
                "note": self.inline(self.text(spec.note)) if spec.note else "",
                "svg": Markup(svg),
            })
        return self.jinja.get_template("components/chart.html").render(charts=charts)

    def org_chart(self, chart_id: str) -> str:
        """`{{ org_chart("id") }}`: the units of an organisation chart of data/, from the top down."""
        spec = self.report.orgcharts.get(chart_id) if isinstance(chart_id, str) else None
        if spec is None:
            known = ", ".join(sorted(self.report.orgcharts)) or "none yet"
            raise ValueError(f"unknown organisation chart `{chart_id}` (charts: {known}; they are defined "
                             "under `orgcharts:` in a file of data/)")
        units = [{"id": u.id, "name": self.text(u.name),
                  "composition": self.inline(self.text(u.composition)) if u.composition else "",
                  "duties": [self.inline(self.text(d)) for d in u.duties], "depth": spec.depth(u)}
                 for u in spec.units]
        return self.jinja.get_template("components/org_chart.html").render(
            id=chart_id, title=self.text(spec.title), units=units)

    def restatement_note(self, restatement: Restatement) -> str:
        """What a restated figure's note says: what was published, by which report, and why it changed."""
        metric = self.figures.metric(restatement.metric)
        published = "-" if restatement.published is None else self.figures.with_unit(
            format_number(restatement.published, metric.precision_for(restatement.year), self.code), metric, self.code)
        return self.gettext("Restated: the %(report)s report published %(published)s for %(year)s. %(reason)s") % {
            "report": restatement.published_in, "published": published, "year": restatement.year,
            "reason": self.text(restatement.reason)}

    def restatements(self) -> str:
        """`{{ restatements() }}`: every figure of an earlier year this report corrects, with the reason.
        Nothing at all when the report restates nothing."""
        items = []
        for r in self.report.restatements:
            metric = self.figures.metric(r.metric)
            value = self.figures.with_unit(format_number(r.value, metric.precision_for(r.year), self.code),
                                           metric, self.code)
            items.append({"label": self.text(metric.label), "year": self.year_label(r.year), "value": value,
                          "note": self.restatement_note(r)})
        if not items:
            return ""
        return self.jinja.get_template("components/restatements.html").render(restatements=items)

    def image(self, src: str, alt: str, line: int | None) -> str:
        """Images come from the report's own folder; nothing is fetched from elsewhere."""
        hint = "save the image under content/<year>/images/ and refer to it as images/<name>"
        if re.match(r"^([a-z][a-z0-9+.-]*:|//)", src, re.I):
            return self.fail(f"image `{src}` is not a file of the report", line, hint)
        root = self.report.folder.resolve()
        path = (root / src).resolve()
        if root not in path.parents or not path.is_file():
            return self.fail(f"image `{src}` not found in {self.report.folder.name}/", line, hint)
        if not alt.strip():
            return self.fail(f"image `{src}` has no text alternative", line,
                             "describe it between the brackets: ![what the image shows](images/…)")
        self.media[path] = "media/" + path.relative_to(root).as_posix()
        url = path.as_uri() if self.link_mode == "print" else self.media[path]
        return f'<img class="content-image" src="{html.escape(url)}" alt="{html.escape(alt)}">'

    def href(self, section_id: str) -> str:
        if self.link_mode == "web":
            return f"{self.part_of.get(section_id, section_id)}.html#{section_id}"
        return f"#{section_id}"

    def disclosure_index(self, family: str) -> str:
        if family not in self.report.frameworks:
            raise ValueError(f"the report names no `{family}` framework in report.yaml (frameworks:)")
        m = self.report.manifest
        index = disclosure_index(self.report, family, self.content_edition, self.text(m.company.name),
                                 (format_date(m.period.start, self.code), format_date(m.period.end, self.code)))
        return self.jinja.get_template("components/disclosure_index.html").render(
            index=index, href=self.href, print_mode=self.link_mode == "print")

    def inline(self, text: str) -> Markup:
        """Inline Markdown with data references, for notes and labels that come from data files."""
        return Markup(self.md.renderInline(text, self.hooks()))

    def hooks(self, **extra) -> dict[str, Any]:
        return {"resolve": self.resolve, "block": self.block, "table": self.table, "fail": self.fail,
                "image": self.image, "gettext": self.gettext, **extra}

    def table(self, spec: dict, cells: dict, line: int | None) -> str:
        return self.jinja.get_template("components/data_table.html").render(spec=spec, cells=cells)

    # -- sections ------------------------------------------------------------------------------
    def section_body(self, section: Section) -> Markup:
        source = section.sources.get(self.content_edition)
        if source is None:
            return Markup("")
        self._source = source.path
        # Body headings start at ###; shift them so they sit one level below the section's own.
        env = self.hooks(docId=section.id, heading_shift=section.level - 2)
        try:
            return Markup(self.md.render(source.body, env))
        finally:
            self._source = None

    def section_view(self, section: Section) -> SectionView:
        return SectionView(
            id=section.id, number=section.number, title=self.text(section.title), level=section.level,
            kind=section.kind, part_id=section.part_id, body=self.section_body(section),
            children=[self.section_view(c) for c in section.children],
        )

    def parts(self, link_mode: str = "print") -> list[SectionView]:
        self.link_mode = link_mode
        return [self.section_view(p) for p in self.report.parts]

    # -- formatting exposed to templates ---------------------------------------------------------
    def context(self) -> dict[str, Any]:
        m = self.report.manifest
        return {
            "edition": self.edition,
            "code": self.code,
            "report": m,
            "draft": self.draft,
            "company_name": self.text(m.company.name),
            "legal_name": self.text(m.company.legal_name),
            "slogan": self.text(m.company.slogan),
            "title": self.text(m.title),
            "address": self.text(m.company.contact.address),
            "period_start": format_date(m.period.start, self.code),
            "period_end": format_date(m.period.end, self.code),
            "number": lambda v, d=0: format_number(v, d, self.code),
            "editions": [EDITIONS[e] for e in self.report.editions if e in EDITIONS],
        }

    def print_context(self) -> dict[str, Any]:
        """What only the printed report shows: generated artwork, the UN goals each part advances."""
        year = self.report.year
        return {
            "artwork": {
                "cover": artwork.data_url(artwork.cover(year)),
                "back": artwork.data_url(artwork.back_cover(year)),
                "openers": {p.id: artwork.data_url(artwork.opener(year * 100 + i))
                            for i, p in enumerate(self.report.parts) if p.kind != "front"},
            },
            "sdgs": {p.id: [(n, self.text(self.report.sdgs.get(n))) for n in p.sdgs]
                     for p in self.report.manifest.parts},
        }


def render_edition(report: Report, code: str, templates: Path, locales: Path, problems: Problems,
                   draft: bool = False) -> RenderedEdition:
    """One edition's web pages and print document."""
    renderer = EditionRenderer(report, code, templates, locales, problems, draft)
    parts = renderer.parts(link_mode="print")
    web_parts = renderer.parts(link_mode="web")
    ctx = renderer.context()
    section_text: dict[Path, str] = {}
    by_id = {s.id: s for s in report.sections()}
    for view in (v for p in parts for v in p.walk()):
        src = by_id[view.id].sources.get(renderer.content_edition)
        if src is not None:
            section_text[src.path] = visible_text(str(view.body))

    jinja = renderer.jinja
    pages: dict[str, str] = {}
    rendered = RenderedEdition(code, report.year, parts, pages, "", section_text, renderer.media, draft)
    pages["index.html"] = jinja.get_template("web/index.html").render(
        **ctx, parts=web_parts, assets="assets", page_file="index.html", pdf_file=rendered.pdf_name)
    for i, part in enumerate(web_parts):
        pages[f"{part.id}.html"] = jinja.get_template("web/part.html").render(
            **ctx, part=part, assets="assets", page_file=f"{part.id}.html", pdf_file=rendered.pdf_name,
            previous=web_parts[i - 1] if i > 0 else None,
            next=web_parts[i + 1] if i + 1 < len(web_parts) else None)
    rendered.print_html = jinja.get_template("report.html").render(
        **ctx, **renderer.print_context(), parts=parts, assets=(templates / "static").as_uri())
    return rendered
