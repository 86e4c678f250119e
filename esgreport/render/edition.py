"""Render a prepared report into HTML for one edition: section bodies, web pages, the print document.

Rendering reads the report and the edition's definition; it writes nothing and changes nothing in the
report. Every directive was checked by prepare, so rendering only draws them (each drawing registered
here by name, for the declarations of markup/directives.py). Problems it meets in the markup itself (an
image outside the report, a table block's settings) go to `problems`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, cast
from urllib.parse import urljoin

from babel.support import NullTranslations
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from esgreport.editions import EDITIONS
from esgreport.errors import Problems
from esgreport.markup.directives import (
    CONTAINERS,
    DIRECTIVES,
    Call,
    CardArguments,
    ChangeArguments,
    ChartArguments,
    DisclosureIndexArguments,
    KpiArguments,
    KpiTableArguments,
    NumberedArguments,
    OrgChartArguments,
    RefArguments,
    RestatementsArguments,
    TimelineArguments,
    ValuesArguments,
)
from esgreport.markup.markdown import Item, anchored_section, has_scheme, link_problem, report_markdown
from esgreport.markup.years import Calendar, WordsError, expand, words
from esgreport.model.report import Report, Restatement, Section
from esgreport.prepare.images import IMAGE_FORMATS
from esgreport.render import artwork, palette
from esgreport.render.charts import ChartWords, chart_frame, chart_svg, shared_frame, text_width
from esgreport.render.figures import FigureError, Figures
from esgreport.render.i18n import converted_translations, escaped_callables, load_translations
from esgreport.render.indexes import disclosure_index
from esgreport.render.kpi_data import KpiData, kpi_data
from esgreport.render.sanitize import clean
from esgreport.render.tables import kpi_table_view
from esgreport.render.website import write_pages
from esgreport.typography.cjk import keep_last_html, punctuation_and_spacing
from esgreport.typography.formatting import format_date, format_number

_TAG = re.compile(r"<[^>]+>")
_SLOT = re.compile(r'<esg-slot n="(\d+)"></esg-slot>')
# Pictures content may publish (their contents are checked in prepare/images.py).
IMAGE_TYPES = set(IMAGE_FORMATS)
# A display title breaks after a phrase's closing punctuation (and at spaces), never inside a phrase.
_PHRASE_END = re.compile(r"(?<=[：，、；。！？）」』])")
LONGEST_PHRASE = 14     # characters; a longer run of text without spaces may break inside
CARD_FIGURE_ROOM = 100  # pt: the width a card's figure and unit have on one line (the narrowest card)
_MARK_BEFORE_PERCENT = re.compile(r'(<sup class="note-ref">.*?</sup>)([%％])')
UNRESOLVED = '<span class="unresolved">?</span>'   # a directive that cannot be drawn (prepare said why)


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
    # The HKEX and GRI disclosures the section answers: (label, link to the entry of the index)
    codes: list[tuple[str, str]] = field(default_factory=list)

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
    pages: dict[str, str]          # file name → text: the web edition's pages, search index and manifest
    print_html: str                # the document the PDF is made from
    section_text: dict[Path, str]  # source file → text it produced (for the font check)
    media: dict[Path, str] = field(default_factory=dict)   # image file → path under the edition folder
    draft: bool = False
    kpi_data: KpiData | None = None  # every metric, for the downloads

    @property
    def pdf_name(self) -> str:
        return f"esg-report-{self.year}-{self.code}.pdf"


@lru_cache(maxsize=16)
def template_environment(templates_dir: Path, translations: NullTranslations, keep_last: bool) -> Environment:
    """The templates of one edition. Kept from build to build (a preview's), so each template is
    compiled once; Jinja reloads a template whose file changed."""
    env = Environment(
        loader=FileSystemLoader(templates_dir),
        autoescape=select_autoescape(["html", "svg", "xml"], default_for_string=True),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # Translations are shown as text: markup in a catalog is a translator's, not the template's (i18n.py).
    env.install_gettext_callables(newstyle=True, **escaped_callables(translations))  # type: ignore[attr-defined]  # added by jinja2.ext.i18n
    env.filters["phrases"] = phrases
    # Text the templates show from data (card labels, index requirements, goals' names) follows
    # the edition's rule for last lines, as section text does.
    env.filters["keep"] = lambda text: Markup(keep_last_html(str(text))) if keep_last and text else text
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
                 problems: Problems, draft: bool = False, cache: dict | None = None, cache_key: str = ""):
        self.report = report
        self.edition = EDITIONS[edition_code]
        self.code = edition_code
        self.content_edition = self.edition.content_edition
        self.draft = draft
        if self.edition.source:       # made from another edition: its catalog, converted
            translations = converted_translations(locales_dir, EDITIONS[self.edition.source].locale,
                                                  report.conversions[edition_code])
        else:
            translations = load_translations(locales_dir, self.edition.locale)
        self.jinja = template_environment(templates_dir, translations,
                                          "keep_last_characters" in self.edition.text_rules)
        # babel annotates pgettext as returning `str | object`; it returns the catalog's string or the message
        self.gettext, self.pgettext = translations.gettext, cast(Callable[[str, str], str], translations.pgettext)
        self.problems = problems
        scope = report.manifest.assurance
        self.figures = Figures(report.metrics, report.units, report.year,
                               assured=frozenset(scope.figures) if scope else frozenset(),
                               assured_symbol=scope.symbol if scope else "")
        self.md = report_markdown(self.edition.quotes, self.edition.text_rules)
        self._source: Path | None = None
        self._section = ""                 # the id of the section being rendered
        # The notes on figures the section shows that the editors acknowledged as inconsistent
        # (None: not inside a section, where figures carry no note).
        self._figure_notes: list[str] | None = None
        self.link_mode = "print"   # print: one document, links are #id; web: one page per part
        self.media: dict[Path, str] = {}   # image file → its path beside the web pages
        self.part_of = {s.id: s.part_id for s in report.sections()}
        self.row_section = self._row_sections()   # metric → the section whose KPI table has its row
        self.index_sections = {family: s.id for s in reversed(list(report.sections()))    # the first wins
                               for source in [s.sources.get(self.content_edition)] if source
                               for ref in source.references for family in ref.ids("framework")}
        self._rows_here: set[str] = set()          # metrics whose row the section has drawn
        self._drawn: list[str] = []        # what the build drew itself, put back after cleaning
        # Rendered sections kept across builds (a preview): by their text and everything else they
        # depend on (`cache_key`: data, templates, catalogs), with the problems their rendering found.
        self.cache, self.cache_key = cache, cache_key
        m = report.manifest
        self.calendar = Calendar(m.year, m.period.start, m.period.end, m.ordinal)

    # -- localisation helpers -----------------------------------------------------------------
    def text(self, localized: dict | None) -> str:
        if not localized:
            return ""
        return str(localized.get(self.content_edition, ""))

    # -- hooks called by the Markdown renderer -------------------------------------------------
    def fail(self, message: str, line: int | None, hint: str = "") -> str:
        self.problems.add(self._source, line, message, hint)
        return UNRESOLVED

    def drawn(self, markup: str) -> str:
        """A slot for markup the build draws from data (a chart, a KPI table, a checked image): content
        is cleaned by the sanitiser, and this is put back in its place afterwards."""
        self._drawn.append(markup)
        return f'<esg-slot n="{len(self._drawn) - 1}"></esg-slot>'

    def cleaned(self, markup: str) -> Markup:
        """Content markup through the sanitiser (sanitize.py), with the drawn parts put back (a drawn
        part may hold others: a table block's cells hold the images they show)."""
        drawn, self._drawn = self._drawn, []
        result = clean(markup)
        while _SLOT.search(result):
            result = _SLOT.sub(lambda m: drawn[int(m.group(1))], result)
        return Markup(result)

    def with_drawn(self, markup: str) -> Markup:
        """Markup the build drew itself, with the parts drawn into it put in their places (not cleaned:
        a card of the home page holds a draft's placeholder)."""
        drawn, self._drawn = self._drawn, []
        while _SLOT.search(markup):
            markup = _SLOT.sub(lambda m: drawn[int(m.group(1))], markup)
        return Markup(markup)

    def placeholder(self, metric_id: str) -> str:
        """Where a draft shows a figure that is still empty."""
        year = self.report.year
        title = html.escape(self.gettext("No figure for %(year)s yet") % {"year": year})
        return self.drawn(f'<span class="placeholder" title="{title}">[{html.escape(metric_id)}]</span>')

    def resolve(self, call: Call, line: int | None) -> str:
        """An inline directive (`{{ kpi("id") }}`), drawn."""
        return self.draw(call)

    def block(self, call: Call, line: int | None) -> str:
        """A directive on a line of its own (`{{ chart("id") }}`), drawn."""
        return self.drawn(self.draw(call))

    def draw(self, call: Call) -> str:
        """A directive drawn from data by the drawing registered for it. Prepare has checked every call
        and what it refers to, and reported what is wrong where it is written (or, for an item defined
        but malformed, where it is defined), so one that cannot be drawn is marked and nothing more is
        said. A figure still empty shows as a placeholder naming its metric."""
        if call.directive is None or call.arguments is None:
            return UNRESOLVED
        try:
            return DIRECTIVES.drawing(call.directive.name)(self, call.arguments)
        except FigureError as exc:
            return self.placeholder(exc.metric) if exc.pending and exc.metric else UNRESOLVED

    def words(self, call: Call) -> str:
        """A word of report.yaml (`{{ year }}`, `{{ period() }}` …) in this edition: checked in prepare."""
        try:
            return words(call, self.calendar, self.code)
        except WordsError:
            return "?"

    def words_in(self, text: str) -> str:
        """A text with its words of report.yaml written out (a box's title, a card's label)."""
        return expand(text, self.calendar, self.code)[0]

    def card(self, metric_id: str, label: str | None = None, year: int | None = None,
             scale: str | None = None, decimals: int | None = None, style: str | None = None) -> str:
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
            label=self.words_in(label) if label is not None else self.text(metric.label),
            qualifier=qualifier,
            assured=Markup(self.assurance_sup(metric_id, year)),
            metric=metric_id,
            href=self.row_href(metric_id),
            notes=Markup(self.figure_note_marks(metric_id, year, slot=False)) if figure is not None else "",
            style=style,
        )

    def figure_note_marks(self, metric_id: str, year: int | None, slot: bool = True) -> str:
        """The note markers of a figure the editors acknowledged as inconsistent as published (its
        reasons, in `acknowledged:`), each a link to its note at the end of the section; the section's
        notes are numbered in the order the figures come. Nothing outside a section. `slot`: in a slot
        (markup/text the sanitiser cleans), or as it is (inside markup the build draws)."""
        if self._figure_notes is None:
            return ""
        reasons = self.figures.metric(metric_id).acknowledged.get(self.figures.year_of(year), ())
        if not reasons:
            return ""
        note = self.edition.sentence_gap.join(self.text(r) for r in reasons)
        if note not in self._figure_notes:
            self._figure_notes.append(note)
        number = self._figure_notes.index(note) + 1
        mark = (f'<sup class="note-ref"><a href="#{html.escape(self._section)}-note-{number}">'
                f'{html.escape(self.edition.note_mark(number))}</a></sup>')
        return self.drawn(mark) if slot else mark

    def figure_notes_list(self, notes: list[str]) -> str:
        """The notes a section's figures refer to, under its text."""
        if not notes:
            return ""
        items = "".join(f'<li id="{html.escape(self._section)}-note-{n}"><span class="note-num">'
                        f'{html.escape(self.edition.note_mark(n))}</span> {html.escape(note)}</li>'
                        for n, note in enumerate(notes, 1))
        label = html.escape(self.gettext("Notes on figures"))
        return f'<ol class="table-notes figure-notes" aria-label="{label}">{items}</ol>\n'


    def kpi_table(self, table_id: str) -> str:
        table = self.report.tables.get(table_id)
        if table is None:
            raise FigureError(f"no KPI table `{table_id}`")
        view = kpi_table_view(table, table_id, self.figures, self.code, self.content_edition, self.restatement_note)
        view.notes = [self.inline(n) for n in view.notes]
        view.assurance = self.assurance_legend() if view.has_assured else ""
        # A metric's row has the metric's id (a link to the figure) in the one section chosen for it.
        anchors = {r.metric for g in view.groups for r in g.rows
                   if r.metric and self.row_section.get(r.metric) == self._section and r.metric not in self._rows_here}
        self._rows_here |= anchors
        return self.jinja.get_template("components/kpi_table.html").render(table=view, web=self.web, edition=self.edition,
                                                                          anchors=anchors)

    def _row_sections(self) -> dict[str, str]:
        """For each metric a KPI table shows, the section whose table has its row as a link target: the
        first in the part of the KPI tables (the appendix), or else the first in the report."""
        data_part = self.data_part()
        sections = sorted(self.report.sections(), key=lambda s: s.part_id != data_part)   # stable: in order
        out: dict[str, str] = {}
        for section in sections:
            source = section.sources.get(self.content_edition)
            for ref in source.references if source else ():
                for table_id in ref.ids("table"):
                    table = self.report.tables.get(table_id)
                    for metric in table.metric_ids() if table else ():
                        out.setdefault(metric, section.id)
        return out

    def row_href(self, metric_id: str) -> str | None:
        """A link to a metric's row in its KPI table, or None where no table shows it."""
        section = self.row_section.get(metric_id)
        if section is None:
            return None
        return f"{self.part_of.get(section, section)}.html#{metric_id}" if self.web else f"#{metric_id}"

    def assurance_sup(self, metric_id: str, year) -> str:
        """After an assured figure: the manifest's symbol, saying by whom on the web (its title)."""
        symbol = self.figures.assurance_mark(metric_id, year) if isinstance(year, (int, type(None))) else ""
        if not symbol:
            return ""
        return f'<sup class="assured" title="{html.escape(self.assurance_legend())}">{html.escape(symbol)}</sup>'

    def assurance_mark(self, metric_id: str, year) -> str:
        """The symbol of an assured figure in prose (put in after the sanitiser)."""
        sup = self.assurance_sup(metric_id, year)
        return self.drawn(sup) if sup else ""

    def assurance_legend(self) -> str:
        """What the assurance symbol means: `◆ Assured by …: scope`."""
        scope = self.report.manifest.assurance
        if scope is None:
            return ""
        return self.gettext("%(symbol)s Assured by %(provider)s: %(scope)s") % {
            "symbol": scope.symbol, "provider": self.text(scope.provider), "scope": self.text(scope.scope)}

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
        specs = []
        for chart_id in chart_ids:
            spec = self.report.charts.get(chart_id)
            if spec is None:
                raise FigureError(f"no chart `{chart_id}`")
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
                "period": self.year_label(spec.year or self.report.year) if spec.type == "donut" else "",
                "caption": self.inline(self.text(spec.caption)) if spec.caption else "",
                "note": self.inline(self.text(spec.note)) if spec.note else "",
                "svg": Markup(svg),
            })
        return self.jinja.get_template("components/chart.html").render(charts=charts)

    def org_chart(self, chart_id: str) -> str:
        """`{{ org_chart("id") }}`: the units of an organisation chart of data/, from the top down."""
        spec = self.report.orgcharts.get(chart_id)
        if spec is None:
            raise FigureError(f"no organisation chart `{chart_id}`")
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
        if root not in path.parents:
            project = self.report.content_root.parent.resolve()
            where = "the project" if project not in path.parents else f"the report's folder {self.report.folder.name}/"
            return self.fail(f"image `{src}` is outside {where}", line, hint)
        if not path.is_file():
            return self.fail(f"image `{src}` not found in {self.report.folder.name}/", line, hint)
        if not alt.strip():
            return self.fail(f"image `{src}` has no text alternative", line,
                             "describe it between the brackets: ![what the image shows](images/…)")
        if path.suffix.lower() not in IMAGE_TYPES:
            return self.fail(f"image `{src}` is a {path.suffix or 'file without a type'}, not a picture the "
                             "report publishes", line, f"save it as {', '.join(sorted(IMAGE_TYPES))} "
                             "(an SVG can carry scripts: export it as PNG)")
        self.media[path] = "media/" + path.relative_to(root).as_posix()
        url = path.as_uri() if self.link_mode == "print" else self.media[path]
        return self.drawn(f'<img class="content-image" src="{html.escape(url)}" alt="{html.escape(alt)}">')

    def link(self, href: str, line: int | None) -> str | None:
        """Where a link of content leads. The web, mail and a telephone as written; `#id` of a section
        (or of a heading in one) to it, in this document or on its page of the web edition; any other
        address without a scheme to the company's website. So no link leads into the build folder, as a
        relative one would in the PDF (file://). A link prepare refused leads nowhere."""
        if link_problem(href):
            return None
        if has_scheme(href):
            return href
        if href.startswith("#"):
            section = anchored_section(href[1:], self.part_of)
            if section is None:
                return None       # prepare named it (references.py)
            return href if self.link_mode == "print" else f"{self.part_of[section]}.html{href}"
        return urljoin(self.report.manifest.company.website, href)

    @property
    def web(self) -> bool:
        """Rendering for the web pages (tables there scroll sideways in their own box on a phone)."""
        return self.link_mode == "web"

    def href(self, section_id: str) -> str:
        if self.link_mode == "web":
            return f"{self.part_of.get(section_id, section_id)}.html#{section_id}"
        return f"#{section_id}"

    def disclosure_index(self, family: str) -> str:
        if family not in self.report.frameworks:
            raise FigureError(f"no framework `{family}`")
        m = self.report.manifest
        index = disclosure_index(self.report, family, self.content_edition, self.text(m.company.name),
                                 (format_date(m.period.start, self.code), format_date(m.period.end, self.code)))
        return self.jinja.get_template("components/disclosure_index.html").render(
            index=index, href=self.href, print_mode=self.link_mode == "print", web=self.web)

    def cross_reference(self, section_id: str, with_part: bool = False) -> str:
        """`{{ ref("kpi-tables", part=True) }}`: a link to a section with its title as this edition gives
        it (its part's title before it, with the edition's separator: 附錄－關鍵績效指標表), and in
        print the page it starts on, so the text never repeats a title by hand."""
        section = self.report.section(section_id)
        if section is None:
            raise FigureError(f"no section `{section_id}`")
        title = self.text(section.title)
        part = self.report.section(section.part_id)
        if with_part and part is not None and part is not section:
            title = self.text(part.title) + self.pgettext("punctuation", " – ") + title
        link = f'<a class="cross-ref" href="{html.escape(self.href(section_id))}">{html.escape(title)}</a>'
        if self.link_mode == "print":
            before, _, after = self.edition.paren(self.gettext("p. %(page)s")).partition("%(page)s")
            link += (f'<a class="page-ref in-text" href="#{html.escape(section_id)}" data-before="{html.escape(before)}" '
                     f'data-after="{html.escape(after)}" aria-hidden="true"></a>')
        return self.drawn(link)

    def inline(self, text: str) -> Markup:
        """Inline Markdown with data references, for notes and labels that come from data files."""
        outer, self._drawn = self._drawn, []
        try:
            return self.cleaned(self.md.renderInline(text, self.hooks()))
        finally:
            self._drawn = outer

    def hooks(self, **extra) -> dict[str, Any]:
        return {"resolve": self.resolve, "block": self.block, "table": self.table, "component": self.component,
                "fail": self.fail,
                "image": self.image, "link": self.link, "gettext": self.gettext, "words": self.words,
                "words_in": self.words_in, **extra}

    def table(self, spec: dict, cells: dict, line: int | None) -> str:
        """A table block: each cell (content) through the sanitiser, the table around them (the
        template's, with its layout settings validated in markdown.py) put in after cleaning."""
        def safe(cell):
            return [clean(item) for item in cell] if isinstance(cell, list) else clean(cell)
        cells = {"caption": safe(cells["caption"]) if cells["caption"] else "",
                 "columns": [safe(c) for c in cells["columns"]],
                 "rows": [[safe(c) for c in row] for row in cells["rows"]],
                 "notes": [safe(n) for n in cells["notes"]]}
        return self.drawn(self.jinja.get_template("components/data_table.html").render(
            spec=spec, cells=cells, web=self.web, section=self._section))

    def component(self, call: Call, items: list[Item], line: int | None) -> str:
        """A container drawn as an infographic (`::: numbered` …): each item's text (content) through the
        sanitiser, the drawing around them (its template's) put in after cleaning."""
        if call.directive is None or call.arguments is None:
            return UNRESOLVED
        cleaned = [Item(clean(i.label), clean(i.text), tuple(clean(e) for e in i.entries)) for i in items]
        return self.drawn(CONTAINERS.drawing(call.directive.name)(self, call.arguments, cleaned))

    def draw_component(self, template: str, **values: Any) -> str:
        return self.jinja.get_template(f"components/{template}").render(
            **values, web=self.web, section=self._section)

    # -- sections ------------------------------------------------------------------------------
    def section_body(self, section: Section) -> Markup:
        source = section.sources.get(self.content_edition)
        if source is None:
            return Markup("")
        if self.cache is None:
            return self._section_body(section, source)
        key = (self.code, self.link_mode, self.draft, section.id, source.body, self.cache_key)
        if key not in self.cache:
            before, media = list(self.problems.items), dict(self.media)
            body = self._section_body(section, source)
            self.cache[key] = (body, {k: v for k, v in self.media.items() if k not in media},
                               [p for p in self.problems.items if p not in before])
        body, media, problems = self.cache[key]
        self.media.update(media)
        self.problems.extend(problems)
        return body

    def _section_body(self, section: Section, source) -> Markup:
        self._source, self._section, self._figure_notes = source.path, section.id, []
        self._rows_here = set()
        # Body headings start at ###; shift them so they sit one level below the section's own.
        env = self.hooks(docId=section.id, heading_shift=section.level - 2)
        try:
            body = self.cleaned(self.md.render(source.body, env))
            # A note's marker stands after the per cent sign that follows a figure ("18%①").
            body = Markup(_MARK_BEFORE_PERCENT.sub(r"\2\1", str(body)))
            return body + Markup(self.figure_notes_list(self._figure_notes))
        finally:
            self._source, self._section, self._figure_notes = None, "", None

    def section_view(self, section: Section) -> SectionView:
        return SectionView(
            id=section.id, number=section.number, title=self.text(section.title), level=section.level,
            kind=section.kind, part_id=section.part_id, body=self.section_body(section),
            children=[self.section_view(c) for c in section.children], codes=self.disclosure_codes(section),
        )

    def disclosure_codes(self, section: Section) -> list[tuple[str, str]]:
        """The codes a section answers, each a link to its entry in the content index the report places
        (HKEX first, then GRI); none of a framework whose index the report does not print."""
        codes = []
        for family, label in (("hkex", self.gettext("HKEX %(code)s")), ("gri", self.gettext("GRI %(code)s"))):
            index = self.index_sections.get(family)
            framework = self.report.frameworks.get(family)
            # A mandatory requirement is named by its title, as the index names it (管治架構, not MDR.governance).
            titles = {item.code: self.text(item.title) for group in framework.groups for item in group.items
                      if item.level == "mandatory"} if framework else {}
            if index is None:
                continue
            for code in getattr(section, family):
                anchor = f"{family}-{code}"
                href = f"{self.part_of.get(index, index)}.html#{anchor}" if self.web else f"#{anchor}"
                codes.append((label % {"code": titles.get(code) or code}, href))
        return codes

    def parts(self, link_mode: str = "print") -> list[SectionView]:
        self.link_mode = link_mode
        return [self.section_view(p) for p in self.report.parts]

    # -- the web edition's home page -------------------------------------------------------------
    def key_figures(self) -> list[dict[str, Any]]:
        """The figures report.yaml's `key_figures` names, as cards, under the title of their chapter
        (prepare checked the parts and metrics it names)."""
        parts = {p.id: p for p in self.report.parts}
        groups = []
        for part_id, metric_ids in self.report.manifest.key_figures.items():
            part = parts.get(part_id)
            if part is None:
                continue
            cards = []
            # The group's cards carry the notes of figures acknowledged as inconsistent, under them.
            self._section, self._figure_notes, mode, self.link_mode = f"key-{part.id}", [], self.link_mode, "web"
            try:
                for metric_id in metric_ids:
                    try:
                        cards.append(self.with_drawn(self.card(metric_id)))
                    except FigureError:
                        continue
                notes = Markup(self.figure_notes_list(self._figure_notes))
            finally:
                self._section, self._figure_notes, self.link_mode = "", None, mode
            groups.append({"id": part.id, "number": part.number, "title": self.text(part.title), "cards": cards,
                           "notes": notes})
        return groups

    def data_part(self) -> str | None:
        """The part whose sections hold the most KPI tables (the appendix): it links the KPI data."""
        counts = {p.id: sum(1 for s in p.walk() for f in s.sources.values() for r in f.references
                            if r.refers_to("table")) for p in self.report.parts}
        best = max(counts, key=lambda k: counts[k], default=None)
        return best if best and counts[best] else None

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
            "published": Markup(f'<time datetime="{m.published.isoformat()}">'
                                f'{html.escape(format_date(m.published, self.code))}</time>') if m.published else "",
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
            "sdgs": {p.id: [(n, self.text(self.report.sdgs.get(n)), palette.SDG_COLOURS.get(n, palette.NAVY_LIGHT))
                            for n in p.sdgs] for p in self.report.manifest.parts},
        }


# --- how each directive is drawn (declared in markup/directives.py) ----------------------------------------

@DIRECTIVES.draws("kpi")
def _kpi(r: EditionRenderer, a: KpiArguments) -> str:
    return html.escape(r.figures.format(a.metric, r.code, year=a.year, unit=a.unit, scale=a.scale,
                                        decimals=a.decimals)) + r.figure_note_marks(a.metric, a.year) + r.assurance_mark(a.metric, a.year)


@DIRECTIVES.draws("change")
def _change(r: EditionRenderer, a: ChangeArguments) -> str:
    return html.escape(r.figures.format_change(a.metric, a.start, a.end, edition=r.code, decimals=a.decimals))


@DIRECTIVES.draws("card")
def _card(r: EditionRenderer, a: CardArguments) -> str:
    return r.card(a.metric, a.label, a.year, a.scale, a.decimals, a.style)


@DIRECTIVES.draws("kpi_table")
def _kpi_table(r: EditionRenderer, a: KpiTableArguments) -> str:
    return r.kpi_table(a.table)


@DIRECTIVES.draws("chart")
def _chart(r: EditionRenderer, a: ChartArguments) -> str:
    return r.chart(*a.charts)


@DIRECTIVES.draws("org_chart")
def _org_chart(r: EditionRenderer, a: OrgChartArguments) -> str:
    return r.org_chart(a.orgchart)


@DIRECTIVES.draws("disclosure_index")
def _disclosure_index(r: EditionRenderer, a: DisclosureIndexArguments) -> str:
    return r.disclosure_index(a.framework)


@DIRECTIVES.draws("ref")
def _ref(r: EditionRenderer, a: RefArguments) -> str:
    return r.cross_reference(a.section, a.part)


@DIRECTIVES.draws("restatements")
def _restatements(r: EditionRenderer, a: RestatementsArguments) -> str:
    return r.restatements()


@CONTAINERS.draws("numbered")
def _numbered(r: EditionRenderer, a: NumberedArguments, items: list[Item]) -> str:
    return r.draw_component("numbered.html", items=items, start=a.start)


@CONTAINERS.draws("timeline")
def _timeline(r: EditionRenderer, a: TimelineArguments, items: list[Item]) -> str:
    # Dated steps first, in order, then the groups (a label over a list of entries).
    return r.draw_component("timeline.html", title=a.title, steps=[i for i in items if not i.entries],
                            groups=[i for i in items if i.entries])


@CONTAINERS.draws("values")
def _values(r: EditionRenderer, a: ValuesArguments, items: list[Item]) -> str:
    # The web draws each icon inline; the PDF as a background (an artifact, outside the tagged content).
    icons = [artwork.icon_svg(name, palette.ORANGE) for name in a.icons]
    return r.draw_component("values.html", tiles=[
        (item, Markup(svg) if r.web else artwork.data_url(svg)) for item, svg in zip(items, icons)])


def _draws_words(name: str) -> None:
    """A word of report.yaml is written out as text before the Markdown's text rules run
    (markup/markdown.py); it is drawn here where a directive is drawn without them."""
    @DIRECTIVES.draws(name)
    def draw(r: EditionRenderer, a) -> str:
        return html.escape(r.words(Call(name, name, DIRECTIVES.get(name), a)))


for _name in ("year", "period", "period_start", "period_end", "ordinal"):
    _draws_words(_name)


def render_edition(report: Report, code: str, templates: Path, locales: Path, problems: Problems,
                   draft: bool = False, media: tuple[str, ...] = ("web", "print"), cache: dict | None = None,
                   cache_key: str = "") -> RenderedEdition:
    """One edition's web pages and print document (`media`: which of the two are wanted)."""
    renderer = EditionRenderer(report, code, templates, locales, problems, draft, cache, cache_key)
    web_parts = renderer.parts(link_mode="web") if "web" in media else []
    parts = renderer.parts(link_mode="print") if "print" in media else web_parts
    ctx = renderer.context()
    section_text: dict[Path, str] = {}
    by_id = {s.id: s for s in report.sections()}
    for view in (v for p in parts for v in p.walk()):
        src = by_id[view.id].sources.get(renderer.content_edition)
        if src is not None:
            section_text[src.path] = visible_text(str(view.body))

    jinja = renderer.jinja
    rendered = RenderedEdition(code, report.year, parts, {}, "", section_text, renderer.media, draft,
                               kpi_data(report, code, renderer.gettext, renderer.pgettext))
    if "web" in media:
        write_pages(renderer, rendered, web_parts, ctx)
    if "print" in media:
        rendered.print_html = jinja.get_template("report.html").render(
            **ctx, **renderer.print_context(), parts=parts, assets=(templates / "static").as_uri())
    stops = EDITIONS[code].stops
    if stops:     # the search index keeps the text as written; pages and print get the spacing markup
        centered = stops == "centered"
        rendered.pages = {name: punctuation_and_spacing(page, centered) if name.endswith(".html") else page
                          for name, page in rendered.pages.items()}
        if rendered.print_html:
            rendered.print_html = punctuation_and_spacing(rendered.print_html, centered)
    return rendered
