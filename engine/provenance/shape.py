"""What an assessment's triples are spent on: counts by predicate and by kind of subject.

The triples of an assessment are the cost of recording it (the store indexes each six times),
so `benchmarks/score.py` prints this breakdown and tests/test_provenance_budget.py holds it to a
budget: a change of layout shows here first.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from demozone.common import vocab


def subject_kind(subject: str, assessment_iri: str) -> str:
    """The kind of a subject (N-Triples text or a bare IRI): the first path segment inside the
    assessment (`fact`, `case`, `firing`, `score`, `receipt`, ...), `assessment` for the
    assessment itself, else the first segment of demozone's IRI space (`submission`, ...)."""
    iri = subject.strip("<>")
    if iri == assessment_iri:
        return "assessment"
    if iri.startswith(assessment_iri + "/"):
        return iri.removeprefix(assessment_iri + "/").split("/", 1)[0]
    return iri.removeprefix(str(vocab.ID)).split("/", 1)[0] or iri


def triple_shape(lines: Iterable[str], assessment_iri: str) -> dict[str, Counter]:
    """{"predicate": Counter, "subject": Counter} over N-Triples lines (without the dot), as
    `AssessmentGraph.lines()` gives them; predicates by their full IRI."""
    predicates: Counter = Counter()
    subjects: Counter = Counter()
    for line in lines:
        subject, predicate, _rest = line.split(" ", 2)
        predicates[predicate.strip("<>")] += 1
        subjects[subject_kind(subject, assessment_iri)] += 1
    return {"predicate": predicates, "subject": subjects}
