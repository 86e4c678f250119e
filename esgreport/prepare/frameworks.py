"""Disclosure frameworks (HKEX ESG guide, GRI): loaded for the report, and each section's tags checked."""


from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from esgreport.errors import Problems
from esgreport.model.inputs import Framework, Manifest, ReportDisclosures, validate
from esgreport.model.load import YamlDoc, read_yaml
from esgreport.model.report import Report

REQUIRED_LEVELS = {"mandatory", "comply_or_explain"}


def load_frameworks(content_root: Path, report_folder: Path, manifest: Manifest, manifest_doc: YamlDoc,
                    problems: Problems) -> tuple[dict[str, Framework], ReportDisclosures]:
    frameworks: dict[str, Framework] = {}
    folder = content_root / "frameworks"
    for family, fid in manifest.frameworks.items():
        path = folder / f"{fid}.yaml"
        if not path.exists():
            problems.add(manifest_doc.path, manifest_doc.line_of(("frameworks", family)),
                         f"framework `{fid}` not found ({path.name})",
                         f"use one of: {', '.join(sorted(p.stem for p in folder.glob('*.yaml')))}")
            continue
        fw = validate(Framework, read_yaml(path, content_root), problems)
        if fw is not None:
            frameworks[family] = fw
    path = report_folder / "disclosures.yaml"
    disclosures = ReportDisclosures()
    if path.exists():
        disclosures = validate(ReportDisclosures, read_yaml(path, content_root), problems) or disclosures
    return frameworks, disclosures


def answered_codes(frameworks: Mapping[str, Framework], answer: str) -> dict[str, list[str]]:
    """Codes, by family, that the framework data says the report answers itself (`answered_by:`)."""
    return {family: [code for code, item in fw.codes().items() if (item.model_extra or {}).get("answered_by") == answer]
            for family, fw in frameworks.items()}


def check_tags(report: Report, problems: Problems) -> None:
    """Unknown codes fail; a required HKEX item neither disclosed nor explained fails (comply or explain)."""
    frameworks, disclosures = report.frameworks, report.disclosures
    doc = report.manifest_doc
    tagged: dict[str, set[str]] = {family: set() for family in frameworks}
    for section in report.sections():
        for family in ("hkex", "gri"):
            codes = getattr(section, family)
            fw = frameworks.get(family)
            if fw is None:
                continue
            known = fw.codes()
            for code in codes:
                if code not in known:
                    near = [c for c in known if c.replace(" ", "").lower() == code.replace(" ", "").lower()]
                    problems.add(doc.path, section.manifest_line,
                                 f"section `{section.id}` tags unknown {family.upper()} code `{code}`",
                                 f"did you mean `{near[0]}`?" if near else
                                 f"use a code of frameworks/{fw.id}.yaml (e.g. {', '.join(list(known)[:4])})")
                tagged[family].add(code)
    hkex = frameworks.get("hkex")
    if hkex is not None:
        explained = set((disclosures.hkex or {}).get("not_applicable", {}) or {}) | \
            set((disclosures.hkex or {}).get("explained", {}) or {})
        for code in explained - set(hkex.codes()):
            problems.add(report.folder / "disclosures.yaml", None,
                         f"explanation for unknown HKEX code `{code}`", "correct the code")
        for code, item in hkex.codes().items():
            if item.level in REQUIRED_LEVELS and code not in tagged["hkex"] and code not in explained:
                problems.add(doc.path, None,
                             f"HKEX {code} ({(item.title or item.requirement or {}).get('en', '')[:60]}) "
                             "is neither disclosed nor explained",
                             f"tag the section that discloses it with `disclose: {{hkex: [{code}]}}` in "
                             f"report.yaml, or explain why it does not apply under hkex.not_applicable "
                             f"in disclosures.yaml")
