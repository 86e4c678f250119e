"""Generated artwork for the printed report: the cover, the chapter openers and the back cover.

One geometric motif in the brand colours (esgreport/palette.py): a lattice of triangles, as points
connected into a network, denser towards one edge of the page. It is drawn as SVG from a seed (the
report's year, a chapter's number), so every build draws exactly the same picture, a new year gets a
picture of its own, and nothing is fetched. The pictures are decoration: the print stylesheet sets
them as backgrounds (`data:` URLs), so they carry no text and are not part of the tagged content.
"""

from __future__ import annotations

import base64
import math
import random
from collections.abc import Callable

from esgreport.render.palette import NAVY, NAVY_LIGHT, ORANGE, ORANGE_LIGHT, WHITE

A4 = (210.0, 297.0)          # mm; the SVG's user unit is one millimetre
STEP = 15.0                  # side of a lattice triangle

# Fills of the triangles, with how often each is drawn: mostly navy tints, some orange.
FILLS = ((ORANGE, 0.22), (ORANGE_LIGHT, 0.12), (NAVY_LIGHT, 0.38), (WHITE, 0.28))


def _n(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def lattice(width: float, height: float, density: Callable[[float, float], float], seed: int,
            background: str = NAVY) -> str:
    """A network of triangles over `width` × `height` mm: a triangle is filled where `density` of its
    centre (0–1) says so, more opaque where the density is higher; some are outlined, and their
    corners are drawn as points. Triangles of one colour and opacity are one path, so the picture
    is a few dozen elements however many triangles it has (quick to draw)."""
    rng = random.Random(seed)
    row_h = STEP * math.sqrt(3) / 2
    rows = int(height / row_h) + 2
    cols = int(width / STEP) + 2
    fills: dict[tuple[str, float], list[str]] = {}
    edges: list[str] = []
    points: set[tuple[float, float]] = set()
    for j in range(rows):
        for i in range(-1, cols):
            # Two triangles per lattice cell: pointing up and pointing down.
            x0 = i * STEP + (STEP / 2 if j % 2 else 0)
            y0, y1 = j * row_h, (j + 1) * row_h
            for corners in (((x0, y1), (x0 + STEP, y1), (x0 + STEP / 2, y0)),
                            ((x0 + STEP / 2, y0), (x0 + 1.5 * STEP, y0), (x0 + STEP, y1))):
                cx = sum(p[0] for p in corners) / 3
                cy = sum(p[1] for p in corners) / 3
                d = max(0.0, min(1.0, density(cx / width, cy / height)))
                if d <= 0 or rng.random() > d:
                    continue
                colour = _pick(rng)
                opacity = round((0.25 + 0.65 * d * rng.random()) * 5) / 5 or 0.2   # five steps
                path = "M" + "L".join(f"{_n(x)} {_n(y)}" for x, y in corners) + "Z"
                fills.setdefault((colour, opacity), []).append(path)
                if rng.random() < 0.5:
                    edges.append(path)
                points.update(corners)
    out = [f'<rect width="{_n(width)}" height="{_n(height)}" fill="{background}"/>']
    out.extend(f'<path d="{"".join(paths)}" fill="{colour}" fill-opacity="{opacity:.1f}"/>'
               for (colour, opacity), paths in sorted(fills.items()))
    if edges:
        out.append(f'<path d="{"".join(edges)}" fill="none" stroke="{WHITE}" stroke-opacity="0.35" '
                   f'stroke-width="0.25"/>')
    dots = [f"M{_n(x - 0.6)} {_n(y - 0.6)}h1.2v1.2h-1.2Z" for x, y in sorted(points)
            if 0 <= x <= width and 0 <= y <= height and rng.random() < 0.6]
    if dots:
        out.append(f'<path d="{"".join(dots)}" fill="{WHITE}" fill-opacity="0.7"/>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_n(width)} {_n(height)}" '
            f'width="{_n(width)}mm" height="{_n(height)}mm">' + "".join(out) + "</svg>")


def _pick(rng: random.Random) -> str:
    roll = rng.random()
    for colour, share in FILLS:
        if roll < share:
            return colour
        roll -= share
    return FILLS[-1][0]


def data_url(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def cover(seed: int) -> str:
    """The front cover: the network rises along the right edge, densest at the lower right corner,
    leaving the left for the company's name, the title and the year."""
    return lattice(*A4, lambda x, y: max(4 * (x - 0.74) + 0.5 * y, 3 * (y - 0.8) + 3 * (x - 0.62)), seed)


def back_cover(seed: int) -> str:
    """The back cover: the network falls from the upper right, leaving the lower half for the contacts."""
    return lattice(*A4, lambda x, y: 1.7 * (0.6 * x - 0.9 * y) + 0.15, seed)


def opener(seed: int) -> str:
    """A chapter opener: a band of the network along the right edge of the page."""
    return lattice(*A4, lambda x, y: 4 * (x - 0.74) + 0.2 * (1 - y), seed)


# --- the icons of a row of values (`::: values icons=(…)`) ------------------------------------------------

# Small generic glyphs of our own, drawn with strokes on a 24-unit grid: decoration beside a value's
# label, never the company's artwork. The web shows them inline (hidden from assistive technology);
# the PDF sets them as backgrounds, so they are artifacts, outside the tagged content.
ICON_PATHS = {
    "globe": "M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18ZM3 12h18M12 3c-3 3-3 15 0 18M12 3c3 3 3 15 0 18"
             "M4.6 7.5h14.8M4.6 16.5h14.8",
    "handshake": "M2 9.5l3.5-3 3.5 1.5h2.5M22 9.5l-3.5-3-4 1-4.5 3.5a1.7 1.7 0 0 0 2.4 2.4l2.6-1.9 4 3.5"
                 "M18.9 15l-2.4 2.4-1.8-1.6M16.6 17.3l-2 2-1.8-1.6M13.2 19.1l-1.2 1.1-5.6-5.2L2 11.5"
                 "M22 11.5l-3.1 3.5",
    "people": "M9 4.5a3 3 0 1 0 0 6a3 3 0 1 0 0-6ZM3 20v-1.5a5 5 0 0 1 5-5h2a5 5 0 0 1 5 5V20"
              "M16 4.8a3 3 0 0 1 0 5.5M18 13.7a5 5 0 0 1 3.5 4.8V20",
    "leaf": "M5 19C5 10 10 5 20 4c0 10-5 15-13 15ZM5 19l8-8M4 21l1-2",
    "shield": "M12 3l8 3v5.5c0 4.6-3.3 8.3-8 9.5-4.7-1.2-8-4.9-8-9.5V6ZM8.5 12l2.5 2.5 4.5-5",
    "star": "M12 3l2.7 5.6 6.1.8-4.4 4.3 1 6.1L12 17l-5.4 2.8 1-6.1-4.4-4.3 6.1-.8Z",
}


def icon_svg(name: str, colour: str) -> str:
    """One icon as an SVG element, stroked in `colour`."""
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="24" height="24" fill="none" '
            f'stroke="{colour}" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round">'
            f'<path d="{ICON_PATHS[name]}"/></svg>')
