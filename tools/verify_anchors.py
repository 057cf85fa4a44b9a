"""Re-check the knowledge base: every anchor's quote against its source, and the points.

Usage: .venv/bin/python tools/verify_anchors.py [-q]

Independent of the generator: it reads kb/sources.yaml and the YAML files only.
- Every anchor in kb/systems/*.yaml, kb/localities/*.yaml and kb/procedure.yaml: known source and
  role, 0 <= start < end <= len(text), quote == text[start:end] (code points of the UTF-8 text).
- Systems: indicator points per second level, first level and in total against what is declared;
  clause points against their indicator; clause ids "<number>.<k>"; metric ids known.
- Local decompositions: each base indicator exists; the sums per level of the base points of the
  indicators it lists against the levels it declares; unit ids against the unit list.
- Localities and procedure: indicator numbers and metric ids they cite exist.

Exit status 1 when an anchor or the structure is wrong. Known defects of the source texts (points
that do not add up, unit names naming another city) are reported as warnings and do not fail.
"""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import yaml

KB = Path(__file__).resolve().parents[1] / "kb"
ROLES = {
    # indicator systems (kb/README.md)
    "title", "points", "criterion", "clause", "methods", "data_sources", "units", "level",
    "pass_rule",
    # additions: a rule stated beside the clauses, a marked source defect
    "rule_text", "defect",
    # localities and procedure
    "section", "text", "person", "position", "period", "target", "number", "heading", "step",
}  # fmt: skip
ANCHOR_KEYS = ["source", "role", "start", "end", "quote"]


class Report:
    def __init__(self) -> None:
        self.errors: list[str] = []
        self.warnings: list[str] = []

    def error(self, where: str, msg: str) -> None:
        self.errors.append(f"{where}: {msg}")

    def warn(self, where: str, msg: str) -> None:
        self.warnings.append(f"{where}: {msg}")


def dec(x) -> Decimal:
    return Decimal(str(x))


def walk_anchors(node, path: str):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "anchors" and isinstance(v, list):
                for i, a in enumerate(v):
                    yield f"{path}.anchors[{i}]", a
            else:
                yield from walk_anchors(v, f"{path}.{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            label = v.get("id", v.get("number", i)) if isinstance(v, dict) else i
            yield from walk_anchors(v, f"{path}[{label}]")


def check_anchors(name: str, data: dict, texts: dict[str, str], rep: Report) -> int:
    count = 0
    declared = set(data.get("sources") or [])
    for where, a in walk_anchors(data, name):
        count += 1
        if not isinstance(a, dict) or list(a) != ANCHOR_KEYS:
            rep.error(where, f"anchor keys must be {ANCHOR_KEYS}: {a!r}")
            continue
        src, role, start, end, quote = (a[k] for k in ANCHOR_KEYS)
        if src not in texts:
            rep.error(where, f"unknown source {src!r}")
            continue
        if declared and src not in declared:
            rep.error(where, f"source {src!r} not in the file's sources {sorted(declared)}")
        if role not in ROLES:
            rep.error(where, f"unknown role {role!r}")
        text = texts[src]
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
            rep.error(where, f"bad offsets {start}:{end} (source has {len(text)} code points)")
            continue
        if text[start:end] != quote:
            rep.error(where, f"quote {quote!r} != {src}[{start}:{end}] {text[start:end]!r}")
    return count


def check_system(name: str, sys_: dict, systems: dict[str, dict], metrics: set, rep: Report):
    inds = sys_.get("indicators") or []
    numbers = [i["number"] for i in inds]
    if len(set(numbers)) != len(numbers):
        rep.error(name, "duplicate indicator numbers")
    base = systems.get(sys_.get("extends")) if sys_.get("extends") else None
    if sys_.get("extends") and base is None:
        rep.error(name, f"extends unknown system {sys_['extends']!r}")
        return
    ref = base or sys_
    by_number = {i["number"]: i for i in ref["indicators"]}
    # points of each listed indicator (a local one: its base's), grouped by level
    level_of, points = {}, {}
    for ind in inds:
        n = ind.get("base", ind["number"]) if base else ind["number"]
        b = by_number.get(n)
        if b is None:
            rep.error(f"{name} #{ind['number']}", f"base indicator {n} does not exist")
            continue
        level_of[ind["number"]] = (b["first_level"], b.get("second_level"))
        points[ind["number"]] = dec(b["points"])
    for lvl in sys_.get("first_level") or []:
        got = sum((p for k, p in points.items() if level_of[k][0] == lvl["id"]), Decimal(0))
        if got != dec(lvl["points"]):
            rep.warn(
                name, f"first level {lvl['id']} declares {lvl['points']}, indicators sum to {got}"
            )
        for sec in lvl.get("second_level") or []:
            got = sum((p for k, p in points.items() if level_of[k][1] == sec["id"]), Decimal(0))
            if got != dec(sec["points"]):
                rep.warn(
                    name,
                    f"second level {sec['id']} declares {sec['points']}, indicators sum to {got}",
                )
    total = sum(points.values(), Decimal(0))
    declared_total = sys_.get("total_points", ref.get("total_points"))
    if total != dec(declared_total):
        rep.warn(name, f"total declared {declared_total}, indicators sum to {total}")
    for ind in inds:
        where = f"{name} #{ind['number']}"
        for m in ind.get("metrics") or []:
            if m not in metrics:
                rep.error(where, f"unknown metric {m!r}")
        clauses = ind.get("clauses") or []
        for k, c in enumerate(clauses, 1):
            if c["id"] != f"{ind['number']}.{k}":
                rep.error(where, f"clause id {c['id']!r} should be {ind['number']}.{k}")
            if (
                base
                and c.get("base")
                and c["base"] not in {x["id"] for x in by_number[ind["base"]]["clauses"]}
            ):
                rep.error(where, f"clause base {c['base']!r} does not exist")
        if not base and clauses:
            pts = [c.get("points") for c in clauses]
            known = sum((dec(p) for p in pts if p is not None), Decimal(0))
            if None not in pts and known != dec(ind["points"]):
                rep.warn(
                    where, f"clause points sum to {known}, the indicator declares {ind['points']}"
                )
            elif None in pts and known > dec(ind["points"]):
                rep.warn(
                    where, f"stated clause points {known} exceed the indicator's {ind['points']}"
                )
        if base:
            check_units(where, ind, sys_, rep)


def check_units(where: str, ind: dict, sys_: dict, rep: Report) -> None:
    registry = {u["id"]: u["name"] for u in sys_.get("units") or []}
    u = ind.get("units") or {}
    names, ids = u.get("names") or [], u.get("ids") or []
    if len(names) != len(ids):
        rep.error(where, "units.names and units.ids differ in length")
    for name, uid in zip(names, ids, strict=False):
        if registry.get(uid) != name:
            rep.error(where, f"unit id {uid!r} is {registry.get(uid)!r}, not {name!r}")
        if name not in u.get("text", ""):
            rep.error(where, f"unit {name!r} not in units.text")
        if "天津" in name:
            rep.warn(where, f"unit {name!r} names Tianjin (a source defect, kept verbatim)")


def check_locality(name: str, data: dict, systems: dict, metrics: set, rep: Report) -> None:
    nat = {i["number"] for i in systems["national-2022"]["indicators"]}
    draft = {i["number"] for i in systems["national-2024-draft"]["indicators"]}
    for key in ("tasks", "targets"):
        for item in data.get(key) or []:
            where = f"{name} {key} {item.get('id', item.get('number'))}"
            for n in item.get("indicators") or []:
                if n not in nat:
                    rep.error(where, f"national-2022 has no indicator {n}")
            for n in item.get("indicators_2024_draft") or []:
                if n not in draft:
                    rep.error(where, f"national-2024-draft has no indicator {n}")
            for m in [item.get("metric"), *(item.get("ratio") or [])]:
                if m is not None and m not in metrics:
                    rep.error(where, f"unknown metric {m!r}")


def check_procedure(data: dict, rep: Report) -> None:
    arts = {a["number"]: a for a in data["articles"]}
    for step in data["steps"]:
        art = arts.get(step["article"])
        if art is None:
            rep.error(f"procedure step {step['id']}", f"no article {step['article']}")
            continue
        text = next(a for a in art["anchors"] if a["role"] == "text")
        for a in step["anchors"]:
            if not (text["start"] <= a["start"] and a["end"] <= text["end"]):
                rep.error(f"procedure step {step['id']}", "anchor outside its article")


def main(argv: list[str]) -> int:
    quiet = "-q" in argv
    entries = yaml.safe_load((KB / "sources.yaml").read_text("utf-8"))["sources"]
    texts = {
        sid: (KB / "sources" / e["file"]).read_bytes().decode("utf-8") for sid, e in entries.items()
    }
    metrics = set(yaml.safe_load((KB / "metrics.yaml").read_text("utf-8"))["metrics"])
    rep = Report()
    files = sorted((KB / "systems").glob("*.yaml")) + sorted((KB / "localities").glob("*.yaml"))
    files += [KB / "procedure.yaml"]
    loaded = {p: yaml.safe_load(p.read_text("utf-8")) for p in files if p.exists()}
    systems = {d["id"]: d for p, d in loaded.items() if p.parent.name == "systems"}
    for p, data in loaded.items():
        name = str(p.relative_to(KB.parent))
        n_anchors = check_anchors(name, data, texts, rep)
        line = f"{name}: {n_anchors} anchors"
        if p.parent.name == "systems":
            check_system(name, data, systems, metrics, rep)
            inds = data.get("indicators") or []
            n_clauses = sum(len(i.get("clauses") or []) for i in inds)
            line += f", {len(inds)} indicators, {n_clauses} clauses"
        elif p.parent.name == "localities":
            check_locality(name, data, systems, metrics, rep)
        else:
            check_procedure(data, rep)
        if not quiet:
            print(line)
    for w in rep.warnings:
        print(f"warning: {w}")
    for e in rep.errors:
        print(f"error: {e}")
    print(f"{len(rep.errors)} error(s), {len(rep.warnings)} warning(s)")
    return 1 if rep.errors else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
