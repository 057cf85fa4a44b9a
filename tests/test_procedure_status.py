"""What `zone event` accepts and what `status` tells: every event by its Chinese name too, the end
of publicity and a recognition overdue after it (art. 16), the JSON fields of `status --json`, and
a text that never prints None for a date the procedure does not fix yet."""

from __future__ import annotations

import json
from datetime import date

import pytest
from click.testing import CliRunner

from demozone.cli import main_group
from demozone.procedure.zone import Proposed, decide, procedure, status
from tests.test_procedure_zone import _path_to, _records

PROC = procedure()


@pytest.mark.parametrize("event", sorted(PROC.events))
def test_every_event_is_accepted_by_its_chinese_name_as_by_its_id(event):
    named = PROC.events[event]
    assert named.zh and PROC.event_named(named.zh) is PROC.event_named(event) is named


@pytest.mark.parametrize("event", sorted(PROC.events))
def test_an_event_recorded_by_its_chinese_name_moves_the_zone_as_its_id_does(event):
    steps = [s for s in PROC.steps if s.event == event]
    step = steps[0]
    before = _records(_path_to(step.source))
    when = date.fromordinal(before[-1].date.toordinal() + 40) if before else date(2024, 1, 1)
    by_id = decide(PROC, before, Proposed(event, when, result=step.result), "z")
    by_zh = decide(PROC, before, Proposed(PROC.events[event].zh, when, result=step.result), "z")
    assert (by_zh.event, by_zh.target, by_zh.transition) == (
        by_id.event,
        by_id.target,
        by_id.transition,
    )


def _publicised_on(day: date) -> list:
    done = _records(_path_to("passed"), start=date(2024, 1, 1))
    done.append(decide(PROC, done, Proposed("publicise", day), "z"))
    return done


def test_status_during_publicity_gives_its_end_and_after_it_a_recognition_overdue():
    done = _publicised_on(date(2025, 1, 25))
    during = status(PROC, done, date(2025, 2, 9))
    ends = {d["key"]: d for d in during["dates"]}
    assert ends["publicity_end"]["date"] == "2025-02-09"
    assert ends["publicity_end"]["article"]["label"] == "第十五条"
    assert during["state"] == "publicity" and during["overdue"] == []
    after = status(PROC, done, date(2025, 2, 10))
    (late,) = after["overdue"]
    assert late["key"] == "recognition" and late["date"] == "2025-02-09"
    assert late["article"]["label"] == "第十六条"


def test_status_json_holds_the_state_dates_overdue_next_events_and_zone(tmp_path, monkeypatch):
    monkeypatch.setenv("DEMOZONE_STORE", str(tmp_path / "store"))
    run = CliRunner().invoke
    assert run(main_group, ["zone", "add", "wanrong", "--name", "万荣县"]).exit_code == 0
    for event, when in (("申请创建", "2024-01-02"), ("初审推荐", "2024-01-20")):
        assert run(main_group, ["zone", "event", "wanrong", event, "--date", when]).exit_code == 0
    assert (
        run(main_group, ["zone", "event", "wanrong", "同意创建", "--date", "2024-02-29"]).exit_code
        == 0
    )
    shown = run(main_group, ["status", "wanrong", "--on", "2027-03-01", "--json"])
    found = json.loads(shown.output)
    assert set(found) >= {"zone", "on", "state", "label", "article", "next", "dates", "overdue"}
    assert found["zone"]["name"] == "万荣县" and found["state"] == "creating"
    assert [e["event"] for e in found["events"]] == ["apply", "recommend", "approve"]
    assert {d["key"]: d["date"] for d in found["dates"]}["creation_end"] == "2027-02-28"
    assert found["overdue"] and all(o["article"]["citation"]["quote"] for o in found["overdue"])
    assert {n["zh"] for n in found["next"]} == {"自评"}


def test_status_text_prints_no_none_for_a_date_not_fixed_yet(tmp_path, monkeypatch):
    monkeypatch.setenv("DEMOZONE_STORE", str(tmp_path / "store"))
    run = CliRunner().invoke
    run(main_group, ["zone", "add", "hejin", "--name", "河津市"])
    for event, when in (
        ("apply", "2024-01-02"),
        ("recommend", "2024-01-20"),
        ("approve", "2024-02-01"),
    ):
        assert run(main_group, ["zone", "event", "hejin", event, "--date", when]).exit_code == 0
    shown = run(main_group, ["status", "hejin", "--on", "2024-03-01"])
    assert shown.exit_code == 0 and "创建期满: 2027-02-01" in shown.output
    assert "None" not in shown.output and "null" not in shown.output
