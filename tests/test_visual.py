"""Selected pages of each edition look as approved (within a tolerance)."""

from __future__ import annotations

import pytest
from visual_pages import ACTUAL, APPROVED, MAX_CHANGED_SHARE, PAGES, changed_share, render_selection


@pytest.mark.parametrize("code", ["zh-hant", "en"])
def test_pages_look_as_approved(published_pdf, code):
    actual = render_selection(published_pdf.pdf(code), code, ACTUAL)
    differences = []
    for name in PAGES:
        approved = APPROVED / f"{code}-{name}.png"
        assert approved.exists(), f"no approved image {approved.name}: run `make approve-visuals`"
        share = changed_share(approved, actual[name])
        if share > MAX_CHANGED_SHARE:
            differences.append(f"{name}: {share:.2%} of pixels changed (see {actual[name]})")
    assert not differences, ("pages differ from the approved images; if the change is deliberate, run "
                             "`make approve-visuals`:\n" + "\n".join(differences))
