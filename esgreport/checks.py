"""`check`: everything a build verifies, without writing output."""

from __future__ import annotations

from .errors import Problems
from .fonts import FontsMissing


def run_checks(project, year=None, editions=None) -> int:
    from .pipeline import check_fonts, load, render_edition

    report = load(project, year)
    problems = Problems()
    for code in editions or report.editions:
        rendered = render_edition(report, code, project, problems)
        try:
            check_fonts(rendered, report, problems)
        except FontsMissing:
            pass
    problems.raise_if_any()
    return sum(len(s.sources) for s in report.sections())
