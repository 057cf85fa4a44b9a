"""Labels are read by people: no branch label of `explain --json` and no label or text of a
provenance graph node says `<=`, `and`, `True`...; the conditions stay as data beside them."""

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from demozone.cli import main_group
from demozone.explain import provgraph as pg

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
CODE = re.compile(r"<=|>=|(?<![-=])>(?!=)|<| and | or |\bTrue\b|\bFalse\b|\bNone\b| = |==")
# words of the sources quoted verbatim may say anything: only demozone's own labels are checked
VERBATIM_TYPES = {"clause", "source", "indicator", "level", "system", "document"}


def _code_in(text: str) -> list[str]:
    return CODE.findall(text.replace("→", ""))


@pytest.mark.parametrize("example", ["national-2022", "national-2024-draft", "hejin-2023"])
def test_explain_branch_labels_are_words_and_conditions_are_data(example):
    result = CliRunner().invoke(
        main_group, ["explain", str(EXAMPLES / example / "submission.yaml"), "--json"]
    )
    assert result.exit_code == 0, result.output
    trees = json.loads(result.output[result.output.index("{") :])["indicators"]
    branches = [b for t in trees for r in t["rules"] for c in r["cases"] for b in c["branches"]]
    assert branches
    for branch in branches:
        assert not _code_in(branch["label"]), branch["label"]
        for condition in branch["conditions"]:
            assert set(condition) == {"operand", "compare", "value"}
    compares = {c["compare"] for b in branches for c in b["conditions"]}
    assert compares & {">", ">=", "<", "<="}, "the operators are still there, as data"


def test_provenance_graph_labels_and_texts_say_no_operators(scored_examples):
    for name, scored in scored_examples.items():
        graph = pg.provenance_graph(scored.quads, scored.kb_graph)
        for node, attrs in graph.nodes(data=True):
            if attrs.get("type") in VERBATIM_TYPES:
                continue
            for key in ("label", "text", "operands"):
                found = _code_in(str(attrs.get(key, "")))
                assert not found, (name, node, key, attrs.get(key))
