"""The planner: its plan passes when applied and every change is needed; its cost is the
brute-force optimum on small cases; a Hejin plan names Hejin's responsible units per task."""

from __future__ import annotations

import dataclasses
import itertools
import json
import random
import shutil
from fractions import Fraction
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from demozone.api import plan_submission
from demozone.assessment.assess import load_for_scoring
from demozone.cli import main_group
from demozone.procedure.apply import apply_to_submission
from demozone.procedure.costs import load_costs
from demozone.procedure.planner import plan
from demozone.rules.kinds import of
from demozone.scoring.aggregate import score
from tests.plan_cases import broken

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = [
    ROOT / "examples" / "national-2022" / "submission.yaml",
    ROOT / "examples" / "national-2024-draft" / "submission.yaml",
    ROOT / "examples" / "hejin-2023" / "submission.yaml",
    *sorted((ROOT / "examples" / "impact").glob("*.yaml")),
]


def _check_plan(path: Path, tmp_path: Path) -> bool:
    """Plan `path`, apply it beside the file, score the output; every change needed. Returns
    whether a plan was needed (the submission failed)."""
    out = path.parent / f"{path.stem}.planned.yaml"
    shaped = plan_submission(str(path), apply_out=str(out))
    assert shaped["feasible"], path
    if shaped["passes_already"]:
        return False
    submission, rule_set, kb_system = load_for_scoring(out)
    assert score(rule_set, kb_system, submission, "rete").passed, path
    original, rule_set, kb_system = load_for_scoring(path)
    found = plan(original, rule_set, kb_system, load_costs())
    assert [c.key for c in found.changes] == [c["key"] for c in shaped["changes"]]
    for left_out in found.changes:
        fewer = [c for c in found.changes if c is not left_out]
        result = score(rule_set, kb_system, apply_to_submission(original, fewer), "direct")
        assert not result.passed, (path, left_out.key)
    return True


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_plan_passes_when_applied_and_needs_every_change(example, tmp_path):
    copy = tmp_path / example.parent.name
    shutil.copytree(example.parent, copy)
    _check_plan(copy / example.name, tmp_path)


@pytest.mark.parametrize("system", ["national-2022", "national-2024-draft"])
def test_generated_failing_submissions_pass_with_their_plan_and_need_every_change(system, tmp_path):
    failing = 0
    for seed in range(24):
        failing += _check_plan(broken(system, seed, tmp_path), tmp_path)
    assert failing >= 16  # at least 32 failing submissions over both systems


def _brute_force(submission, rule_set, kb_system, costs, allowed) -> Fraction | None:
    best = None
    for n in range(len(allowed) + 1):
        for subset in itertools.combinations(allowed, n):
            metrics = [c.target for c in subset if c.kind == "metric"]
            if len(metrics) != len(set(metrics)):
                continue
            cost = sum((costs.of(c, submission) for c in subset), Fraction(0))
            if best is not None and cost >= best:
                continue
            result = score(rule_set, kb_system, apply_to_submission(submission, subset), "direct")
            if result.passed:
                best = cost
    return best


@pytest.mark.parametrize("seed", range(20))
def test_plan_cost_equals_the_brute_force_optimum_on_small_cases(seed, tmp_path):
    system = ["national-2022", "national-2024-draft"][seed % 2]
    submission, rule_set, kb_system = load_for_scoring(broken(system, 100 + seed, tmp_path))
    costs = load_costs()
    found = plan(submission, rule_set, kb_system, costs)
    options = {
        c.key: c
        for e in rule_set.indicators
        for rule in e.rules
        for c in of(rule).plan_options(rule, submission)
    }
    rng = random.Random(seed)
    keep = {c.key for c in found.changes}
    keep |= set(rng.sample(sorted(set(options) - keep), max(0, 8 - len(keep))))
    if len(keep) > 8:
        keep = set(sorted(keep)[:8])  # a smaller set: the optimum may then be another plan
    small = dataclasses.replace(costs, impossible=tuple(sorted(set(options) - keep)))
    planned = plan(submission, rule_set, kb_system, small)
    allowed = [options[k] for k in sorted(keep)]
    optimum = _brute_force(submission, rule_set, kb_system, small, allowed)
    if found.passes_before:
        assert planned.cost == 0
        return
    assert planned.feasible == (optimum is not None)
    if optimum is not None:
        assert planned.cost == optimum


def _hejin_failing(tmp_path: Path) -> Path:
    source = ROOT / "examples" / "hejin-2023"
    target = tmp_path / "hejin"
    shutil.copytree(source, target)
    doc = yaml.safe_load((target / "submission.yaml").read_text(encoding="utf-8"))
    for judgment in doc["judgments"]:
        if str(judgment["clause"]).split(".")[0] in {"34", "35", "36", "37", "38", "39"}:
            judgment["satisfied"] = False
    path = target / "failing.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_a_hejin_plan_lists_hejin_units_for_each_task_it_touches(tmp_path):
    shaped = plan_submission(str(_hejin_failing(tmp_path)))
    assert shaped["feasible"] and not shaped["passes_already"]
    assert shaped["locality"] == "hejin"
    tasks = {
        t["number"]: t
        for t in yaml.safe_load((ROOT / "kb" / "localities" / "hejin.yaml").read_text())["tasks"]
    }
    touched = 0
    for group in shaped["by_unit"]:
        for item in group["items"]:
            if item["task"] is None:
                continue
            touched += 1
            task = tasks[item["task"]["number"]]
            assert item["units"] == task["units"]["names"]
            assert group["unit"] in task["units"]["names"]
            assert int(item["indicator"]) in task["indicators"]
            assert item["task"]["text"] == task["text"]
    assert touched


def test_plan_cli_prints_json_and_says_when_a_submission_passes_already(tmp_path):
    example = ROOT / "examples" / "national-2022" / "submission.yaml"
    done = CliRunner().invoke(main_group, ["plan", str(example), "--json"])
    assert done.exit_code == 0, done.output
    shaped = json.loads(done.stdout)
    assert shaped["passes_already"] is True and shaped["changes"] == []


def test_plan_json_on_stdout_stays_clean_of_the_solver_banner_and_a_stored_assessment_plans(
    tmp_path,
):
    import os
    import subprocess
    import sys

    failing = ROOT / "examples" / "impact" / "13-fails-total.yaml"
    env = {**os.environ, "DEMOZONE_STORE": str(tmp_path / "store")}
    cli = [str(Path(sys.executable).parent / "demozone")]
    done = subprocess.run(
        [*cli, "plan", str(failing), "--json"], capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stderr
    shaped = json.loads(done.stdout)
    assert shaped["after"]["passed"] and shaped["by_indicator"]
    scored = subprocess.run(
        [*cli, "score", str(failing), "--json"], capture_output=True, text=True, env=env
    )
    iri = json.loads(scored.stdout)["assessment"]
    again = subprocess.run([*cli, "plan", iri, "--json"], capture_output=True, text=True, env=env)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["changes"] == shaped["changes"]


def test_among_plans_of_equal_cost_the_fewest_responsible_units_win():
    from types import SimpleNamespace

    from demozone.procedure.planner import Candidate, _solve

    level = SimpleNamespace(id="promote", points=Fraction(20), score=Fraction(13))
    before = SimpleNamespace(total=Fraction(80), first_level=[level])
    rule_set = SimpleNamespace(
        pass_rule=SimpleNamespace(
            total_at_least=Fraction(82), first_level_rate_at_least=Fraction(3, 4)
        )
    )

    def cand(gain, cost, units):
        return Candidate((), (Fraction(gain),), Fraction(cost), frozenset(units))

    # need 2 points: {A}+{B} (two units) or {C, D} in one component (one unit, same cost)
    tables = [
        [cand(1, 1, {"市场监管局"})],
        [cand(1, 1, {"商务局"})],
        [cand(2, 2, {"市场监管局"}), cand(1, 1, {"市场监管局"})],
        [cand(2, 3, {"财政局"})],
    ]
    chosen = _solve(tables, before, rule_set, ["promote"])
    assert sum(c.cost for c in chosen) == 2
    assert set().union(*(c.units for c in chosen)) == {"市场监管局"}
