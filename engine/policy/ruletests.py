"""Rule tests in data (rules/tests/*.yaml): submission fragments and the points each must earn.

A test file names the system its fragments are submissions for (`system:`), optionally the rules
to apply (`rules:`, a variant id; default the system's own) and `defaults` for every fragment. A
test may apply other rules (`rules:`), change the rules the way a variant would (`changes:` with
`override`, `parameters`, `pass_rule`), and expects points per indicator (`expect`), and
optionally the `total` and whether it `passed`. Each fragment becomes a full submission per the
contract and goes through the real loader, so it is validated like any county's file.

Run by `demozone test [PATH]` and by pytest (tests/test_rule_scenarios.py).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import yaml

from demozone.assessment.assess import score_as
from demozone.common.errors import InputError, Problem
from demozone.common.numbers import fmt_points, to_fraction
from demozone.common.paths import RULES_DIR
from demozone.common.yamlio import check_keys, load_yaml
from demozone.rules.load import changed_rule_set
from demozone.rules.lookup import renumbering, rules_of
from demozone.rules.model import RuleSet
from demozone.scoring.aggregate import ENGINES
from demozone.submission.catalog import catalog_from_kb
from demozone.submission.load import load_submission

TESTS_DIR = RULES_DIR / "tests"
_FILE_KEYS = {"system", "rules", "defaults", "tests"}
_DEFAULT_KEYS = {"region_class", "years"}
_TEST_KEYS = {
    "name",
    "metrics",
    "reference",
    "operators",
    "evidence",
    "judged",
    "judgments",
    "expect",
    "total",
    "passed",
    "region_class",
    "years",
    "system",
    "rules",
    "changes",
}


@dataclass(frozen=True)
class RuleTest:
    """One scenario: a submission document, the rules to apply and what they must give."""

    file: str
    line: int | None
    name: str
    system: str  # the knowledge-base system the fragment is a submission for
    rules: str  # the rule set applied (the system itself or a variant)
    changes: dict | None  # parameter changes applied on top, as a variant would
    document: dict
    expect: dict[str, Fraction]
    total: Fraction | None = None
    passed: bool | None = None

    def rule_set(self) -> RuleSet:
        if self.changes:
            return changed_rule_set(self.rules, self.changes, renumbering=renumbering)
        return rules_of(self.rules)


@dataclass
class RuleTestOutcome:
    test: RuleTest
    engine: str
    failures: list[str] = field(default_factory=list)  # what differed, in plain words

    @property
    def ok(self) -> bool:
        return not self.failures

    def to_dict(self) -> dict:
        return {
            "file": self.test.file,
            "line": self.test.line,
            "name": self.test.name,
            "rules": self.test.rules,
            "engine": self.engine,
            "ok": self.ok,
            "failures": self.failures,
        }


def rule_test_files(path: Path | None = None) -> list[Path]:
    """The test files at `path` (a file, or every *.yaml under a folder; default rules/tests)."""
    path = Path(path) if path else TESTS_DIR
    if path.is_dir():
        return sorted(path.rglob("*.yaml"))
    if path.exists():
        return [path]
    raise InputError([Problem(str(path), "", "no such file or folder", "文件或目录不存在")])


def load_rule_tests(path: Path) -> list[RuleTest]:
    """Every test of one file; unknown keys and malformed expectations are InputErrors."""
    doc = load_yaml(Path(path))
    file = str(path)
    if not isinstance(doc, dict) or not isinstance(doc.get("tests"), list):
        raise InputError(
            [Problem(file, "tests", "a list of tests is expected", "应有测试列表 tests")]
        )
    problems = check_keys(doc, _FILE_KEYS, file, "", {"system", "tests"})
    defaults = doc.get("defaults") or {}
    problems += check_keys(defaults, _DEFAULT_KEYS, file, "defaults")
    tests = []
    for index, spec in enumerate(doc["tests"]):
        where = f"tests[{index}]"
        found = check_keys(spec, _TEST_KEYS, file, where, {"name", "expect"})
        if found:
            problems += found
            continue
        try:
            tests.append(_rule_test(doc, defaults, spec, index, file))
        except (ValueError, ArithmeticError) as err:
            problems.append(Problem(file, where, str(err), "期望值无法读取", line=spec.line))
    if problems:
        raise InputError(problems)
    return tests


def _rule_test(doc, defaults, spec, index: int, file: str) -> RuleTest:
    system = str(spec.get("system", doc["system"]))
    total = spec.get("total")
    return RuleTest(
        file=file,
        line=getattr(spec, "line", None),
        name=str(spec["name"]),
        system=system,
        rules=str(spec.get("rules", doc.get("rules", system))),
        changes=spec.get("changes"),
        document=submission_document(spec, defaults, system, index),
        expect={str(k): to_fraction(v) for k, v in spec["expect"].items()},
        total=None if total is None else to_fraction(total),
        passed=spec.get("passed"),
    )


def run_rule_test(test: RuleTest, engine: str, workdir: Path) -> RuleTestOutcome:
    """Score the test's submission under its rules; the outcome lists every difference."""
    outcome = RuleTestOutcome(test, engine)
    path = write_document(test.document, workdir)
    submission = load_submission(path, catalog_from_kb())
    result = score_as(submission, test.rule_set(), engine)
    for number, expected in test.expect.items():
        indicator = result.indicator(number)
        if indicator is None:
            outcome.failures.append(f"indicator {number}: not in {test.rules}")
        elif indicator.score != expected:
            outcome.failures.append(
                f"indicator {number}: got {fmt_points(indicator.score)}, expected "
                f"{fmt_points(expected)} ({'; '.join(indicator.reasons)})"
            )
    if test.total is not None and result.total != test.total:
        outcome.failures.append(
            f"total: got {fmt_points(result.total)}, expected {fmt_points(test.total)}"
        )
    if test.passed is not None and result.passed != test.passed:
        outcome.failures.append(
            f"passed: got {result.passed}, expected {test.passed} ({'; '.join(result.pass_reasons)})"
        )
    return outcome


def run_rule_tests(
    paths: list[Path], engines: tuple[str, ...] = ("rete",)
) -> list[RuleTestOutcome]:
    """Run every test of the files on each engine. A file that cannot be read raises InputError."""
    unknown = [e for e in engines if e not in ENGINES]
    if unknown:
        raise ValueError(f"unknown engines {unknown}")
    tests = [t for path in paths for t in load_rule_tests(path)]
    with tempfile.TemporaryDirectory(prefix="demozone-test-") as workdir:
        return [run_rule_test(t, e, Path(workdir)) for t in tests for e in engines]


# -- from fragment to submission document --------------------------------------------------------
def submission_document(spec: dict, defaults: dict, system: str, index: int) -> dict:
    """A full submission document per the contract from a test's fragment.

    `judged: {clause: [true, false, ...]}` stands for one judgment per verdict, by assessors a1,
    a2, ... each satisfied one citing a shared supporting document.
    """
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
            "metrics": spec.get("metrics") or {},
            "reference": spec.get("reference") or {},
            "operators": spec.get("operators") or [],
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
