#!/usr/bin/env python3
"""Measure a full build: wall time per step and edition, peak memory, PDF pages and sizes.

Run: .venv/bin/python bench/build_time.py [YEAR]   (builds into a temporary copy; output/ is not touched)
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

from esgreport.checks import run_checks  # noqa: E402
from esgreport.errors import Problems  # noqa: E402
from esgreport.prepare import prepare  # noqa: E402
from esgreport.project import Project  # noqa: E402
from esgreport.render import render_edition  # noqa: E402
from esgreport.writers import WRITERS  # noqa: E402


def main(year: int | None = None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("content", "templates", "locales"):
            shutil.copytree(ROOT / name, Path(tmp) / name)
        project = Project(Path(tmp))
        problems = Problems()
        t0 = time.perf_counter()
        report = prepare(project.content, year, problems)
        t_prepare = time.perf_counter() - t0
        t0 = time.perf_counter()
        run_checks(report, project.locales, problems)
        t_checks = time.perf_counter() - t0
        print(f"{report.year}: prepare {t_prepare:.2f} s, checks {t_checks:.2f} s")
        total = t_prepare + t_checks
        for code in report.editions:
            t = time.perf_counter()
            rendered = render_edition(report, code, project.templates, project.locales, problems)
            t_render = time.perf_counter() - t
            folder = project.root / "bench-out" / code
            folder.mkdir(parents=True)
            times = {}
            for name, writer in WRITERS.items():
                t = time.perf_counter()
                writer.verify(rendered, report, problems)
                writer.write(rendered, folder, project)
                times[name] = time.perf_counter() - t
            total += t_render + sum(times.values())
            pdf = next(folder.glob("*.pdf"))
            pages = len(PdfReader(pdf).pages)
            written = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in times.items())
            print(f"{code}: render {t_render:.2f} s, write: {written}; {pages} pages, "
                  f"{pdf.stat().st_size / 1e6:.2f} MB")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"total {total:.1f} s, peak memory {peak:.0f} MB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else None)
