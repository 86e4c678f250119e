"""UI strings: every string the templates and code use is in the catalogs, and translated."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "locales"


def test_catalog_template_is_up_to_date(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", str(ROOT / "babel.cfg"),
                    "-k", "_", "-k", "gettext", "--ignore-dirs=.* output tests", "-o", str(pot), str(ROOT)],
                   check=True, capture_output=True, cwd=ROOT)
    fresh = {(m.context, m.id) for m in read_po(pot.open("rb")) if m.id}
    committed = {(m.context, m.id) for m in read_po((LOCALES / "messages.pot").open("rb")) if m.id}
    assert fresh == committed, "run `make translations`: the catalogs are out of date"


def test_every_ui_string_is_translated():
    for po in sorted(LOCALES.glob("*/LC_MESSAGES/messages.po")):
        catalog = read_po(po.open("rb"))
        missing = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
        assert not missing, f"{po.relative_to(ROOT)}: untranslated or fuzzy: {missing}"


def test_chinese_catalog_translates_the_headings():
    catalog = read_po((LOCALES / "zh_Hant_HK" / "LC_MESSAGES" / "messages.po").open("rb"))
    assert catalog.get("Contents").string == "目錄"
    assert catalog.get("Unit").string == "單位"
