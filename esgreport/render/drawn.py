"""Elements the build draws from data, read back from the rendered HTML: none may come out empty.

An organisation chart, a card, a chart or a table drawn without its text (a title, a unit's name, a
label) in one edition looks finished at a glance and says nothing; the simplified edition's
governance chart once did. Each drawn element carries `data-drawn="<kind>:<id>"` (what it is drawn
from: `orgchart:…`, `metric:…`, `chart:…`, `table:…`, `section:…`), and its parts that must show
text are named below. The writers run this over what they are about to write (writers/pdf.py,
writers/web.py); the message names the data the element is drawn from.

The HTML is the build's own, so the standard library's tokenizer is enough to read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

from pydantic import BaseModel

from esgreport.editions import EDITIONS
from esgreport.errors import Problems
from esgreport.model.report import Location, Metric, Report

DRAWN = "data-drawn"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

# For each kind of drawn element (its class), the parts that must show text: (tag or "", class or ""),
# and what the part is, for the message.
REQUIRED: dict[str, tuple[tuple[str, str, str], ...]] = {
    "org-chart": (("", "table-title", "its title"), ("", "org-name", "the name of a unit"),
                  ("", "org-duty", "a duty of a unit")),
    "card": (("", "card-number", "its figure"), ("", "card-label", "its label")),
    "chart": (("", "chart-title", "its title"), ("title", "", "its text alternative"),
              ("text", "", "a label")),
    "kpi-table": (("", "table-title", "its title"), ("th", "", "a heading or row label")),
    "data-table": (("table", "", "its cells"),),
    "numbered-tiles": (("", "tile-text", "the text of an item"),),
    "timeline": (("", "timeline-label", "a date or label"), ("", "timeline-text", "an entry")),
    "value-tiles": (("", "value-label", "a label"), ("", "value-text", "a value")),
}
KIND_NAMES = {"org-chart": "organisation chart", "card": "card", "chart": "chart", "kpi-table": "KPI table",
              "data-table": "table", "numbered-tiles": "numbered group", "timeline": "timeline",
              "value-tiles": "row of values"}
KIND_OF = {name: kind for kind, name in KIND_NAMES.items()}
TEMPLATES = {"org-chart": "org_chart.html", "card": "card.html", "chart": "chart.html", "kpi-table": "kpi_table.html",
             "data-table": "data_table.html", "numbered-tiles": "numbered.html", "timeline": "timeline.html",
             "value-tiles": "values.html"}
# What to do about an element of a section's own (`section:…`) drawn without text.
SECTION_HINTS = {"data-table": "give each of its cells text, or write it as a list",
                 "numbered-tiles": "give each item of its list text",
                 "timeline": "give each label and each entry of its list text",
                 "value-tiles": "give each item of its list a label and its text"}


@dataclass
class _Element:
    tag: str
    classes: frozenset[str]
    drawn: str | None
    text: list[str] = field(default_factory=list)
    parts: list[_Element] = field(default_factory=list)   # of a drawn element: every element inside it

    def has_text(self) -> bool:
        return bool("".join(self.text).strip())


@dataclass(frozen=True)
class EmptyDrawing:
    """A drawn element with parts that show no text."""

    source: str              # what it is drawn from: "orgchart:esg_governance", "metric:water.consumption" …
    kind: str                # "organisation chart", "card" …
    parts: tuple[str, ...]   # "its title", "the name of a unit" …


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[_Element] = []
        self.drawn: list[_Element] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        element = _Element(tag, frozenset((values.get("class") or "").split()), values.get(DRAWN))
        for outer in self.open:
            if outer.drawn is not None:
                outer.parts.append(element)
        if element.drawn is not None:
            self.drawn.append(element)
        if tag not in VOID:
            self.open.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.open.pop()

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i].tag == tag:
                del self.open[i:]
                return

    def handle_data(self, data: str) -> None:
        for element in self.open:
            element.text.append(data)


def empty_drawings(markup: str) -> list[EmptyDrawing]:
    """Every drawn element of `markup` with parts that show no text, each element once."""
    reader = _Reader()
    reader.feed(markup)
    reader.close()
    found: dict[EmptyDrawing, None] = {}
    for element in reader.drawn:
        kind = next((k for k in REQUIRED if k in element.classes), None)
        if kind is None or element.drawn is None:
            continue
        empty = tuple(part for tag, cls, part in REQUIRED[kind]
                      if any(not p.has_text() for p in [element, *element.parts]
                             if (not tag or p.tag == tag) and (not cls or cls in p.classes)))
        if empty:
            found[EmptyDrawing(element.drawn, KIND_NAMES[kind], empty)] = None
    return list(found)


def check_drawn(markup: str, report: Report, code: str, problems: Problems) -> None:
    """A problem for each drawn element of `markup` (an edition's page) with a part that shows no
    text, at the data it is drawn from (a section's table: the section's file). An element drawn from
    data that lacks a text of the edition is not reported: prepare reports that text, at its line."""
    edition = EDITIONS[code]
    items = {"metric": report.metrics, "chart": report.charts, "table": report.tables, "orgchart": report.orgcharts}
    for empty in empty_drawings(markup):
        kind, _, name = empty.source.partition(":")
        where: Location | None
        if kind == "section":
            section = report.section(name)
            source = section.sources.get(edition.content_edition) if section else None
            where = Location(source.path) if source else None
        else:
            item = items.get(kind, {}).get(name)
            if item is not None and _lacks_text(item, edition.source or code):
                continue        # prepare reported the text missing, at its line
            where = report.locations.get(empty.source)
        if kind == "section":
            hint = SECTION_HINTS[KIND_OF[empty.kind]]
        else:
            hint = (f"its data has every {code} text: the drawing leaves it out "
                    f"(templates/components/{TEMPLATES[KIND_OF[empty.kind]]})")
        parts = ", ".join(empty.parts[:-1]) + " and " + empty.parts[-1] if len(empty.parts) > 1 else empty.parts[0]
        problems.add(where.path if where else report.folder / "report.yaml", where.line if where else None,
                     f"the {empty.kind} `{name}` is drawn without {parts} in the {code} edition", hint)


def _lacks_text(obj: object, code: str) -> bool:
    """Whether a data item (a model, with texts per edition inside) has a text without `code`'s version."""
    if isinstance(obj, Metric):
        obj = obj.spec
    if isinstance(obj, BaseModel):
        obj = obj.model_dump()
    if isinstance(obj, dict):
        if obj and all(k in EDITIONS for k in obj) and all(isinstance(v, str) for v in obj.values()):
            return not str(obj.get(code, "")).strip()
        return any(_lacks_text(v, code) for v in obj.values())
    if isinstance(obj, list | tuple):
        return any(_lacks_text(v, code) for v in obj)
    return False
