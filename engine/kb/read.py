"""Strict reading of a kb/ directory into the values of `demozone.kb.model`.

`read_kb` reads the whole directory: sources, metrics, localities and procedures here, indicator
systems in `demozone.kb.systems`, each file through a `demozone.kb.reader.Reader` that collects
every problem with the file, line and field path.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from types import MappingProxyType

from demozone.common.errors import InputError, Problem
from demozone.kb.model import (
    KB,
    Article,
    Locality,
    Metric,
    Procedure,
    SourceDoc,
    Step,
)
from demozone.kb.national import national_figures
from demozone.kb.reader import Reader, relative_name
from demozone.kb.systems import read_systems

# ---------------------------------------------------------------------------------------------
# The directory


def read_kb(root: Path) -> KB:
    """Read every file of a knowledge base directory; InputError lists every problem found."""
    if not root.is_dir():
        raise InputError(
            [Problem(str(root), "", "knowledge base directory not found", "知识库目录不存在")]
        )
    problems: list[Problem] = []
    sources = _guard(problems, lambda: read_sources(root)) or {}
    source_ids = frozenset(sources)
    metrics = _guard(problems, lambda: read_metrics(root)) or {}
    systems = _guard(problems, lambda: read_systems(root, source_ids, frozenset(metrics))) or []
    localities = [
        loc
        for path in sorted((root / "localities").glob("*.yaml"))
        if (loc := _guard(problems, lambda p=path: read_locality(p, root, source_ids)))
    ]
    procedures = [
        proc
        for path in sorted(root.glob("procedure*.yaml"))
        if (proc := _guard(problems, lambda p=path: read_procedure(p, root, source_ids)))
    ]
    problems.extend(_procedure_references(procedures, {s.id for s in systems}))
    figures_file = root / "reference" / "national-statistics.csv"
    figures = national_figures(figures_file) if figures_file.exists() else {}
    if problems:
        raise InputError(problems)
    return KB(
        directory=root,
        sources=MappingProxyType(sources),
        metrics=MappingProxyType(metrics),
        systems=MappingProxyType({s.id: s for s in systems}),
        localities=tuple(localities),
        procedures=tuple(procedures),
        figures=tuple(figures[key] for key in sorted(figures)),
    )


def _guard(problems: list[Problem], load):
    try:
        return load()
    except InputError as err:
        problems.extend(err.problems)
        return None


_SOURCE_KEYS = {"file", "title", "title_en", "issuer", "kind", "date", "document_number"}


def read_sources(root: Path) -> dict[str, SourceDoc]:
    """kb/sources.yaml with the text of every source file, decoded as UTF-8 as it is on disk."""
    reader = Reader(root / "sources.yaml", relative_name(root / "sources.yaml", root))
    doc = reader.document({"sources"}, {"sources"})
    result = {}
    for sid, spec in reader.mapping_items(doc, "sources"):
        where = f"sources.{sid}"
        if not reader.keys(spec, where, _SOURCE_KEYS, {"file", "title", "kind"}):
            continue
        path = root / "sources" / (reader.text(spec, "file", where) or "")
        try:
            data = path.read_bytes()
            text = data.decode("utf-8")
        except (OSError, UnicodeDecodeError) as err:
            reader.problem(
                f"{where}.file", f"cannot read {path.name}: {err}", "无法读取来源文件", spec, "file"
            )
            continue
        date = spec.get("date")
        result[sid] = SourceDoc(
            id=sid,
            file=path.name,
            title=reader.text(spec, "title", where) or "",
            title_en=reader.text(spec, "title_en", where, required=False) or "",
            issuer=reader.text(spec, "issuer", where, required=False) or "",
            kind=reader.text(spec, "kind", where) or "",
            date=date.isoformat() if hasattr(date, "isoformat") else date,
            document_number=reader.text(spec, "document_number", where, required=False),
            text=text,
            sha256=hashlib.sha256(data).hexdigest(),
        )
    reader.raise_if_any()
    return result


_METRIC_KEYS = {"label", "label_en", "unit", "kind", "per_year"}


def read_metrics(root: Path) -> dict[str, Metric]:
    """kb/metrics.yaml: the metric vocabulary of the submission contract."""
    reader = Reader(root / "metrics.yaml", relative_name(root / "metrics.yaml", root))
    doc = reader.document({"metrics"}, {"metrics"})
    result = {}
    for mid, spec in reader.mapping_items(doc, "metrics"):
        where = f"metrics.{mid}"
        if reader.keys(spec, where, _METRIC_KEYS, _METRIC_KEYS):
            result[mid] = Metric(
                mid,
                reader.text(spec, "label", where) or "",
                reader.text(spec, "label_en", where) or "",
                reader.text(spec, "unit", where) or "",
                reader.choice(spec, "kind", where, ("amount", "count", "rate")),
                reader.flag(spec, "per_year", where),
            )
    reader.raise_if_any()
    return result


_LOCALITY_KEYS = {
    "id",
    "locality",
    "sources",
    "document",
    "leading_group",
    "task_force",
    "sections",
    "tasks",
    "stages",
    "targets",
    "goals",
    "creation_period",
    "source_defects",
}


def read_locality(path: Path, root: Path, source_ids: frozenset[str]) -> Locality:
    """A kb/localities/ file: its identity, every anchor in it, and its recorded source defects."""
    reader = Reader(path, relative_name(path, root), source_ids)
    doc = reader.document(_LOCALITY_KEYS, {"id", "locality", "sources"})
    anchors = tuple(
        found
        for key, value in doc.items()
        if key != "source_defects"
        for found in reader.all_anchors(value, key)
    )
    document = doc.get("document")
    locality = Locality(
        id=reader.text(doc, "id", "") or "",
        name=reader.text(doc, "locality", "") or "",
        sources=reader.strings(doc, "sources", ""),
        title=str(document.get("title", "")) if isinstance(document, dict) else "",
        anchors=anchors,
        source_defects=reader.defects(doc),
        file=reader.name,
    )
    reader.raise_if_any()
    return locality


_PROCEDURE_KEYS = {"id", "title", "title_en", "sources", "system", "anchors", "articles", "steps"}
_ARTICLE_KEYS = {"number", "label", "heading", "text", "anchors"}
_STEP_KEYS = {"id", "article", "text", "label_en", "parameters", "anchors"}


def read_procedure(path: Path, root: Path, source_ids: frozenset[str]) -> Procedure:
    """kb/procedure.yaml: the articles of the creation measures and the steps they set."""
    reader = Reader(path, relative_name(path, root), source_ids)
    doc = reader.document(_PROCEDURE_KEYS, {"id", "title", "sources"})
    articles, steps = [], []
    for k, spec in reader.list_items(doc, "articles"):
        where = f"articles[{k}]"
        if reader.keys(spec, where, _ARTICLE_KEYS, {"number", "text"}):
            articles.append(
                Article(
                    reader.ident(spec, "number", where) or "",
                    reader.text(spec, "label", where, required=False) or "",
                    reader.text(spec, "heading", where, required=False) or "",
                    reader.text(spec, "text", where) or "",
                    reader.anchors(spec, where),
                )
            )
    for k, spec in reader.list_items(doc, "steps"):
        where = f"steps[{k}]"
        if reader.keys(spec, where, _STEP_KEYS, {"id", "text"}):
            steps.append(
                Step(
                    reader.ident(spec, "id", where) or "",
                    reader.ident(spec, "article", where, required=False) or "",
                    reader.text(spec, "text", where) or "",
                    reader.text(spec, "label_en", where, required=False) or "",
                    reader.anchors(spec, where),
                )
            )
    procedure = Procedure(
        id=reader.text(doc, "id", "") or "",
        title=reader.text(doc, "title", "") or "",
        title_en=reader.text(doc, "title_en", "", required=False) or "",
        system=reader.text(doc, "system", "", required=False),
        sources=reader.strings(doc, "sources", ""),
        anchors=reader.anchors(doc, ""),
        articles=tuple(articles),
        steps=tuple(steps),
        file=reader.name,
    )
    reader.raise_if_any()
    return procedure


def _procedure_references(procedures: list[Procedure], system_ids: set[str]) -> list[Problem]:
    problems = []
    for proc in procedures:
        if proc.system and proc.system not in system_ids:
            problems.append(
                Problem(
                    proc.file,
                    "system",
                    f"unknown system {proc.system!r}",
                    f"未知的指标体系 {proc.system!r}",
                )
            )
        numbers = {a.number for a in proc.articles}
        for step in proc.steps:
            if step.article and step.article not in numbers:
                problems.append(
                    Problem(
                        proc.file,
                        f"steps.{step.id}.article",
                        f"no article {step.article}",
                        f"没有第{step.article}条",
                    )
                )
    return problems
