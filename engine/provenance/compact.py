"""An assessment as the store holds it: without the triples its IRIs imply (provenance.implied),
and only when it comes back whole.

`stored()` leaves out every line the others imply, then reads what is left as a reader of the
store reads it and checks that the same graph comes back, triple for triple. When it would not,
the graph is stored as built: compacting never loses a triple.

`kept_if_whole()` checks a choice of lines to keep made beforehand (the lines the graph's builder
did not expect its IRIs to imply): it reads only those, as a reader does, and is much cheaper
than finding them from the whole graph.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence

from demozone.provenance.implied import (
    Context,
    cases_made,
    implied,
    implied_lines,
    read_lines,
    scores_made,
    shared_context,
)


def stored(
    assessment: str,
    lines: list[str],
    shared: Iterable[str] = (),
    terms: Sequence[tuple[str, str, str]] | None = None,
) -> list[str]:
    """The lines of the assessment `<assessment>` that the store holds: those its other lines
    (and the lines of the graphs it uses, `shared`) do not imply; all of them when the graph
    would not come back whole. `terms`, when given, are the terms of each line, in order."""
    shared = tuple(shared)
    context = shared_context(assessment, shared)
    subjects, told = read_lines(assessment, lines, context, terms)
    everything, given = set(subjects), set(lines)
    implied_here = set(implied(assessment, everything, context))
    if not implied_here <= given:
        return lines
    kept, kept_subjects = [], set()
    for line, subject in zip(lines, subjects, strict=True):
        if line not in implied_here:
            kept.append(line)
            kept_subjects.add(subject)
    # What the kept lines imply, read as a reader of the store reads them (their own context).
    again = shared_context(assessment, shared)
    for line in kept:
        said = told.get(line)
        if said is not None:
            again.read_terms(assessment, *said)
    alike = _implies_alike(again, context)
    # a node with nothing of its own to say (a case that compared nothing) that no other node
    # implies keeps one line, so its IRI is still there to imply the rest
    made = _made_by_firings(assessment, everything, again)
    lost = everything - kept_subjects - made
    for line, subject in zip(lines, subjects, strict=True):
        if subject in lost:
            lost.discard(subject)
            kept.append(line)
            kept_subjects.add(subject)
    # Alike contexts make the same lines from the kept subjects as from them all: the subjects
    # left out are scores that firings make. Otherwise the lines are made again to compare.
    if not alike and set(implied(assessment, kept_subjects, again)).union(kept) != given:
        return lines
    return kept


def kept_if_whole(
    assessment: str,
    kept: list[str],
    kept_terms: Sequence[tuple[str, str, str]],
    lines: Iterable[str],
    shared: Iterable[str] = (),
) -> list[str] | None:
    """`kept` (each line with its terms in `kept_terms`) when a reader of the store, given only
    them and the lines of the graphs the assessment uses (`shared`), gets back exactly the
    lines of the assessment `<assessment>`; otherwise None."""
    back = implied_lines(assessment, kept, shared, kept_terms)
    back.update(kept)
    return kept if back == set(lines) else None


def _made_by_firings(assessment: str, subjects: set[str], context: Context) -> set[str]:
    inside = assessment + "/"
    firings = inside + "firing/"
    made: set[str] = set()
    for subject in subjects:
        if subject.startswith(firings):
            rule = subject.removeprefix(firings)
            made.update(scores_made(inside, rule, context))
            made.update(cases_made(inside, rule, context))
    return made


def _implies_alike(one: Context, other: Context) -> bool:
    """Whether `implied` makes the same lines from both contexts for any subjects: it reads
    everything but the points of the nodes that are not the plan's."""
    return dataclasses.replace(one, maxima=_plan_maxima(one)) == dataclasses.replace(
        other, maxima=_plan_maxima(other)
    )


def _plan_maxima(context: Context) -> dict[str, str]:
    if context.plan is None:
        return {}
    inside = context.plan[:-1] + "/"
    return {node: most for node, most in context.maxima.items() if node.startswith(inside)}
