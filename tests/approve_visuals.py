#!/usr/bin/env python3
"""Build the published 2023 report and store the selected pages as the approved look (`make approve-visuals`)."""

import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from conftest import PUBLISHED_YEAR, edition_folder, pdf_path, published_content  # noqa: E402
from visual_pages import APPROVED, render_selection  # noqa: E402

from esgreport.pipeline import build  # noqa: E402

with tempfile.TemporaryDirectory() as tmp:
    project = published_content(Path(tmp))
    build(project, year=PUBLISHED_YEAR, formats=("pdf",))
    shutil.rmtree(APPROVED, ignore_errors=True)
    for code in ("zh-hant", "en"):
        pdf = pdf_path(edition_folder(project, code, PUBLISHED_YEAR))
        for path in render_selection(pdf, code, APPROVED).values():
            print(f"approved {path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}")
