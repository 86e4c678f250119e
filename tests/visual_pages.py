"""Visual regression: a fixed set of pages of each edition, rendered to PNG and compared with approved
images. After a deliberate design change, approve the new look with `make approve-visuals`."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from PIL import Image, ImageChops

APPROVED = Path(__file__).parent / "visual" / "approved"
ACTUAL = Path(__file__).parent / "visual" / "actual"
DPI = 40
# A changed pixel differs by more than this in some channel; a page passes while under 0.5% change.
PIXEL_THRESHOLD = 40
MAX_CHANGED_SHARE = 0.005

# Pages chosen by what is on them, not by number, so that content edits elsewhere do not move them.
PAGES = {
    "cover": lambda pages, code: 1,
    "contents": lambda pages, code: 2,
    "key-performance": lambda pages, code: _first(pages, {"zh-hant": "社會績效", "en": "Social Performance"}[code]),
    "opener-governance": lambda pages, code: _first(pages, {"zh-hant": "02管治：穩健經營", "en": "02Governance:"}[code]),
    "case-box": lambda pages, code: _first(pages, {"zh-hant": "案例信息安全應急演練", "en": "CaseInformation Security Emergency"}[code]),
    # (a table's title followed by its first column headings: the section's title is followed by its
    # disclosure codes, and the chapter's opener lists it too)
    "kpi-environmental": lambda pages, code: _first(pages, {"zh-hant": "環境績效關鍵績效指標單位",
                                                             "en": "Environmental PerformanceIndicatorUnit"}[code]),
    # (a section's title followed by its first words)
    "hkex-index": lambda pages, code: _first(pages, {"zh-hant": "5.2聯交所ESG報告指引指標索引表下表",
                                                      "en": "5.2HKEX ESG Reporting Guide Content IndexThe table"}[code]),
    "back-page": lambda pages, code: len(pages),
}


def _first(pages: list[str], needle: str) -> int:
    """The first page after the contents that holds `needle`."""
    key = re.sub(r"\s+", "", needle)
    contents = max(n for n, text in enumerate(pages, 1) if re.search(r"目錄|Contents", text[:200]))
    for number, text in enumerate(pages[contents:], contents + 1):
        if key in re.sub(r"\s+", "", text):
            return number
    raise LookupError(f"no page holds {needle!r}")


def page_texts(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    pages = out.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def render_page(pdf: Path, number: int, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    stem = target.with_suffix("")
    subprocess.run(["pdftoppm", "-r", str(DPI), "-png", "-singlefile", "-f", str(number), "-l", str(number),
                    str(pdf), str(stem)], check=True)
    return target


def render_selection(pdf: Path, code: str, folder: Path) -> dict[str, Path]:
    pages = page_texts(pdf)
    return {name: render_page(pdf, pick(pages, code), folder / f"{code}-{name}.png")
            for name, pick in PAGES.items()}


def changed_share(a: Path, b: Path) -> float:
    one, two = Image.open(a).convert("RGB"), Image.open(b).convert("RGB")
    if one.size != two.size:
        return 1.0
    diff = ImageChops.difference(one, two).convert("L").point(lambda v: 255 if v > PIXEL_THRESHOLD else 0)
    return sum(diff.histogram()[1:]) / (one.size[0] * one.size[1])
