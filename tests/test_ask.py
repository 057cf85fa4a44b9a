"""`ask`: saved questions over one assessment, with exact answers on the national-2022 example
(青岚县: eleven evidence items, two assessors who disagree on three clauses), the same answers
from the store as from the file, and clear refusals for what cannot be asked."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from demozone.assessment.assess import assess
from demozone.assessment.resolve import resolve_assessment
from demozone.cli import main_group
from demozone.common import vocab
from demozone.common.errors import InputError
from demozone.explain.answers import QUESTIONS_DIR, withdraw
from demozone.explain.ask import QUESTIONS, answer, ask
from demozone.explain.subject import Subject

from .conftest import EXAMPLES, copy_store, reset_server

NATIONAL = EXAMPLES["national-2022"]
HEJIN = NATIONAL.parent.parent / "hejin-2023" / "submission.yaml"
EVIDENCE_IDS = [f"E{n}" for n in range(1, 12)]


@pytest.fixture(scope="module")
def national(scored_examples) -> Subject:
    return Subject(scored_examples["national-2022"])


def asked(subject: Subject, name: str, **params: str):
    return answer(QUESTIONS[name], subject, params)


def run(*args: str):
    return CliRunner().invoke(main_group, ["ask", *args])


# -- the registry ---------------------------------------------------------------------------


def test_list_names_every_question_with_its_parameters_and_how_it_is_answered():
    result = run("--list")
    assert result.exit_code == 0, result.output
    for name in ("evidence-clauses", "below-max", "disagreements", "units", "withdraw-evidence"):
        assert name in result.output
    assert "evidence-clauses --evidence EVIDENCE" in result.output
    listed = json.loads(run("--list", "--json").output)["questions"]
    assert [q["name"] for q in listed] == list(QUESTIONS)
    by_name = {q["name"]: q for q in listed}
    assert by_name["withdraw-evidence"]["sparql"] is False
    assert by_name["withdraw-evidence"]["needs_submission"] is True
    assert [p["name"] for p in by_name["evidence-clauses"]["parameters"]] == ["evidence"]
    assert all(q["title"] and q["title_en"] and q["answers"] for q in listed)


def test_every_query_a_question_runs_is_a_file_shown_by_show_query():
    for q in QUESTIONS.values():
        result = run(q.name, "--show-query")
        assert result.exit_code == 0, result.output
        if q.name == "withdraw-evidence":
            assert q.query_text() is None and "not a query" in result.output
        else:
            assert q.query_text() in result.output + "\n"
            assert "SELECT" in q.query_text()


def test_every_dz_term_a_question_query_uses_is_defined_in_the_ontology():
    used = {
        term
        for path in QUESTIONS_DIR.glob("*.rq")
        for term in re.findall(r"(?<![\w/])dz:([A-Za-z_][A-Za-z0-9_]*)", path.read_text("utf-8"))
    }
    assert {"Judgment", "Evidence", "Case", "responsibleUnit", "reason"} <= used
    assert used <= vocab.defined_terms(), sorted(used - vocab.defined_terms())


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["no-such-question", str(NATIONAL)], "no-such-question"),
        (["evidence-clauses", str(NATIONAL)], "--evidence"),
        (["withdraw-evidence", str(NATIONAL)], "--evidence"),
        (["below-max", str(NATIONAL), "--evidence", "E1"], "below-max 不接受参数 --evidence"),
        ([], "请指定问题名称"),
    ],
)
def test_an_unknown_question_or_a_missing_parameter_exits_2_with_the_list(args, says):
    result = run(*args)
    assert result.exit_code == 2
    assert says in result.output
    assert "saved questions" in result.output and "withdraw-evidence" in result.output
    assert "Traceback" not in result.output


def test_an_unknown_evidence_item_is_named_with_the_ones_there_are(national):
    for name in ("evidence-clauses", "withdraw-evidence"):
        with pytest.raises(InputError) as caught:
            asked(national, name, evidence="E99")
        assert "E99" in str(caught.value) and "E1, E2, E3" in str(caught.value)


# -- the answers on the national-2022 example -------------------------------------------------


def test_clauses_resting_on_an_evidence_item_cited_by_judgments(national):
    found = asked(national, "evidence-clauses", evidence="E2")
    assert [(r["indicator"], r["clause"], r["score"]) for r in found.rows] == [
        ("11", "11.3", 1),
        ("12", "12.1", 1),
        ("12", "12.2", 1),
        ("12", "12.3", 1),
        ("23", "23.1", 1),
        ("23", "23.2", 1),
        ("23", "23.3", 0),
        ("28", "28.1", 3),
        ("40", "40.1", 1),
        ("40", "40.2", 1),
    ]
    clause = {r["clause"]: r for r in found.rows}
    assert clause["23.3"]["judgments"] == [
        {"assessor": "expert-li", "satisfied": True, "where": "judgments[53]", "rule": "n22-23-3"}
    ]
    assert clause["12.1"]["support"] == ["expert-li 满足", "expert-wang 满足"]
    assert all(not r["items"] for r in found.rows)
    assert found.summary == [
        "证明材料 E2 支撑 10 个条款，其中 9 个条款得分（指标 11, 12, 23, 28, 40）"
    ]


def test_an_item_rests_a_clause_only_where_a_rule_counted_it(national):
    # every evidence item is a case of the items rules of 32, 33.1, 33.2 and 34; E5 (a national
    # media report) qualifies for 33.1 only
    found = asked(national, "evidence-clauses", evidence="E5")
    assert [(r["clause"], r["score"], r["items"], r["judgments"]) for r in found.rows] == [
        ("33.1", 2, [{"rule": "n22-33-1", "points": 2}], [])
    ]


def test_a_judgment_rests_only_its_own_clause_of_a_rule_scoring_several(national):
    # n22-29 scores 29.1-29.3 together (符合一项即可得3分); E1 is cited on 29.2 and 29.3 only
    found = asked(national, "evidence-clauses", evidence="E1")
    assert [(r["clause"], r["score"]) for r in found.rows] == [
        ("15.1", 1),
        ("15.2", 1),
        ("15.3", 1),
        ("26.2", 1),
        ("29.2", 0),
        ("29.3", 3),
    ]
    assert [j["assessor"] for j in found.rows[4]["judgments"]] == ["expert-wang"]


def test_every_indicator_below_its_maximum_and_why(national):
    found = asked(national, "below-max")
    assert [(r["indicator"], r["score"], r["max"]) for r in found.rows] == [
        ("3", 1, 2),
        ("6", 0, 2),
        ("8", 1, 2),
        ("22", 2, 3),
        ("23", 2, 3),
        ("31", 0, 3),
        ("34", 1, 2),
    ]
    reasons = {r["indicator"]: r["reasons"] for r in found.rows}
    assert reasons["3"] == [
        "2024年网络交易经营者(主体)数量占市场(经营)主体数量的比重为14.20%（2840户/20000户），"
        "未达到15%，按8%至15%档计1分（最高2分）。"
    ]
    assert reasons["23"] == ["条款23.3专家组2人中1人认定满足，未过半数，不得分。"]
    assert reasons["31"] == ["条款31.1、31.2、31.3均未获专家组过半数认定满足，不得分。"]
    assert len(reasons["6"]) == 2 and reasons["6"][0].startswith("2023年")
    assert found.summary == ["7 项指标未得满分，共失 10 分"]


def test_judgments_on_which_assessors_disagree(national):
    found = asked(national, "disagreements")
    assert [(r["clause"], r["satisfied"], r["not_satisfied"], r["score"]) for r in found.rows] == [
        ("13.3", ["expert-li", "expert-zhao"], ["expert-wang"], 1),
        ("23.3", ["expert-li"], ["expert-wang"], 0),
        ("29.2", ["expert-wang"], ["expert-li"], 0),
    ]
    assert found.rows[0]["judgments"] == [
        {"assessor": "expert-li", "satisfied": True, "where": "judgments[14]", "evidence": ["E3"]},
        {"assessor": "expert-wang", "satisfied": False, "where": "judgments[15]", "evidence": []},
        {
            "assessor": "expert-zhao",
            "satisfied": True,
            "where": "judgments[16]",
            "evidence": ["E3"],
        },
    ]


def test_facts_by_the_unit_that_issued_their_evidence_or_published_them(national):
    found = asked(national, "units")
    units = {(r["unit"], r["role"]) for r in found.rows if r["unit"]}
    assert {u for u in units if u[1] == "issued_by"} == {
        ("青岚县人民政府办公室", "issued_by"),
        ("县发改局", "issued_by"),
        ("县市场监管局", "issued_by"),
    }
    assert {u for u, role in units if role == "published"} == {
        "NBS 2023-12",
        "NBS 2024-12",
        "NBS statistical release on retail sales 2023-12",
        "NBS statistical release on retail sales 2024-12",
        "State Post Bureau release 2024-01-22",
        "State Post Bureau release for 2024",
    }
    assert not any(role == "responsible" for _, role in units)  # national systems name none
    fagaiju = sorted(r["where"] for r in found.rows if r["unit"] == "县发改局")
    cited = [f"judgments[{n}]" for n in (2, 3, 4, 5, 6, 7, 8, 9, 49, 50, 51, 52, 53, 65, 66)]
    cited += [f"judgments[{n}]" for n in (107, 108, 109, 110)]
    assert fagaiju == sorted([*cited, "evidence[1]"])
    unattributed = {r["where"] for r in found.rows if r["unit"] is None}
    assert {"metrics.online_operators", "judgments[0]", "evidence[3]"} <= unattributed
    assert not unattributed & set(fagaiju)


def test_facts_of_a_local_decomposition_by_its_responsible_units():
    found = asked(Subject(resolve_assessment(HEJIN)), "units")
    responsible = {
        r["unit"] for r in found.rows if r["role"] == "responsible" and "5" in r["indicators"]
    }
    # Hejin's indicator 5 (national 6): 市统计局、市工业和信息化和科技局、市市场监督管理局
    assert responsible == {"市统计局", "市工业和信息化和科技局", "市市场监督管理局"}


def test_withdrawing_an_evidence_item_rescores_without_it(national):
    found = asked(national, "withdraw-evidence", evidence="E2")
    assert [(r["indicator"], r["before"], r["after"], r["change"]) for r in found.rows] == [
        ("11", 3, 2, -1),
        ("12", 3, 0, -3),
        ("23", 2, 0, -2),
        ("28", 3, 0, -3),
        ("40", 2, 0, -2),
    ]
    assert found.summary[0] == "撤回证明材料 E2 后重新计分：总分 90 → 79，合格 → 不合格"
    assert "19 条" in found.summary[1]


@pytest.mark.parametrize("evidence", EVIDENCE_IDS)
def test_withdrawing_an_item_changes_exactly_the_indicators_it_supports(national, evidence):
    changed = [r["indicator"] for r in asked(national, "withdraw-evidence", evidence=evidence).rows]
    supported = asked(national, "evidence-clauses", evidence=evidence).rows
    assert changed == list(dict.fromkeys(r["indicator"] for r in supported if r["score"]))
    assert changed


def test_withdraw_drops_only_judgments_left_without_evidence(national):
    submission = national.scored().submission
    reduced, dropped = withdraw(submission, "E3")
    assert "E3" not in reduced.evidence and len(reduced.evidence) == 10
    assert "judgments[15]" not in dropped  # expert-wang's "not satisfied" on 13.3 cited nothing
    assert all("E3" not in j.evidence for j in reduced.judgments)
    assert len(reduced.judgments) + len(dropped) == len(submission.judgments)
    assert submission.evidence.get("E3") is not None  # the loaded submission is untouched


# -- asked of a stored assessment -------------------------------------------------------------


@pytest.fixture(params=["embedded", pytest.param("remote", marks=pytest.mark.server)])
def store_location(request, tmp_path: Path, kb_store_template: Path) -> str:
    if request.param == "embedded":
        return str(copy_store(kb_store_template, tmp_path / "store"))
    url = request.getfixturevalue("oxigraph_server").url
    reset_server(url).close()
    return url


def test_a_stored_assessment_gives_the_answers_of_its_file(store_location, national):
    stored = assess(NATIONAL, store=store_location)
    for name, params in [
        ("evidence-clauses", {"evidence": "E1"}),
        ("below-max", {}),
        ("disagreements", {}),
        ("units", {}),
        ("withdraw-evidence", {"evidence": "E6"}),
    ]:
        submission = NATIONAL if QUESTIONS[name].needs_submission else None
        found = ask(name, stored.id, params, store=store_location, submission=submission)
        assert found.origin == "store" and found.assessment == stored.iri
        assert found.rows == asked(national, name, **params).rows, name


def test_a_stored_assessment_needs_its_submission_file_for_submission_questions(
    store_location, tmp_path
):
    shutil.copytree(NATIONAL.parent, tmp_path / "qinglan")
    copied = tmp_path / "qinglan" / NATIONAL.name
    recorded = assess(copied, store=store_location)
    found = run("units", recorded.id, "--store", store_location)  # read from where it was
    assert found.exit_code == 0, found.output
    copied.unlink()
    result = run("units", recorded.id, "--store", store_location)
    assert result.exit_code == 2
    assert "--submission" in result.output and "is gone" in result.output
    assert recorded.receipt["submission"][:12] in result.output
    stored = assess(NATIONAL, store=store_location)
    other = run(
        "withdraw-evidence", stored.id, "--store", store_location, "--evidence", "E1",
        "--submission", str(HEJIN),
    )  # fmt: skip
    assert other.exit_code == 2
    assert "not the submission" in other.output and "Traceback" not in other.output
    shown = run("below-max", stored.id, "--store", store_location, "--json")
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.output[shown.output.index("{") :])["rows"][0]["indicator"] == "3"


def test_the_table_has_chinese_headings_and_the_summary():
    result = run("disagreements", str(NATIONAL))
    assert result.exit_code == 0, result.output
    assert "指标  条款  认定满足" in result.output
    assert "expert-li, expert-zhao" in result.output
    assert "评审意见不一致的条款 3 个：13.3, 23.3, 29.2" in result.output
