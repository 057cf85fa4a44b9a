"""`demozone score FILE`: score a submission, record the assessment, print the result."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..api import assess, result_json
from ..report import result_table
from ..scoring import ENGINES
from .common import emit_json, handles_user_errors, json_option, main_group


@main_group.command("score")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--system",
    default=None,
    help="Score under this system instead of the one the submission names.",
)
@click.option(
    "--store",
    default=None,
    help="Store: a directory or a SPARQL server URL (default: $DEMOZONE_STORE or ./demozone-data).",
)
@click.option("--no-store", is_flag=True, help="Score without recording an assessment.")
@click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default="rete",
    show_default=True,
    help="rete: the durable-rules engine; direct: exact evaluation without it.",
)
@json_option
@handles_user_errors
def score_cmd(
    file: Path, system: str | None, store: str | None, no_store: bool, engine: str, as_json: bool
) -> None:
    """Score a submission (YAML or JSON) and record the assessment in the store.

    Exit code 0 when it was scored (pass or fail is in the result), 2 when the submission or the
    store cannot be used; nothing is written then.
    """
    click.echo(f"scoring {file} ...", err=True)
    assessment = assess(file, system=system, store=store, engine=engine, write=not no_store)
    if as_json:
        emit_json(result_json(assessment.result, assessment.iri))
    else:
        click.echo(result_table(assessment.result, assessment.iri))
    sys.stdout.flush()
