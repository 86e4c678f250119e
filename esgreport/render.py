"""Render a validated report into HTML for one edition: section bodies, web pages, print document."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel.support import NullTranslations

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from .charts import ChartWords, chart_svg
from .content import Report, Section
from .editions import EDITIONS
from .errors import Problems
from .figures import FigureError, Figures
from .formatting import format_date, format_number
from .i18n import load_translations
from .markdown import Call, report_markdown
from .disclosures import disclosure_index
from .tables import kpi_table_view


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
    return env


class EditionRenderer:
    """Turns every section body of one edition into HTML, resolving data references."""

    def __init__(self, report: Report, edition_code: str, templates_dir: Path, locales_dir: Path,
                 problems: Problems):
        self.report = report
        self.edition = EDITIONS[edition_code]
        self.code = edition_code
        self.content_edition = self.edition.source or edition_code
        translations = load_translations(locales_dir, self.edition.locale)
        self.jinja = template_environment(templates_dir, translations)
        self.gettext, self.pgettext = translations.gettext, translations.pgettext
        self.problems = problems
        self.figures = Figures(report.metrics, report.units, report.manifest.year,
                               frozenset(report.invalid_metrics))
        self.md = report_markdown(chinese=edition_code.startswith("zh"))
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

    def resolve(self, call: Call, line: int | None) -> str:
        if call.error:
            return self.fail(call.error, line, 'write it as {{ kpi("metric.id") }}; see docs/authoring.md')
        try:
            if call.name == "kpi":
                metric_id, *rest = call.args or [None]
                if not isinstance(metric_id, str):
                    return self.fail("kpi() needs a metric id in quotes", line, 'write {{ kpi("workforce.total") }}')
                allowed = {"year", "unit", "scale", "decimals"}
                bad = set(call.kwargs) - allowed
                if bad or rest:
                    return self.fail(f"kpi() does not take {', '.join(sorted(bad)) or 'more than one argument'}",
                                     line, f"allowed: {', '.join(sorted(allowed))}")
                return html.escape(self.figures.format(metric_id, self.code, **call.kwargs))
            if call.name == "change":
                if len(call.args) != 3:
                    return self.fail("change() needs a metric id and two years", line,
                                     'write {{ change("energy.electricity", 2022, 2023) }}')
                return html.escape(self.figures.format_change(*call.args, edition=self.code, **call.kwargs))
        except FigureError as exc:
            return self.fail(exc.message, line, exc.hint, exc.reported)
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
                view = kpi_table_view(table, table_id, self.figures, self.code, self.content_edition)
                view.notes = [self.inline(n) for n in view.notes]
                return self.jinja.get_template("components/kpi_table.html").render(table=view)
            if call.name == "disclosure_index":
                return self.disclosure_index(*call.args, **call.kwargs)
            if call.name == "chart":
                return self.chart(*call.args, **call.kwargs)
        except FigureError as exc:
            return self.fail(exc.message, line, exc.hint, exc.reported)
        except TypeError as exc:
            return self.fail(f"`{{{{ {call.text} }}}}`: wrong arguments ({exc})", line)
        except ValueError as exc:
            return self.fail(f"`{{{{ {call.text} }}}}`: {exc}", line)
        return self.fail(f"`{call.name}` is not available here", line)

    def card(self, metric_id: str, label: str | None = None, year: int | None = None,
             scale: str | None = None, decimals: int | None = None) -> str:
        metric = self.figures.metric(metric_id)
        year = year or self.report.manifest.year
        figure = self.figures.format(metric_id, self.code, year=year, scale=scale, decimals=decimals)
        if scale in ("thousand", "million", "billion"):
            figure = f"{figure} {scale}"
        unit = self.report.units.get(metric.unit)
        unit_label = unit.label(self.content_edition) if unit else ""
        if scale:
            unit_label = self.scaled_unit(scale, unit_label)
        return self.jinja.get_template("components/card.html").render(
            figure=figure,
            unit=unit_label,
            unit_first=bool(unit and unit.prefix_en and not self.code.startswith("zh")),
            unit_spaced=bool(unit and unit.space and not self.code.startswith("zh")),
            label=label if label is not None else self.text(metric.label),
            qualifier=self.figures.qualifier(metric_id, year, self.content_edition),  # (before, after)
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
        charts = []
        for chart_id in chart_ids:
            spec = self.report.charts.get(chart_id) if isinstance(chart_id, str) else None
            if spec is None:
                known = ", ".join(sorted(self.report.charts)) or "none yet"
                raise ValueError(f"unknown chart `{chart_id}` (charts: {known}; they are defined under "
                                 "`charts:` in data/charts.yaml)")
            if spec.wide and len(chart_ids) > 1:
                raise ValueError(f"chart `{chart_id}` is wide (the full width): give it a line of its own")
            svg = chart_svg(spec, self.figures, self.code, self.content_edition, chart_id,
                            words=self.chart_words())
            charts.append({
                "id": chart_id,
                "type": spec.type,
                "wide": spec.wide,
                "title": self.text(spec.title),
                "period": self.year_label(spec.year or self.report.manifest.year) if spec.type == "donut" else "",
                "caption": self.inline(self.text(spec.caption)) if spec.caption else "",
                "note": self.inline(self.text(spec.note)) if spec.note else "",
                "svg": Markup(svg),
            })
        return self.jinja.get_template("components/chart.html").render(charts=charts)

    def image(self, src: str, alt: str, line: int | None) -> str:
        """Images come from the report's own folder; nothing is fetched from elsewhere."""
        hint = "save the image under content/<year>/images/ and refer to it as images/<name>"
        if re.match(r"^([a-z][a-z0-9+.-]*:|//)", src, re.I):
            return self.fail(f"image `{src}` is not a file of the report", line, hint)
        root = self.report.root.resolve()
        path = (root / src).resolve()
        if root not in path.parents or not path.is_file():
            return self.fail(f"image `{src}` not found in {self.report.root.name}/", line, hint)
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
        index = disclosure_index(self.report, family, self.report.frameworks, self.report.disclosures,
                                 self.content_edition, self.text(m.company.name),
                                 (format_date(m.period.start, self.code), format_date(m.period.end, self.code)))
        return self.jinja.get_template("components/disclosure_index.html").render(
            index=index, href=self.href, print_mode=self.link_mode == "print")

    def scaled_unit(self, scale: str, unit_label: str) -> str:
        """萬元 / 億元 in Chinese; in English the scale word follows the number (RMB300 million)."""
        word = {"wan": "萬", "yi": "億"}.get(scale, "")
        return f"{word}{unit_label}" if self.code.startswith("zh") else unit_label

    def inline(self, text: str) -> Markup:
        """Inline Markdown with data references, for notes and labels that come from data files."""
        env = {"resolve": self.resolve, "block": self.block, "table": self.table, "fail": self.fail,
               "image": self.image, "gettext": self.gettext}
        return Markup(self.md.renderInline(text, env))

    def table(self, spec: dict, cells: dict, line: int | None) -> str:
        return self.jinja.get_template("components/data_table.html").render(spec=spec, cells=cells)

    # -- sections ------------------------------------------------------------------------------
    def section_body(self, section: Section) -> Markup:
        source = section.sources.get(self.content_edition)
        if source is None:
            return Markup("")
        self._source = source.path
        env: dict[str, Any] = {
            "resolve": self.resolve, "block": self.block, "table": self.table, "fail": self.fail,
            "image": self.image, "gettext": self.gettext, "docId": section.id,
            # Body headings start at ###; shift them so they sit one level below the section's own.
            "heading_shift": section.level - 2,
        }
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
            "company_name": self.text(m.company.name),
            "legal_name": self.text(m.company.legal_name),
            "slogan": self.text(m.company.slogan),
            "title": self.text(m.title),
            "address": self.text(m.company.contact.address),
            "period_start": format_date(m.period.start, self.code),
            "period_end": format_date(m.period.end, self.code),
            "number": lambda v, d=0: format_number(v, d, self.code),
            "editions": [EDITIONS[e] for e in self.report.editions],
        }
