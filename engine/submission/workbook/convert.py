"""`demozone template` and `demozone convert`: a system's empty workbook, and one submission
between YAML, JSON and .xlsx. A conversion reads the whole source strictly first (every problem
listed, nothing written) and writes the target in one step; reading the target back gives the
same submission."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from demozone.common.diagnostics import Finding
from demozone.common.errors import InputError, Problem
from demozone.submission.catalog import catalog_from_kb
from demozone.submission.load import load_submission
from demozone.submission.workbook.document import document_of, json_text, relocated, yaml_text
from demozone.submission.workbook.plan import plan_of
from demozone.submission.workbook.write import workbook_bytes

FORMATS = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".xlsx": "xlsx"}


@dataclass(frozen=True)
class Converted:
    source: str
    target: str
    format: str
    submission_id: str
    notes: tuple[Finding, ...]  # what was normalised while reading the source

    def to_dict(self) -> dict:
        return {
            "source": self.source,
            "target": self.target,
            "format": self.format,
            "submission": self.submission_id,
            "notes": [n.render("zh") for n in self.notes],
        }


def write_template(system: str, target: Path, years: tuple[int, ...]) -> dict:
    """The empty workbook of `system` (a system or variant id) for `years`, written to `target`."""
    target = Path(target)
    _check_target(target, {".xlsx"})
    plan = plan_of(system)
    _write(target, workbook_bytes(plan, None, years))
    return {
        "system": plan.system,
        "file": str(target),
        "years": list(years),
        "metrics": len(plan.metrics),
        "references": len(plan.references),
        "judged_clauses": len(plan.clauses),
    }


def convert(source: Path, target: Path) -> Converted:
    """The submission at `source` written to `target` in the format of its suffix."""
    source, target = Path(source), Path(target)
    fmt = _check_target(target, set(FORMATS))
    if source.resolve() == target.resolve():
        raise InputError(
            [Problem(str(target), "", "the target is the source file", "目标文件与源文件相同")]
        )
    submission = relocated(load_submission(source, catalog_from_kb()), target.parent)
    if fmt == "xlsx":
        data = workbook_bytes(plan_of(submission.system), submission, submission.years)
    elif fmt == "json":
        data = json_text(document_of(submission)).encode("utf-8")
    else:
        data = yaml_text(document_of(submission), source.name).encode("utf-8")
    _write(target, data)
    return Converted(str(source), str(target), fmt, submission.id, tuple(submission.notes))


def _check_target(target: Path, allowed: set[str]) -> str:
    suffix = target.suffix.lower()
    if suffix not in allowed:
        raise InputError(
            [
                Problem(
                    str(target),
                    "",
                    f"cannot write {suffix or 'a file without suffix'}: name the output "
                    f"{' or '.join(sorted(allowed))}",
                    f"无法写入 {suffix or '无扩展名的文件'}：输出文件应以 {' 或 '.join(sorted(allowed))} 结尾",
                    ", ".join(sorted(allowed)),
                )
            ]
        )
    if not target.parent.exists():
        raise InputError(
            [Problem(str(target), "", "the output folder does not exist", "输出文件夹不存在")]
        )
    return FORMATS.get(suffix, suffix.lstrip("."))


def _write(target: Path, data: bytes) -> None:
    """Write `data` whole or not at all."""
    handle, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
