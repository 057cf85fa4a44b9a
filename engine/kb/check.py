"""`demozone kb check`: is the knowledge base sound, and what is wrong with its sources?

Checks: the SHACL shapes (ontology/shapes.ttl) on the knowledge-base graph; every anchor re-read
from its source file (quote == slice); every declared number against the text it is anchored to;
the point arithmetic (clauses -> indicator -> second level -> first level -> total); the coverage
of a local decomposition; responsible units named after another place; the vocabulary of
methods, data sources and natures; and the source defects recorded in kb/.

Severity: `error` is a fault in demozone's own data (it fails the check); `warning` is a property
of a source text, reported and kept verbatim, never fixed silently; `info` is a note.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote

import pyshacl
from rdflib import Graph, URIRef

from demozone.common.errors import InputError
from demozone.common.vocab import DZ, ID, SH, concept_index, ontology, shapes
from demozone.kb import load as kbload
from demozone.kb import model as kbmodel
from demozone.kb.graph import kb_graph

SEVERITIES = ("error", "warning", "info")
_SHACL_SEVERITY = {SH.Violation: "error", SH.Warning: "warning", SH.Info: "info"}
_POINTS_IN_TEXT = re.compile(r"(\d+(?:\.\d+)?)\s*分")
_PLACE_PREFIX = re.compile(r"^([\u4e00-\u9fff]{2,3}?)[市县区]")
_NOT_A_PLACE = set("市县区各本全镇乡街")


@dataclass(frozen=True)
class Finding:
    """One thing `kb check` found: where (system or locality, subject) and what."""

    severity: str  # error | warning | info
    check: str  # shacl | anchor | points_text | arithmetic | coverage | units | vocabulary | recorded | load
    scope: str  # the system, locality or procedure id; "" for the whole knowledge base
    subject: str  # "indicator 3", "clause 3.1", "level promote", "unit <id>", "total", ...
    message: str
    message_zh: str = ""
    file: str = ""
    line: int | None = None
    source: str = ""  # the source document concerned

    def render(self, lang: str = "zh") -> str:
        where = " ".join(
            part for part in (f"[{self.scope}]" if self.scope else "", self.subject) if part
        )
        text = self.message_zh if lang == "zh" and self.message_zh else self.message
        loc = (
            f" ({self.file}:{self.line})"
            if self.file and self.line
            else (f" ({self.file})" if self.file else "")
        )
        return f"{where}: {text}{loc}"

    def to_dict(self) -> dict:
        """The finding's fields, plus e.g. "indicator": "3" when the subject is an indicator."""
        result = asdict(self)
        words = self.subject.split()
        if len(words) >= 2 and words[0] in ("indicator", "clause", "level", "unit"):
            result[words[0]] = words[1]
        return result


@dataclass(frozen=True)
class CheckReport:
    directory: str
    findings: tuple[Finding, ...]
    counts: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when demozone's own data has no error (source defects do not count)."""
        return not any(f.severity == "error" for f in self.findings)

    def by_severity(self, severity: str) -> list[Finding]:
        return [f for f in self.findings if f.severity == severity]

    def to_dict(self) -> dict:
        return {
            "directory": self.directory,
            "ok": self.ok,
            "counts": self.counts,
            "errors": len(self.by_severity("error")),
            "warnings": len(self.by_severity("warning")),
            "findings": [f.to_dict() for f in self.findings],
        }


def check_kb(kb_dir: Path | str | None = None) -> CheckReport:
    """Run every check on the knowledge base in `kb_dir` (default kb/); never raises for bad data.

    A knowledge base that cannot be loaded yields its load problems as error findings. Like the
    loaded knowledge base, the report is computed once per directory and process.
    """
    try:
        kb = kbload.load_kb(kb_dir)
    except InputError as err:
        findings = [
            Finding("error", "load", "", p.path, p.message, p.message_zh, p.file, p.line)
            for p in err.problems
        ]
        return CheckReport(str(kb_dir or kbload.KB_DIR), tuple(findings), {})
    return _report(str(kb.directory))


def clear_cache() -> None:
    """Forget computed reports (with `kb.clear_cache`, for tests that edit a copy in place)."""
    _report.cache_clear()


@functools.lru_cache(maxsize=32)
def _report(directory: str) -> CheckReport:
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
    findings.sort(key=lambda f: SEVERITIES.index(f.severity))
    counts = {
        "systems": len(kb.systems),
        "indicators": sum(len(s.indicators) for s in kb.systems.values()),
        "clauses": sum(len(i.clauses) for s in kb.systems.values() for i in s.indicators),
        "anchors": sum(1 for _ in kb.anchor_uses()),
        "sources": len(kb.sources),
        "triples": len(graph),
    }
    return CheckReport(str(kb.directory), tuple(findings), counts)


# ---------------------------------------------------------------------------------------------
# SHACL


def check_shapes(kb: kbmodel.KB, graph: Graph) -> list[Finding]:
    """Every SHACL result on the knowledge-base graph (with the ontology mixed in)."""
    data = Graph()
    data += graph
    data += ontology()
    _conforms, report, _text = pyshacl.validate(
        data, shacl_graph=shapes(), inference="none", allow_warnings=True, inplace=True
    )
    findings = []
    for result in report.subjects(SH.resultSeverity, None):
        severity = _SHACL_SEVERITY.get(report.value(result, SH.resultSeverity), "error")
        focus = report.value(result, SH.focusNode)
        scope, subject = describe(focus)
        messages = {m.language: str(m) for m in report.objects(result, SH.resultMessage)}
        path = report.value(result, SH.resultPath)
        detail = f" ({_short(path)})" if isinstance(path, URIRef) else ""
        file, line = locate(kb, scope, subject)
        findings.append(
            Finding(
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
            yield Finding(
                "error",
                "anchor",
                use.scope,
                use.subject,
                f"{label}: source {a.source!r} is not among the file's sources {list(use.sources)}",
                f"锚点来源 {a.source!r} 不在本文件的来源列表中",
                **where,
            )
        if not 0 <= a.start < a.end <= len(text):
            yield Finding(
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
            yield Finding(
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
        value = "none" if item.points is None else _fmt(item.points)
        severity = "error" if own else "warning"
        yield Finding(
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
        if _fmt(value) not in quotes:
            yield Finding(
                "error",
                "points_text",
                system.id,
                "pass rule",
                f"threshold {_fmt(value)} does not appear in the anchored pass rule {quotes!r}",
                f"合格标准数值 {_fmt(value)} 未出现在锚定原文中",
                rule.anchors[0].file,
                rule.anchors[0].line,
            )


def _fmt(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


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
                        yield Finding(
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
        yield Finding(
            "info",
            "vocabulary",
            "",
            f"figures {metric}",
            f"national figures for {metric!r} ({years}): not a metric of the submission contract",
            f"全国参照数据 {metric!r}（{years}）不是申报数据项",
            "kb/reference/national-statistics.csv",
        )


# ---------------------------------------------------------------------------------------------
# Arithmetic, coverage, units, recorded defects


def check_arithmetic(kb: kbmodel.KB) -> Iterator[Finding]:
    """Points add up: clauses -> indicator, indicators -> levels, levels and indicators -> total."""
    for system in kb.systems.values():
        yield from _level_sums(system)
        if not system.extends:  # clause points are the extended system's
            for ind in system.indicators:
                yield from _clause_sum(system, ind)


def _sum(values) -> Decimal:
    return sum((v for v in values if v is not None), Decimal(0))


def _level_sums(system: kbmodel.System) -> Iterator[Finding]:
    def finding(
        subject: str, what: tuple[str, str], parts: tuple[str, str], declared, got, line=None
    ):
        return Finding(
            "warning",
            "arithmetic",
            system.id,
            subject,
            f"{what[0]} declares {_fmt(declared)} points; its {parts[0]} sum to {_fmt(got)}",
            f"{what[1]}标明 {_fmt(declared)} 分，其{parts[1]}合计 {_fmt(got)} 分",
            system.file,
            line,
            _first(system.sources),
        )

    for level in system.levels():
        members = [i for i in system.indicators if level.id in (i.first_level, i.second_level)]
        got = _sum(i.points for i in members)
        what = (
            ("second-level " if level.parent else "first-level ") + level.label,
            ("二级指标" if level.parent else "一级指标") + f"“{level.label}”",
        )
        if level.points is not None and got != level.points:
            yield finding(
                f"level {level.id}", what, ("indicators", "指标"), level.points, got, level.line
            )
        subs = _sum(s.points for s in level.second_level)
        if level.second_level and level.points is not None and subs != level.points:
            yield finding(
                f"level {level.id}",
                what,
                ("second levels", "二级指标"),
                level.points,
                subs,
                level.line,
            )
    if system.total_points is not None:
        what = ("the system", "指标体系总分")
        got = _sum(i.points for i in system.indicators)
        if got != system.total_points:
            yield finding("total", what, ("indicators", "指标"), system.total_points, got)
        firsts = _sum(lv.points for lv in system.first_level)
        if firsts != system.total_points:
            yield finding("total", what, ("first levels", "一级指标"), system.total_points, firsts)


def _first(values: tuple[str, ...]) -> str:
    return values[0] if values else ""


def _clause_sum(system: kbmodel.System, ind: kbmodel.Indicator) -> Iterator[Finding]:
    if ind.rule_text or not ind.clauses or ind.points is None:
        return
    stated = [c.points for c in ind.clauses]
    total = _sum(stated)
    parts = " + ".join(_fmt(p) for p in stated if p is not None)
    subject = f"indicator {ind.number}"
    common = dict(file=system.file, line=ind.line, source=_first(system.sources))
    if total > ind.points:
        yield Finding(
            "warning",
            "arithmetic",
            system.id,
            subject,
            f"clause points {parts} = {_fmt(total)} exceed the indicator's {_fmt(ind.points)}",
            f"条款分值 {parts} = {_fmt(total)}，超过指标分值 {_fmt(ind.points)}",
            **common,
        )
    elif None not in stated and total < ind.points:
        gap = ind.points - total
        yield Finding(
            "warning",
            "arithmetic",
            system.id,
            subject,
            f"the clauses reach at most {_fmt(total)} of the indicator's {_fmt(ind.points)} points: {_fmt(gap)} unreachable",
            f"条款最高合计 {_fmt(total)} 分，指标分值 {_fmt(ind.points)} 分中有 {_fmt(gap)} 分无法取得",
            **common,
        )


def check_coverage(kb: kbmodel.KB) -> Iterator[Finding]:
    """A local decomposition should decompose every indicator of the system it extends, once."""
    for system in kb.systems.values():
        base = kb.system(system.extends) if system.extends else None
        if base is None:
            continue
        used = [i.base for i in system.indicators]
        for ind in base.indicators:
            if ind.number not in used:
                yield Finding(
                    "warning",
                    "coverage",
                    system.id,
                    f"base indicator {ind.number}",
                    f"indicator {ind.number} of {base.id} ({ind.label}, {_fmt(ind.points or 0)} points) has no counterpart in {system.id}",
                    f"{base.id} 的指标 {ind.number}（{ind.label}，{_fmt(ind.points or 0)} 分）在 {system.id} 中缺失",
                    system.file,
                    None,
                    _first(system.sources),
                )
            elif used.count(ind.number) > 1:
                yield Finding(
                    "warning",
                    "coverage",
                    system.id,
                    f"base indicator {ind.number}",
                    f"indicator {ind.number} of {base.id} is decomposed {used.count(ind.number)} times",
                    f"{base.id} 的指标 {ind.number} 被重复分解",
                    system.file,
                )


def check_units(kb: kbmodel.KB) -> Iterator[Finding]:
    """A unit named after a city or county other than the system's own locality."""
    for system in kb.systems.values():
        if not system.locality:
            continue
        home = system.locality.rstrip("市县区")
        for unit in system.units:
            match = _PLACE_PREFIX.match(unit.name)
            if not match or _NOT_A_PLACE & set(match.group(1)) or match.group(1) == home:
                continue
            cited = [i.number for i in system.indicators if unit.id in i.unit_ids]
            listed = ", ".join(cited) or "none"
            yield Finding(
                "warning",
                "units",
                system.id,
                f"unit {unit.id}",
                f"responsible unit {unit.name!r} begins with the place name {match.group(0)!r}, not {system.locality} (indicators {listed})",
                f"责任单位“{unit.name}”以“{match.group(0)}”开头，而非{system.locality}（指标 {listed}）",
                system.file,
                None,
                _first(system.sources),
            )


def recorded_defects(kb: kbmodel.KB) -> Iterator[Finding]:
    """The source defects recorded in kb/ (systems and localities), as warnings."""
    owners = [*kb.systems.values(), *kb.localities]
    for owner in owners:
        for k, defect in enumerate(owner.source_defects, 1):
            should = f"; should read {defect.should_read!r}" if defect.should_read else ""
            should_zh = f"；应为“{defect.should_read}”" if defect.should_read else ""
            yield Finding(
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


__all__ = ["CheckReport", "Finding", "check_kb"]
