"""What changed between the assessments of a submission (`demozone history`).

History, not overwrites: every scoring run is a new assessment in the store, so the history of a
submission is read from its assessments, oldest first: indicator and level scores and the
judgments each run read (by clause and assessor). Each assessment is compared with the previous
one under the same system only: indicator numbers of two systems are not the same indicators
(the 2022 trial's 25 is not the 2024 draft's 25), so an assessment with no earlier one under its
system is not compared (`demozone compare` goes through the systems' matching instead). A change
names who changed which judgment and what it moved: indicator, level and total points, verdict.

`same_inputs` finds an assessment made from exactly the inputs a new scoring would record (the
receipt's hashes: submission bytes, rule files, knowledge base, evidence, demozone version) with
the same engine, so scoring the same thing twice need not add a second assessment.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox

from demozone.common.errors import InputError, Problem
from demozone.common.vocab import last_segment
from demozone.kb import load as kb
from demozone.provenance.receipt import hashes_only
from demozone.scoring.derive import judgment_label
from demozone.scoring.facts import FactId
from demozone.store.base import AssessmentInfo, BaseStore
from demozone.store.terms import PREFIXES, sparql_term, submission_iri


def _number(text: str | None) -> Decimal:
    """A score as recorded (an xsd:decimal's lexical form); exact, never a float."""
    try:
        return Decimal(text or "0")
    except InvalidOperation:
        return Decimal(0)


def _delta(a: str | None, b: str | None) -> str:
    d = _number(b) - _number(a)
    text = format(d.normalize(), "f") if d else "0"
    return ("+" if d > 0 else "") + text


def history(store: BaseStore, submission: str) -> dict:
    """The assessments of a submission, oldest first, and for each one that has an earlier
    assessment under the same system what changed since that one (`changes`, in order);
    `not_compared` lists those whose system no earlier assessment had. A blank id is refused
    (it would otherwise mean every submission)."""
    wanted_submission(submission)
    runs = store.assessments(submission)
    entries = read_assessments(store, runs)
    changes, not_compared = [], []
    for k, entry in enumerate(entries):
        earlier = [e for e in entries[:k] if e["system"] == entry["system"]]
        if earlier:
            changes.append(diff(earlier[-1], entry))
        elif k > 0:
            not_compared.append({"iri": entry["iri"], "system": entry["system"]})
    return {
        "submission": submission,
        "location": store.location,
        "assessments": entries,
        "changes": changes,
        "not_compared": not_compared,
    }


def wanted_submission(submission: object) -> None:
    """Refuse a blank submission id (it would otherwise mean every submission)."""
    if not isinstance(submission, str) or not submission.strip():
        raise InputError(
            [
                Problem(
                    "history",
                    "SUBMISSION",
                    "name a submission id, e.g. qinglan-2024",
                    "请给出申报材料编号（如 qinglan-2024）",
                    "a submission id",
                )
            ]
        )


def read_assessments(store: BaseStore, runs: list[AssessmentInfo]) -> list[dict]:
    """Each assessment's summary with its indicator and level scores and its judgments."""
    if not runs:
        return []
    values = " ".join(sparql_term(ox.NamedNode(r.iri)) for r in runs)
    scores: dict[str, dict[str, str]] = {r.iri: {} for r in runs}
    levels: dict[str, dict[str, str]] = {r.iri: {} for r in runs}
    judgments: dict[str, list[dict]] = {r.iri: [] for r in runs}
    for row in store.select(
        f"""{PREFIXES}
        SELECT ?a ?s ?v WHERE {{ VALUES ?a {{ {values} }}
          GRAPH ?a {{ ?s dz:value ?v
            FILTER(STRSTARTS(STR(?s), CONCAT(STR(?a), "/score/indicator/"))) }} }}"""
    ):  # an indicator's score is named for it (provenance.implied)
        scores[row["a"].value][last_segment(row["s"].value)] = row["v"].value
    for row in store.select(
        f"""{PREFIXES}
        SELECT ?a ?s ?v WHERE {{ VALUES ?a {{ {values} }}
          GRAPH ?a {{ ?s dz:value ?v
            FILTER(STRSTARTS(STR(?s), CONCAT(STR(?a), "/score/level/"))) }} }}"""
    ):
        levels[row["a"].value][last_segment(row["s"].value)] = row["v"].value
    names = {
        (row["a"].value, last_segment(row["who"].value)): row["name"].value
        for row in store.select(
            f"""{PREFIXES}
            SELECT ?a ?who ?name WHERE {{ VALUES ?a {{ {values} }}
              GRAPH ?a {{ ?who a dz:Assessor ; <http://xmlns.com/foaf/0.1/name> ?name }} }}"""
        )
    }
    for row in store.select(
        f"""{PREFIXES}
        SELECT ?a ?j ?clause ?v ?who WHERE {{ VALUES ?a {{ {values} }}
          GRAPH ?a {{ ?j dz:value ?v .
            FILTER(STRSTARTS(STR(?j), CONCAT(STR(?a), "/fact/judgment%3A")))
            OPTIONAL {{ ?j dz:judgedClause ?clause }}
            OPTIONAL {{ ?j prov:wasAttributedTo ?who }} }}
        }} ORDER BY ?a ?j"""
    ):  # a judgment is named for its clause and assessor; older stores say them in triples
        fact = FactId(last_segment(row["j"].value))
        _index, clause, author = fact.judged()
        if row.get("clause"):
            clause = last_segment(row["clause"].value)
        if row.get("who"):
            author = last_segment(row["who"].value)
        judgments[row["a"].value].append(
            {
                "id": fact,
                "author": author or "",
                "author_name": names.get((row["a"].value, author), ""),
                "clause": clause or "",
                "label": judgment_label(clause or ""),
                "satisfied": row["v"].value == "true",
            }
        )
    entries = []
    for run in runs:
        info = run.to_dict()
        info["indicators"] = dict(
            sorted(scores[run.iri].items(), key=lambda kv: _number_key(kv[0]))
        )
        info["levels"] = levels[run.iri]
        info["judgments"] = [{**j, "time": run.recorded or run.started} for j in judgments[run.iri]]
        entries.append(info)
    return entries


def _number_key(number: str) -> tuple:
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"[.\-]", number))


def diff(old: dict, new: dict) -> dict:
    """What changed from one assessment to another under the same system: the judgments that
    changed (by assessor and clause) and the indicator, level and total points and the verdict."""
    indicators = []
    for number in sorted(set(old["indicators"]) | set(new["indicators"]), key=_number_key):
        a, b = old["indicators"].get(number), new["indicators"].get(number)
        if a is None or b is None or _number(a) != _number(b):
            indicators.append({"number": number, "from": a, "to": b, "delta": _delta(a, b)})
    system = kb.get_system(new["system"])
    levels = [
        {
            "level": lvl,
            "label": _level_label(system, lvl),
            "label_en": _level_label(system, lvl, "en"),
            "from": old["levels"].get(lvl),
            "to": new["levels"].get(lvl),
            "delta": _delta(old["levels"].get(lvl), new["levels"].get(lvl)),
        }
        for lvl in sorted(set(old["levels"]) | set(new["levels"]))
        if _number(old["levels"].get(lvl)) != _number(new["levels"].get(lvl))
    ]
    return {
        "from": old["iri"],
        "to": new["iri"],
        "total": {
            "from": old["total"],
            "to": new["total"],
            "delta": _delta(old["total"], new["total"]),
        },
        "passed": {
            "from": old["passed"],
            "to": new["passed"],
            "changed": old["passed"] != new["passed"],
        },
        "system": {"from": old["system"], "to": new["system"]},
        "indicators": indicators,
        "levels": levels,
        "judgments": judgment_changes(old["judgments"], new["judgments"]),
    }


def _level_label(system, level_id: str, lang: str = "zh") -> str:
    level = system.level(level_id) if system else None
    if level is None:
        return level_id
    return (level.label_en or level.label) if lang == "en" else level.label


def judgment_changes(old: list[dict], new: list[dict], clause_map=None) -> dict:
    """The judgments that differ, by (assessor, clause): `changed` (the verdict turned),
    `added` (none before), `removed` (none after). `clause_map` maps an old clause id to the
    new system's (across systems); unmapped clauses are compared by id."""
    mapped = clause_map or (lambda clause: clause)
    before = {(j["author"], mapped(j["clause"]) or j["clause"]): j["satisfied"] for j in old}
    after = {(j["author"], j["clause"]): j["satisfied"] for j in new}
    # an assessor's name as the newer assessment gives it, else the older; else the id
    names = {j["author"]: j.get("author_name") for j in old if j.get("author_name")}
    names |= {j["author"]: j.get("author_name") for j in new if j.get("author_name")}

    def entry(key: tuple, **values) -> dict:
        author, clause = key
        name = names.get(author) or author
        return {"author": author, "author_name": name, "clause": clause} | {
            "label": judgment_label(clause),
            **values,
        }

    return {
        "changed": [
            entry(k, **{"from": before[k], "to": after[k]})
            for k in sorted(set(before) & set(after), key=_judgment_key)
            if before[k] != after[k]
        ],
        "added": [
            entry(k, satisfied=after[k])
            for k in sorted(set(after) - set(before), key=_judgment_key)
        ],
        "removed": [
            entry(k, satisfied=before[k])
            for k in sorted(set(before) - set(after), key=_judgment_key)
        ],
    }


def _judgment_key(key: tuple) -> tuple:
    author, clause = key
    return (_number_key(clause), author)


def same_inputs(store: BaseStore, submission: str, receipt: dict, engine: str) -> str | None:
    """The IRI of an assessment of `submission` recorded from exactly the inputs `receipt`
    names (every entry but the time) with the same engine; None if there is none."""
    wanted = hashes_only(receipt)
    sub = sparql_term(submission_iri(submission))
    recorded: dict[str, dict[str, str]] = {}
    engines: dict[str, str] = {}
    for row in store.select(
        f"""{PREFIXES}
        SELECT ?a ?name ?value ?engine WHERE {{ VALUES ?sub {{ {sub} }}
          GRAPH ?a {{ ?a dz:submission ?sub ; dz:receipt ?r . ?r dz:entry ?e .
                      ?e dz:name ?name ; dz:value ?value .
                      OPTIONAL {{ ?a dz:engine ?engine }} }} }}"""
    ):
        iri = row["a"].value
        recorded.setdefault(iri, {})[row["name"].value] = row["value"].value
        engines[iri] = row["engine"].value if row.get("engine") else ""
    for iri in sorted(recorded):
        if hashes_only(recorded[iri]) == wanted and engines[iri] == engine:
            return iri
    return None
