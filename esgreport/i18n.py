"""UI strings (目錄 / Contents) from the gettext catalogs in locales/, read with Babel."""

from __future__ import annotations

from functools import lru_cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from .errors import Problem, ReportError

DOMAIN = "messages"
SOURCE_LOCALE = "en"     # UI strings are written in English in the templates (the msgids)


@lru_cache(maxsize=None)
def load_translations(locales_dir: Path, locale: str) -> NullTranslations:
    """Compile the edition's .po in memory, so a translator's edit shows without a separate step.

    Fuzzy entries are left out, as msgfmt does: an unreviewed guess never reaches the reader.
    """
    po = locales_dir / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po.exists():
        if locale == SOURCE_LOCALE:
            return NullTranslations()  # msgids are English
        raise ReportError(Problem(po, None, f"no UI strings for {locale}",
                                  "run `make translations` to create the catalog, then translate it"))
    try:
        with po.open("rb") as fh:
            catalog = read_po(fh, locale=locale, domain=DOMAIN, abort_invalid=True)
    except Exception as exc:  # babel raises PoFileError with the line in its message
        raise ReportError(Problem(po, getattr(exc, "lineno", None), f"catalog cannot be read: {exc}",
                                  "fix the entry, or regenerate it with `make translations`")) from None
    buf = BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    buf.seek(0)
    return Translations(buf, domain=DOMAIN)


@lru_cache(maxsize=None)
def converted_translations(locales_dir: Path, source_locale: str, conversion: tuple) -> NullTranslations:
    """The UI strings of an edition made from another (zh-hans from zh-hant): the source edition's
    catalog, every translation converted the way the edition's text is."""
    from .generate import converter

    po = locales_dir / source_locale / "LC_MESSAGES" / f"{DOMAIN}.po"
    convert = converter(conversion)
    try:
        with po.open("rb") as fh:
            catalog = read_po(fh, locale=source_locale, domain=DOMAIN, abort_invalid=True)
    except Exception as exc:
        raise ReportError(Problem(po, getattr(exc, "lineno", None), f"catalog cannot be read: {exc}",
                                  "fix the entry, or regenerate it with `make translations`")) from None
    for message in catalog:
        if message.id and message.string:
            message.string = tuple(convert(s) for s in message.string) if isinstance(message.string, tuple) \
                else convert(message.string)
    buf = BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    buf.seek(0)
    return Translations(buf, domain=DOMAIN)
