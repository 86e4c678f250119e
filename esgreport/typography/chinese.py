"""Traditional and Simplified Chinese, through OpenCC.

- `Converter`: an OpenCC configuration (phrase by phrase, not character by character; hk2s for the
  Simplified edition made from the Hong Kong Traditional one), followed by the edition's terminology
  table where OpenCC's result is not the word a mainland reader expects (持份者 → 利益相关方).
- `simplified_in`: the Simplified characters in a line of Traditional text, with their Traditional
  forms, so that `check` can name them. A character counts when it is Simplified only (OpenCC's
  STCharacters without the characters both scripts share and Hong Kong variants, kept in
  simplified.txt; `python -m esgreport.chinese` makes it again) and every Traditional standard
  (s2t, s2tw, s2hk, phrase by phrase) writes it differently in its place: 若干 and 平台 stay, 员 does not.
- `character_folds`: each Traditional character (Hong Kong and Taiwan variants too) → its Simplified
  form, one character for one, so that search can match either script in place (folds.txt, made
  from OpenCC's HKVariantsRev, TWVariantsRev and TSCharacters the same way).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from collections.abc import Sequence
from functools import cache, lru_cache
from pathlib import Path

LIST = Path(__file__).with_name("simplified.txt")
FOLDS = Path(__file__).with_name("folds.txt")


class Converter:
    def __init__(self, config: str, terms: Sequence[tuple[str, str]] = ()):
        import opencc
        self.opencc = opencc.OpenCC(config)
        # Longest first, so that a term inside a longer one does not win.
        self.terms = sorted(terms, key=lambda t: -len(t[0]))

    def __call__(self, text: str) -> str:
        text = self.opencc.convert(text)
        for before, after in self.terms:
            text = text.replace(before, after)
        return text


@cache
def simplified_characters() -> dict[str, str]:
    """Simplified-only character → its Traditional form(s)."""
    out = {}
    for line in LIST.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            simplified, forms = line.split("\t", 1)
            out[simplified] = forms
    return out


@cache
def character_folds() -> dict[str, str]:
    """Traditional character → its Simplified form (the first OpenCC gives), each a single character
    of the Basic Multilingual Plane, so that a text folded character by character keeps its positions."""
    return dict(line.split("\t") for line in FOLDS.read_text(encoding="utf-8").splitlines()
                if line and not line.startswith("#"))


@cache
def _to_traditional() -> tuple:
    import opencc
    return tuple(opencc.OpenCC(config) for config in ("s2hk", "s2t", "s2tw"))


@lru_cache(maxsize=1 << 16)
def simplified_in(line: str) -> tuple[tuple[str, str], ...]:
    """(character, its Traditional form) for each Simplified character of a line of Traditional text.
    Remembered by line: a preview reads again only the lines that changed."""
    simplified = simplified_characters()
    if simplified.keys().isdisjoint(line):
        return ()
    converted = [c.convert(line) for c in _to_traditional()]
    if any(len(text) != len(line) for text in converted):
        return tuple((ch, simplified[ch]) for ch in line if ch in simplified)
    return tuple((ch, converted[0][i]) for i, ch in enumerate(line)
                 if ch in simplified and all(text[i] != ch for text in converted))


def _dictionary(name: str) -> dict[str, list[str]]:
    import opencc
    clib = Path(opencc.__file__).parent / "clib"
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([str(clib / "bin" / "opencc_dict"), "-i", str(clib / "share" / "opencc" / f"{name}.ocd2"),
                        "-o", f"{tmp}/d.txt", "-f", "ocd2", "-t", "text"], check=True)
        lines = Path(f"{tmp}/d.txt").read_text(encoding="utf-8").splitlines()
    return {key: values.split() for key, values in (line.split("\t", 1) for line in lines if "\t" in line)}


def generate() -> str:
    """simplified.txt from OpenCC's dictionaries."""
    hk_variants = {v for values in _dictionary("HKVariants").values() for v in values}
    rows = [f"{s}\t{' '.join(forms)}" for s, forms in sorted(_dictionary("STCharacters").items())
            if len(s) == 1 and s not in forms and s not in hk_variants]
    return ("# Simplified-only characters and their Traditional forms, from OpenCC's STCharacters without\n"
            "# the characters both scripts share and Hong Kong variants (python -m esgreport.chinese)\n"
            + "\n".join(rows) + "\n")


def generate_folds() -> str:
    """folds.txt from OpenCC's dictionaries: a variant first to its standard form, then to Simplified."""
    variants = {**_dictionary("TWVariantsRev"), **_dictionary("HKVariantsRev")}
    simplified = _dictionary("TSCharacters")
    rows = []
    for ch in sorted({*variants, *simplified}):
        standard = variants.get(ch, [ch])[0]
        folded = simplified.get(standard, simplified.get(ch, [standard]))[0]
        if folded != ch and all(len(c) == 1 and ord(c) <= 0xFFFF for c in (ch, folded)):
            rows.append(f"{ch}\t{folded}")
    return ("# Traditional characters (and Hong Kong and Taiwan variants) and their Simplified forms, one for\n"
            "# one, from OpenCC's HKVariantsRev, TWVariantsRev and TSCharacters (python -m esgreport.typography.chinese)\n"
            + "\n".join(rows) + "\n")


if __name__ == "__main__":
    LIST.write_text(generate(), encoding="utf-8")
    print(f"wrote {len(simplified_characters.__wrapped__())} characters to {LIST}", file=sys.stderr)
    FOLDS.write_text(generate_folds(), encoding="utf-8")
    print(f"wrote {len(character_folds.__wrapped__())} folds to {FOLDS}", file=sys.stderr)
