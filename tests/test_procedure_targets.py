"""Yantai's plan targets against the national-2022 example's figures, each with its indicator."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import yaml
from click.testing import CliRunner

from demozone.api import locality_targets
from demozone.cli import main_group

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "national-2022" / "submission.yaml"


def test_yantai_targets_against_the_national_2022_example_each_with_its_indicator():
    shaped = locality_targets("yantai", str(EXAMPLE))
    rows = {r["id"]: r for r in shaped["targets"]}
    kb_targets = yaml.safe_load((ROOT / "kb" / "localities" / "yantai.yaml").read_text())["targets"]
    assert set(rows) == {t["id"] for t in kb_targets}
    for target in kb_targets:
        row = rows[target["id"]]
        assert [i["number"] for i in row["indicators"]] == [str(n) for n in target["indicators"]]
        assert all(i["label"] for i in row["indicators"])
        if not target["metric"] and not target["ratio"]:
            assert row["met"] is None and row["why"].startswith("no metric measures it")
    # 2840 / 20000 = 14.20%: below the 15% target by 0.8 points (indicator 3)
    assert rows["yantai-t03"]["met"] is False
    assert rows["yantai-t03"]["difference_exact"] == str(Fraction(2840, 20000) - Fraction(15, 100))
    assert rows["yantai-t03"]["indicators"][0]["number"] == "3"
    # 97.9% against 98%: not met; 72.4% against the national 70.1%: met
    assert rows["yantai-t15"]["met"] is False and rows["yantai-t16"]["met"] is True
    assert rows["yantai-t26"]["met"] is True and rows["yantai-t26"]["difference"] == "6"
    assert shaped["met"] + shaped["not_met"] + shaped["not_measurable"] == len(kb_targets)


def test_targets_cli_text_json_and_an_unknown_locality():
    run = CliRunner().invoke
    text = run(main_group, ["targets", "yantai", str(EXAMPLE)])
    assert text.exit_code == 0 and "not measurable" in text.output and "指标3" in text.output
    shaped = json.loads(run(main_group, ["targets", "yantai", str(EXAMPLE), "--json"]).output)
    assert shaped["name"] == "烟台市"
    unknown = run(main_group, ["targets", "atlantis", str(EXAMPLE)])
    assert unknown.exit_code == 2
