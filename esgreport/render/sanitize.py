"""The markup content may bring into a page, as an allow-list applied by nh3 (the ammonia sanitiser).

Everything a section body renders to, from Markdown and from table blocks, passes through `clean`:
only these elements and attributes, links by scheme, styles reduced to text alignment and column
widths. What the build draws itself from data (charts, KPI tables, cards, indexes, images it has
checked) does not come from content and is put in place after cleaning (render.py).
"""

from __future__ import annotations

import re

import nh3

from esgreport.markup.markdown import LINK_SCHEMES, link_problem

TAGS = {
    "p", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "pre", "code",
    "strong", "em", "b", "i", "s", "del", "sup", "sub", "br", "hr", "span", "div", "a",
    "table", "caption", "colgroup", "col", "thead", "tbody", "tr", "th", "td",
    "figure", "figcaption", "aside", "section",
    "esg-slot",     # where render.py puts back what the build drew itself
}
ATTRIBUTES = {
    "*": {"class", "lang"},
    "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
    "a": {"href", "id"},
    "li": {"id"},
    "ol": {"start"},
    "th": {"scope", "colspan", "rowspan", "style"},
    "td": {"colspan", "rowspan", "style"},
    "col": {"style"},
    "esg-slot": {"n"},
}
URL_SCHEMES = set(LINK_SCHEMES)
STYLE_PROPERTIES = {"text-align", "width"}      # table alignment (Markdown) and column widths (table blocks)
_FOOTNOTE_ID = re.compile(r"fn(ref)?\d+(:\d+)?")
# markdown.py: the section's id and a number, or the section's id and the heading's name (`{#name}`)
_HEADING_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def _attribute(tag: str, name: str, value: str) -> str | None:
    if name == "id":        # only the ids the build gives: footnotes' anchors, headings'
        pattern = _HEADING_ID if tag[0] == "h" else _FOOTNOTE_ID
        return value if pattern.fullmatch(value) else None
    if name == "href" and link_problem(value):     # `//host/share` has no scheme for nh3 to refuse
        return None
    return value


_CLEANER = nh3.Cleaner(tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES, link_rel=None,
                       filter_style_properties=STYLE_PROPERTIES, attribute_filter=_attribute,
                       strip_comments=True)


def clean(html: str) -> str:
    return _CLEANER.clean(html)
