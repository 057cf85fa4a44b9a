"""Each rule kind is one object: the kinds package is the only place that knows a kind by its
name, and a kind defined in one file (here, in this test) is read, scored on both engines,
linted, diffed, explained and synthesised through its object alone."""

import ast
from collections.abc import Mapping
from pathlib import Path

import pytest
import yaml

from demozone.assessment.assess import load_for_scoring, score_as
from demozone.common.errors import InputError
from demozone.explain.derivation import explain
from demozone.policy.diff.rules import compare_rules, describe_rule
from demozone.policy.lint.run import lint
from demozone.rules import kinds
from demozone.rules.kinds import RuleKind, RuleProblem, number, register, unregister
from demozone.rules.kinds.diffwords import RuleChange, Text, award_changes, pct, points
from demozone.rules.kinds.whynot import WhyNot
from demozone.rules.load import load_rule_set, needed_metrics
from demozone.rules.lookup import rules_of
from demozone.rules.model import Branch, Condition, Quantity, Rule
from demozone.rules.model import Test as RuleTest
from demozone.submission.synthetic import synthetic_document

ENGINE = Path(__file__).resolve().parent.parent / "engine"
KINDS_DIR = ENGINE / "rules" / "kinds"
NATIONAL = Path(__file__).resolve().parent.parent / "examples" / "national-2022" / "submission.yaml"
BUILT_IN = {"yearly_comparison", "ratio_bands", "conditions", "judged", "any_judged", "items"}


# -- no module outside the kinds knows a kind by its name -------------------------------------


def _is_kind(node: ast.AST) -> bool:
    """A variable or attribute named `kind` (`kind`, `rule.kind`, `a.kind`)."""
    return (isinstance(node, ast.Name) and node.id == "kind") or (
        isinstance(node, ast.Attribute) and node.attr == "kind"
    )


def _kind_names(node: ast.AST) -> set[str]:
    """The rule-kind names a string literal, or a tuple, list or set of them, holds."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value} & BUILT_IN
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return set().union(*(_kind_names(e) for e in node.elts)) if node.elts else set()
    return set()


def kind_branches(source: str) -> list[str]:
    """Where code compares something named `kind` with a rule kind's name, matches on it, keeps
    a table keyed by two or more rule kinds' names, indexes by one or asks for a kind by one."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(map(_is_kind, sides)) and any(_kind_names(s) for s in sides):
                found.append(f"line {node.lineno}: compares a kind with a kind's name")
        elif isinstance(node, ast.Match) and _is_kind(node.subject):
            names = {
                n.value.value
                for case in node.cases
                for n in ast.walk(case.pattern)
                if isinstance(n, ast.MatchValue) and isinstance(n.value, ast.Constant)
            }
            if names & BUILT_IN:
                found.append(f"line {node.lineno}: matches a kind on kinds' names")
        elif isinstance(node, ast.Dict):
            keys = set().union(set(), *(_kind_names(k) for k in node.keys if k is not None))
            if len(keys) >= 2:
                found.append(f"line {node.lineno}: a table keyed by kinds' names")
        elif isinstance(node, ast.Subscript) and _kind_names(node.slice):
            table = ast.unparse(node.value).rsplit(".", 1)[-1]
            if "kind" in table.lower():  # KINDS["items"], not spec["judged"] of a rule as written
                found.append(f"line {node.lineno}: indexes a table of kinds by a kind's name")
        elif isinstance(node, ast.Call) and any(_kind_names(a) for a in node.args):
            called = node.func.attr if isinstance(node.func, ast.Attribute) else ""
            if called == "kind_of" or getattr(node.func, "id", "") == "kind_of":
                found.append(f"line {node.lineno}: asks for a kind by its name")
    return found


def test_the_kind_branch_check_finds_each_way_of_branching_on_a_kind_name():
    planted = """
if rule.kind == "items": pass
if kind in ("judged", "any_judged"): pass
if "ratio_bands" != a.kind: pass
WORDS = {"conditions": 1, "yearly_comparison": 2}
match rule.kind:
    case "judged": pass
words = KIND_WORDS["items"]
judged = kinds.kind_of("judged")
"""
    assert len(kind_branches(planted)) == 7
    fine = """
if metric.kind == "rate": pass
row = {"items": [], "rule": 1}
if kind == "level": pass
row["items"].append(1)
clause = spec["judged"]
"""
    assert kind_branches(fine) == []


def test_no_module_outside_the_kinds_branches_on_a_kind_name():
    assert set(kinds.KINDS) == BUILT_IN
    offenders = {
        str(path.relative_to(ENGINE)): found
        for path in sorted(ENGINE.rglob("*.py"))
        if KINDS_DIR not in path.parents
        for found in [kind_branches(path.read_text("utf-8"))]
        if found
    }
    assert not offenders, offenders


def test_every_kind_module_stays_under_450_lines():
    lengths = {p.name: len(p.read_text("utf-8").splitlines()) for p in KINDS_DIR.glob("*.py")}
    assert len(lengths) >= 9 and max(lengths.values()) <= 450, lengths


# -- a kind defined in one file ----------------------------------------------------------------


class ThresholdCount(RuleKind):
    """threshold_count: points for each listed metric that reaches a threshold."""

    name = "threshold_count"
    keys = frozenset({"metrics", "at_least", "points_each", "cap"})
    words = Text("达标项计数", "metrics reaching a threshold")

    def parse(self, spec: Mapping, parameters: Mapping) -> dict:
        metrics = spec.get("metrics")
        if not isinstance(metrics, list) or not metrics:
            raise RuleProblem("metrics", "threshold_count needs metrics", "需要数据项列表")
        at_least = number(spec.get("at_least"), "at_least")
        tests = tuple(RuleTest(Quantity("metric", (str(m),)), ">=", at_least) for m in metrics)
        award = number(spec.get("points_each"), "points_each")
        reaches = Branch(
            "reaches", (Condition("o0", ">=", at_least),), award, f">= {pct(at_least)}"
        )
        cap = number(spec["cap"], "cap") if "cap" in spec else None
        return {"tests": tests, "branches": (reaches,), "cap": cap}

    def cases(self, rule: Rule, derivation) -> list:
        year = derivation.last_year
        return [derivation.test_case(rule, (t,), t.left.args[0], year) for t in rule.tests]

    def why_not(self, outcome, submission) -> list[WhyNot]:
        rule = outcome.rule
        fired = {f.case_key for f in outcome.firings}
        short = [t.left.args[0] for t in rule.tests if t.left.args[0] not in fired]
        reason = f"{len(rule.tests)}个数据项中{len(outcome.firings)}个达到门槛"
        value = pct(rule.tests[0].constant)
        needs = {"metric": [{"id": short[0], "year": submission.years[-1], "value": value}]}
        return [WhyNot(rule.id, rule.clause, reason, rule.branches[0].award, needs)]

    def single_case(self, rule: Rule) -> bool:
        return len(rule.tests) == 1

    def written_quantities(self, rule: Rule):
        return ((t.left, "metrics", i) for i, t in enumerate(rule.tests))

    def lint(self, rule: Rule, flag):
        if rule.tests[0].constant > 1:
            yield flag(
                "error",
                "rate-above-100",
                "at_least",
                None,
                "no rate is over 100%",
                "比率不超过100%",
            )

    def describe(self, rule: Rule, lang: str) -> str:
        each = points(rule.branches[0].award, lang)
        return f"{len(rule.tests)} metrics >= {pct(rule.tests[0].constant)}: {each} each"

    def changes(self, a: Rule, b: Rule) -> list[RuleChange]:
        before, after = pct(a.tests[0].constant), pct(b.tests[0].constant)
        moved = [
            RuleChange(
                "threshold", Text("门槛", "threshold"), Text(before, before), Text(after, after)
            )
        ]
        return (moved if before != after else []) + award_changes(a, b)


def _rule_file(tmp_path: Path, metrics: list[str], at_least: str = "95%") -> Path:
    """national-2022 with indicator 17 scored by one threshold_count rule on `metrics`."""
    path = tmp_path / f"national-2022-count-{at_least.rstrip('%')}.yaml"
    listed = ", ".join(metrics)
    path.write_text(
        f"system: national-2022-count\nextends: national-2022\nkb_system: national-2022\n"
        f'indicators:\n  "17":\n    points: 3\n    rules:\n'
        f'      - {{id: count-17, clause: "17.1", kind: threshold_count, metrics: [{listed}],\n'
        f'         at_least: "{at_least}", points_each: 1, cap: 3}}\n',
        encoding="utf-8",
    )
    return path


METRICS = ["report_check_ontime_rate", "assigned_case_timely_rate", "assigned_case_completion_rate"]


@pytest.fixture
def threshold_count():
    kind = register(ThresholdCount())
    yield kind
    unregister(kind.name)


def test_a_kind_registered_in_one_file_scores_on_both_engines(threshold_count, tmp_path):
    rule_set = load_rule_set(_rule_file(tmp_path, METRICS))
    (rule,) = rule_set.indicator("17").rules
    assert kinds.of(rule) is threshold_count and needed_metrics(rule) == set(METRICS)
    submission = load_for_scoring(NATIONAL)[0]
    national = score_as(submission, "national-2022")
    # 97.3% and exactly 95% reach 95%; 92.5% does not: 2 of 3 points
    for engine in ("rete", "direct"):
        result = score_as(submission, rule_set, engine)
        indicator = result.indicator("17")
        assert indicator.score == 2, engine
        assert [f.case_key for f in indicator.rules[0].firings] == sorted(METRICS[:2])
        assert result.total == national.total - national.indicator("17").score + 2
        # the kind keeps the default reasons: each case no branch held for
        assert indicator.reasons == ["上级交办、督办线索完成率为92.50%，低于95%，不得分。"]


def test_a_registered_kind_is_explained_linted_diffed_and_synthesised(threshold_count, tmp_path):
    rule_set = load_rule_set(_rule_file(tmp_path, METRICS))
    submission = load_for_scoring(NATIONAL)[0]
    result = score_as(submission, rule_set, "direct")
    (tree,) = explain(result, submission, "17")
    (entry,) = tree["why_not"]
    assert (entry["clause"], entry["reason"], entry["gain"]) == (
        "17.1",
        "3个数据项中2个达到门槛",
        1,
    )
    assert entry["needs"] == {
        "metric": [{"id": "assigned_case_completion_rate", "year": 2024, "value": "95%"}]
    }

    report = lint(str(_rule_file(tmp_path, [*METRICS[:2], "no_such_metric"], "90%")))
    (unknown,) = [f for f in report.findings if f.code == "unknown-metric"]
    assert (unknown.location.path, unknown.location.line) == (
        "indicators.17.rules[0].metrics[2]",
        8,
    )
    # three metrics can add up: the cap, not one metric's point, bounds the rule
    (over,) = [f for f in report.findings if f.code == "clause-points"]
    assert "awards at most 3 points" in over.message
    findings = lint(str(_rule_file(tmp_path, METRICS, "120%"))).findings
    (its_own,) = [f for f in findings if f.code == "rate-above-100"]
    assert (its_own.code, its_own.location.path) == (
        "rate-above-100",
        "indicators.17.rules[0].at_least",
    )

    (a,) = rule_set.indicator("17").rules
    (b,) = load_rule_set(_rule_file(tmp_path, METRICS, "90%")).indicator("17").rules
    (threshold,) = compare_rules(a, b)
    assert (threshold.topic, str(threshold.before), str(threshold.after)) == (
        "threshold",
        "95%",
        "90%",
    )
    assert (
        describe_rule(a, "en")
        == "metrics reaching a threshold: 3 metrics >= 95%: 1 pt each, at most 3 pts"
    )
    (national,) = [r for r in rules_of("national-2022").indicator("17").rules if r.clause == "17.1"]
    assert compare_rules(national, a)[0].topic == "kind"

    # a synthetic submission for the rule set scores alike on both engines
    document = synthetic_document(rule_set, seed=7)
    document["submission"]["system"] = rule_set.kb_system
    path = tmp_path / "synthetic.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    synthetic = load_for_scoring(path)[0]
    rete, direct = (score_as(synthetic, rule_set, e).indicator("17") for e in ("rete", "direct"))
    assert [f.case_key for f in rete.rules[0].firings] == [
        f.case_key for f in direct.rules[0].firings
    ]


def test_a_kind_is_registered_once_and_an_unregistered_kind_is_refused(tmp_path):
    with pytest.raises(ValueError, match="registered already"):
        register(kinds.kind_of("items"))
    with pytest.raises(AttributeError, match="frozen"):
        kinds.kind_of("items").keys = frozenset()
    with pytest.raises(InputError) as refused:
        load_rule_set(_rule_file(tmp_path, METRICS))
    (problem,) = refused.value.problems
    assert "unknown rule kind 'threshold_count'" in problem.message
    assert problem.expected == ", ".join(kinds.KINDS)
