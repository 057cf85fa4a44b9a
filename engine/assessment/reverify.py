"""Which triple of a stored assessment changed: the assessment re-derived from its recorded
inputs and compared triple by triple (`demozone verify`).

The store keeps the submission's sha256 and where its file was read, not the file. When that
file (or the one named with --submission) is still the one recorded and the rule files, the
knowledge base and the evidence are those the receipt names, the submission is scored again and
its graph rebuilt under the assessment's own id, time and engine: every triple the store holds
but the rebuilt graph lacks was added or changed, every one the rebuilt graph holds but the
store lacks was deleted or changed. The few values only the record itself knows (the time, the
path of the file, the engine's name) are taken from what is stored; where the change is in one
of them, the reading that explains the store with the fewest differences names it. The time
the assessment was recorded (prov:endedAtTime) cannot be re-derived: a graph that differs only
there is reported with the value stored.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from pathlib import Path
from urllib.parse import unquote

from demozone.assessment.assess import Assessment, assess
from demozone.assessment.resolve import changed_inputs
from demozone.common.errors import InputError, StoreError
from demozone.common.hashing import sha256_file
from demozone.common.vocab import DZ, ID, PROV, RDF
from demozone.provenance.digest import SEAL_PREDICATES
from demozone.provenance.export import receipt_entries
from demozone.provenance.graph import AssessmentGraph
from demozone.provenance.implied import implied_lines
from demozone.provenance.rdfterms import quads_to_graph
from demozone.scoring.aggregate import ENGINES
from demozone.store.base import BaseStore
from demozone.store.terms import ASSESSMENT_PREFIX
from demozone.store.verify import Difference

_STARTED, _ENDED = f"<{PROV.startedAtTime}>", f"<{PROV.endedAtTime}>"
_FILE_PATH, _VALUE = f"<{DZ.filePath}>", f"<{DZ.value}>"
_SHA256, _SYSTEM = f"<{DZ.sha256}>", f"<{DZ.system}>"
_HAD_PLAN, _USED = f"<{PROV.hadPlan}>", f"<{PROV.used}>"
RULESET_PREFIXES = (f"{ID}ruleset/", f"{ID}graph/ruleset/")
_TIME = re.compile(r'^"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"$')
_SCORE_KEYS = {f"<{DZ.value}>", f"<{DZ.total}>", f"<{DZ.passed}>", f"<{DZ.points}>"}
# A judgment's node named by its index alone, as assessments recorded before judgments were
# named for their clause and assessor have it; and the rest of a newer name.
_OLDER_JUDGMENT = re.compile(r"^<[^>]*/fact/judgment%3A\d+> ")
_JUDGMENT_NAME = re.compile(r"(/fact/judgment%3A\d+)%3A[^>/]*>")


def rederive(
    store: BaseStore, graph: str, submission: str | Path | None = None, *, intact: bool = False
) -> tuple[list[Difference], list[str]]:
    """(differences, notes) of the stored assessment `graph` against its re-derivation; notes
    say why it could not be re-derived. `intact`: its digest holds, so a difference can only
    come from inputs that changed since (then a note, not a difference)."""
    quads = store.graph_quads(graph)
    stored = {
        f"{q.subject} {q.predicate} {q.object}"
        for q in quads
        if q.predicate.value not in SEAL_PREDICATES
    }
    shared = (f"{q.subject} {q.predicate} {q.object}" for q in store.shared_quads(quads))
    stored |= implied_lines(graph, stored, shared)  # compared whole (provenance.implied)
    path = _submission_path(stored, submission)
    if path is None:
        return [], [
            f"{graph}: not re-derived: its submission file is not available (--submission FILE)"
        ]
    scorings = _scorings(stored, path)
    if not scorings:
        return [], [f"{graph}: not re-derived: its rule set cannot score {path}"]
    # the fewest unexplained triples; on a tie, the time the assessment's id was minted with
    stamp = graph.removeprefix(ASSESSMENT_PREFIX)
    best = min(
        (
            (len(unexplained), _compact(reading[0]) not in stamp, unexplained)
            for scored in scorings
            for reading in _readings(stored, scored, path, intact)
            for unexplained in [_rebuilt(graph, scored, stored, *reading)]
        ),
        key=lambda found: found[:2],
    )[2]
    if not best and not intact:
        best = {line for line in stored if line.split(" ", 2)[1] == _ENDED} or {
            f"<{graph}> {_ENDED} (none)"
        }
    changed = _changed_inputs(quads, scorings[0])
    if intact and changed:
        return [], [f"{graph}: not compared: inputs changed since ({', '.join(changed)})"]
    notes = [f"{graph}: inputs changed since ({', '.join(changed)})"] if changed else []
    return _differences(graph, stored, best), notes


def _compact(time: str) -> str:
    return time.replace(":", "").replace("-", "")


def _objects(stored: set[str], predicate: str) -> list[str]:
    return sorted({line.split(" ", 2)[2] for line in stored if line.split(" ", 2)[1] == predicate})


def _submission_path(stored: set[str], submission: str | Path | None) -> Path | None:
    """The submission file: the one named, else where it was read if it is still the same."""
    if submission is not None:
        return Path(submission) if Path(submission).is_file() else None
    digests = {v.strip('"') for v in _objects(stored, _SHA256) + _objects(stored, _VALUE)}
    for value in _objects(stored, _FILE_PATH):
        path = Path(value.strip('"'))
        if path.is_file() and sha256_file(path) in digests:
            return path
    return None


def _scorings(stored: set[str], path: Path) -> list[Assessment]:
    """The submission scored under each rule set the record names (its plan, its rule set
    graph, its system), those that can score it."""
    names = [
        v.strip("<>").removeprefix(prefix).split("/")[0]
        for v in _objects(stored, _HAD_PLAN) + _objects(stored, _USED)
        for prefix in RULESET_PREFIXES
        if v.strip("<>").startswith(prefix)
    ]
    names += [v.strip("<>").rsplit("/", 1)[-1] for v in _objects(stored, _SYSTEM)]
    found = []
    for name in dict.fromkeys(unquote(n) for n in names if n):
        try:
            found.append(assess(path, system=name, engine="direct", write=False))
        except (InputError, StoreError):
            continue
    return found


def _changed_inputs(quads, scored: Assessment) -> list[str]:
    recorded = receipt_entries(quads_to_graph(quads))
    return [n for n in changed_inputs(recorded, scored.receipt) if n in recorded]


def _readings(stored: set[str], scored: Assessment, path: Path, intact: bool):
    """(time, file path, engine) candidates for the values only the record knows."""
    times = {v.split('"')[1] for v in _objects(stored, _STARTED)}
    times |= {v.split('"')[1] for v in _objects(stored, _VALUE) if _TIME.match(v)}
    times.add(scored.receipt["time"])
    # the path is the one the file was read from; the stored one only when the digest holds
    # (the file named with --submission may be a copy elsewhere)
    files = {str(path.resolve())}
    if intact:
        files |= {v.strip('"') for v in _objects(stored, _FILE_PATH)}
    return itertools.product(sorted(times), sorted(files), ENGINES)


def _rebuilt(graph: str, scored: Assessment, stored: set[str], time, file, engine) -> set[str]:
    receipt = {**scored.receipt, "time": time}
    result = dataclasses.replace(scored.result, engine=engine)
    submission = dataclasses.replace(scored.submission, file=file)
    assessment_id = unquote(graph.removeprefix(ASSESSMENT_PREFIX))
    lines = set(AssessmentGraph(assessment_id, result, submission, receipt).lines())
    if any(_OLDER_JUDGMENT.match(line) for line in stored):  # judgments named as recorded
        lines = {_JUDGMENT_NAME.sub(r"\1>", line) for line in lines}
    lines |= {line for line in stored if _recorded_only(graph, line)}  # not re-derivable
    return lines ^ stored  # the symmetric difference: what the reading leaves unexplained


def _recorded_only(graph: str, line: str) -> bool:
    """A triple only the record knows: when the assessment ended, and the person it is
    attributed to (with that person's type)."""
    subject, predicate, _rest = line.split(" ", 2)
    if predicate == _ENDED:
        return True
    if subject == f"<{graph}>" and predicate == f"<{PROV.wasAttributedTo}>":
        return True
    return subject.startswith(f"<{ID}user/") and predicate == f"<{RDF.type}>"


def _differences(graph: str, stored: set[str], unexplained: set[str]) -> list[Difference]:
    """What the best reading leaves unexplained. When that is nothing but the content digest
    differs, the change is in the one triple only the record holds, prov:endedAtTime."""
    if all(line.split(" ", 2)[1] == _ENDED for line in unexplained) and unexplained:
        return [
            Difference(
                graph,
                "triple",
                f"changed, added or deleted: {line.split(' ', 2)[0]} {_ENDED}, which only the "
                f"record holds (stored: {line.split(' ', 2)[2]})",
                recorded=line,
            )
            for line in sorted(unexplained)
        ]
    added = sorted(unexplained & stored)
    deleted = sorted(unexplained - stored)
    found: list[Difference] = []
    for line in added:
        s, p, o = line.split(" ", 2)
        was = [d for d in deleted if d.startswith(f"{s} {p} ")]
        if len(was) == 1:
            deleted.remove(was[0])
            found.append(_changed(graph, s, p, o, was[0].split(" ", 2)[2]))
        else:
            found.append(Difference(graph, "triple", f"added: {line}", recorded=line))
    found.extend(Difference(graph, "triple", f"deleted: {line}", now=line) for line in deleted)
    return found


def _changed(graph: str, s: str, p: str, stored: str, derived: str) -> Difference:
    """One triple whose object changed; a score's names its kind and key (indicator/3)."""
    kind = "score" if p in _SCORE_KEYS else "triple"
    named = "/".join(s.strip("<>").rsplit("/", 2)[-2:])
    return Difference(
        graph,
        kind,
        f"changed: {s} {p}: stored {stored}, re-derived {derived}"
        + (f" (the {named} score)" if kind == "score" else ""),
        recorded=f"{s} {p} {stored}",
        now=f"{s} {p} {derived}",
    )
