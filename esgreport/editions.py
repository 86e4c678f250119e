"""The editions the tool knows: language code, Babel locale, HTML lang, and where each comes from."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Edition:
    code: str            # content folder and output folder name
    locale: str          # Babel / gettext locale
    html_lang: str       # BCP 47 tag for lang attributes (drives line breaking and hyphenation)
    name: str            # the edition's name in its own language, for the language switcher
    date_format: str     # Babel date pattern for long dates
    source: str | None = None   # edition whose content is converted (zh-hans from zh-hant)
    opencc: str | None = None   # OpenCC conversion config for generated editions


EDITIONS: dict[str, Edition] = {
    "zh-hant": Edition("zh-hant", "zh_Hant_HK", "zh-Hant-HK", "繁體中文", "y年M月d日"),
    "en": Edition("en", "en", "en", "English", "d MMMM y"),
    "zh-hans": Edition("zh-hans", "zh_Hans_CN", "zh-Hans-CN", "简体中文", "y年M月d日",
                       source="zh-hant", opencc="hk2s"),
}
