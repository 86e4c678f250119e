"""Disclosure frameworks (HKEX ESG guide, GRI): loaded for the report, and each section's tags checked."""


from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from esgreport.errors import Problems, did_you_mean
from esgreport.model.inputs import Framework, IndexAnswers, Manifest, ReportDisclosures, validate
from esgreport.model.load import YamlDoc, read_yaml
from esgreport.model.report import Report
from esgreport.prepare.gaps import assess, check_issuer, check_reliefs


def load_frameworks(content_root: Path, report_folder: Path, manifest: Manifest, manifest_doc: YamlDoc,
                    problems: Problems) -> tuple[dict[str, Framework], ReportDisclosures | None]:
    """The frameworks the manifest names, by family, and the report's disclosures.yaml (None when it
    does not validate or names unknown codes: its mistakes are reported, and what it explains is not
    known)."""
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
        if fw is not None and fw.family != family:
            problems.add(manifest_doc.path, manifest_doc.line_of(("frameworks", family)),
                         f"`{fid}` is a {fw.family.upper()} framework, named here for {family.upper()}",
                         f"name a {family.upper()} framework under `{family}:`")
        elif fw is not None:
            frameworks[family] = fw
            _in_force(fw, folder, content_root, manifest, manifest_doc, problems)
    path = report_folder / "disclosures.yaml"
    if not path.exists():
        return frameworks, ReportDisclosures()
    doc = read_yaml(path, content_root)
    disclosures = validate(ReportDisclosures, doc, problems)
    if disclosures is None or not _answers_known(disclosures, doc, manifest, frameworks, problems):
        return frameworks, None
    return frameworks, disclosures


def _in_force(fw: Framework, folder: Path, content_root: Path, manifest: Manifest, manifest_doc: YamlDoc,
              problems: Problems) -> None:
    """The version named applies to the report's financial year (by the day it commences), where the
    version says which years it applies to."""
    commencing = manifest.period.start
    if fw.in_force is None or fw.in_force.covers(commencing):
        return
    others = []
    for path in sorted(folder.glob("*.yaml")):
        if path.stem == fw.id:
            continue
        other = validate(Framework, read_yaml(path, content_root), Problems())
        if other is not None and other.family == fw.family and other.in_force and other.in_force.covers(commencing):
            others.append(other.id)
    span = (f"financial years commencing from {fw.in_force.start.isoformat()}"
            + (f" and before {fw.in_force.before.isoformat()}" if fw.in_force.before else ""))
    problems.add(manifest_doc.path, manifest_doc.line_of(("frameworks", fw.family)),
                 f"`{fw.id}` applies to {span}; this report's year commences on {commencing.isoformat()}",
                 f"name {' or '.join(f'`{o}`' for o in others)} under `frameworks:`" if others else
                 f"name the {fw.family.upper()} version in force for {manifest.year} under `frameworks:`, or add it "
                 "to content/frameworks/")


def _answers_known(disclosures: ReportDisclosures, doc: YamlDoc, manifest: Manifest,
                   frameworks: Mapping[str, Framework], problems: Problems) -> bool:
    """Whether every code disclosures.yaml answers for is one of its framework's (another would be left
    out of the index unseen); each other one is a problem."""
    known = True
    for family in (f for f in ReportDisclosures.model_fields if f in disclosures.model_fields_set):
        if family not in manifest.frameworks:
            problems.add(doc.path, doc.line_of((family,)), f"the report has no {family.upper()} framework",
                         f"name one under `frameworks:` in report.yaml, or remove `{family}:` here")
            continue
        fw = frameworks.get(family)
        if fw is None:
            continue                 # not found or not valid: reported where it is named
        answers: IndexAnswers = getattr(disclosures, family)
        for kind in IndexAnswers.model_fields:
            for code in getattr(answers, kind):
                if code not in fw.codes():
                    known = False
                    problems.add(doc.path, doc.line_of((family, kind, code)),
                                 f"unknown {family.upper()} code `{code}`",
                                 did_you_mean(code, fw.codes(), f"use a code of frameworks/{fw.id}.yaml"))
    gri = frameworks.get("gri")
    kind = disclosures.gri.statement_of_use
    if gri is not None and getattr(gri.statement_of_use, kind, None) is None:
        problems.add(doc.path, doc.line_of(("gri", "statement_of_use")),
                     f"frameworks/{gri.id}.yaml has no statement of use `{kind}`",
                     "add its text under `statement_of_use:` there, or choose another here")
    return known


def answered_codes(frameworks: Mapping[str, Framework], answer: str) -> dict[str, list[str]]:
    """Codes, by family, that the framework data says the report answers itself (`answered_by:`)."""
    return {family: [code for code, item in fw.codes().items() if item.answered_by == answer]
            for family, fw in frameworks.items()}


def check_tags(report: Report, problems: Problems, explanations_known: bool = True) -> None:
    """Unknown codes fail; a required HKEX item neither disclosed nor explained fails (comply or explain).
    Without `explanations_known` (disclosures.yaml did not validate, and that is reported) the second
    check is left out, so that one mistake there is not also every item it explains."""
    frameworks = report.frameworks
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
        check_issuer(report, hkex, problems)
    if hkex is not None and explanations_known:
        check_reliefs(report, hkex, problems)
        # What an item requires may depend on the issuer and the year (gaps.py).
        for gap in assess(report, hkex).missing():
            code, item = gap.item.code, gap.item
            if code not in tagged["hkex"]:
                problems.add(doc.path, None,
                             f"HKEX {code} ({(item.title or item.requirement or {}).get('en', '')[:60]}) "
                             "is neither disclosed nor explained",
                             f"tag the section that discloses it with `disclose: {{hkex: [{code}]}}` in "
                             f"report.yaml, or explain why it does not apply under hkex.not_applicable "
                             f"in disclosures.yaml")
