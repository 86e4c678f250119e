"""The report's colours and what each one means. Charts and the generated artwork read them from here;
the stylesheets name the same brand colours as CSS custom properties (templates/static/report.css).

- Brand: OneConnect orange and navy, for the cover, openers, rules and headings.
- Years: a year has the same colour in every chart. The report's own year is orange, the years before
  it step down through greys, so the year being reported stands out and comparisons read at a glance.
- Categories (parts of a whole, series of a stack): a separate set of cool colours that never uses the
  year colours, so "orange" never means a category.
"""

from __future__ import annotations

ORANGE, NAVY = "#e35a1c", "#23324d"
ORANGE_LIGHT, NAVY_LIGHT = "#f4a47c", "#3b5078"
INK, MUTED, RULE, WHITE = "#1f2937", "#5b6472", "#d9dde3", "#ffffff"

# The report's year, then the years before it (a chart shows at most a few).
YEAR_COLOURS = (ORANGE, "#8f98a6", "#c4cad3", "#e3e6eb")
# Categories, in the order of a chart's series.
CATEGORY_COLOURS = (NAVY, "#2b8a8f", "#7fb2d6", "#9d8cb8", "#b9c7d9")
# Fills dark enough to carry white text.
DARK_FILLS = frozenset({NAVY, ORANGE, "#2b8a8f", "#8f98a6", "#9d8cb8"})


# The UN's colour of each Sustainable Development Goal (the SDG icons' published colour scheme), for the
# goals' tiles: a goal is recognised by its colour and number before its name is read.
SDG_COLOURS = {
    1: "#e5243b", 2: "#dda63a", 3: "#4c9f38", 4: "#c5192d", 5: "#ff3a21", 6: "#26bde2", 7: "#fcc30b",
    8: "#a21942", 9: "#fd6925", 10: "#dd1367", 11: "#fd9d24", 12: "#bf8b2e", 13: "#3f7e44", 14: "#0a97d9",
    15: "#56c02b", 16: "#00689d", 17: "#19486a",
}


def year_colour(year: int, report_year: int) -> str:
    """The colour of `year` in any chart of the report of `report_year`."""
    back = max(0, report_year - year)
    return YEAR_COLOURS[min(back, len(YEAR_COLOURS) - 1)]


def category_colour(index: int) -> str:
    return CATEGORY_COLOURS[index % len(CATEGORY_COLOURS)]
