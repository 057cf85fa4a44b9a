"""Synthetic submissions, for the benchmark and the engine cross-check.

`synthetic_document(rule_set, seed)` writes a submission document per the contract (the same
shape a county would file), with values spread around every threshold the rules use so that
both sides of each boundary are exercised: exact boundary values included.
"""

from __future__ import annotations

import random
from fractions import Fraction

from demozone.common.numbers import fmt_decimal
from demozone.rules import kinds
from demozone.rules.model import RuleSet

_EVIDENCE_KINDS = {
    "recognition": ("form", ["表彰表扬", "领导批示", "典型经验", "会议交流", "信息刊发"]),
    "media_report": ("level", ["national", "provincial"]),
    "institutional_output": ("type", ["法规", "规章", "规范性文件", "标准"]),
    "document": (None, []),
}
_RATES = ["89.9%", "90%", "90.01%", "94.99%", "95%", "95.01%", "98%", "99%", "99.5%", "100%"]


def _percent(rng: random.Random) -> str:
    return rng.choice(_RATES) if rng.random() < 0.5 else f"{rng.uniform(50, 100):.2f}%"


def _series(rng: random.Random, years: list[int], start: float) -> dict[int, str]:
    value, series = start, {}
    for year in [years[0] - 1, *years]:
        series[year] = fmt_decimal(Fraction(str(round(value, 2))), 2)
        value *= rng.choice([0.98, 1.02, 1.072, 1.11, 1.2, 1.3])
    return series


def synthetic_document(
    rule_set: RuleSet, seed: int, region_classes=("east", "central", "west"), years=(2023, 2024)
) -> dict:
    """A valid submission document for `rule_set`, reproducible from `seed`."""
    rng = random.Random(seed)
    years = list(years)
    market = rng.randint(5000, 40000)
    doc: dict = {
        "submission": {
            "id": f"synthetic-{seed}",
            "region": f"合成县{seed}",
            "region_class": rng.choice(list(region_classes)),
            "system": rule_set.system,
            "years": years,
        },
        "metrics": {
            "online_retail": _series(rng, years, rng.uniform(5, 50)),
            "social_retail": _series(rng, years, rng.uniform(50, 200)),
            "express_volume": _series(rng, years, rng.uniform(0.5, 5)),
            "ecommerce_volume": _series(rng, years, rng.uniform(10, 80)),
            "physical_online_retail_above_quota": _series(rng, years, rng.uniform(1, 8)),
            "trusted_consumption_sectors": rng.choice([4, 5, 6]),
            "online_operators": rng.choice(
                [market * 15 // 100, market * 8 // 100, rng.randint(100, market // 4)]
            ),
            "market_entities": market,
            "online_employment": rng.randint(100, 2000),
            "total_employment": 20000,
            "ecommerce_tax": fmt_decimal(Fraction(rng.randint(10, 80), 100), 2),
            "total_tax": 10,
            "operators_surviving_2y": rng.randint(100, 1500),
            "platform_users": rng.randint(5, 30),
            "regulatory_staff": 20,
            "identity_claim_rate": rng.choice(["100%", "99.9%", 1]),
            "procedural_violation_cases": rng.choice([0, 0, 1]),
            "training_hours_per_person": rng.choice([49.5, 50, 60]),
        },
        "reference": {
            "national_mediation_success_rate": "70.1%",
            "national_consumer_satisfaction": "78%",
            "national_odr_close_ontime_rate": "95%",
            "national_odr_settlement_rate": "60%",
        },
        "operators": [
            {
                "name": f"企业{seed}-{i}",
                "year": rng.choice(years),
                "annual_sales": rng.choice([0.5, 0.49, 1, 0.99, 2, 1.99, 3]),
            }
            for i in range(rng.randint(0, 3))
        ],
    }
    for metric in (
        "report_check_ontime_rate",
        "assigned_case_timely_rate",
        "assigned_case_completion_rate",
        "case_maintain_rate",
        "case_win_rate",
        "monitoring_check_timely_rate",
        "monitoring_check_completion_rate",
        "complaint_initial_check_ontime_rate",
        "complaint_close_ontime_rate",
        "mediation_success_rate",
        "consumer_satisfaction",
        "odr_close_ontime_rate",
        "odr_settlement_rate",
        "training_coverage_rate",
    ):
        if rng.random() < 0.9:  # sometimes missing: must score 0 with the fact named
            doc["metrics"][metric] = _percent(rng)
    doc["evidence"] = _evidence(rng)
    doc["judgments"] = _judgments(rng, rule_set, [e["id"] for e in doc["evidence"]])
    return doc


def _evidence(rng: random.Random) -> list[dict]:
    items = [{"id": "E0", "title": "创建工作方案", "kind": "document"}]
    for i in range(1, rng.randint(2, 8)):
        kind = rng.choice(list(_EVIDENCE_KINDS))
        item = {"id": f"E{i}", "title": f"证明材料{i}", "kind": kind}
        field, values = _EVIDENCE_KINDS[kind]
        if field:
            item[field] = rng.choice(values)
        items.append(item)
    return items


def _judgments(rng: random.Random, rule_set: RuleSet, evidence_ids: list[str]) -> list[dict]:
    clauses = sorted(
        {c for rule in rule_set.rules() for c in kinds.of(rule).synthetic_judged(rule)}
    )
    judgments = []
    for clause in clauses:
        for assessor in rng.sample(["expert-li", "expert-wang", "expert-zhao"], rng.randint(0, 3)):
            satisfied = rng.random() < 0.75
            judgments.append(
                {
                    "clause": clause,
                    "satisfied": satisfied,
                    "assessor": assessor,
                    "evidence": [rng.choice(evidence_ids)] if satisfied else [],
                }
            )
    return judgments
