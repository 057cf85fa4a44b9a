"""Scenario tests in data (rules/tests/*.yaml): a submission fragment and the points expected.

A fragment becomes a full submission document per the contract, goes through the real loader
(so it is validated like any county's file), and is scored by both engines.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import yaml

from demozone.numbers import to_fraction
from demozone.yamlio import load_yaml

_FRAGMENT_KEYS = {
    "name",
    "metrics",
    "reference",
    "operators",
    "evidence",
    "judged",
    "judgments",
    "expect",
    "region_class",
    "years",
    "system",
}


@dataclass(frozen=True)
class Scenario:
    file: str
    system: str
    name: str
    document: dict
    expect: dict[str, Fraction]


def scenario_files(rules_dir: Path) -> list[Path]:
    return sorted((rules_dir / "tests").glob("*.yaml"))


def load_scenarios(path: Path) -> list[Scenario]:
    """Every scenario of one data file; unknown keys in a scenario are errors."""
    doc = load_yaml(path)
    defaults = doc.get("defaults") or {}
    scenarios = []
    for index, spec in enumerate(doc["tests"]):
        unknown = set(spec) - _FRAGMENT_KEYS
        if unknown:
            raise ValueError(f"{path}: test {index}: unknown keys {sorted(unknown)}")
        system = spec.get("system", doc["system"])
        document = _document(spec, defaults, system, index)
        expect = {str(k): to_fraction(v) for k, v in spec["expect"].items()}
        scenarios.append(Scenario(str(path), system, spec["name"], document, expect))
    return scenarios


def _document(spec: dict, defaults: dict, system: str, index: int) -> dict:
    evidence = list(spec.get("evidence") or [])
    judgments = list(spec.get("judgments") or [])
    if spec.get("judged"):
        evidence.append({"id": "E-auto", "title": "评审依据材料", "kind": "document"})
        for clause, verdicts in spec["judged"].items():
            for n, satisfied in enumerate(verdicts, 1):
                judgments.append(
                    {
                        "clause": str(clause),
                        "satisfied": satisfied,
                        "assessor": f"a{n}",
                        "evidence": ["E-auto"] if satisfied else [],
                    }
                )
    return _plain(
        {
            "submission": {
                "id": f"scenario-{index}",
                "region": "测试县",
                "region_class": spec.get("region_class", defaults.get("region_class", "central")),
                "system": system,
                "years": list(spec.get("years", defaults.get("years", [2023, 2024]))),
            },
            "metrics": _plain(spec.get("metrics") or {}),
            "reference": _plain(spec.get("reference") or {}),
            "operators": _plain(spec.get("operators") or []),
            "evidence": evidence,
            "judgments": judgments,
        }
    )


def _plain(value):
    """Back to plain YAML-able values (the strict loader reads decimals as Decimal)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if hasattr(value, "as_tuple"):  # Decimal: keep its exact text
        return str(value)
    return value


def write_document(document: dict, directory: Path) -> Path:
    path = directory / f"{document['submission']['id']}.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path
