"""One assessment's quads and the knowledge base graph they point into, from whatever the user
named: a submission file (scored now) or an assessment already in the store (IRI or id).

`resolve_assessment` is the one place the reading verbs (`graph`, `export`, `explain`, `ask`)
turn FILE|ASSESSMENT into RDF:

- an existing file is a submission: it is scored; with a store location it is also recorded and
  the quads are read back from the store, without one nothing is written and the quads are built
  and sealed in memory (with the completeness marker the store would add);
- anything else is an assessment reference, looked up in the store (`--store`, else
  `DEMOZONE_STORE`, else ./demozone-data), which is never created for it.

The knowledge base graph is this installation's (kb/), which is what the receipt's `kb` hash
names; for a stored assessment whose store holds a different knowledge base, the store's own
knowledge base graph is used instead, so the graph shows what the store holds.

`rescore` gives the score result behind a resolved assessment. The store keeps a submission's
sha256 and its scores, not its file: for a stored assessment the file must be named again, and it
is used only when it is the same file and re-scoring it reproduces every stored indicator score.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib import Graph

from demozone.assessment.record import (
    KB_CHANGED_SINCE,
    RECORD_PATTERNS,
    STORE_KB_DIFFERS,
    StoredRecord,
    record_of,
)
from demozone.assessment.record import receipt_value as _receipt_value
from demozone.common.errors import InputError, Problem, StoreError
from demozone.common.hashing import sha256_file
from demozone.common.numbers import fmt_points
from demozone.common.vocab import last_segment
from demozone.kb.graph import indicator_iri, kb_graph, kb_lines_by_subject
from demozone.provenance.export import EXCERPT_FOLLOWS, kb_excerpt
from demozone.provenance.implied import with_implied
from demozone.provenance.rdfterms import quads_to_graph
from demozone.provenance.receipt import hashes_only
from demozone.provenance.terms import decimal
from demozone.store.chain import link_quads
from demozone.store.location import open_store
from demozone.store.seal import current_kb_digest, seal
from demozone.store.terms import KB_GRAPH
from demozone.store.views import kept_view
from demozone.submission.suffixes import SUBMISSION_SUFFIXES

if TYPE_CHECKING:
    from demozone.assessment.assess import Assessment


@dataclass
class Resolved:
    """What a FILE|ASSESSMENT reference resolved to."""

    quads: list[ox.Quad]
    kb_source: Graph | Callable[[], Graph]  # the knowledge base graph, or how to get it
    iri: str  # the assessment's IRI (also the name of its graph)
    origin: str  # "file" (scored now) or "store" (read back)
    written: bool = False  # scored now and recorded in a store
    assessment: Assessment | None = None  # the score result, when scored now
    notes: list[str] = field(default_factory=list)  # things worth telling the user

    @property
    def kb_graph(self) -> Graph:
        """The knowledge base graph the quads point into, read on first use (explain needs none)."""
        if not isinstance(self.kb_source, Graph):
            self.kb_source = self.kb_source()
        return self.kb_source

    def kb_excerpt(self) -> Graph:
        """The knowledge base triples the assessment cites (the nodes it names, their anchors,
        selectors and sources: `provenance.export.kb_excerpt`), without building the whole
        knowledge base graph when it has not been read yet. What `graph` and `export` use."""
        found = self.kb_excerpt_triples()
        if found is None:
            return kb_excerpt(quads_to_graph(self.quads), self.kb_graph)
        return quads_to_graph(found)

    def kb_excerpt_triples(self) -> list[ox.Triple] | None:
        """The same excerpt as pyoxigraph triples, read from the knowledge base's cached lines;
        None when the knowledge base is another graph (the excerpt is then `kb_excerpt()`)."""
        if self.kb_source is not kb_graph:
            return None
        named = {q.object.value for q in self.quads if isinstance(q.object, ox.NamedNode)}
        return _cited(named, {str(p) for p in EXCERPT_FOLLOWS})

    def kb_lines(self) -> dict[str, bytes] | None:
        """The knowledge base's N-Triples lines by subject (`kb.graph.kb_lines_by_subject`), for
        looking up the nodes the assessment cites; None when the knowledge base is another
        graph (the store's own: use `kb_excerpt()`)."""
        if self.kb_source is not kb_graph:
            return None
        return kb_lines_by_subject()

    def __iter__(self):
        """Unpacks as (quads, kb_graph)."""
        return iter((self.quads, self.kb_graph))

    def graph(self) -> Graph:
        """The assessment's triples as an rdflib graph."""
        return quads_to_graph(self.quads)


def _cited(nodes: set[str], follow: set[str]) -> list[ox.Triple]:
    """The knowledge base's triples about `nodes` and what they lead to through `follow`
    (the same as `provenance.export.kb_excerpt`), parsing only the lines of the nodes visited."""
    lines = kb_lines_by_subject()
    found: list[ox.Triple] = []
    seen: set[str] = set()
    todo = nodes & lines.keys()
    while todo:
        seen |= todo
        text = b"".join(lines[node] for node in sorted(todo))
        part = list(ox.parse(text, format=ox.RdfFormat.N_TRIPLES))
        found += part
        todo = {t.object.value for t in part if t.predicate.value in follow}
        todo = (todo & lines.keys()) - seen
    return found


def is_submission_file(ref: str | Path) -> bool:
    path = Path(ref)
    return path.is_file()


def resolve_assessment(
    ref: str | Path,
    store: str | None = None,
    *,
    system: str | None = None,
    engine: str = "rete",
) -> Resolved:
    """(quads, kb graph, ...) of the assessment `ref` names; see the module docstring.

    `store` is the location given on the command line (None: a file is not recorded, and a
    stored assessment is looked up in DEMOZONE_STORE or ./demozone-data). Raises InputError for
    a submission that cannot be scored or a reference that is neither a file nor an assessment
    id, StoreError when the store cannot be used or does not hold the assessment.
    """
    text = str(ref)
    if is_submission_file(text):
        return _from_file(Path(text), store, system=system, engine=engine)
    if text.lower().endswith(SUBMISSION_SUFFIXES) or not text.strip():
        raise InputError(
            [
                Problem(
                    text,
                    "",
                    "no such submission file (and not an assessment id)",
                    "找不到该申报材料文件（也不是评估记录标识）",
                    expected="a submission file or an assessment IRI/id in the store",
                )
            ]
        )
    return _from_store(text, store)


def resolve_record(ref: str | Path, store: str | None = None) -> Resolved:
    """`resolve_assessment` (with its errors) for what `rescore` needs: a stored assessment comes
    with only the quads of its record (`record.RECORD_PATTERNS`), not its other quads nor its
    rule set graph, and a knowledge base graph other than kb/ is read only when asked for."""
    text = str(ref)
    if is_submission_file(text) or text.lower().endswith(SUBMISSION_SUFFIXES) or not text.strip():
        return resolve_assessment(ref, store)
    quads, stored_digest = _read_record(text, store)
    resolved = Resolved(quads, kb_graph, quads[0].graph_name.value, "store")
    current = current_kb_digest()  # kb/ as it is on disk now: its files' state, read once
    if stored_digest is not None and stored_digest != current:
        resolved.kb_source = lambda: _from_store(text, store).kb_graph
        resolved.notes.append(STORE_KB_DIFFERS)
    receipt_kb = _receipt_value(quads, "kb")
    if receipt_kb and receipt_kb != (stored_digest or current):
        resolved.notes.append(KB_CHANGED_SINCE)
    return resolved


def _read_record(reference: str, store: str | None) -> tuple[list[ox.Quad], str | None]:
    """The record's quads and the store's kb digest: read through a read-only view of the store
    kept while its files are unchanged (`store.views`; a stored assessment never changes), else,
    when that read fails or finds nothing (a writer at work, none at all), as every reader reads."""
    view = kept_view(store)  # None for a server, asked once below
    if view is not None:
        try:
            return view.assessment_quads(reference, RECORD_PATTERNS), view.kb_digest()
        except (StoreError, OSError, RuntimeError):
            pass  # the errors the user sees are those of the store opened as usual
    with open_store(store, create=False) as opened:
        return opened.assessment_quads(reference, RECORD_PATTERNS), opened.kb_digest()


def _scoring():
    """assess and AssessmentGraph, imported when a file is scored: reading a stored assessment
    (`graph`, `export` of an id) does without the rules, scoring and submission reading."""
    from demozone.assessment.assess import assess
    from demozone.provenance.graph import AssessmentGraph

    return assess, AssessmentGraph


def _from_file(path: Path, store: str | None, *, system: str | None, engine: str) -> Resolved:
    assess, AssessmentGraph = _scoring()
    if store is None:
        scored = assess(path, system=system, engine=engine, write=False)
        built = AssessmentGraph(scored.id, scored.result, scored.submission, scored.receipt)
        graph, quads = seal(built.build())
        quads, _digest = link_quads(graph, quads, None, None)  # its digest, as the store's would
        quads += [q for _graph, shared in built.shared() for q in shared]  # the rule set graph's
        return Resolved(with_implied(quads), kb_graph, graph.value, "file", assessment=scored)
    scored = assess(path, system=system, engine=engine, store=store, write=True)
    with open_store(store, create=False) as opened:
        quads = opened.assessment_quads(scored.iri or "")
        quads += opened.shared_quads(quads)  # what it shares with others: its rule set graph
    return Resolved(
        with_implied(quads), kb_graph, scored.iri or "", "file", written=True, assessment=scored
    )


def _from_store(reference: str, store: str | None) -> Resolved:
    notes = []
    with open_store(store, create=False) as opened:
        quads = opened.assessment_quads(reference)
        quads += opened.shared_quads(quads)  # what it shares with others: its rule set graph
        quads = with_implied(quads)  # what the store leaves to the IRIs (provenance.implied)
        stored_digest = opened.kb_digest()
        kb: Graph | Callable[[], Graph] = kb_graph
        if stored_digest is not None and stored_digest != current_kb_digest():
            kb = quads_to_graph(opened.graph_quads(KB_GRAPH.value))
            notes.append(STORE_KB_DIFFERS)
    iri = quads[0].graph_name.value if quads else reference
    receipt_kb = _receipt_value(quads, "kb")
    if receipt_kb and receipt_kb != (stored_digest or current_kb_digest()):
        notes.append(KB_CHANGED_SINCE)
    return Resolved(quads, kb, iri, "store", notes=notes)


# ---------------------------------------------------------------------------------------------
# The score result behind a stored assessment


def stored_record(resolved: Resolved) -> StoredRecord:
    """The submission, system, rule set, engine, receipt and indicator scores an assessment records."""
    return record_of(resolved.quads, resolved.iri)


def _last_segment(term) -> str:
    return last_segment(str(term)) if term is not None else ""


def rescore(resolved: Resolved, submission: str | Path | None = None) -> Assessment:
    """The score result (and loaded submission) behind a resolved assessment.

    Scored now: its own. Stored: the submission file must be named (`submission`); it is used only
    if its sha256 is the one the assessment recorded, and it is re-scored with the assessment's
    rule set and engine, writing nothing. Every re-scored indicator score must equal the stored
    one; inputs that changed since (rule files, the knowledge base, the demozone version) without
    changing a score are added to `resolved.notes`. Raises InputError naming the missing file,
    the changed file, or the scores that differ and the inputs that changed.
    """
    if resolved.assessment is not None:
        return resolved.assessment
    record = stored_record(resolved)
    path = _submission_file(record, submission)
    from demozone.assessment.rescored import scored_again
    from demozone.scoring.aggregate import ENGINES

    engine = record.engine if record.engine in ENGINES else "rete"
    scored = scored_again(path, record.rule_set or None, engine)
    changed = changed_inputs(record.receipt, scored.receipt)
    differences = _score_differences(record, scored.result)
    if differences:
        since = f" (changed since: {', '.join(changed)})" if changed else ""
        since_zh = f"（此后有变化：{'、'.join(changed)}）" if changed else ""
        raise InputError(
            [
                Problem(
                    str(path),
                    "",
                    f"re-scoring does not reproduce assessment {record.iri}: "
                    + "; ".join(f"indicator {n} stored {a}, now {b}" for n, a, b in differences)
                    + since,
                    "重新计分与评估记录不一致："
                    + "；".join(f"指标{n} 记录为{a}分，现为{b}分" for n, a, b in differences)
                    + since_zh,
                )
            ]
        )
    if changed:
        resolved.notes.append(
            f"inputs changed since the assessment ({', '.join(changed)}), but every re-scored "
            f"indicator score equals the stored one (评估后输入有变化，但重新计分的各指标得分与记录一致)"
        )
    return scored


def _recorded_file(record: StoredRecord) -> Path:
    """The file the assessment was read from, if it is still the same file."""
    digest = sha256_file(Path(record.file))
    if digest == record.sha256:
        return Path(record.file)
    raise InputError(
        [
            Problem(
                record.file,
                "",
                f"the submission file changed since assessment {record.iri} (sha256 now "
                f"{digest[:12]}…, recorded {record.sha256[:12]}…): name the original file "
                "(--submission FILE)",
                f"申报材料文件在评估后已被修改（sha256 现为 {digest[:12]}…，记录为 "
                f"{record.sha256[:12]}…）：请指定原文件（--submission FILE）",
                expected=f"sha256 {record.sha256}",
            )
        ]
    )


def _submission_file(record: StoredRecord, submission: str | Path | None) -> Path:
    if submission is None and record.file and Path(record.file).is_file():
        return _recorded_file(record)
    if submission is None:
        raise InputError(
            [
                Problem(
                    record.iri,
                    "submission",
                    f"the store keeps the sha256 of submission {record.submission!r} "
                    f"({record.sha256[:12]}…), not the file"
                    + (f", and {record.file} is gone" if record.file else "")
                    + ": name the file (--submission FILE)",
                    f"存储中只记录了申报材料 {record.submission} 的 sha256（{record.sha256[:12]}…），"
                    "未保存文件本身：请指定该文件（--submission FILE）",
                    expected="the submission file this assessment was made from",
                )
            ]
        )
    path = Path(submission)
    if not path.is_file():
        raise InputError(
            [Problem(str(path), "", "no such submission file", "找不到该申报材料文件")]
        )
    digest = sha256_file(path)
    if digest != record.sha256:
        raise InputError(
            [
                Problem(
                    str(path),
                    "",
                    f"not the submission assessment {record.iri} was made from: its sha256 is "
                    f"{digest[:12]}…, the assessment recorded {record.sha256[:12]}… (the file "
                    "changed since, or it is another file)",
                    f"该文件不是评估所用的申报材料：其 sha256 为 {digest[:12]}…，评估记录为 "
                    f"{record.sha256[:12]}…（文件已被修改，或不是同一文件）",
                    expected=f"sha256 {record.sha256}",
                )
            ]
        )
    return path


def changed_inputs(recorded: dict[str, str], now: dict[str, str]) -> list[str]:
    """The receipt entries (rule files, kb, evidence, version) whose hashes differ; not the time."""
    before, after = hashes_only(recorded), hashes_only(now)
    return sorted(name for name in set(before) | set(after) if before.get(name) != after.get(name))


def _score_differences(record: StoredRecord, result) -> list[tuple[str, str, str]]:
    """(indicator number, stored, re-scored) for every indicator whose score differs."""
    now = {
        str(indicator_iri(result.system, i.number)): (i.number, Decimal(decimal(i.score).value))
        for i in result.indicators
    }
    differences = []
    for iri in [*now, *sorted(set(record.scores) - set(now))]:
        number, after = now.get(iri, (_last_segment(iri), None))
        before = record.scores.get(iri)
        if before != after:
            differences.append((number, _shown(before), _shown(after)))
    return differences


def _shown(value: Decimal | None) -> str:
    return "-" if value is None else fmt_points(Fraction(value))
