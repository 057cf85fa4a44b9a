"""The SAMR measures' procedure on durable-rules statecharts: every transition allowed and every
other event refused with its article quoted; Civil Code periods; zones recorded in the store."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from demozone.cli import main_group
from demozone.common.errors import InputError
from demozone.kb.load import load_kb
from demozone.procedure.periods import after_days, after_years
from demozone.procedure.records import EventRecord
from demozone.procedure.zone import Proposed, decide, procedure, status

PROC = procedure()
D0 = date(2024, 1, 1)


def _article_text(number: int) -> str:
    (measures,) = [p for p in load_kb().procedures if p.id == "samr-2024-measures"]
    return next(a.text for a in measures.articles if int(a.number) == number)


def _path_to(state: str) -> list[tuple[str, str | None]]:
    """Events leading from the start to `state` (breadth-first over the file's transitions)."""
    paths = {PROC.start: []}
    frontier = [PROC.start]
    while frontier:
        here = frontier.pop(0)
        for step in PROC.allowed(here):
            if step.target not in paths:
                paths[step.target] = paths[here] + [(step.event, step.result)]
                frontier.append(step.target)
    return paths[state]


def _records(events: list[tuple[str, str | None]], start: date = D0) -> list[EventRecord]:
    done: list[EventRecord] = []
    for i, (event, result) in enumerate(events):
        when = date.fromordinal(start.toordinal() + 20 * i)
        done.append(decide(PROC, done, Proposed(event, when, result=result), "z"))
    return done


def test_every_citation_quotes_its_article_verbatim_at_its_anchor():
    source = load_kb().sources["samr-2024"]
    text = (load_kb().directory / "sources" / source.file).read_text(encoding="utf-8")
    cites = [s.cite for s in PROC.states.values()] + [e.cite for e in PROC.events.values()]
    cites += [s.cite for s in PROC.steps] + [p.cite for p in PROC.periods.values()]
    for cite in cites:
        assert cite.quote in _article_text(cite.article)
        assert text[cite.citation.char_start : cite.citation.char_end] == cite.quote


@pytest.mark.parametrize("step", PROC.steps, ids=lambda s: s.id)
def test_every_transition_is_allowed_with_its_article(step):
    before = _records(_path_to(step.source))
    last = before[-1].date if before else D0
    when = date.fromordinal(last.toordinal() + 40)  # past any publicity period
    record = decide(PROC, before, Proposed(step.event, when, result=step.result), "z")
    assert (record.source, record.target, record.transition) == (step.source, step.target, step.id)
    assert step.cite.quote in _article_text(step.cite.article)


_REACHABLE = {s.target for s in PROC.steps} | {PROC.start}
_FORBIDDEN = [
    (state, event)
    for state in PROC.states
    if state in _REACHABLE
    for event in PROC.events
    if not any(s.event == event for s in PROC.allowed(state))
]


@pytest.mark.parametrize("state,event", _FORBIDDEN, ids=lambda v: str(v))
def test_every_other_event_is_refused_with_the_article_quoted(state, event):
    before = _records(_path_to(state))
    rule = PROC.events[event]
    result = "pass" if rule.result == "required" else None
    when = date.fromordinal((before[-1].date if before else D0).toordinal() + 40)
    with pytest.raises(InputError) as refused:
        decide(PROC, before, Proposed(event, when, result=result), "z")
    (problem,) = refused.value.problems
    assert rule.cite.quote in problem.message and rule.cite.label in problem.message_zh
    assert rule.cite.quote in _article_text(rule.cite.article)


def test_recognition_during_publicity_is_refused_citing_article_16():
    before = _records(_path_to("publicity"))
    inside = date.fromordinal(before[-1].date.toordinal() + 15)  # the period's last day
    with pytest.raises(InputError) as refused:
        decide(PROC, before, Proposed("recognise", inside), "z")
    assert "第十六条" in refused.value.problems[0].message_zh
    after = date.fromordinal(inside.toordinal() + 1)
    assert decide(PROC, before, Proposed("认定", after), "z").target == "recognised"


def test_a_second_failed_evaluation_sends_the_zone_back_to_apply():
    events = [*_path_to("evaluation"), ("evaluate", "fail")]
    events += [("self-assess", "pass"), ("apply-evaluation", None), ("province-check", "pass")]
    events += [("evaluate", "fail")]
    done = _records(events)
    assert done[-1].target == "apply" and PROC.states["apply"].label == "申请创建"
    assert PROC.steps[-1].cite.quote == "仍未通过评估的，可重新提出创建申请"
    assert status(PROC, done, done[-1].date)["label"] == "申请创建"


def test_publicity_announced_2025_01_25_ends_2025_02_09():
    assert after_days(date(2025, 1, 25), 15) == date(2025, 2, 9)


def test_creation_approved_on_a_leap_day_ends_its_three_years_on_2027_02_28():
    assert after_years(date(2024, 2, 29), 3) == date(2027, 2, 28)
    assert after_years(date(2023, 2, 28), 1) == date(2024, 2, 28)
    assert after_years(date(2024, 2, 29), 4) == date(2028, 2, 29)


def test_the_holiday_shift_is_off_by_default_and_moves_past_the_spring_festival_when_on():
    # 2025-01-28 .. 2025-02-04 were the Spring Festival holiday
    assert after_days(date(2025, 1, 14), 15) == date(2025, 1, 29)
    assert after_days(date(2025, 1, 14), 15, holidays=True) == date(2025, 2, 5)


def test_status_gives_the_creation_end_and_what_is_overdue_with_articles():
    done = _records([("apply", None), ("recommend", None)])
    done.append(decide(PROC, done, Proposed("approve", date(2024, 2, 29)), "z"))
    found = status(PROC, done, date(2027, 3, 1))
    dates = {d["key"]: d for d in found["dates"]}
    assert dates["creation_end"]["date"] == "2027-02-28"
    assert dates["creation_end"]["article"]["label"] == "第九条"
    assert dates["latest_evaluation"]["date"] == "2027-02-28"
    assert [o["key"] for o in found["overdue"]] == ["evaluation_application"]
    assert status(PROC, done, date(2027, 2, 28))["overdue"] == []


def test_zone_commands_record_events_and_refuse_without_writing(tmp_path, monkeypatch):
    monkeypatch.setenv("DEMOZONE_STORE", str(tmp_path / "store"))
    run = CliRunner().invoke
    assert run(main_group, ["zone", "add", "hejin", "--name", "河津市"]).exit_code == 0
    assert json.loads(run(main_group, ["zone", "list", "--json"]).output)[0]["name"] == "河津市"
    for args in (["申请创建", "--date", "2024-01-02"], ["recommend", "--date", "2024-01-20"]):
        assert run(main_group, ["zone", "event", "hejin", *args]).exit_code == 0
    refused = run(main_group, ["zone", "event", "hejin", "publicise", "--date", "2024-02-01"])
    assert refused.exit_code == 2 and "第十五条" in refused.output
    shown = json.loads(run(main_group, ["status", "hejin", "--on", "2024-02-02", "--json"]).output)
    assert shown["state"] == "approval" and len(shown["events"]) == 2
    assert shown["events"][1]["by"] == "省级市场监管部门"


@pytest.mark.slow
def test_the_statechart_join_shape_is_valgrind_clean(valgrind, tmp_path):
    from tests.test_rete import run_valgrind

    script = (
        "from datetime import date\n"
        "from demozone.procedure.zone import Proposed, decide, procedure\n"
        "proc = procedure(); done = []\n"
        "for i, (e, r) in enumerate([('apply', None), ('recommend', None), ('approve', None),"
        " ('self-assess', 'fail'), ('self-assess', 'pass'), ('apply-evaluation', None),"
        " ('province-check', 'pass'), ('evaluate', 'fail'), ('self-assess', 'pass'),"
        " ('apply-evaluation', None), ('province-check', 'pass'), ('evaluate', 'pass'),"
        " ('publicise', None), ('recognise', None), ('warn', None), ('revoke', None)]):\n"
        "    done.append(decide(proc, done, Proposed(e, date(2024, 1, 1 + i) if i < 13 else"
        " date(2024, 3, i), result=r), 'z'))\n"
        "assert done[-1].target == 'revoked'\n"
        "print('ok')\n"
    )
    done = run_valgrind(valgrind, tmp_path, ["-c", script], timeout=1800)
    assert done.returncode == 0, done.stderr[-5000:]
    assert done.stdout.strip() == "ok"


def test_zone_graphs_are_sealed_and_store_check_counts_them(tmp_path, monkeypatch):
    from demozone.api import check_store

    monkeypatch.setenv("DEMOZONE_STORE", str(tmp_path / "store"))
    run = CliRunner().invoke
    run(main_group, ["zone", "add", "liangdang", "--name", "两当县"])
    run(
        main_group,
        ["zone", "event", "liangdang", "apply", "--date", "2024-04-30", "--by", "两当县人民政府"],
    )
    report = check_store()
    assert not [f for f in report.findings if f.severity.value in ("error", "warning")]
    again = run(main_group, ["zone", "add", "liangdang", "--name", "两当县"])
    assert again.exit_code == 2


def test_a_self_assessment_resting_on_a_stored_assessment_takes_its_verdict(tmp_path, monkeypatch):
    from demozone.api import assess, zone_event

    monkeypatch.setenv("DEMOZONE_STORE", str(tmp_path / "store"))
    failing = assess(
        Path(__file__).resolve().parent.parent / "examples" / "impact" / "13-fails-total.yaml"
    )
    run = CliRunner().invoke
    run(main_group, ["zone", "add", "qinglan", "--name", "青岚县"])
    for event, when in (
        ("apply", "2024-01-02"),
        ("recommend", "2024-01-20"),
        ("approve", "2024-02-01"),
    ):
        assert run(main_group, ["zone", "event", "qinglan", event, "--date", when]).exit_code == 0
    done = zone_event("qinglan", "自评", "2026-12-01", assessment=failing.id)
    assert (
        done["result"] == "fail" and done["to"] == "creating" and done["assessment"] == failing.id
    )
    with pytest.raises(InputError):
        zone_event("qinglan", "self-assess", "2026-12-02", assessment="nope")


@pytest.mark.parametrize(
    "verb",
    [["zone"], ["zone", "add"], ["zone", "list"], ["zone", "event"], ["zone", "status"],
     ["status"], ["plan"], ["targets"]],
)  # fmt: skip
def test_every_procedure_verb_has_help(verb):
    shown = CliRunner().invoke(main_group, [*verb, "--help"])
    assert shown.exit_code == 0 and "Usage:" in shown.output
