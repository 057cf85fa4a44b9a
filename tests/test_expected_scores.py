"""Each example scores as the breakdown written beside it says, indicator by indicator.

examples/<name>/expected-scores.yaml is worked out by hand from the submission, the rule file and
docs/scoring-interpretations.md (each indicator with its reason); it is not the program's output,
so a change in scoring shows here as the indicator it moved, on both engines.
"""

from fractions import Fraction
from pathlib import Path

import pytest
import yaml

from demozone.assessment.assess import assess

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
NAMES = ["national-2022", "national-2024-draft", "hejin-2023"]
ENGINES = ["rete", "direct"]


def expected(name: str) -> dict:
    return yaml.safe_load((EXAMPLES / name / "expected-scores.yaml").read_text("utf-8"))


@pytest.fixture(scope="module", params=[(n, e) for n in NAMES for e in ENGINES], ids="-".join)
def scored(request):
    name, engine = request.param
    path = EXAMPLES / name / "submission.yaml"
    return expected(name), assess(path, write=False, engine=engine).result


@pytest.mark.parametrize("name", NAMES)
def test_the_breakdown_adds_up_to_its_subtotals_and_total(name):
    stated = expected(name)
    points = [Fraction(str(row["points"])) for row in stated["indicators"].values()]
    levels = stated["first_level"].values()
    assert sum(Fraction(str(level["score"])) for level in levels) == stated["total"]
    assert sum(points) == stated["total"]
    assert all(row["reason"].strip() for row in stated["indicators"].values())


def test_every_indicator_scores_as_stated(scored):
    stated, result = scored
    assert stated["system"] == result.system
    found = {row.number: row.score for row in result.indicators}
    wanted = {n: Fraction(str(row["points"])) for n, row in stated["indicators"].items()}
    assert found == wanted


def test_every_first_level_subtotal_is_as_stated(scored):
    stated, result = scored
    found = {level.label: (level.score, level.points) for level in result.first_level}
    wanted = {
        label: (Fraction(str(level["score"])), Fraction(str(level["max"])))
        for label, level in stated["first_level"].items()
    }
    assert found == wanted


def test_the_total_and_the_verdict_are_as_stated(scored):
    stated, result = scored
    assert (result.total, result.passed) == (stated["total"], stated["passed"])
    assert stated["verdict"].startswith("合格" if stated["passed"] else "不合格")
