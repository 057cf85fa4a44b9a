"""Reports (评估报告) and comparisons of two stored assessments."""

from __future__ import annotations

import os
from pathlib import Path

from demozone.api.choices import REPORT_FORMATS
from demozone.assessment.resolve import is_submission_file, resolve_assessment
from demozone.common.errors import InputError, Problem
from demozone.store.location import open_store as _open_store


def report(
    ref: str | Path,
    fmt: str = "html",
    *,
    lang: str = "zh",
    store: str | None = None,
    system: str | None = None,
    submission: str | Path | None = None,
    plan: bool = False,
    costs: str | None = None,
):
    """The assessment report of a submission file (scored now; recorded too when `store` is
    given) or of a stored assessment (IRI or id, its submission file `submission`), as
    (bytes of the `fmt` file, the report model). With `plan`, the report also holds the section
    意见建议: the cheapest plan that makes it pass (`plan_submission`, costs from `costs`).
    Raises InputError as `explain_reference` does, StoreError when the store cannot be used."""
    from demozone.report import render  # WeasyPrint and python-docx load only for a report
    from demozone.report.model import report_of

    if fmt not in REPORT_FORMATS:
        raise InputError(
            [_problem(str(ref), "--format", f"unknown format {fmt!r}", "未知的报告格式")]
        )
    if costs is not None and not plan:
        raise InputError(
            [
                _problem(
                    str(ref), "--costs", "--costs applies with --plan", "--costs 须与 --plan 同用"
                )
            ]
        )
    if submission is not None and is_submission_file(ref):
        raise InputError(
            [
                _problem(
                    str(ref),
                    "--submission",
                    "--submission names the file of a stored ASSESSMENT, not of a FILE",
                    "--submission 仅用于已存储的评估，不适用于申报材料文件",
                )
            ]
        )
    if system is not None and not is_submission_file(ref):
        raise InputError(
            [
                _problem(
                    str(ref),
                    "--system",
                    "--system applies to a submission FILE; a stored assessment keeps its system",
                    "--system 仅用于申报材料文件，已存储的评估按其自身的指标体系",
                )
            ]
        )
    resolved = resolve_assessment(ref, store, system=system)
    model = report_of(resolved, submission, lang)
    if plan:
        model = _with_plan(model, ref, system, store, submission, costs, lang)
    return render(model, fmt), model, resolved.notes


def _with_plan(model, ref, system, store, submission, costs, lang):
    """The report with its 意见建议 section: the plan of the very assessment it reports (a FILE
    planned from the file, a stored one from its submission file under its rule set)."""
    import dataclasses

    from demozone.api.procedure import plan_submission
    from demozone.report.plansheet import plan_sheet

    shaped = plan_submission(
        str(ref),
        system=system,
        costs=costs,
        store=store,
        submission=str(submission) if submission is not None else None,
    )
    return dataclasses.replace(model, plan=plan_sheet(shaped, lang))


def save_report(output: str | Path, data: bytes) -> None:
    """Write a report whole or not at all (a temporary file, then a rename); InputError when
    the file cannot be written."""
    output = Path(output)
    temp = output.with_name(output.name + ".part")
    try:
        temp.write_bytes(data)
        os.replace(temp, output)
    except OSError as err:
        temp.unlink(missing_ok=True)
        raise InputError(
            [_problem(str(output), "", f"cannot write: {err}", "无法写入输出文件")]
        ) from None


def _problem(where: str, field: str, message: str, message_zh: str) -> Problem:
    return Problem(where, field, message, message_zh)


def compare_assessments(a: str, b: str, store: str | None = None) -> dict:
    """Two stored assessments (IRIs or ids) side by side: under one system indicator by
    indicator, under two through the systems' matching (`policy.diff.assessments`). Raises
    StoreError when the store or an assessment is not there, InputError for unmatched systems."""
    from demozone.policy.diff.assessments import compare_assessments as _compare

    with _open_store(store, create=False) as opened:
        return _compare(opened, a, b)
