"""durable-rules behind a safe interface: single-fact rules, one engine session per run.

durable-rules 2.0.28 is a Rete engine in C, unmaintained, that crashes the interpreter or answers
wrongly in ways measured in the project notes (durable-rules.md) and pinned in tests/test_rete.py.
This module is the only place demozone touches it, and it keeps every one of those states out of
reach:

- It drives the C core (`durable_rules_engine`) itself. durable's Python layer (`Host`, `Closure`,
  `durable.lang`) is never imported: no background thread exists to race `delete_state`, no
  exception is swallowed into `c.s.exception`, no action is dropped after 10 s, and callbacks run
  only while the engine is idle.
- A rule is one condition on one fact: no joins (correlated joins crash, upstream issue 381).
  Conditions use `$and`, `$or`, `$ex`, `$nex`, `$eq`, `$neq`, `$lt`, `$lte`, `$gt`, `$gte` and
  `{field: value}`, one key per mapping (the engine silently tests only the first key of
  `{a: 1, b: 2}`). Ordering comparisons take ints; every field the rules name has one type, and
  facts must carry that type, so a numeric string never meets a number (the engine compares them
  as text over a length read from uninitialised memory: "10" >= 8 is false, "5" == 5 depends on
  the build). Callers pass exact quantities as ints, scaled if need be.
- Only str and int values enter the engine: ints within +-2**53, strings NFC-normalised and at most
  65,535 bytes as JSON-escaped UTF-8 (longer ones compare truncated). Anything else is refused
  with DemozoneBug before a session starts.
- The engine identifies fields, fact ids and session ids by a 32-bit FNV-1a hash and never compares
  the strings. Field names that share a hash (with each other or with the engine's own names) are
  refused at construction; fact ids and session ids are the adapter's own, skipping any whose hash
  is live, and are mapped back to the caller's ids.
- Each run is one session: an "open" marker fact fires a no-op rule first (deleting a session in
  which no action ran segfaults), every fact carries a marker field matched by a sink rule (a fact
  no rule handles makes the engine refuse the batch) and by every rule (so nothing matches the
  session's own state fact), batches are never empty, and the session is deleted before `run`
  returns or raises. One module lock serialises every engine call, so at most one session is live
  (the 1,025th live session of a ruleset is fatal).
- Fixed engine tables are checked before compiling: at most 14 `$and`/`$or` per rule, 200 fields
  the rules name (a fact of 255 properties segfaults), a bounded fan-out per alpha node (the 513th
  child sends create_ruleset into an endless loop) and at most 60 tests one fact can match side
  by side (the 65th fails the assert midway). Rules with identical conditions share one engine
  rule, and a fact fires each rule at most once (an `$or` fires once per true branch).

The checks that need no engine live beside this module: rete_values.py (the hash, the values and
ids the engine tells apart, the facts of a run) and rete_conditions.py (the conditions, the model
of the engine's tables, the compiled definition). Only this module and its statechart path,
rete_chart.py (which shares this lock and these checks), import durable-rules.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager

import durable_rules_engine as _engine

from demozone.common.errors import DemozoneBug
from demozone.scoring.rete_conditions import (
    FACT_FIELD,
    OPEN_FIELD,
    OPEN_RULE,
    SINK_RULE,
    Spec,
)
from demozone.scoring.rete_values import Ids, Staging

OnFire = Callable[[str, dict], Iterable[Mapping]]

# --- serialisation ------------------------------------------------------------------------------

_LOCK = threading.Lock()
_THREAD = threading.local()


def _refuse_reentry() -> None:
    """on_fire runs under the engine lock: calling back in is a bug, reported, not a deadlock."""
    if getattr(_THREAD, "inside", False):
        raise DemozoneBug("the rules engine was called from inside on_fire")


@contextmanager
def _engine_calls() -> Iterator[None]:
    """Hold the process-wide engine lock: durable-rules is not thread-safe."""
    _refuse_reentry()
    with _LOCK:
        _THREAD.inside = True
        try:
            yield
        finally:
            _THREAD.inside = False


# --- sessions -----------------------------------------------------------------------------------


class _Session:
    """One engine session: opened by a marker whose no-op rule fires, deleted when done."""

    def __init__(self, ruleset: Ruleset, staging: Staging) -> None:
        self._handle = ruleset._handle
        self._callers = ruleset._spec.callers
        self._staging = staging
        self._sids = ruleset._sids
        self.sid = self._sids.take()
        self._ids = Ids(live=[f"sid-{self.sid}"])  # the session's state fact has this id
        self._facts: dict[str, Mapping] = {}
        self._fired: set[tuple[str, str]] = set()

    def play(self, first: list, on_fire: OnFire) -> int:
        """Assert, fire and chain to the end; delete the session whatever happens."""
        opened = False
        try:
            self._open()
            opened = True
            return self._fire_all(first, on_fire)
        except _engine.error as error:
            raise DemozoneBug(f"durable-rules failed in session {self.sid}: {error}") from error
        finally:
            if opened:  # else the session is left alive: deleting it could segfault
                _engine.delete_state(self._handle, self.sid)
                self._sids.release(self.sid)

    def _open(self) -> None:
        marker = {"sid": self.sid, "id": self._ids.take(), OPEN_FIELD: 1}
        code, state = _engine.assert_fact(self._handle, json.dumps(marker))
        if code != 0 or self._drain(state) != [(OPEN_RULE, marker["id"])]:
            raise DemozoneBug(f"the open marker of session {self.sid} did not fire (code {code})")

    def _fire_all(self, batch: list, on_fire: OnFire) -> int:
        fired = 0
        while batch:
            matches = self._assert(batch)
            batch = []
            for rule, engine_id in matches:
                if rule == SINK_RULE or (rule, engine_id) in self._fired:
                    continue  # an $or fires once per true branch: once is the answer
                self._fired.add((rule, engine_id))
                fact = self._facts[engine_id]
                for name in self._callers[rule]:
                    fired += 1
                    batch += self._staging.facts(on_fire(name, fact), f"on_fire({name!r})")
        return fired

    def _assert(self, batch: list) -> list[tuple[str, str]]:
        """Assert a non-empty batch of facts; the firings it causes, in engine order."""
        payload = []
        for fact, projected in batch:
            engine_id = self._ids.take()
            self._facts[engine_id] = fact
            payload.append({"sid": self.sid, "id": engine_id, FACT_FIELD: 1, **projected})
        code, state = _engine.assert_facts(self._handle, json.dumps(payload, ensure_ascii=False))
        matches = self._drain(state)
        sunk = sorted(engine_id for rule, engine_id in matches if rule == SINK_RULE)
        if code != 0 or sunk != sorted(entry["id"] for entry in payload):
            raise DemozoneBug(f"the engine did not take every fact of a batch (code {code})")
        return matches

    def _drain(self, state: int) -> list[tuple[str, str]]:
        """Run the session's agenda to its end; no callback runs meanwhile."""
        matches = []
        started = _engine.start_action_for_state(self._handle, state)
        message = started[1] if started else None
        while message is not None:
            matches.append(_firing(message))
            message = _engine.complete_and_start_action(self._handle, state)
        return matches


# An action message is {"<rule>":{"m":<the fact as the adapter wrote it>}}, and the adapter writes
# sid and id first: reading just those two is most of the adapter's own cost saved. Anything else
# is parsed in full.
_MESSAGE = re.compile(r'\{"(\w+)":\{"m":\{"sid": "\d+", "id": "(\d+)"[,}]')


def _firing(message: str) -> tuple[str, str]:
    """(engine rule, engine id) of one action message."""
    quick = _MESSAGE.match(message)
    if quick:
        return quick.group(1), quick.group(2)
    ((rule, match),) = json.loads(message).items()
    return rule, match["m"]["id"]


# --- rulesets -----------------------------------------------------------------------------------

_REGISTRY = threading.RLock()
_RULESETS: dict[str, Ruleset] = {}


class Ruleset:
    """Single-fact rules compiled once into a durable-rules ruleset."""

    def __init__(self, name: str, rules: Mapping[str, Mapping]) -> None:
        """rules: rule name -> durable-rules JSON condition for ONE fact (what goes under
        "all": [{"m": <condition>}]), e.g.
        {"$and": [{"kind": "case"}, {"rule": "r-3"}, {"$gte": {"r_lo": 80000}}]}.

        Compiled once; the durable ruleset name is unique in the process (a second Ruleset of the
        same name raises DemozoneBug: use get_ruleset). Raises DemozoneBug, before the engine sees
        anything, for any condition outside the safe subset described in the module docstring.
        """
        _refuse_reentry()
        if not isinstance(name, str) or not name:
            raise DemozoneBug(f"ruleset name {name!r} must be a non-empty str")
        self.name = name
        self._spec = Spec(rules)
        self._sids = Ids()
        with _REGISTRY:
            if name in _RULESETS:
                raise DemozoneBug(f"ruleset {name!r} already exists in this process")
            with _engine_calls():
                try:
                    self._handle = _engine.create_ruleset(name, self._spec.definition())
                except _engine.error as error:
                    raise DemozoneBug(f"durable-rules refused ruleset {name!r}: {error}") from None
            _RULESETS[name] = self

    @property
    def definition(self) -> str:
        """The checked, normalised definition as canonical JSON (what get_ruleset compares)."""
        return self._spec.canonical

    @property
    def live_sessions(self) -> int:
        """Sessions not deleted: 0 between runs, unless opening a session failed in the engine."""
        return len(self._sids)

    def run(self, facts: Sequence[Mapping[str, str | int]], on_fire: OnFire) -> int:
        """One session: assert `facts`, call on_fire(rule_name, fact) once per match (fact as the
        caller gave it, with the caller's own `id`), assert into the same session whatever
        on_fire returns (chaining, to any depth), then delete the session. Returns the number of
        firings. Raises the first exception on_fire raised.

        on_fire returns an iterable of facts, empty when nothing follows (None is a bug). Every
        fact, asserted or returned, is a mapping with a unique `id` (str or int) and str/int
        values; the fields the rules compare carry the type the rules compare them with (ints for
        quantities: never numeric strings). A fact no rule matches is fine. on_fire runs while
        the engine is idle and holds the process-wide engine lock: it must not call the engine
        (DemozoneBug). Nothing reaches the engine when `facts` is empty, and nothing of a run is
        asserted before all of `facts` passed the checks.
        """
        _refuse_reentry()
        staging = Staging(self._spec.types)
        first = staging.facts(facts, f"ruleset {self.name!r}")
        if not first:
            return 0
        with _engine_calls():
            return _Session(self, staging).play(first, on_fire)


def get_ruleset(name: str, rules: Mapping[str, Mapping]) -> Ruleset:
    """The process's one Ruleset of this name, compiled on first use.

    Asking again with a different definition under the same name is a bug (DemozoneBug): a name
    must not silently mean two rule sets.
    """
    _refuse_reentry()  # before the registry lock, which a constructor holds while it waits
    with _REGISTRY:
        existing = _RULESETS.get(name)
        if existing is None:
            return Ruleset(name, rules)
    if existing.definition != Spec(rules).canonical:
        raise DemozoneBug(f"ruleset {name!r} is already compiled with a different definition")
    return existing
