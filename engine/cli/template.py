"""`demozone template SYSTEM -o FILE.xlsx`: the workbook a county fills for a system."""

from __future__ import annotations

from pathlib import Path

import click

from demozone.api import InputError, Problem, template
from demozone.cli.common import (
    emit_json,
    handles_user_errors,
    json_option,
    lang_option,
    main_group,
)


def _years(text: str | None) -> tuple[int, ...] | None:
    if text is None:
        return None
    parts = [p for p in text.replace("，", ",").split(",") if p.strip()]
    if parts and all(p.strip().isdigit() and len(p.strip()) == 4 for p in parts):
        years = tuple(int(p) for p in parts)
        if list(years) == sorted(set(years)):
            return years
    raise InputError(
        [
            Problem(
                "--years",
                "",
                f"--years must be ascending four-digit years separated by commas, got {text!r}",
                f"--years 应为按升序排列、用逗号分隔的四位年份，实际为 {text!r}",
                "2023,2024",
            )
        ]
    )


@main_group.command("template")
@click.argument("system")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path),
    help="The workbook to write (.xlsx).",
)
@click.option(
    "--years",
    default=None,
    help="The assessed years, e.g. 2023,2024 (default: the two years before this one).",
)
@lang_option
@json_option
@handles_user_errors
def template_cmd(system: str, output: Path, years: str | None, lang: str, as_json: bool) -> None:
    """Write the Excel/WPS workbook a county fills for SYSTEM (a system or variant id).

    Sheets: 说明 (how to fill it), 基本信息 (id, region, region class, system, years; drop-down
    lists), 指标数据 (every metric the system's rules read, by year, with unit and the
    indicators that read it; number and percent validation), 规模以上经营者, 证明材料 and 评审意见
    (every clause scored by judgment, with its verbatim text; 是/否 per assessor and the evidence
    ids). Headers are Chinese, with the English in each header cell's comment, and locked.
    The filled workbook is scored like a YAML submission: `demozone score FILE.xlsx`.
    Exit code 0 when written, 2 for an unknown system or an unusable output.
    """
    click.echo(f"writing the template of {system} ...", err=True)
    summary = template(system, output, _years(years))
    if as_json:
        emit_json(summary)
        return
    english = (
        f"wrote {summary['file']}: {summary['metrics']} metrics, {summary['references']} "
        f"national comparators, {summary['judged_clauses']} judged clauses"
    )
    if lang == "en":
        click.echo(english)
        return
    click.echo(
        f"已写入 {summary['file']}：指标体系 {summary['system']}，评估年度 "
        f"{', '.join(map(str, summary['years']))}，{summary['metrics']} 个数据项、"
        f"{summary['references']} 个全国对比数据、{summary['judged_clauses']} 个需评审的条款\n"
        f"wrote {summary['file']}: {summary['metrics']} metrics, {summary['references']} "
        f"national comparators, {summary['judged_clauses']} judged clauses"
    )
