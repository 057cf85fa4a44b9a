"""`history`, `compare` and re-scoring identical inputs, on real assessments of the examples.

One store holds three assessments of submission qinglan-2024: the 2022 example, then a 2024
draft submission given the same id, then the 2022 example with one judgment turned (expert-wang
finds clause 23.3 satisfied, which breaks a 1:1 tie).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from demozone.api import assess, compare_assessments
from demozone.cli import main_group
from demozone.store.history import history
from demozone.store.location import open_store

ROOT = Path(__file__).resolve().parent.parent
TURNED = (
    '{clause: "23.3", satisfied: false, evidence: [], assessor: expert-wang}',
    '{clause: "23.3", satisfied: true, evidence: [E2], assessor: expert-wang}',
)


def _cli(*args: str):
    return CliRunner().invoke(main_group, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("history")
    trial, draft = folder / "trial", folder / "draft"
    shutil.copytree(ROOT / "examples" / "national-2022", trial)
    shutil.copytree(ROOT / "examples" / "national-2024-draft", draft)
    text = (draft / "submission.yaml").read_text(encoding="utf-8")
    (draft / "submission.yaml").write_text(
        text.replace("id: yunling-2025", "id: qinglan-2024"), encoding="utf-8"
    )
    store = str(folder / "store")
    first = assess(trial / "submission.yaml", store=store)
    other = assess(draft / "submission.yaml", store=store)
    text = (trial / "submission.yaml").read_text(encoding="utf-8")
    assert TURNED[0] in text
    (trial / "submission.yaml").write_text(text.replace(*TURNED), encoding="utf-8")
    turned = assess(trial / "submission.yaml", store=store)
    return {"store": store, "first": first, "other": other, "turned": turned, "trial": trial}


def test_history_names_the_one_turned_judgment_with_its_assessor_and_what_it_moved(runs):
    with open_store(runs["store"], create=False) as store:
        result = history(store, "qinglan-2024")
    [change] = result["changes"]
    assert (change["from"], change["to"]) == (runs["first"].iri, runs["turned"].iri)
    assert change["judgments"] == {
        "changed": [
            {
                "author": "expert-wang",
                "author_name": "expert-wang",
                "clause": "23.3",
                "label": "条款23.3评审意见",
                "from": False,
                "to": True,
            }
        ],
        "added": [],
        "removed": [],
    }
    assert change["indicators"] == [{"number": "23", "from": "2", "to": "3", "delta": "+1"}]
    assert [(lv["label"], lv["delta"]) for lv in change["levels"]] == [("优化服务", "+1")]
    assert change["total"] == {"from": "90", "to": "91", "delta": "+1"}
    text = _cli("history", "qinglan-2024", "--store", runs["store"]).output
    assert "expert-wang：23.3 不满足 → 满足" in text
    assert "指标23：2 → 3（+1）" in text and "一级指标“优化服务”：18 → 19（+1）" in text
    english = _cli("history", "qinglan-2024", "--store", runs["store"], "--lang", "en").output
    assert "expert-wang: 23.3 not satisfied → satisfied" in english
    assert "indicator 23: 2 → 3 (+1)" in english and "total: 90 → 91 (+1)" in english
    assert "judgment 条款" not in text  # not every judgment, only the one that changed


def test_history_compares_nothing_across_systems(runs):
    with open_store(runs["store"], create=False) as store:
        result = history(store, "qinglan-2024")
    assert [c["system"]["from"] for c in result["changes"]] == ["national-2022"]
    assert result["not_compared"] == [{"iri": runs["other"].iri, "system": "national-2024-draft"}]
    text = _cli("history", "qinglan-2024", "--store", runs["store"]).output
    block = text[text.index(runs["other"].id) : text.index(runs["turned"].id)]
    assert "未比较" in block and "指标2" not in block and "总分：90" not in block


def test_compare_across_systems_goes_through_the_matching(runs):
    result = compare_assessments(runs["first"].id, runs["other"].id, runs["store"])
    assert result["how"] == "matched (text)"
    by_a = {p["a"]: p for p in result["indicators"] if p["a"]}
    assert by_a["4"]["b"] == "3" and by_a["3"]["b"] is None  # not by number
    assert (by_a["4"]["a_points"], by_a["4"]["b_points"]) == ("2", "5")
    assert {"a": "23.3", "b": "20.2", "a_panel": "1:1", "b_panel": "2:0"} in result["panels"][
        "differ"
    ]
    done = _cli("compare", runs["first"].id, runs["other"].id, "--store", runs["store"])
    assert done.exit_code == 0 and "A 4 2/2" in done.output and "↔  B 3 2/5" in done.output


def test_compare_under_one_system_names_the_turned_judgment(runs):
    done = _cli("compare", runs["first"].iri, runs["turned"].id, "--store", runs["store"], "--json")
    result = json.loads(done.output)
    assert result["how"] == "same system"
    assert result["changes"]["judgments"]["changed"][0]["author"] == "expert-wang"
    assert _cli("compare", "no-such", runs["turned"].id, "--store", runs["store"]).exit_code == 2


def test_identical_rescore_adds_nothing_and_again_adds_one(runs):
    path = runs["trial"] / "submission.yaml"
    same = _cli("score", str(path), "--store", runs["store"], "--json")
    assert same.exit_code == 0
    assert "nothing added" in same.output
    with open_store(runs["store"], create=False) as store:
        assert len(store.assessments("qinglan-2024")) == 3
    again = assess(path, store=runs["store"], again=True)
    assert not again.reused and again.iri != runs["turned"].iri
    with open_store(runs["store"], create=False) as store:
        assert len(store.assessments("qinglan-2024")) == 4
    reused = assess(path, store=runs["store"])
    assert reused.reused and reused.iri in (runs["turned"].iri, again.iri)
