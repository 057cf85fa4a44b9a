"""`demozone kb check`: is the knowledge base sound, and what is wrong with its sources?

Checks: the SHACL shapes (ontology/shapes.ttl) on the knowledge-base graph; every anchor re-read
from its source file (quote == slice); every declared number against the text it is anchored to;
the point arithmetic (clauses -> indicator -> second level -> first level -> total); the coverage
of a local decomposition; responsible units named after another place; the vocabulary of
methods, data sources and natures; and the source defects recorded in kb/.

The checks against the sources, the shapes and the vocabulary are here; those of the knowledge
base against itself (arithmetic, coverage, units) in `kb.check_sums`; the report, its findings
and their severities in `kb.check_report`.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote

from rdflib import Graph, URIRef

from demozone.common.diagnostics import Finding
from demozone.common.errors import InputError
from demozone.common.numbers import fmt_points
from demozone.common.vocab import DZ, ID, SH, concept_index, ontology, shacl_severity, shapes
from demozone.kb import load as kbload
from demozone.kb import model as kbmodel
from demozone.kb.cache import cached, entry_key
from demozone.kb.check_report import KbReport, kb_finding
from demozone.kb.check_sums import check_arithmetic, check_coverage, check_units
from demozone.kb.graph import kb_graph

_POINTS_IN_TEXT = re.compile(r"(\d+(?:\.\d+)?)\s*分")


def check_kb(kb_dir: Path | str | None = None, *, force: bool = False) -> KbReport:
    """Run every check on the knowledge base in `kb_dir` (default kb/); never raises for bad data.

    A knowledge base that cannot be loaded yields its load problems as error findings. The report
    is computed once per content of kb/, ontology/ and the checking code (demozone.kb.cache);
    `report.reused` says it was; `force` runs every check again.
    """
    try:
        kb = kbload.load_kb(kb_dir)
    except InputError as err:
        findings = [
            kb_finding("error", "load", "", p.path, p.message, p.message_zh, p.file, p.line)
            for p in err.problems
        ]
        return KbReport(str(kb_dir or kbload.KB_DIR), tuple(findings), {})
    key = entry_key(kb.directory)
    if key in _REPORTS and not force:
        return dataclasses.replace(_REPORTS[key], reused=True)
    directory = str(kb.directory)
    report, reused = cached("check", kb.directory, lambda: _run_checks(directory), force=force)
    _REPORTS[key] = report
    return dataclasses.replace(report, reused=reused)


def clear_cache() -> None:
    """Forget the reports computed in this process (the on-disk cache keeps its entries)."""
    _REPORTS.clear()


_REPORTS: dict[str, KbReport] = {}  # entry key (demozone.kb.cache) -> report


def _run_checks(directory: str) -> KbReport:
    kb = kbload.load_kb(directory)
    graph = kb_graph(kb.directory)
    findings = [
        *check_shapes(kb, graph),
        *check_anchors(kb),
        *check_points_text(kb),
        *check_vocabulary(kb),
        *check_arithmetic(kb),
        *check_coverage(kb),
        *check_units(kb),
        *recorded_defects(kb),
    ]
    findings.sort(key=lambda f: f.severity.rank)
    counts = {
        "systems": len(kb.systems),
        "indicators": sum(len(s.indicators) for s in kb.systems.values()),
        "clauses": sum(len(i.clauses) for s in kb.systems.values() for i in s.indicators),
        "anchors": sum(1 for _ in kb.anchor_uses()),
        "sources": len(kb.sources),
        "triples": len(graph),
    }
    return KbReport(str(kb.directory), tuple(findings), counts)


# ---------------------------------------------------------------------------------------------
# SHACL


def check_shapes(kb: kbmodel.KB, graph: Graph) -> list[Finding]:
    """Every SHACL result on the knowledge-base graph (with the ontology mixed in)."""
    # imported here: pyshacl and the SPARQL it pulls in are most of the time of a `kb check`
    # whose report is reused from the cache, which validates nothing
    import pyshacl

    data = Graph()
    data += graph
    data += ontology()
    _conforms, report, _text = pyshacl.validate(
        data, shacl_graph=shapes(), inference="none", allow_warnings=True, inplace=True
    )
    findings = []
    for result in report.subjects(SH.resultSeverity, None):
        severity = shacl_severity(report.value(result, SH.resultSeverity))
        focus = report.value(result, SH.focusNode)
        scope, subject = describe(focus)
        messages = {m.language: str(m) for m in report.objects(result, SH.resultMessage)}
        path = report.value(result, SH.resultPath)
        detail = f" ({_short(path)})" if isinstance(path, URIRef) else ""
        file, line = locate(kb, scope, subject)
        findings.append(
            kb_finding(
                severity,
                "shacl",
                scope,
                subject,
                messages.get("en", messages.get(None, "shape not satisfied")) + detail,
                messages.get("zh", ""),
                file,
                line,
            )
        )
    return sorted(findings, key=lambda f: (f.scope, f.subject, f.message))


def describe(node: object) -> tuple[str, str]:
    """(scope, subject) of an instance IRI: id/system/x/indicator/3/anchor/2 -> (x, indicator 3 anchor 2)."""
    text = str(node)
    if not text.startswith(str(ID)):
        return "", text
    parts = [unquote(p) for p in text.removeprefix(str(ID)).split("/")]
    if parts[0] in ("system", "locality", "procedure") and len(parts) > 1:
        scope, rest = parts[1], parts[2:]
    else:
        scope, rest = "", parts
    words = [w.replace("pass-rule", "pass rule").replace("defect", "source defect") for w in rest]
    return scope, " ".join(words) or (parts[0] if scope else "")


def locate(kb: kbmodel.KB, scope: str, subject: str) -> tuple[str, int | None]:
    """The file and line where a subject of a system was written, as far as known."""
    system = kb.system(scope)
    if system is None:
        owner = next((x for x in (*kb.localities, *kb.procedures) if x.id == scope), None)
        return (owner.file if owner else "", None)
    words = subject.split()
    kind, key = (words[0], words[1]) if len(words) > 1 else (subject, "")
    item = None
    if kind == "indicator":
        item = system.indicator(key)
    elif kind == "level":
        item = system.level(key)
    elif kind == "clause":
        item = next((c for i in system.indicators for c in i.clauses if c.id == key), None)
    return system.file, getattr(item, "line", None)


def _short(term: URIRef) -> str:
    text = str(term)
    return (
        "dz:" + text.removeprefix(str(DZ)) if text.startswith(str(DZ)) else text.rsplit("#", 1)[-1]
    )


# ---------------------------------------------------------------------------------------------
# Anchors and the numbers they carry


def check_anchors(kb: kbmodel.KB) -> Iterator[Finding]:
    """Every anchor against its source: known source, offsets in range, quote == slice."""
    for use in kb.anchor_uses():
        a = use.anchor
        text = kb.sources[a.source].text
        where = dict(file=use.file, line=a.line, source=a.source)
        label = f"anchor ({a.role}) {a.source}[{a.start}:{a.end}]"
        if use.sources and a.source not in use.sources:
            yield kb_finding(
                "error",
                "anchor",
                use.scope,
                use.subject,
                f"{label}: source {a.source!r} is not among the file's sources {list(use.sources)}",
                f"锚点来源 {a.source!r} 不在本文件的来源列表中",
                **where,
            )
        if not 0 <= a.start < a.end <= len(text):
            yield kb_finding(
                "error",
                "anchor",
                use.scope,
                use.subject,
                f"{label}: offsets out of range (start < end <= {len(text)} required)",
                f"锚点位置越界（须 0 <= start < end <= {len(text)}）",
                **where,
            )
        elif text[a.start : a.end] != a.quote:
            found = text[a.start : a.end]
            yield kb_finding(
                "error",
                "anchor",
                use.scope,
                use.subject,
                f"{label}: quote {_clip(a.quote)!r} differs from the source text there {_clip(found)!r}",
                f"锚点引文与原文不符：记录为 {_clip(a.quote)!r}，原文为 {_clip(found)!r}",
                **where,
            )


def _clip(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def check_points_text(kb: kbmodel.KB) -> Iterator[Finding]:
    """Declared points against the points their anchors quote ("（20分）", "最高分3分")."""
    for system in kb.systems.values():
        items = [(f"level {lv.id}", lv) for lv in system.levels()]
        for ind in system.indicators:
            items.append((f"indicator {ind.number}", ind))
            items.extend((f"clause {c.id}", c) for c in ind.clauses)
        for subject, item in items:
            yield from _points_against_text(system, subject, item)
        yield from _pass_rule_against_text(system)


def _points_against_text(system: kbmodel.System, subject: str, item) -> Iterator[Finding]:
    for anchor in (a for a in item.anchors if a.role == "points"):
        stated = {Decimal(n) for n in _POINTS_IN_TEXT.findall(anchor.quote)}
        if item.points is not None and item.points in stated:
            continue
        # A local decomposition inherits indicator and clause points: its text differing from them
        # is a property of its source; anywhere else the knowledge base disagrees with itself.
        own = not system.extends or isinstance(item, kbmodel.Level)
        value = "none" if item.points is None else fmt_points(item.points)
        severity = "error" if own else "warning"
        yield kb_finding(
            severity,
            "points_text",
            system.id,
            subject,
            f"the knowledge base records {value} points where the anchored text says {anchor.quote!r}",
            f"知识库记录的分值为 {value}，锚定原文为 {anchor.quote!r}",
            anchor.file,
            anchor.line,
            anchor.source,
        )


def _pass_rule_against_text(system: kbmodel.System) -> Iterator[Finding]:
    rule = system.pass_rule
    if rule is None or not rule.anchors:
        return
    quotes = " ".join(a.quote for a in rule.anchors)
    for value in (rule.total_at_least, rule.first_level_rate_at_least * 100):
        if fmt_points(value) not in quotes:
            yield kb_finding(
                "error",
                "points_text",
                system.id,
                "pass rule",
                f"threshold {fmt_points(value)} does not appear in the anchored pass rule {quotes!r}",
                f"合格标准数值 {fmt_points(value)} 未出现在锚定原文中",
                rule.anchors[0].file,
                rule.anchors[0].line,
            )


def check_vocabulary(kb: kbmodel.KB) -> Iterator[Finding]:
    """Natures, methods and data sources must be concepts of the ontology (matched by label)."""
    indexes = {
        "nature": concept_index(DZ.Nature),
        "method": concept_index(DZ.AssessmentMethod),
        "data source": concept_index(DZ.DataSource),
    }
    for system in kb.systems.values():
        if system.extends:
            continue  # inherited: checked on the system it extends
        for ind in system.indicators:
            names = {
                "nature": [ind.nature] if ind.nature else [],
                "method": ind.methods,
                "data source": ind.data_sources,
            }
            for kind, values in names.items():
                for name in values:
                    if name not in indexes[kind]:
                        known = "、".join(sorted(indexes[kind]))
                        yield kb_finding(
                            "error",
                            "vocabulary",
                            system.id,
                            f"indicator {ind.number}",
                            f"{kind} {name!r} is not in the ontology (known: {known})",
                            f"{name!r} 不在词表中（已知：{known}）",
                            system.file,
                            ind.line,
                        )
    unknown = sorted({f.metric for f in kb.figures} - set(kb.metrics))
    for metric in unknown:
        years = ", ".join(str(f.year) for f in kb.figures if f.metric == metric)
        yield kb_finding(
            "info",
            "vocabulary",
            "",
            f"figures {metric}",
            f"national figures for {metric!r} ({years}): not a metric of the submission contract",
            f"全国参照数据 {metric!r}（{years}）不是申报数据项",
            "kb/reference/national-statistics.csv",
        )


# ---------------------------------------------------------------------------------------------
# Recorded source defects


def recorded_defects(kb: kbmodel.KB) -> Iterator[Finding]:
    """The source defects recorded in kb/ (systems and localities), as warnings."""
    owners = [*kb.systems.values(), *kb.localities]
    for owner in owners:
        for k, defect in enumerate(owner.source_defects, 1):
            should = f"; should read {defect.should_read!r}" if defect.should_read else ""
            should_zh = f"；应为“{defect.should_read}”" if defect.should_read else ""
            yield kb_finding(
                "warning",
                "recorded",
                owner.id,
                f"source defect {k}",
                f"{defect.kind} in {defect.source}: {_clip(defect.text)!r}{should}. {defect.note}".strip(),
                f"来源文件 {defect.source} 缺陷（{defect.kind}）：“{_clip(defect.text)}”{should_zh}",
                defect.file,
                defect.line,
                defect.source,
            )


__all__ = ["KbReport", "check_kb", "clear_cache"]
