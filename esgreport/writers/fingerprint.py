"""What a build's output depends on, as hashes: nothing unchanged is built again.

- `inputs_key`: every file that can reach a year's output (its content, the earlier reports' data,
  the shared content, templates, catalogs, the code), the versions of the packages that draw it and
  the font files, with the build's options. When it equals the last build's, the build has nothing to
  do. Computing it reads files and nothing else (no WeasyPrint, no rendering): a no-op build is fast.
- `BuildState`: what each edition's files were last built from, per writer (`Writer.key`), kept beside
  the year's output; a writer whose key is unchanged keeps its files and is not run.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata
from pathlib import Path

# The packages whose versions change what the build writes.
PACKAGES = ("esgreport", "jinja2", "markupsafe", "weasyprint", "pydyf", "tinycss2", "cssselect2", "babel",
            "markdown-it-py", "mdit-py-plugins", "pyyaml", "pydantic", "fonttools", "nh3", "opencc", "pillow")
STATE_FILE = ".build-state.json"


def digest(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


def files_digest(files: list[Path], root: Path) -> str:
    """The names (relative to `root`) and contents of `files`."""
    h = hashlib.sha256()
    for path in sorted(files):
        try:
            data = path.read_bytes()
        except OSError:
            continue
        h.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
        h.update(hashlib.sha256(data).digest())
    return h.hexdigest()


def tree(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.is_dir() else []


@cache
def package_versions() -> str:
    found = []
    for name in PACKAGES:
        try:
            found.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name}=-")
    return ";".join(found)


@cache
def fonts_key(families: tuple[str, ...]) -> str:
    """The font files fontconfig gives for the report's families (name, size, time)."""
    if not shutil.which("fc-match"):
        return "no fontconfig"
    out = []
    for family in families:
        path = subprocess.run(["fc-match", "-f", "%{file}", family], capture_output=True, text=True).stdout
        try:
            stat = os.stat(path)
            out.append(f"{family}:{path}:{stat.st_size}:{int(stat.st_mtime)}")
        except OSError:
            out.append(f"{family}:-")
    return ";".join(out)


def inputs_key(root: Path, content: Path, year: int, options: str, sections: bool = True) -> str:
    """Everything that can reach the output of `year`: see the module's description. Without
    `sections`: everything but the section files, what a section's rendering depends on besides its
    own text (render.py keeps rendered sections by it, in a preview)."""
    files = [p for p in tree(content / str(year)) if sections or p.suffix != ".md"]
    for folder in content.iterdir() if content.is_dir() else []:
        if folder.is_dir() and folder.name.isdigit() and int(folder.name) < year:
            files += tree(folder / "data")
        elif folder.is_file() or folder.name in ("frameworks", "factors"):
            files += [folder] if folder.is_file() else tree(folder)
    for name in ("templates", "locales"):
        files += [p for p in tree(root / name) if p.suffix != ".mo"]
    code = Path(__file__).resolve().parents[1]     # the esgreport package, every stage
    from esgreport.editions import EDITIONS
    families = tuple(sorted({f for ed in EDITIONS.values() for f in ed.fonts}))
    return digest(files_digest([p for p in files if p.resolve().is_relative_to(root.resolve())], root),
                  files_digest(sorted(code.rglob("*.py")), code), package_versions(), fonts_key(families), options)


@dataclass
class BuildState:
    """What each edition's files were last built from: per writer, its key (Writer.key) and the inputs
    of the build that wrote or kept them (inputs_key)."""

    editions: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)   # edition → writer → {key, inputs}
    report_editions: list[str] = field(default_factory=list)                     # all the report's editions

    @classmethod
    def read(cls, folder: Path) -> "BuildState":
        try:
            data = json.loads((folder / STATE_FILE).read_text(encoding="utf-8"))
            editions = {str(code): {str(w): {"key": str(v["key"]), "inputs": str(v["inputs"])} for w, v in formats.items()}
                        for code, formats in data.get("editions", {}).items()}
            return cls(editions, [str(e) for e in data.get("report_editions", [])])
        except (OSError, ValueError, AttributeError, TypeError, KeyError):
            return cls()

    def write(self, folder: Path) -> None:
        tmp = folder / f"{STATE_FILE}.tmp"
        tmp.write_text(json.dumps({"editions": self.editions, "report_editions": self.report_editions},
                                  indent=1, sort_keys=True), encoding="utf-8")
        os.replace(tmp, folder / STATE_FILE)

    def key(self, code: str, writer: str) -> str | None:
        return self.editions.get(code, {}).get(writer, {}).get("key")

    def built_from(self, code: str, writer: str) -> str | None:
        return self.editions.get(code, {}).get(writer, {}).get("inputs")

    def up_to_date(self, inputs: str, codes: list[str], formats: list[str], folder: Path) -> bool:
        return bool(inputs) and all((folder / code).is_dir() and all(self.built_from(code, f) == inputs for f in formats)
                                    for code in codes)
