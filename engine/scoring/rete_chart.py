"""durable-rules' statecharts behind the adapter's guarantees: one state, events taken in order.

durable-rules runs a statechart by compiling each transition into a rule that joins the event
with the chart's context, a fact `{label: <state>, chart: 1}`, and by replacing that fact with
the target state's when the rule fires (durable.engine.Statechart and To). This module compiles
a chart the same way and drives the C core itself, as demozone.scoring.rete does, keeping what
rete.py keeps out of reach. Where durable replaces the context fact in one long session, each
event here is one session (the current state's context, then the event, then the session is
deleted): retracting a fact that took part in a join reads uninitialised memory in the engine
(valgrind, deleteMessageFromFrame), so nothing is ever retracted.

- durable's Python layer is never imported (no Host thread, no swallowed exception); every call
  goes through rete.py's process-wide engine lock and refuses reentry.
- The only join is the chart's own: one event pattern and the context pattern, with no
  comparison between the two facts (correlated joins crash, upstream issue 381). Both patterns
  are single-fact conditions checked by rete_conditions.Spec (safe operators, one type per field,
  no fields sharing a hash, the engine's tables); event and context facts carry disjoint fields.
- Only str and int values enter the engine (rete_values.Staging); ids and the session id are the
  adapter's own (rete_values.Ids); an "open" marker fires a no-op rule first and every fact is
  matched by a sink rule; the session is deleted before `run` returns or raises.
- Anything a guard needs that is not a plain field of the event (a date compared with a period's
  end) is decided exactly in Python before the event enters the engine, as a 0/1 field.

The chart is deterministic: an event fires at most one transition (two is a DemozoneBug), and an
event no transition takes ends the run there (the caller reports it as refused). The state
between events is carried by the adapter; which transition an event takes is the engine's.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import durable_rules_engine as _engine

from demozone.common.errors import DemozoneBug
from demozone.scoring.rete import _engine_calls, _refuse_reentry
from demozone.scoring.rete_conditions import FACT_FIELD, OPEN_FIELD, OPEN_RULE, SINK_RULE, Spec
from demozone.scoring.rete_values import Ids, Staging

CONTEXT_FIELDS = ("label", "chart")  # the context fact, as durable's statecharts write it
_RULE = re.compile(r"t\d+\Z")


@dataclass(frozen=True)
class Transition:
    """From `source` on an event matching `when` (one fact's condition) to `target`."""

    id: str
    source: str
    when: Mapping
    target: str


@dataclass(frozen=True)
class Played:
    """What a run did: the transitions taken, in order; `refused` is the index of the first event
    no transition took (None when every event was taken), `state` the state reached before it."""

    taken: tuple[str, ...]
    refused: int | None
    state: str


class Chart:
    """A statechart compiled once into a durable-rules ruleset."""

    def __init__(self, name: str, start: str, transitions: Sequence[Transition]) -> None:
        _refuse_reentry()
        self.name, self.start = name, start
        self._by_rule = {f"t{i}": t for i, t in enumerate(transitions)}
        self._spec = Spec(self._conditions())
        self._sids = Ids()
        with _engine_calls():
            try:
                self._handle = _engine.create_ruleset(name, json.dumps(self._definition()))
            except _engine.error as error:
                raise DemozoneBug(f"durable-rules refused chart {name!r}: {error}") from None

    def _conditions(self) -> dict[str, Mapping]:
        conditions = {}
        for rule, transition in self._by_rule.items():
            if any(field in json.dumps(transition.when) for field in CONTEXT_FIELDS):
                raise DemozoneBug(f"transition {transition.id}: events may not test label/chart")
            conditions[f"{rule}_event"] = transition.when
            conditions[f"{rule}_context"] = _context(transition.source)
        return conditions

    def _definition(self) -> dict:
        marked = {"$ex": {FACT_FIELD: 1}}
        rules = {
            OPEN_RULE: {"all": [{"m": {"$ex": {OPEN_FIELD: 1}}}]},
            SINK_RULE: {"all": [{"m": marked}]},
        }
        for rule, transition in self._by_rule.items():
            rules[rule] = {
                "all": [
                    {"m": {"$and": [marked, transition.when]}},
                    {"chart_context": {"$and": [marked, _context(transition.source)]}},
                ]
            }
        return rules

    def run(self, events: Sequence[Mapping[str, str | int]]) -> Played:
        """Play `events` (mappings of str/int fields, each with a unique `id`) from the start
        state, in order, in one session; stop at the first event no transition takes."""
        _refuse_reentry()
        if any(field in event for event in events for field in CONTEXT_FIELDS):
            raise DemozoneBug(f"chart {self.name!r}: an event may not carry label or chart")
        staging = Staging(dict(self._spec.types))
        staged = staging.facts(events, f"chart {self.name!r}")
        state, taken = self.start, []
        for index, (_, projected) in enumerate(staged):
            with _engine_calls():
                transition = _ChartSession(self).step(state, projected)
            if transition is None:
                return Played(tuple(taken), index, state)
            state = transition.target
            taken.append(transition.id)
        return Played(tuple(taken), None, state)


_CHARTS: dict[str, Chart] = {}


def get_chart(name: str, start: str, transitions: Sequence[Transition]) -> Chart:
    """The process's one Chart of this name, compiled on first use (a name means one chart)."""
    existing = _CHARTS.get(name)
    if existing is None:
        existing = _CHARTS[name] = Chart(name, start, transitions)
    elif existing.start != start or list(existing._by_rule.values()) != list(transitions):
        raise DemozoneBug(f"chart {name!r} is already compiled with a different definition")
    return existing


def _context(state: str) -> dict:
    return {"$and": [{"label": state}, {"chart": 1}]}


class _ChartSession:
    def __init__(self, chart: Chart) -> None:
        self._chart = chart
        self._handle = chart._handle
        self.sid = chart._sids.take()
        self._ids = Ids(live=[f"sid-{self.sid}"])

    def step(self, state: str, projected: Mapping) -> Transition | None:
        """One session: the context of `state`, then the event; the transition that fired."""
        opened = False
        try:
            self._open()
            opened = True
            return self._step(state, projected)
        except _engine.error as error:
            raise DemozoneBug(
                f"durable-rules failed in chart session {self.sid}: {error}"
            ) from None
        finally:
            if opened:
                _engine.delete_state(self._handle, self.sid)
                self._chart._sids.release(self.sid)

    def _open(self) -> None:
        marker = {"sid": self.sid, "id": self._ids.take(), OPEN_FIELD: 1}
        code, state = _engine.assert_fact(self._handle, json.dumps(marker))
        if code != 0 or [rule for rule, _ in self._drain(state)] != [OPEN_RULE]:
            raise DemozoneBug(f"the open marker of chart session {self.sid} did not fire")

    def _step(self, state: str, projected: Mapping) -> Transition | None:
        context = self._enter(state)
        fired = self._assert(self._fact(projected))
        if not fired:
            return None
        if len(fired) > 1:
            raise DemozoneBug(f"chart {self._chart.name!r}: an event fired {sorted(fired)}")
        ((rule, context_id),) = fired
        transition = self._chart._by_rule[rule]
        if context_id != context["id"] or transition.source != state:
            raise DemozoneBug(f"chart {self._chart.name!r}: {rule} fired on another state")
        return transition

    def _fact(self, fields: Mapping) -> dict:
        return {"sid": self.sid, "id": self._ids.take(), FACT_FIELD: 1, **fields}

    def _enter(self, state: str) -> dict:
        context = self._fact({"label": state, "chart": 1})
        if self._assert(context):
            raise DemozoneBug(f"chart {self._chart.name!r}: entering {state!r} fired a transition")
        return context

    def _assert(self, fact: dict) -> list[tuple[str, str]]:
        code, state = _engine.assert_facts(self._handle, json.dumps([fact], ensure_ascii=False))
        matches = self._drain(state)
        if code != 0 or (SINK_RULE, None) not in [(r, None) for r, _ in matches]:
            raise DemozoneBug(f"the chart engine did not take a fact (code {code})")
        return [(rule, context) for rule, context in matches if _RULE.match(rule)]

    def _drain(self, state: int) -> list[tuple[str, str | None]]:
        matches = []
        started = _engine.start_action_for_state(self._handle, state)
        message = started[1] if started else None
        while message is not None:
            ((rule, match),) = json.loads(message).items()
            context = match.get("chart_context")
            matches.append((rule, context["id"] if context else None))
            message = _engine.complete_and_start_action(self._handle, state)
        return matches
