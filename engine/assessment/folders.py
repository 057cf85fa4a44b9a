"""Folders of submissions and the one-line-per-submission summary of a batch.

`submission_files` turns the paths a user gives into submission files: a folder stands for the
submission files in it (with `recursive`, in every folder under it), in name order; a file in a
folder that is not a submission (an `expected-scores.yaml` beside one) is left out and named.
`batch_summary` is what `demozone score DIR` prints at the end: per submission its id, system,
total, verdict, the first-level indicators below their pass rate, and its problems.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from demozone.assessment.resolve import SUBMISSION_SUFFIXES
from demozone.common.errors import InputError, Problem
from demozone.common.numbers import fmt_percent, fmt_points
from demozone.kb import load as kb
from demozone.rules.lookup import rules_of
from demozone.scoring.outcome import ScoreResult
from demozone.scoring.report import display_width, pad, points_json

# a submission names its sections at the top level; the first one is `submission:`
_LOOKS_LIKE_SUBMISSION = re.compile(r'^(submission\s*:|\s*\{?\s*"submission"\s*:)', re.MULTILINE)


@dataclass(frozen=True)
class Found:
    files: list[Path]
    skipped: list[Path]  # files in a folder that are not submissions


def submission_files(paths: Iterable[str | Path], recursive: bool = False) -> Found:
    """The files given, each folder replaced by its submission files. InputError for a path
    that does not exist or a folder without any submission."""
    files, skipped, problems = [], [], []
    for path in map(Path, paths):
        if not path.is_dir():
            files.append(path)
            continue
        candidates = sorted(
            p
            for p in (path.rglob("*") if recursive else path.iterdir())
            if p.is_file() and p.suffix.lower() in SUBMISSION_SUFFIXES
        )
        inside = [p for p in candidates if _is_submission(p)]
        skipped += [p for p in candidates if p not in inside]
        files += inside
        if not inside:
            problems.append(_empty_folder(path, recursive))
    if problems:
        raise InputError(problems)
    return Found(files, skipped)


def _is_submission(path: Path) -> bool:
    if path.suffix.lower() not in (".yaml", ".yml", ".json"):
        return True  # another format the loader reads; it names its own problems
    try:
        return bool(_LOOKS_LIKE_SUBMISSION.search(path.read_text("utf-8-sig", errors="replace")))
    except OSError:
        return True  # the loader reports why it cannot be read


def _empty_folder(path: Path, recursive: bool) -> Problem:
    where = "in it or any folder under it" if recursive else "in it (--recursive: also below)"
    return Problem(
        str(path),
        "",
        f"no submission files {where}",
        "该文件夹中没有提交文件"
        + ("（含子文件夹）" if recursive else "（加 --recursive 包括子文件夹）"),
        ", ".join(SUBMISSION_SUFFIXES),
    )


@dataclass(frozen=True)
class SummaryRow:
    """One submission of a batch: scored (result) or refused (problems)."""

    file: str
    result: ScoreResult | None
    below_rate: tuple[str, ...]  # first-level indicators below the pass rule's rate
    problems: tuple[Problem, ...]

    def to_dict(self) -> dict:
        r = self.result
        return {
            "file": self.file,
            "submission": r.submission_id if r else None,
            "system": r.system if r else None,
            "rule_set": r.rule_set if r else None,
            "total": points_json(r.total) if r else None,
            "max_total": points_json(r.max_total) if r else None,
            "passed": r.passed if r else None,
            "below_rate": list(self.below_rate),
            "problems": [p.to_dict() for p in self.problems],
        }


def batch_summary(
    files: Sequence[Path], results: Sequence[ScoreResult | None], problems: Sequence[Problem]
) -> list[SummaryRow]:
    """A row per file; `results` in the order of `files` (None where a file was not scored),
    `problems` of every file (each names its file)."""
    by_file: dict[str, list[Problem]] = {}
    for problem in problems:
        by_file.setdefault(problem.file, []).append(problem)
    return [
        SummaryRow(str(file), result, _below_rate(result), tuple(by_file.get(str(file), ())))
        for file, result in zip(files, results, strict=True)
    ]


def _below_rate(result: ScoreResult | None) -> tuple[str, ...]:
    if result is None:
        return ()
    rate = rules_of(result.rule_set).pass_rule.first_level_rate_at_least
    return tuple(
        f"{level.label} {fmt_points(level.score)}/{fmt_points(level.points)}="
        f"{fmt_percent(level.rate)}<{fmt_percent(Fraction(rate))}"
        for level in result.first_level
        if level.rate < rate
    )


def summary_table(rows: Sequence[SummaryRow], lang: str | None = None) -> str:
    """The rows as text: a heading with the counts, then one line per submission; in Chinese
    and English side by side, or in English only with `lang` "en"."""
    scored = [r for r in rows if r.result is not None]
    passed = sum(1 for r in scored if r.result.passed)
    refused = sum(1 for r in rows if r.problems)
    en = lang == "en"
    cells = [_cells_en(row) if en else _cells(row) for row in rows]
    widths = [max([display_width(c[i]) for c in cells] + [w]) + 2 for i, w in enumerate(_MIN)]
    heading = (
        ("id", "system", "total", "verdict")
        if en
        else ("id", "system", "总分 total", "结论 verdict")
    )
    counts = (
        f"summary: {len(rows)} submissions, {passed} pass, {len(scored) - passed} fail, "
        f"{refused} with problems"
        if en
        else f"汇总 summary: {len(rows)} 份 submissions, {passed} 合格 pass, "
        f"{len(scored) - passed} 不合格 fail, {refused} 有问题 with problems"
    )
    notes = (
        "first-level indicators below the rate / problems"
        if en
        else "一级指标未达得分率 below rate / 问题 problems"
    )
    lines = [counts, "".join(pad(h, w) for h, w in zip(heading, widths, strict=False)) + notes]
    lines += [
        "".join(pad(c, w) for c, w in zip(row, widths, strict=False)) + row[-1] for row in cells
    ]
    return "\n".join(lines)


_MIN = (8, 8, 10, 12)  # the least widths of the columns before the notes


def _cells(row: SummaryRow) -> tuple[str, str, str, str, str]:
    r = row.result
    if r is None:
        ident, system, total = row.file, "-", "-"
        verdict = "有问题 problems" if row.problems else "无问题 ok"
    else:
        ident, system = r.submission_id, r.rule_set
        total = f"{fmt_points(r.total)}/{fmt_points(r.max_total)}"
        verdict = "合格 pass" if r.passed else "不合格 fail"
    notes = list(row.below_rate)
    if row.problems:
        problem = row.problems[0]
        first = f"{problem.path}: {problem.text('zh')}" if problem.path else problem.text("zh")
        more = f" (+{len(row.problems) - 1})" if len(row.problems) > 1 else ""
        notes.append(f"{len(row.problems)} 个问题 problems: {first}{more}")
    return ident, system, total, verdict, "; ".join(notes) or "-"


def _cells_en(row: SummaryRow) -> tuple[str, str, str, str, str]:
    """A row's cells in English: the levels below the rate by their English names."""
    r = row.result
    notes = []
    if r is None:
        ident, system, total = row.file, "-", "-"
        verdict = "problems" if row.problems else "ok"
    else:
        ident, system = r.submission_id, r.rule_set
        total = f"{fmt_points(r.total)}/{fmt_points(r.max_total)}"
        verdict = "pass" if r.passed else "fail"
        rate = Fraction(rules_of(r.rule_set).pass_rule.first_level_rate_at_least)
        names = {lv.id: lv.label_en for lv in kb.get_system(r.system).levels() if lv.label_en}
        notes = [
            f"{names.get(level.id, level.label)} {fmt_points(level.score)}/"
            f"{fmt_points(level.points)} ({fmt_percent(level.rate)}, below {fmt_percent(rate)})"
            for level in r.first_level
            if level.rate < rate
        ]
    if row.problems:
        problem = row.problems[0]
        first = f"{problem.path}: {problem.text('en')}" if problem.path else problem.text("en")
        more = f" (+{len(row.problems) - 1})" if len(row.problems) > 1 else ""
        notes.append(f"{len(row.problems)} problems: {first}{more}")
    return ident, system, total, verdict, "; ".join(notes) or "-"
