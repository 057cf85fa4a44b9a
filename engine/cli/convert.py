"""`demozone convert FILE -o OTHER`: one submission between YAML, JSON and an .xlsx workbook."""

from __future__ import annotations

from pathlib import Path

import click

from demozone.api import convert
from demozone.cli.common import (
    emit_json,
    handles_user_errors,
    json_option,
    lang_option,
    main_group,
)


@main_group.command("convert")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path),
    help="The file to write: .yaml, .yml, .json or .xlsx (by its suffix).",
)
@lang_option
@json_option
@handles_user_errors
def convert_cmd(file: Path, output: Path, lang: str, as_json: bool) -> None:
    """Convert the submission FILE (YAML, JSON or .xlsx) to OUTPUT's format, losing nothing.

    FILE is read and checked as `score` reads it: any problem is listed (for a workbook with its
    sheet and cell, e.g. 指标数据!E7) and nothing is written. Evidence file paths are rewritten
    relative to OUTPUT's folder. Reading OUTPUT back gives the same submission. Exit code 0
    when written, 2 when FILE has problems or OUTPUT cannot be written.
    """
    click.echo(f"converting {file} ...", err=True)
    done = convert(file, output)
    if as_json:
        emit_json(done.to_dict())
        return
    if lang == "en":
        click.echo(f"wrote {done.target} ({done.format}): {done.submission_id}")
    else:
        click.echo(f"已写入/wrote {done.target} ({done.format})：{done.submission_id}")
