"""Charts of KPI data as inline SVG: bars over the years, grouped and stacked bars, donuts.

The SVG is written by hand (it is small) so that it is the same in the PDF and on the web: one
fixed viewBox that scales to the width of its box, the report's font, the brand colours, labels and
numbers formatted for the edition exactly like the KPI tables, and a text alternative (`<title>`,
`<desc>`) that lists every value with its unit. No scripts, no external files.

The chart definitions are data (`charts:` in content/<year>/data/*.yaml, validated by
`model.ChartSpec`); this module only draws them. Values are exact Decimals; only the geometry is
computed with floats.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from esgreport.editions import EDITIONS
from esgreport.model.inputs import ChartSeries, ChartSpec
from esgreport.render.figures import Figures
from esgreport.render.palette import DARK_FILLS, INK, MUTED, NAVY, RULE, WHITE, category_colour, year_colour
from esgreport.render.tables import NOT_REPORTED
from esgreport.typography.formatting import format_number

__all__ = ["ChartSeries", "ChartSpec", "ChartWords", "Frame", "chart_frame", "chart_svg", "chart_description",
           "shared_frame"]

# Geometry of the viewBox. A half-width chart is 360 units wide, a wide one 720: the text keeps the
# same size on the page whichever the width (about 7.5pt in print, 11–13px on screen).
WIDTH, WIDE_WIDTH, HEIGHT, WIDE_HEIGHT = 360, 720, 220, 250

# Colours with a meaning (esgreport/palette.py): a year has the same colour in every chart, the
# categories of a stack or a donut take a separate set.

@dataclass(frozen=True)
class ChartWords:
    """The few words a chart writes itself (the rest comes from the data). The renderer fills them
    from the edition's gettext catalog; the defaults are the English source strings."""

    total: str = "Total"
    missing: str = "not reported"
    colon: str = ": "
    sep: str = "; "
    stop: str = "."
    year: Callable[[int], str] = str


FONT_SIZE = 11          # labels, legend, value labels
SMALL = 10              # axis ticks, the unit label
LINE = 13.5             # line height of wrapped labels


# --- text measuring and wrapping ------------------------------------------------------------------

def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def text_width(text: str, size: float) -> float:
    """An estimate of the drawn width of `text` in Noto Sans / Noto Sans CJK, on the generous side."""
    em = 0.0
    for ch in text:
        if _wide(ch):
            em += 1.0
        elif ch == " ":
            em += 0.26
        elif ch in ".,:;'|!il":
            em += 0.28
        elif ch in "()[]-–/fjrt":
            em += 0.36
        elif ch.isdigit():
            em += 0.58
        elif ch.isupper() or ch in "mw%":
            em += 0.72
        else:
            em += 0.56
    return em * size


_NO_LINE_START = set("，。、；：！？）」』%")


def _tokens(text: str) -> list[str]:
    """Break opportunities: between words of Latin text, between Chinese characters."""
    tokens: list[str] = []
    word = ""
    for ch in text:
        if ch == " ":
            if word:
                tokens.append(word)
            word = ""
            tokens.append(" ")
        elif _wide(ch):
            if ch in _NO_LINE_START and (word or tokens):
                word += ch
                continue
            if word:
                tokens.append(word)
            word = ch
        else:
            if word and _wide(word[-1]) and word[-1] not in _NO_LINE_START and ch not in ")%":
                tokens.append(word)
                word = ""
            word += ch
    if word:
        tokens.append(word)
    return tokens


def wrap(text: str, width: float, size: float, max_lines: int = 3) -> list[str]:
    """Greedy line breaking to `width`; the last allowed line takes the rest."""
    lines: list[str] = []
    line = ""
    for token in _tokens(text):
        candidate = line + token
        if line.strip() and text_width(candidate.rstrip(), size) > width and len(lines) < max_lines - 1:
            lines.append(line.rstrip())
            line = "" if token == " " else token
        else:
            line = candidate
    if line.strip():
        lines.append(line.strip())
    return lines or [""]


# --- SVG pieces -------------------------------------------------------------------------------

def _n(x: float) -> str:
    """A coordinate, short: 12.5, 40, -3.25."""
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _text(x: float, y: float, text: str, size: float = FONT_SIZE, anchor: str = "start",
          fill: str = INK, weight: int | None = None) -> str:
    attrs = f'x="{_n(x)}" y="{_n(y)}" font-size="{_n(size)}" fill="{fill}"'
    if anchor != "start":
        attrs += f' text-anchor="{anchor}"'
    if weight:
        attrs += f' font-weight="{weight}"'
    return f"<text {attrs}>{escape(text, quote=False)}</text>"


def _lines(x: float, y: float, lines: list[str], size: float = FONT_SIZE, anchor: str = "start",
           fill: str = INK, weight: int | None = None) -> list[str]:
    """One <text> per line (renderers agree on these, less so on <tspan dy>)."""
    return [_text(x, y + i * LINE, line, size, anchor, fill, weight) for i, line in enumerate(lines)]


def _rect(x: float, y: float, w: float, h: float, fill: str) -> str:
    return f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(max(w, 0))}" height="{_n(max(h, 0))}" fill="{fill}"/>'


def _line(x1: float, y1: float, x2: float, y2: float, stroke: str, width: float = 0.75) -> str:
    return (f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" '
            f'stroke="{stroke}" stroke-width="{_n(width)}"/>')


# --- data ------------------------------------------------------------------------------------

@dataclass
class _Series:
    metric: str
    label: str
    values: dict[int, Decimal | None]
    shown: dict[int, str]          # the value as the tables show it: 2,269.01
    with_unit: dict[int, str]      # with its unit, for the text alternative: 2,269.01 MWh


def _series(spec: ChartSpec, figures: Figures, edition: str, content_edition: str, words: ChartWords,
            years: list[int]) -> list[_Series]:
    out = []
    for s in spec.series:
        metric = figures.metric(s.metric)
        label = str((s.label or metric.label).get(content_edition, ""))
        values: dict[int, Decimal | None] = {}
        shown: dict[int, str] = {}
        with_unit: dict[int, str] = {}
        for year in years:
            if year in metric.pending:             # still empty: the draft shows the metric's id
                values[year], shown[year], with_unit[year] = None, s.metric, s.metric
                continue
            if year not in metric.values:
                figures.value(s.metric, year)      # raises FigureError naming the metric and year
            value = metric.values[year]
            if value is None:                      # not reported (n/a)
                values[year], shown[year], with_unit[year] = None, NOT_REPORTED, words.missing
                continue
            before, after = figures.qualifier(s.metric, year, content_edition)
            values[year] = value
            shown[year] = before + figures.format(s.metric, edition, year=year) + after
            with_unit[year] = before + figures.format(s.metric, edition, year=year, unit=True) + after
        out.append(_Series(s.metric, label, values, shown, with_unit))
    return out


def _years(spec: ChartSpec, figures: Figures) -> list[int]:
    if spec.type == "donut":
        return [spec.year or figures.year]
    assert isinstance(spec.years, list), "prepare() resolves `years: {last: N}` against the report's year"
    return list(spec.years)


def _year_colours(years: list[int], report_year: int) -> dict[int, str]:
    return {year: year_colour(year, report_year) for year in years}


def _share(value: Decimal, total: Decimal) -> Decimal:
    return value / total * 100 if total else Decimal(0)


def _places(figures: Figures, series: list[_Series], year: int) -> int:
    return max(figures.metric(s.metric).precision_for(year) for s in series)


# --- the text alternative ---------------------------------------------------------------------

def chart_description(spec: ChartSpec, figures: Figures, edition: str, content_edition: str,
                      words: ChartWords = ChartWords()) -> str:
    """Every value of the chart with its unit, as a sentence per series (or the donut's parts)."""
    year_label, w = words.year, {"colon": words.colon, "sep": words.sep, "stop": words.stop, "total": words.total}
    years = _years(spec, figures)
    series = _series(spec, figures, edition, content_edition, words, years)
    if spec.type == "donut":
        year = years[0]
        total = sum((s.values[year] or Decimal(0)) for s in series)
        parts = []
        for s in series:
            text = f"{s.label}{w['colon']}{s.with_unit[year]}"
            value = s.values[year]
            if value is not None and total:
                text += _paren(format_number(_share(value, total), 1, edition) + "%", edition)
            parts.append(text)
        places = _places(figures, series, year)
        total_text = figures.with_unit(format_number(total, places, edition), figures.metric(series[0].metric),
                                       edition)
        return (f"{year_label(year)}{w['colon']}{w['sep'].join(parts)}{w['stop']}"
                f"{EDITIONS[edition].sentence_gap}{w['total']}{w['colon']}{total_text}{w['stop']}")
    sentences = []
    for s in series:
        values = w["sep"].join(f"{year_label(y)}{w['colon']}{s.with_unit[y]}" for y in years)
        sentences.append(f"{s.label}{w['colon']}{values}{w['stop']}")
    return EDITIONS[edition].sentence_gap.join(sentences)


def _paren(text: str, edition: str) -> str:
    return EDITIONS[edition].paren(text)


# --- drawing ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Frame:
    """The plot area of a bar chart, as two charts shown side by side share it: the value at the top
    of the scale (None: the chart's own) and the room under the axis for the category labels and the
    legend, so that both stand on one baseline."""

    top: float | None = None
    below: float = 0.0


MIN_SEGMENT = 1.5       # the thinnest part of a stack that is drawn: a small share stays visible


def chart_frame(spec: ChartSpec, figures: Figures, edition: str, content_edition: str,
                words: ChartWords = ChartWords()) -> Frame | None:
    """The frame a bar chart needs on its own (None for a donut)."""
    if spec.type == "donut":
        return None
    years = _years(spec, figures)
    series = _series(spec, figures, edition, content_edition, words, years)
    layout = _bar_layout(spec, series, years, figures, edition, *_size(spec), words.year)
    return Frame(layout["top"], layout["below"])


def shared_frame(frames: list[Frame | None], units: list[str]) -> list[Frame | None]:
    """Frames for charts shown side by side: bar charts stand on one baseline; they share their scale
    too where they measure in the same unit (like compared with like)."""
    bars = [f for f in frames if f is not None]
    if len(bars) < 2:
        return frames
    below = max(f.below for f in bars)
    same_unit = len({u for u, f in zip(units, frames) if f is not None}) == 1
    top = max((f.top for f in bars if f.top is not None), default=None) if same_unit else None
    return [None if f is None else Frame(top, below) for f in frames]


def _size(spec: ChartSpec) -> tuple[float, float]:
    return (WIDE_WIDTH, WIDE_HEIGHT) if spec.wide else (WIDTH, HEIGHT)


def chart_svg(spec: ChartSpec, figures: Figures, edition: str, content_edition: str, chart_id: str,
              words: ChartWords = ChartWords(), frame: Frame | None = None) -> str:
    """The chart as an inline <svg> element, labelled by its title and described by its values.

    `edition` formats numbers and units (the output edition), `content_edition` picks the labels
    from the data; `words` are the chart's own words in the edition's language (years as the tables
    write them); `frame` is the plot area it shares with a chart beside it.
    """
    year_label = words.year
    years = _years(spec, figures)
    series = _series(spec, figures, edition, content_edition, words, years)
    width, height = _size(spec)
    unit = figures.unit_label(spec.series[0].metric, content_edition)   # as the tables label it
    if spec.type == "donut":
        body = _donut(series, years[0], figures, edition, unit, width, height)
    else:
        body = _bars(spec, series, years, figures, edition, unit, width, height, year_label, frame)

    title = str(spec.title.get(content_edition, ""))
    desc = chart_description(spec, figures, edition, content_edition, words)
    font = EDITIONS[edition].font_stack
    ids = f"chart-{chart_id}-title chart-{chart_id}-desc"
    return "\n".join([
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg chart-{spec.type}" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMidYMid meet" '
        f'role="img" aria-labelledby="{ids}" font-family="{escape(font)}">',
        f'<title id="chart-{chart_id}-title">{escape(title, quote=False)}</title>',
        f'<desc id="chart-{chart_id}-desc">{escape(desc, quote=False)}</desc>',
        *body,
        "</svg>",
    ])


def nice_ticks(top: float) -> tuple[list[Decimal], int]:
    """Axis ticks from 0 to a round number at or above `top`, 3 to 5 intervals; and their decimals."""
    if top <= 0:
        top = 1.0
    raw = top / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        step = m * magnitude
        if step >= raw:
            break
    step_dec = Decimal(str(m)) * (Decimal(10) ** math.floor(math.log10(raw)))
    count = math.ceil(top / step - 1e-9)
    exponent = step_dec.normalize().as_tuple().exponent
    assert isinstance(exponent, int), "a step computed from a finite float is finite"
    decimals = max(0, -exponent)
    return [step_dec * i for i in range(count + 1)], decimals


def _legend(items: list[tuple[str, str]], x0: float, y0: float, max_width: float) -> tuple[list[str], float]:
    """Swatch-and-label entries flowing left to right, wrapping to `max_width`; returns (svg, height)."""
    out: list[str] = []
    x, y, row_height = x0, y0, LINE
    for colour, label in items:
        lines = wrap(label, max_width - 14, FONT_SIZE)
        item_width = 14 + max(text_width(line, FONT_SIZE) for line in lines)
        if x > x0 and x + item_width > x0 + max_width:
            x, y = x0, y + row_height + 2
            row_height = LINE
        out.append(_rect(x, y - 8.5, 9, 9, colour))
        out.extend(_lines(x + 13, y, lines, FONT_SIZE, fill=INK))
        row_height = max(row_height, LINE * len(lines))
        x += item_width + 14
    return out, (y - y0) + row_height


def _bar_layout(spec: ChartSpec, series: list[_Series], years: list[int], figures: Figures, edition: str,
                width: float, height: float, year_label: Callable[[int], str]) -> dict:
    """Where the parts of a bar chart go, before any is drawn: its scale, the category labels along the
    axis and the legend under them, and the room those take under the axis."""
    year_colour = _year_colours(years, figures.year)
    stacked = spec.type == "stacked_bar"
    grouped = spec.type == "grouped_bar"
    if stacked:
        top = max(float(sum((s.values[y] or Decimal(0)) for s in series)) for y in years)
    else:
        top = max(float(s.values[y] or 0) for s in series for y in years)
    categories = [s.label for s in series] if grouped else [year_label(y) for y in years]
    ticks, _ = nice_ticks(top)
    tick_labels = [format_number(t, 0, edition) for t in ticks]
    left = 10 + max(text_width(t, SMALL) for t in tick_labels) + 6
    plot_w = width - 10 - left
    slot = plot_w / len(categories)
    cat_lines = [wrap(c, slot - 6, FONT_SIZE) for c in categories]
    cat_height = LINE * max(len(lines) for lines in cat_lines)
    legend_items: list[tuple[str, str]] = []
    if grouped:
        legend_items = [(year_colour[y], year_label(y)) for y in years]
    elif stacked:
        legend_items = [(category_colour(i), s.label) for i, s in enumerate(series)]
    legend_h = _legend(legend_items, left, 0, plot_w)[1] if legend_items else 0.0
    below = 6 + (legend_h + 8 if legend_items else 0) + cat_height + 8
    return {"top": top, "below": below, "cat_lines": cat_lines, "cat_height": cat_height,
            "legend_items": legend_items, "year_colour": year_colour}


def _bars(spec: ChartSpec, series: list[_Series], years: list[int], figures: Figures, edition: str,
          unit: str, width: float, height: float, year_label: Callable[[int], str],
          frame: Frame | None = None) -> list[str]:
    out: list[str] = []
    layout = _bar_layout(spec, series, years, figures, edition, width, height, year_label)
    year_colour = layout["year_colour"]
    stacked = spec.type == "stacked_bar"
    grouped = spec.type == "grouped_bar"

    # The scale: the chart's own, or the one it shares with the chart beside it
    top = frame.top if frame is not None and frame.top is not None else layout["top"]
    ticks, tick_places = nice_ticks(top)
    tick_labels = [format_number(t, tick_places, edition) for t in ticks]
    left = 10 + max(text_width(t, SMALL) for t in tick_labels) + 6
    right = width - 10
    plot_w = right - left

    categories = layout["cat_lines"]
    slot = plot_w / len(categories)
    cat_lines = categories
    cat_height = layout["cat_height"]
    legend_items = layout["legend_items"]
    legend_svg: list[str] = []
    if legend_items:
        legend_svg, _ = _legend(legend_items, left, 0, plot_w)
    below = max(layout["below"], frame.below if frame is not None else 0)
    bottom = height - below
    plot_top = 30
    scale_top = float(ticks[-1]) or 1.0

    def y_of(value: float) -> float:
        return bottom - (bottom - plot_top) * value / scale_top

    # Unit, grid and ticks
    gridlines = [y_of(float(t)) for t in ticks if t]
    if unit:
        out.append(_text(10, 12, unit, SMALL, fill=MUTED))
    for tick, label in zip(ticks, tick_labels):
        y = y_of(float(tick))
        if tick:
            out.append(_line(left, y, right, y, RULE))
        out.append(_text(left - 6, y + 3.5, label, SMALL, anchor="end", fill=MUTED))

    # Bars
    value_labels: list[str] = []
    for c, lines in enumerate(cat_lines):
        centre = left + slot * (c + 0.5)
        out.extend(_lines(centre, bottom + 15, lines, FONT_SIZE, anchor="middle", fill=INK))
        if grouped:
            s = series[c]
            bar_w = min(slot * 0.75 / len(years), 40)
            gap = min(4.0, bar_w * 0.15)
            total_w = bar_w * len(years) + gap * (len(years) - 1)
            for i, year in enumerate(years):
                x = centre - total_w / 2 + i * (bar_w + gap)
                value_labels.extend(_bar(out, x, bar_w, s.values[year], s.shown[year], year_colour[year],
                                         y_of, bottom, bar_w + gap))
        elif stacked:
            year = years[c]
            bar_w = min(slot * 0.45, 64)
            x = centre - bar_w / 2
            value_labels.extend(_stack(out, x, bar_w, [(s.values[year], s.shown[year]) for s in series],
                                       y_of, bottom, plot_top, gridlines))
        else:
            s, year = series[0], years[c]
            bar_w = min(slot * 0.45, 64)
            value_labels.extend(_bar(out, centre - bar_w / 2, bar_w, s.values[year], s.shown[year],
                                     year_colour[year], y_of, bottom, slot))
    out.append(_line(left, bottom, right, bottom, MUTED, 1))
    out.extend(value_labels)
    if legend_items:
        shift = bottom + 8 + cat_height + 8 + 9
        out.append(f'<g transform="translate(0 {_n(shift)})">')
        out.extend(legend_svg)
        out.append("</g>")
    return out


def _stack(out: list[str], x: float, w: float, parts: list[tuple[Decimal | None, str]],
           y_of: Callable[[float], float], bottom: float, plot_top: float, gridlines: list[float]) -> list[str]:
    """One stacked bar, its parts in the category colours from the bottom up. A part's figure sits
    inside it where it fits; a thin part is drawn at least MIN_SEGMENT thick and labelled beside the
    bar, with a leader line, clear of the other labels and of the grid lines."""
    labels: list[str] = []
    outside: list[tuple[float, str]] = []
    base_y = bottom
    for i, (value, label) in enumerate(parts):
        if value is None:
            continue
        colour = category_colour(i)
        height = max(bottom - y_of(float(value)), MIN_SEGMENT) if value > 0 else 0
        y0, y1 = base_y, base_y - height
        out.append(_rect(x, y1, w, height, colour))
        base_y = y1
        if height >= 14 and text_width(label, FONT_SIZE) <= w - 4:
            fill = WHITE if colour in DARK_FILLS else INK
            labels.append(_text(x + w / 2, (y0 + y1) / 2 + 4, label, FONT_SIZE, anchor="middle", fill=fill))
        else:
            outside.append(((y0 + y1) / 2, label))
    # Labels beside the bar, from the top part down, each at least a line below the one above it and
    # moved off a grid line; a leader joins each to the middle of its part.
    placed: list[float] = []
    for mid, label in sorted(outside):
        y = max(mid, plot_top + 4)
        if placed and y < placed[-1] + 12:
            y = placed[-1] + 12
        for grid in gridlines:
            if abs(y - grid) < 5:
                y = grid - 5 if y <= grid else grid + 5
        placed.append(y)
        x_text = x + w + 12
        out.append(_line(x + w, mid, x + w + 4, mid, MUTED, 0.6))
        out.append(_line(x + w + 4, mid, x_text - 2, y, MUTED, 0.6))
        box_w = text_width(label, FONT_SIZE) + 3
        labels.append(_rect(x_text - 1.5, y - 8, box_w, 11, WHITE))
        labels.append(_text(x_text, y + 3.5, label, FONT_SIZE, fill=INK))
    return labels


def _bar(out: list[str], x: float, w: float, value: Decimal | None, label: str, colour: str,
         y_of: Callable[[float], float], bottom: float, room: float) -> list[str]:
    """One bar and its value label above it (shrunk to the room it has); returns the label."""
    size: float = FONT_SIZE
    while text_width(label, size) > room - 2 and size > 7.5:
        size -= 0.5
    if value is None:
        return [_text(x + w / 2, bottom - 4, label, size, anchor="middle", fill=MUTED)]
    y = y_of(float(value))
    out.append(_rect(x, y, w, bottom - y, colour))
    return [_text(x + w / 2, y - 4, label, size, anchor="middle", fill=INK)]


def _donut(series: list[_Series], year: int, figures: Figures, edition: str, unit: str,
           width: float, height: float) -> list[str]:
    out: list[str] = []
    r, r_in = 80.0, 50.0
    cx, cy = 20 + r, height / 2
    values = [s.values[year] or Decimal(0) for s in series]
    total = sum(values)
    colours = [category_colour(i) for i in range(len(series))]

    # The ring
    if total > 0:
        angle = -math.pi / 2
        drawn = [(v, c) for v, c in zip(values, colours) if v > 0]
        for value, colour in drawn:
            sweep = 2 * math.pi * float(value / total)
            if len(drawn) == 1:
                out.append(f'<circle cx="{_n(cx)}" cy="{_n(cy)}" r="{_n((r + r_in) / 2)}" fill="none" '
                           f'stroke="{colour}" stroke-width="{_n(r - r_in)}"/>')
                break
            out.append(_slice(cx, cy, r, r_in, angle, angle + sweep, colour))
            angle += sweep
    else:
        out.append(f'<circle cx="{_n(cx)}" cy="{_n(cy)}" r="{_n((r + r_in) / 2)}" fill="none" '
                   f'stroke="{RULE}" stroke-width="{_n(r - r_in)}"/>')

    # The total in the hole
    places = _places(figures, series, year)
    out.append(_text(cx, cy + (2 if unit else 7), format_number(total, places, edition), 20,
                     anchor="middle", fill=NAVY, weight=700))
    if unit:
        out.append(_text(cx, cy + 18, unit, SMALL, anchor="middle", fill=MUTED))

    # The legend: label, then value and share
    x0 = cx + r + 28
    text_w = width - x0 - 8 - 14
    entries = []
    for s, value, colour in zip(series, values, colours):
        lines = wrap(s.label, text_w, FONT_SIZE)
        figure = s.shown[year]
        if unit and s.values[year] is not None:
            figure = figures.with_unit(figure, figures.metric(s.metric), edition)
        if s.values[year] is not None and total:
            figure += _paren(format_number(_share(value, total), 1, edition) + "%", edition)
        entries.append((colour, lines, figure))
    height = sum(LINE * (len(lines) + 1) for _, lines, _ in entries) + 8 * (len(entries) - 1)
    y = cy - height / 2 + 10
    for colour, lines, figure in entries:
        out.append(_rect(x0, y - 8.5, 9, 9, colour))
        out.extend(_lines(x0 + 14, y, lines, FONT_SIZE, fill=INK))
        out.append(_text(x0 + 14, y + LINE * len(lines), figure, FONT_SIZE, fill=NAVY, weight=700))
        y += LINE * (len(lines) + 1) + 8
    return out


def _slice(cx: float, cy: float, r: float, r_in: float, a0: float, a1: float, colour: str) -> str:
    large = 1 if a1 - a0 > math.pi else 0

    def at(radius: float, angle: float) -> str:
        return f"{_n(cx + radius * math.cos(angle))} {_n(cy + radius * math.sin(angle))}"

    d = (f"M{at(r, a0)} A{_n(r)} {_n(r)} 0 {large} 1 {at(r, a1)} "
         f"L{at(r_in, a1)} A{_n(r_in)} {_n(r_in)} 0 {large} 0 {at(r_in, a0)} Z")
    return f'<path d="{d}" fill="{colour}" stroke="#ffffff" stroke-width="1.5"/>'
