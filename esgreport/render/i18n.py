"""UI strings (目錄 / Contents) from the gettext catalogs in locales/, read with Babel."""

from __future__ import annotations

from functools import lru_cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from markupsafe import Markup

from esgreport.editions import UI_SOURCE_LOCALE as SOURCE_LOCALE
from esgreport.errors import Problem, ReportError
from esgreport.prepare.checks import UI_MARKUP, translation_problems

DOMAIN = "messages"


def load_translations(locales_dir: Path, locale: str) -> NullTranslations:
    """Compile the edition's .po in memory, so a translator's edit shows without a separate step.

    Fuzzy entries are left out, as msgfmt does: an unreviewed guess never reaches the reader; so are
    translations that cannot be shown as they are (prepare/checks.py translation_problems, which
    `check` reports): the English shows instead of a traceback.
    """
    po = locales_dir / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po.exists():
        if locale == SOURCE_LOCALE:
            return _NO_TRANSLATIONS  # msgids are English
        raise ReportError(Problem(po, None, f"no UI strings for {locale}",
                                  "run `make translations` to create the catalog, then translate it"))
    return _compiled(po, po.read_bytes(), locale, None)


def converted_translations(locales_dir: Path, source_locale: str, conversion: tuple) -> NullTranslations:
    """The UI strings of an edition made from another (zh-hans from zh-hant): the source edition's
    catalog, every translation converted the way the edition's text is."""
    po = locales_dir / source_locale / "LC_MESSAGES" / f"{DOMAIN}.po"
    return _compiled(po, po.read_bytes(), source_locale, conversion)


_NO_TRANSLATIONS = NullTranslations()


@lru_cache(maxsize=16)
def _compiled(po: Path, text: bytes, locale: str, conversion: tuple | None) -> NullTranslations:
    """A catalog compiled (and converted, for a generated edition). Remembered by its text, so that a
    preview compiles again only a catalog that changed."""
    try:
        catalog = read_po(BytesIO(text), locale=locale, domain=DOMAIN, abort_invalid=True)
    except Exception as exc:  # babel raises PoFileError with the line in its message
        raise ReportError(Problem(po, getattr(exc, "lineno", None), f"catalog cannot be read: {exc}",
                                  "fix the entry, or regenerate it with `make translations`")) from None
    for message, _, _, _ in list(translation_problems(catalog)):
        message.string = "" if isinstance(message.string, str) else ("",) * len(message.string or ())  # `check` names it
    if conversion is not None:
        from esgreport.prepare.generate import converter
        convert = converter(conversion)
        for message in catalog:
            if message.id and message.string:
                message.string = convert(message.string) if isinstance(message.string, str) \
                    else tuple(convert(s) for s in message.string)
    buf = BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    buf.seek(0)
    return Translations(buf, domain=DOMAIN)


def as_text(translated: str, *messages: str) -> Markup:
    """A translation as a page shows it: escaped, as text, but for the markup its English (`messages`,
    the msgids written in the templates) holds, which is the template's own. A translator's `<script>`
    is shown, never run (newstyle gettext would otherwise take every translation for safe markup)."""
    shown = str(Markup.escape(translated))
    for token in {token for message in messages for token in UI_MARKUP.findall(message)}:
        shown = shown.replace(str(Markup.escape(token)), token)
    return Markup(shown)


def escaped_callables(translations: NullTranslations) -> dict:
    """The gettext functions of `translations` for Jinja's i18n extension, each translation as_text."""
    return {
        "gettext": lambda message: as_text(translations.gettext(message), message),
        "ngettext": lambda singular, plural, n: as_text(translations.ngettext(singular, plural, n), singular, plural),
        "pgettext": lambda context, message: as_text(str(translations.pgettext(context, message)), message),
        "npgettext": lambda context, singular, plural, n: as_text(
            str(translations.npgettext(context, singular, plural, n)), singular, plural),
    }
