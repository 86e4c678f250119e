"""The editions the tool knows, as data: everything that differs between languages lives here.

A new edition is a definition in EDITIONS and a gettext catalog under locales/, not a branch in the
code: number scales, money, how a unit stands beside a figure, brackets, quotation marks, the text
rules applied to Markdown, the fonts (the stylesheets and the glyph check read them from here).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True)
class Edition:
    code: str            # content folder and output folder name
    locale: str          # Babel / gettext locale
    html_lang: str       # BCP 47 tag for lang attributes (drives line breaking and hyphenation)
    name: str            # the edition's name in its own language, for the language switcher
    date_format: str     # Babel date pattern for long dates
    script: str                            # ISO 15924: Hant, Hans, Latn (what `check` holds the text to)
    fonts: tuple[str, ...]                 # font families, first choice first (CSS, SVG, glyph check)
    scales: Mapping[str, str]              # scale → its word after the number: 萬, 億 / " million"
    money: str                             # an amount of renminbi: "{amount}元" / "RMB{amount}"
    # How a unit label stands beside a figure. "attached": always after, no space (2,440人, 30%);
    # "as_unit": where the unit says (units.yaml `prefix`, `space`): RMB12,029, 2,440 persons, 30%.
    unit_style: str
    scale_joins_unit: bool                 # the scale word is part of the unit (1,100萬元), not the number
    parens: tuple[str, str]                # brackets around a figure in running text
    quotes: str                            # double then single quotation marks
    text_rules: tuple[str, ...] = ()       # Markdown text rules (esgreport/typography/cjk.py; markup/markdown.py TEXT_RULES, TOKEN_RULES)
    sentence_gap: str = " "                # between generated sentences
    # Where the Chinese full stop and comma stand in the em box: "centered" (Hong Kong, Taiwan) or
    # "left" (Mainland). Set for a Chinese edition, it turns on adjacent punctuation compression and the
    # gap between Han and Western text (typography/cjk.py punctuation_and_spacing); "" for none.
    stops: str = ""
    # Note markers, the n-th for note n: circled numbers in Chinese (①), "(1)" where empty.
    note_marks: str = ""
    # A period of dates ({{ period() }}) and the report's place in the company's series ({{ ordinal() }}):
    # `{hanzi}` is the number in Chinese numerals (第二份), `{english}` the English ordinal word (second).
    period: str = "{start} to {end}"
    ordinal: str = "{english}"
    source: str | None = None              # edition whose content is converted (zh-hans from zh-hant)
    opencc: str | None = None              # OpenCC conversion config for generated editions

    @property
    def content_edition(self) -> str:
        """The key of this edition's text in the report. A generated edition's text is made in
        prepare.py (generate.py), so every edition reads its own."""
        return self.code

    @property
    def font_stack(self) -> str:
        return ", ".join(f'"{f}"' for f in self.fonts) + ", sans-serif"

    def scale_word(self, scale: str) -> str:
        return self.scales.get(scale, "")

    def paren(self, text: str) -> str:
        return f"{self.parens[0]}{text}{self.parens[1]}"

    def note_mark(self, number: int) -> str:
        """The marker of note `number`: ① in Chinese, (1) in English."""
        if 1 <= number <= len(self.note_marks):
            return self.note_marks[number - 1]
        return f"({number})"


_CHINESE_TEXT_RULES = ("cjk_latin_spacing", "full_width_punctuation", "keep_last_characters")
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

EDITIONS: dict[str, Edition] = {
    "zh-hant": Edition(
        "zh-hant", "zh_Hant_HK", "zh-Hant-HK", "繁體中文", "y年M月d日", script="Hant",
        fonts=("Noto Sans CJK TC", "Noto Sans"),
        scales=MappingProxyType({"wan": "萬", "yi": "億"}),
        money="{amount}元", unit_style="attached", scale_joins_unit=True,
        parens=("（", "）"), quotes="「」『』", text_rules=_CHINESE_TEXT_RULES, sentence_gap="",
        stops="centered", note_marks=_CIRCLED, period="{start}至{end}", ordinal="第{hanzi}份"),
    "en": Edition(
        "en", "en", "en", "English", "d MMMM y", script="Latn",
        fonts=("Noto Sans", "Noto Sans CJK TC"),
        scales=MappingProxyType({"thousand": " thousand", "million": " million", "billion": " billion"}),
        money="RMB{amount}", unit_style="as_unit", scale_joins_unit=False,
        parens=(" (", ")"), quotes="\u201c\u201d\u2018\u2019"),
    "zh-hans": Edition(
        "zh-hans", "zh_Hans_CN", "zh-Hans", "简体中文", "y年M月d日", script="Hans",
        fonts=("Noto Sans CJK SC", "Noto Sans"),
        scales=MappingProxyType({"wan": "万", "yi": "亿"}),
        money="{amount}元", unit_style="attached", scale_joins_unit=True,
        parens=("（", "）"), quotes="“”‘’", text_rules=_CHINESE_TEXT_RULES, sentence_gap="",
        stops="left", note_marks=_CIRCLED, period="{start}至{end}", ordinal="第{hanzi}份", source="zh-hant", opencc="hk2s"),
}

# Every scale a figure may be given in, across editions, and its factor.
SCALE_FACTORS = {"wan": 10 ** 4, "yi": 10 ** 8, "thousand": 10 ** 3, "million": 10 ** 6, "billion": 10 ** 9}

# UI strings are written in English in the templates (the msgids of the catalogs in locales/).
UI_SOURCE_LOCALE = "en"
