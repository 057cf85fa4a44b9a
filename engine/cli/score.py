"""`demozone score FILE...`: score submissions, record the assessments, print the results.

One file is one assessment; several are scored on every core and recorded as one batch, all or
nothing (demozone.api.assess_many)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from demozone import api
from demozone.api import ENGINES
from demozone.cli.common import emit_json, handles_user_errors, json_option, main_group


@main_group.command("score")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
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
    "--again",
    is_flag=True,
    help="Record a new assessment even when the store holds one of exactly these inputs "
    "(same submission bytes, rule files, knowledge base and evidence, same engine).",
)
@click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default="rete",
    show_default=True,
    help="rete: the durable-rules engine; direct: exact evaluation without it.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Processes that score several files (default: one per core, less the one the store's "
    "writer keeps busy; 1 scores beside the writer).",
)
@json_option
@handles_user_errors
def score_cmd(
    files: tuple[Path, ...],
    system: str | None,
    store: str | None,
    no_store: bool,
    again: bool,
    engine: str,
    workers: int | None,
    as_json: bool,
) -> None:
    """Score submissions (YAML or JSON) and record the assessments in the store.

    Several files are validated and scored in turn and recorded together: all of them, or, when
    any file or the store cannot be used, none (every file's problems are listed). Exit code 0 when they were scored (pass or fail
    is in each result), 2 when a submission or the store cannot be used; nothing is written then.
    With --json, one file prints its result and several print a list of results.

    One file whose exact inputs the store already holds (by the receipt's hashes) adds nothing:
    the earlier assessment is named, unless --again. Several files are always recorded.
    """
    if len(files) == 1:
        click.echo(f"scoring {files[0]} ...", err=True)
        done = [
            api.assess(
                files[0], system=system, store=store, engine=engine, write=not no_store, again=again
            )
        ]
        if done[0].reused:
            click.echo(
                f"the store already holds {done[0].iri}, scored from exactly these inputs "
                "(the same submission, rule files, knowledge base and evidence): nothing added; "
                "--again records another (输入与已有评估完全相同，未新增评估记录)",
                err=True,
            )
    else:
        click.echo(f"scoring {len(files)} files ...", err=True)
        done = api.assess_many(
            files, system=system, store=store, engine=engine, write=not no_store, workers=workers
        )
    if as_json:
        shaped = [api.result_json(a.result, a.iri) for a in done]
        emit_json(shaped[0] if len(files) == 1 else shaped)
    else:
        click.echo("\n\n".join(api.result_table(a.result, a.iri) for a in done))
    sys.stdout.flush()
