"""`demozone report FILE|ASSESSMENT --format docx|pdf|html -o OUT`: the assessment report.

FILE is scored now (recorded too when --store is given); ASSESSMENT is one in the store, its
submission file named by --submission (checked against the recorded sha256, as `explain` does).
Progress goes to stderr, a summary of what was written to stdout with --json. Exit codes: 0
written, 2 bad input, an unusable store or an unwritable output.
"""

from __future__ import annotations

from pathlib import Path

import click

from demozone import api
from demozone.api import REPORT_FORMATS
from demozone.cli.common import (
    EXIT_OK,
    emit_json,
    handles_user_errors,
    json_option,
    main_group,
    rules_option,
    submission_option,
)

_SUFFIXES = {".html": "html", ".htm": "html", ".pdf": "pdf", ".docx": "docx"}


@main_group.command("report")
@rules_option
@click.argument("ref", metavar="FILE|ASSESSMENT")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(REPORT_FORMATS),
    default=None,
    help="docx, pdf or html; default: from the suffix of -o.",
)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The file to write.",
)
@click.option(
    "--store",
    default=None,
    metavar="DIR|URL",
    help="With a submission FILE the assessment is also recorded there; an ASSESSMENT is "
    "looked up there (default: $DEMOZONE_STORE or ./demozone-data).",
)
@click.option("--system", default=None, help="Score a submission FILE under this system instead.")
@submission_option
@click.option(
    "--plan",
    "with_plan",
    is_flag=True,
    help="Add the section 意见建议: the cheapest plan that makes the assessment pass, one row "
    "per change and responsible unit (as `demozone plan`).",
)
@click.option("--costs", default=None, help="With --plan: the costs file of the planner.")
@json_option
@handles_user_errors
def report_cmd(
    ref: str,
    fmt: str | None,
    lang: str,
    output: Path,
    store: str | None,
    system: str | None,
    submission: Path | None,
    with_plan: bool,
    costs: str | None,
    as_json: bool,
) -> None:
    """Write the assessment report (评估报告) of a submission or a stored assessment: title
    page, 基本情况, 评估依据, 评估方式, 评分结果 with the verdict against the pass rule and its
    source sentence, 存在问题及扣分原因, and as appendices the 评分表, the 专家评审意见汇总, the
    evidence with its sha256 and the reproducibility receipt. A4 with page numbers; --lang en
    translates the labels (the Chinese source text stays as written)."""
    fmt = fmt or _format_of(output)
    click.echo(f"writing the {fmt} report of {ref} ...", err=True)
    data, model, notes = api.report(
        ref,
        fmt,
        lang=lang,
        store=store,
        system=system,
        submission=submission,
        plan=with_plan,
        costs=costs,
    )
    for note in notes:
        click.echo(f"注意/note: {note}", err=True)
    api.save_report(output, data)
    click.echo(f"{model.title} -> {output} ({fmt}, {len(data)} bytes)", err=True)
    if as_json:
        emit_json(
            {
                "output": str(output),
                "format": fmt,
                "lang": lang,
                "bytes": len(data),
                "assessment": model.assessment_iri,
                "submission": model.submission_id,
                "system": model.system_id,
                "total": model.total,
                "max_total": model.max_total,
                "passed": model.passed,
                "indicators": len(model.sheet),
                "judged_clauses": len(model.opinions),
                "evidence": len(model.evidence),
                "plan_rows": len(model.plan.rows) if model.plan is not None else None,
            }
        )
    raise SystemExit(EXIT_OK)


def _format_of(output: Path) -> str:
    found = _SUFFIXES.get(output.suffix.lower())
    if found is None:
        raise click.UsageError(
            f"cannot tell the format from {output.name!r}: give --format (docx, html, pdf)"
        )
    return found
