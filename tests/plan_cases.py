"""Failing submissions for the planner's tests, generated from the passing examples by undoing
work the planner can redo: judged clauses no longer satisfied, rates of the last year lowered,
evidence items withdrawn."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = {
    "national-2022": ROOT / "examples" / "national-2022" / "submission.yaml",
    "national-2024-draft": ROOT / "examples" / "national-2024-draft" / "submission.yaml",
}


def broken(system: str, seed: int, out_dir: Path) -> Path:
    """A copy of the system's example with a few things undone, written into out_dir (one
    directory per system: the example's evidence files are copied beside it)."""
    source = EXAMPLES[system]
    doc = yaml.safe_load(source.read_text(encoding="utf-8"))
    rng = random.Random(seed)
    clauses = sorted({str(j["clause"]) for j in doc.get("judgments") or []})
    undone = set(rng.sample(clauses, min(len(clauses), rng.randint(3, 9))))
    for judgment in doc.get("judgments") or []:
        if str(judgment["clause"]) in undone:
            judgment["satisfied"] = False
    rates = [k for k, v in doc["metrics"].items() if isinstance(v, str) and v.endswith("%")]
    for metric in rng.sample(rates, min(len(rates), rng.randint(0, 4))):
        value = float(doc["metrics"][metric].rstrip("%")) - rng.choice([2, 5, 9])
        doc["metrics"][metric] = f"{max(value, 0):.1f}%"
    cited = {e for j in doc.get("judgments") or [] for e in j.get("evidence") or []}
    kept = []
    for item in doc.get("evidence") or []:
        if item["id"] not in cited and item["kind"] != "document" and rng.random() < 0.5:
            continue
        kept.append(item)
    doc["evidence"] = kept
    doc["submission"]["id"] = f"gen-{seed}"
    if not (out_dir / "evidence").exists():  # the example's evidence files, beside the copy
        shutil.copytree(source.parent / "evidence", out_dir / "evidence")
    path = out_dir / f"{system}-{seed}.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path
