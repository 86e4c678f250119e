"""Which characters the report's fonts can draw: a PDF with missing glyphs never ships."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from functools import cache

from fontTools.ttLib import TTFont


class FontsMissing(Exception):
    pass


@cache
def font_file(family: str) -> tuple[str, int]:
    if not shutil.which("fc-match"):
        raise FontsMissing("fontconfig (fc-match) is not installed")
    out = subprocess.run(["fc-match", "-f", "%{family}|%{file}|%{index}", family],
                         capture_output=True, text=True, check=False).stdout
    families, path, index = (out.split("|") + ["", "", "0"])[:3]
    if family.lower() not in families.lower():
        raise FontsMissing(f"the font {family!r} is not installed (fontconfig offers {families!r})")
    return path, int(index or 0)


@cache
def covered_codepoints(families: tuple[str, ...]) -> frozenset[int]:
    points: set[int] = set()
    for family in families:
        path, index = font_file(family)
        font = TTFont(path, fontNumber=index, lazy=True)
        points.update(font.getBestCmap().keys())
        font.close()
    return frozenset(points)


def uncovered(text: str, families: tuple[str, ...]) -> list[str]:
    """Characters of `text` the fonts `families` cannot draw (white space and controls aside)."""
    cover = covered_codepoints(families)
    missing = {
        ch for ch in set(text)
        if ord(ch) not in cover and not ch.isspace() and unicodedata.category(ch)[0] != "C"
    }
    return sorted(missing)
