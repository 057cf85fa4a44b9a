"""A zone's events played through the procedure: allowed or refused with the article, recorded,
and where the zone stands on a date (the dates that matter, what is overdue).

The statechart decides; Python only prepares what it needs exactly: each event's date compared
with the end of the publicity period (a 0/1 field), since the engine compares no dates.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from demozone.common.errors import InputError, Problem
from demozone.procedure.chart import RESULTS, Procedure, Step, load_procedure
from demozone.procedure.periods import after_days, after_years
from demozone.procedure.records import EventRecord


@dataclass(frozen=True)
class Proposed:
    """An event as the user states it."""

    event: str
    date: date
    by: str | None = None
    assessment: str | None = None
    result: str | None = None


def _problem(field: str, en: str, zh: str, expected: str = "") -> InputError:
    return InputError([Problem("", field, en, zh, expected=expected)])


def normalise(proc: Procedure, proposed: Proposed) -> tuple[str, str | None, str]:
    """The event's id, its result (pass when optional and not given) and who acted."""
    event = proc.event_named(proposed.event)
    if event is None:
        names = ", ".join(f"{e.id} ({e.zh})" for e in proc.events.values())
        raise _problem(
            "EVENT", f"unknown event {proposed.event!r}", f"未知事件 {proposed.event!r}", names
        )
    result = proposed.result
    if result is not None and result not in RESULTS:
        raise _problem("--result", f"result {result!r}", f"结果 {result!r}", "pass or fail")
    if event.result == "none" and result is not None:
        raise _problem(
            "--result", f"{event.id} takes no result", f"{event.zh}不需要结果", "no --result"
        )
    if event.result == "required" and result is None:
        raise _problem(
            "--result", f"{event.id} needs --result", f"{event.zh}需要给出结果", "pass or fail"
        )
    if event.result == "optional" and result is None:
        result = "pass"
    return event.id, result, proposed.by or event.by


def _facts(proc: Procedure, played: Sequence[tuple[str, str | None, date]]) -> list[dict]:
    """The event facts of a replay: event, result, and whether publicity is over on its date."""
    facts, publicity_end = [], None
    period = proc.periods["publicity"]
    for index, (event, result, when) in enumerate(played):
        over = int(publicity_end is not None and when > publicity_end)
        facts.append(
            {"id": index, "event": event, "result": result or "none", "publicity_over": over}
        )
        if event == period.after:
            publicity_end = after_days(when, period.days)
    return facts


def replay(proc: Procedure, records: Sequence[EventRecord]) -> str:
    """The state the recorded events lead to (recorded events were allowed when recorded)."""
    played = [(r.event, r.result, r.date) for r in records]
    outcome = proc.chart().run(_facts(proc, played))
    if outcome.refused is not None:
        raise _problem(
            "store", "the recorded events no longer follow the procedure", "已记录事件不符合程序"
        )
    return outcome.state


def decide(
    proc: Procedure, records: Sequence[EventRecord], proposed: Proposed, zone: str
) -> EventRecord:
    """The record of `proposed` when the procedure allows it; else InputError citing the article
    that forbids it (nothing is recorded)."""
    event, result, by = normalise(proc, proposed)
    if records and proposed.date < records[-1].date:
        raise _problem(
            "--date",
            f"{proposed.date} is before the last recorded event ({records[-1].date})",
            f"日期 {proposed.date} 早于上一事件（{records[-1].date}）",
            f"on or after {records[-1].date}",
        )
    played = [(r.event, r.result, r.date) for r in records] + [(event, result, proposed.date)]
    outcome = proc.chart().run(_facts(proc, played))
    if outcome.refused is not None:
        raise refusal(proc, outcome.state, event, result)
    step = next(s for s in proc.steps if s.id == outcome.taken[-1])
    number = (records[-1].number + 1) if records else 1
    return EventRecord(
        zone, number, event, proposed.date, by, result, proposed.assessment,
        step.source, step.target, step.id,
    )  # fmt: skip


def refusal(proc: Procedure, state: str, event: str, result: str | None) -> InputError:
    rule = proc.events[event]
    here = proc.states[state]
    allowed = ", ".join(sorted({s.event for s in proc.allowed(state)})) or "none"
    cite = rule.cite
    return InputError(
        [
            Problem(
                "",
                "EVENT",
                f"{event} is not allowed in state {here.label} ({state}): {cite.line('en')}",
                f"当前状态“{here.label}”下不允许{rule.zh}：依据{cite.line('zh')}",
                expected=f"one of: {allowed}",
            )
        ]
    )


# -- status ---------------------------------------------------------------------------------


def status(
    proc: Procedure, records: Sequence[EventRecord], on: date, *, holidays: bool = False
) -> dict:
    """Where the zone stands on `on`: its state, the dates that matter and what is overdue,
    each with its article; events after `on` are not counted."""
    past = [r for r in records if r.date <= on]
    state = replay(proc, past)
    dates, overdue = _dates(proc, past, state, on, holidays)
    return {
        "on": on.isoformat(),
        "state": state,
        "label": proc.states[state].label,
        "article": proc.states[state].cite.to_dict(),
        "next": [_next(proc, s) for s in proc.allowed(state)],
        "dates": dates,
        "overdue": overdue,
        "events": [r.to_dict() | {"article": _transition(proc, r).cite.to_dict()} for r in past],
    }


def _transition(proc: Procedure, record: EventRecord) -> Step:
    return next(s for s in proc.steps if s.id == record.transition)


def _next(proc: Procedure, step: Step) -> dict:
    return {
        "event": step.event,
        "zh": proc.events[step.event].zh,
        "result": step.result,
        "to": step.target,
        "article": step.cite.to_dict(),
    }


_BEFORE_EVALUATION = {"creating", "self_assessed", "evaluation_review"}


def _dates(proc: Procedure, past, state: str, on: date, holidays: bool) -> tuple[list, list]:
    creation, publicity = proc.periods["creation"], proc.periods["publicity"]
    last = {r.event: r for r in past}
    dates, overdue = [], []
    approved = _last(past, creation.after, "pass")
    if approved is not None and state in _BEFORE_EVALUATION | {"passed", "evaluation"}:
        end = after_years(approved.date, creation.years, holidays=holidays)
        dates.append(_date("creation_end", "创建期满", end, creation.cite))
        self_assessed = _last(past, "self-assess", "pass")
        earliest = self_assessed.date if self_assessed and state == "self_assessed" else None
        cite12 = proc.events["apply-evaluation"].cite
        dates.append(_date("earliest_evaluation", "最早评估申请", earliest, cite12))
        dates.append(_date("latest_evaluation", "最迟评估申请", end, creation.cite))
        if state in _BEFORE_EVALUATION - {"evaluation_review"} and on > end:
            overdue.append(_date("evaluation_application", "评估申请逾期", end, creation.cite))
    if state == "failed_once":
        cite17 = proc.steps[[s.id for s in proc.steps].index("evaluation:evaluate:fail")].cite
        dates.append(_date("earliest_evaluation", "下一次评估认定时", None, cite17))
    if state in ("publicity", "recognised") and publicity.after in last:
        end = after_days(last[publicity.after].date, publicity.days, holidays=holidays)
        dates.append(_date("publicity_end", "公示期满", end, publicity.cite))
        if state == "publicity" and on > end:
            cite16 = proc.events["recognise"].cite
            overdue.append(_date("recognition", "公示期满待认定", end, cite16))
    return dates, overdue


def _last(past, event: str, result: str | None) -> EventRecord | None:
    found = [r for r in past if r.event == event and (result is None or r.result == result)]
    return found[-1] if found else None


def _date(key: str, label: str, when: date | None, cite) -> dict:
    return {
        "key": key,
        "label": label,
        "date": when.isoformat() if when else None,
        "article": cite.to_dict(),
    }


def procedure() -> Procedure:
    return load_procedure()
