"""`new-year`'s climate step: for a year in which the HKEX code's Part D (climate-related disclosures)
applies, the new report follows that code and gets a climate chapter to write.

- The manifest's HKEX framework moves on to the one in force in the new year (following
  `superseded_by:` to a framework whose `effective:` year has come); tags of items the new framework
  does not have are dropped (Aspect A4, replaced by Part D), and named in what `new-year` prints.
- A chapter "Climate-related Disclosures" is added before the appendix, its four sections
  (governance, strategy, risk management, metrics and targets) in every edition written by hand, each
  as a draft whose text is a marked placeholder ("[To be written]") saying what the section answers;
  each section is tagged with the Part D items it answers.
- The metrics and targets section shows the inventory's table and chart (data/climate.yaml): Scope 1,
  Scope 2 location- and market-based and Scope 3, in the metrics the inventory publishes them in,
  defined there where the data does not define them yet (empty for the new year: the inventory fills
  them in); and each target's progress where the inventory has targets.
- Without an inventory, a skeleton inventory.yaml is added to be filled in.

Files are edited as text at the places the YAML parser names, as new_year.py does.
"""

from __future__ import annotations

from pathlib import Path

import yaml

SECTIONS = (
    ("climate-governance", {"zh-hant": "氣候管治", "en": "Climate Governance"}, ("D.19",),
     {"zh-hant": "董事會及管理層如何監督、監察及管理氣候相關風險及機遇。",
      "en": "how the board and management oversee, monitor and manage climate-related risks and opportunities."}),
    ("climate-strategy", {"zh-hant": "氣候策略", "en": "Climate Strategy"}, ("D.20", "D.21", "D.22", "D.23", "D.24"),
     {"zh-hant": "氣候相關風險及機遇、其對業務模式、價值鏈、策略及財務的影響，以及氣候韌性。",
      "en": "climate-related risks and opportunities, their effects on the business model, value chain, strategy "
            "and finances, and climate resilience."}),
    ("climate-risk-management", {"zh-hant": "氣候風險管理", "en": "Climate Risk Management"}, ("D.25",),
     {"zh-hant": "識別、評估及管理氣候相關風險的流程，及其如何融入整體風險管理。",
      "en": "how climate-related risks are identified, assessed and managed, and how that fits into overall "
            "risk management."}),
    ("climate-metrics-targets", {"zh-hant": "指標及目標", "en": "Metrics and Targets"},
     ("D.26(a)", "D.26(b)", "D.26(c)", "D.26(d)", "D.27", "D.28", "D.29"),
     {"zh-hant": "按範圍劃分的溫室氣體排放及其計量方法與排放因子、跨行業指標，以及氣候相關目標及進度。",
      "en": "greenhouse gas emissions by scope, how they are measured and the emission factors used, "
            "cross-industry metrics, and climate-related targets and progress."}),
)
CHAPTER = {"zh-hant": "氣候相關披露", "en": "Climate-related Disclosures"}
PLACEHOLDER = {"zh-hant": "〔待撰寫〕本節說明", "en": "[To be written] This section explains "}

TOTAL_LABELS = {
    "scope1": {"zh-hant": "範圍一溫室氣體排放量", "en": "Scope 1 GHG emissions"},
    "scope2_location": {"zh-hant": "範圍二溫室氣體排放量（地點法）", "en": "Scope 2 GHG emissions (location-based)"},
    "scope2_market": {"zh-hant": "範圍二溫室氣體排放量（市場法）", "en": "Scope 2 GHG emissions (market-based)"},
    "scope3": {"zh-hant": "範圍三溫室氣體排放量", "en": "Scope 3 GHG emissions"},
}


def add_climate_chapter(content: Path, folder: Path, year: int) -> list[str]:
    """Make the new report in `folder` (of `year`) follow the HKEX code in force and give it a climate
    chapter, where Part D applies in `year`; what was done, as lines for `new-year` to print."""
    from esgreport.model.load import read_text

    manifest_path = folder / "report.yaml"
    text = read_text(manifest_path, content)
    root = yaml.compose(text)
    frameworks = _get(root, "frameworks")
    hkex = _get(frameworks[1], "hkex") if frameworks else None
    if hkex is None or not isinstance(hkex[1], yaml.ScalarNode):
        return []
    framework = _in_force(content / "frameworks", hkex[1].value, year)
    if framework is None:
        return []
    codes = {item["code"] for group in framework.get("groups", []) for item in group.get("items", [])}
    part_d = [c for c in codes if c.startswith("D.")]
    if not part_d:
        return []
    done: list[str] = []
    edits: list[tuple[int, int, str]] = []
    if hkex[1].value != framework["id"]:
        edits.append((hkex[1].start_mark.index, hkex[1].end_mark.index, framework["id"]))
        done.append(f"the report follows {framework['id']} (in force from {framework.get('effective')})")
    # Whichever step moved the manifest to the code in force (this one, or the roll-forward's), tags of
    # items that code no longer has go.
    dropped = _drop_tags(root, codes, text, edits)
    if dropped:
        done.append("HKEX tags the new framework does not have were dropped: " + ", ".join(dropped))
    parts = _get(root, "parts")
    editions = _editions(root)
    if parts is None or not isinstance(parts[1], yaml.SequenceNode) or any(
            _value(p, "id") == "climate" for p in parts[1].value):
        return _apply(manifest_path, text, edits, done)
    edits.append(_chapter_at(parts[1], text, codes, editions))
    _apply(manifest_path, text, edits, done)
    metrics = _metrics(folder, year)
    for section_id, _title, _codes, brief in SECTIONS:
        for edition in editions:
            body = PLACEHOLDER[edition] + brief[edition]
            if section_id == "climate-metrics-targets":
                body += "\n\n{{ kpi_table(\"ghg_inventory\") }}\n\n{{ chart(\"ghg_by_scope\") }}\n"
                if metrics["targets"]:
                    body += "\n{{ kpi_table(\"climate_targets\") }}\n"
            (folder / edition).mkdir(exist_ok=True)
            (folder / edition / f"{section_id}.md").write_text(f"---\nstatus: draft\n---\n\n{body}\n", encoding="utf-8")
    done.append(f"a climate chapter to write: {len(SECTIONS)} sections in {', '.join(editions)}, and "
                f"data/climate.yaml ({', '.join(metrics['defined']) or 'no new metric'})")
    return done


def _get(node, key: str):
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if k.value == key:
                return k, v
    return None


def _value(node, key: str):
    found = _get(node, key)
    return found[1].value if found and isinstance(found[1], yaml.ScalarNode) else None


def _in_force(folder: Path, fid: str, year: int) -> dict | None:
    """The framework `fid`, or the one that supersedes it, in force in `year`."""
    seen = set()
    current = None
    next_id: str | None = fid
    while next_id and next_id not in seen and (folder / f"{next_id}.yaml").is_file():
        fid = next_id
        seen.add(fid)
        data = yaml.safe_load((folder / f"{fid}.yaml").read_text(encoding="utf-8")) or {}
        effective = data.get("effective")
        if effective is not None and effective > year:
            break
        current = data
        next_id = data.get("superseded_by")
    return current


def _editions(root) -> list[str]:
    from esgreport.editions import EDITIONS
    found = _get(root, "editions")
    listed = [n.value for n in found[1].value] if found and isinstance(found[1], yaml.SequenceNode) else []
    return [e for e in listed if e in EDITIONS and EDITIONS[e].source is None]


def _drop_tags(root, codes: set[str], text: str, edits: list) -> list[str]:
    """Remove `disclose: {hkex: [...]}` codes the new framework lacks; the codes removed."""
    dropped: list[str] = []

    def walk(node) -> None:
        if isinstance(node, yaml.MappingNode):
            disclose = _get(node, "disclose")
            tags = _get(disclose[1], "hkex") if disclose else None
            if tags and isinstance(tags[1], yaml.SequenceNode):
                kept = [n.value for n in tags[1].value if n.value in codes]
                gone = [n.value for n in tags[1].value if n.value not in codes]
                if gone:
                    dropped.extend(f"{c} ({_value(node, 'id')})" for c in gone)
                    start = tags[1].start_mark.index
                    end = tags[1].end_mark.index if tags[1].flow_style else _end(tags[1])
                    edits.append((start, end, "[" + ", ".join(kept) + "]"))
            for _, v in node.value:
                walk(v)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                walk(item)

    walk(_get(root, "parts")[1] if _get(root, "parts") else None)
    return dropped


def _end(node) -> int:
    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and not node.flow_style and node.value:
        last = node.value[-1]
        return _end(last[1] if isinstance(node, yaml.MappingNode) else last)
    return node.end_mark.index


def _chapter_at(parts, text: str, codes: set[str], editions: list[str]) -> tuple[int, int, str]:
    """The climate part, inserted before the appendix (else after the last part), as an edit."""
    anchor = next((p for p in parts.value if _value(p, "id") == "appendix"), None)
    indent = " " * max(0, (parts.value[-1].start_mark.column if parts.value else 4) - 2)
    lines = [f"{indent}- id: climate", f"{indent}  kind: chapter",
             f"{indent}  title: {_flow(CHAPTER, editions)}", f"{indent}  sections:"]
    for section_id, title, items, _ in SECTIONS:
        tags = [c for c in items if c in codes]
        lines.append(f"{indent}    - {{id: {section_id}, title: {_flow(title, editions)}"
                     + (f", disclose: {{hkex: [{', '.join(tags)}]}}" if tags else "") + "}")
    block = "\n".join(lines) + "\n"
    if anchor is None:
        end = text.find("\n", _end(parts))
        at = len(text) if end < 0 else end + 1
        return at, at, block
    at = text.rfind("\n", 0, anchor.start_mark.index) + 1
    while at > 0:                      # the comment lines just above the appendix stay with it
        above = text.rfind("\n", 0, at - 1) + 1
        if not text[above:at].lstrip().startswith("#"):
            break
        at = above
    return at, at, block


def _flow(text: dict[str, str], editions: list[str]) -> str:
    return "{" + ", ".join(f"{e}: {text[e]}" for e in editions if e in text) + "}"


def _apply(path: Path, text: str, edits: list[tuple[int, int, str]], done: list[str]) -> list[str]:
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    path.write_text(text, encoding="utf-8")
    return done


def _metrics(folder: Path, year: int) -> dict:
    """data/climate.yaml: the totals the inventory publishes (defined where the data does not define
    them yet), the table and chart of the metrics and targets section; an inventory to fill in where
    there is none. Returns the metrics defined and whether there are targets."""
    defined = set()
    for path in (folder / "data").glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        defined |= set((data.get("metrics") or {}) if isinstance(data, dict) else ())
    inventory_path = folder / "inventory.yaml"
    if not inventory_path.is_file():
        inventory_path.write_text(_SKELETON, encoding="utf-8")
        inventory: dict = {}
    else:
        inventory = yaml.safe_load(inventory_path.read_text(encoding="utf-8")) or {}
        _drop_acknowledged(inventory_path)
    from esgreport.model.inventory import DEFAULT_METRICS
    publishes = inventory.get("publishes") or {}
    rows, new, added = [], [], []
    for key, default in DEFAULT_METRICS.items():
        metric = publishes.get(key) or default
        rows.append(metric)
        if metric not in defined:
            label = TOTAL_LABELS[key]
            added.append(metric)
            new.append(f"  {metric}:\n    label: {{zh-hant: {label['zh-hant']}, en: {label['en']}}}\n"
                       f"    unit: tco2e\n    precision: 2\n    values: {{{year}: null}}")
    targets = [t for t in inventory.get("targets") or [] if isinstance(t, dict)]
    target_rows = [m for t in targets for m in (t.get("metric"), *(t.get("publishes") or {}).values())
                   if isinstance(m, str) and (m in defined or m in rows)]
    out = ["# The climate chapter's data, added by `new-year`: the inventory's totals (inventory.yaml computes",
           "# them; a metric defined here is empty until it does) and the table and chart of the metrics and",
           "# targets section.", "metrics:" if new else "metrics: {}", *new,
           "tables:", "  ghg_inventory:", "    title: {zh-hant: 溫室氣體排放, en: Greenhouse Gas Emissions}",
           "    years: {last: 1}", "    rows:", *[f"      - metric: {m}" for m in rows]]
    if target_rows:
        out += ["  climate_targets:", "    title: {zh-hant: 氣候相關目標進度, en: Progress towards Climate-related Targets}",
                "    years: {last: 1}", "    rows:", *[f"      - metric: {m}" for m in dict.fromkeys(target_rows)]]
    out += ["charts:", "  ghg_by_scope:", "    title: {zh-hant: 按範圍劃分的溫室氣體排放, en: Greenhouse Gas Emissions by Scope}",
            "    type: stacked_bar", "    series:", *[f"      - metric: {m}" for m in rows[:2]], "    years: {last: 1}"]
    (folder / "data" / "climate.yaml").write_text("\n".join(out) + "\n", encoding="utf-8")
    return {"defined": added, "targets": bool(target_rows)}


def _drop_acknowledged(path: Path) -> None:
    """The new report's inventory starts without the acknowledgements of the one it was copied from
    (they stay with the report that made them, and cover the comparatives it published)."""
    text = path.read_text(encoding="utf-8")
    root = yaml.compose(text)
    found = _get(root, "acknowledged")
    if found is None:
        return
    start = text.rfind("\n", 0, found[0].start_mark.index) + 1
    end = text.find("\n", _end(found[1]))
    path.write_text(text[:start] + (text[end + 1:] if end >= 0 else ""), encoding="utf-8")


_SKELETON = """\
# The emission inventory (GHG Protocol Corporate Standard), added by `new-year` to be filled in: the
# entities of the report's boundary, its emission sources (an activity, which is a metric of data/, times
# a factor of content/factors/), the Scope 3 categories it excludes and why, and its targets. See
# README.md, "The emission inventory".
entities:
  group: {zh-hant: 〔待填寫〕, en: "[To be filled in]"}
sources: []
"""

