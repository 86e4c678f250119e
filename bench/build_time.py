#!/usr/bin/env python3
"""Measure a full build: wall time per step and edition, peak memory, PDF pages and sizes.

Run: .venv/bin/python bench/build_time.py   (builds into a temporary copy; output/ is not touched)
"""

from __future__ import annotations

import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pypdf import PdfReader  # noqa: E402

from esgreport.errors import Problems  # noqa: E402
from esgreport.pipeline import Project, load, render_edition, write_edition  # noqa: E402


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("content", "templates", "locales"):
            shutil.copytree(ROOT / name, Path(tmp) / name)
        project = Project(Path(tmp))
        t0 = time.perf_counter()
        report = load(project)
        t_load = time.perf_counter() - t0
        print(f"load + validate: {t_load:.2f} s")
        total = t_load
        for code in report.editions:
            t = time.perf_counter()
            rendered = render_edition(report, code, project, Problems())
            t_render = time.perf_counter() - t
            t = time.perf_counter()
            staging = project.root / "bench-out"
            write_edition(rendered, report, project, ("html", "pdf"), staging)
            t_write = time.perf_counter() - t
            total += t_render + t_write
            pdf = next((staging / code).glob("*.pdf"))
            pages = len(PdfReader(pdf).pages)
            print(f"{code}: render {t_render:.2f} s, write (HTML + PDF) {t_write:.2f} s, "
                  f"{pages} pages, {pdf.stat().st_size / 1e6:.2f} MB")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"total {total:.1f} s, peak memory {peak:.0f} MB")


if __name__ == "__main__":
    main()
