"""`demozone score FILE|DIR...`: score submissions, record the assessments, print the results.

One file is one assessment; several (or a folder of them) are scored on every core and recorded
as one batch, all or nothing (demozone.api.assess_many), and summed up one line each."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from demozone import api
from demozone.api.choices import ENGINES
from demozone.cli.common import (
    emit_json,
    handles_user_errors,
    json_option,
    lang_option,
    main_group,
    printable,
    rules_option,
)


@main_group.command("score")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--system",
    default=None,
    help="Score under this system (an id or a rule file's path) instead of the one the "
    "submission names.",
)
@click.option(
    "--recursive", "-r", is_flag=True, help="A folder stands also for the folders under it."
)
@click.option(
    "--evidence-root",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Find evidence files relative to this folder (default: each submission file's folder).",
)
@click.option(
    "--details", is_flag=True, help="With several files: each result's table before the summary."
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
    help="Processes that score several files (default: one per core; 1 scores in this "
    "process, beside the store's writer).",
)
@rules_option
@lang_option
@json_option
@handles_user_errors
def score_cmd(
    paths: tuple[Path, ...],
    system: str | None,
    recursive: bool,
    evidence_root: Path | None,
    details: bool,
    store: str | None,
    no_store: bool,
    again: bool,
    engine: str,
    workers: int | None,
    lang: str,
    as_json: bool,
) -> None:
    """Score submissions (files, or folders of them) and record the assessments in the store.

    A folder stands for the submission files in it, in name order (--recursive: also in the
    folders under it); other YAML files there (expected-scores.yaml) are left out and named.
    Several files are validated and scored in turn and recorded together: all of them, or, when
    any file or the store cannot be used, none (every file's problems are listed). They end with
    a summary, one line per submission: id, system, total, verdict, the first-level indicators
    below their rate and the problems. Progress goes to stderr when it is a terminal.

    Exit code 0 when they were scored (pass or fail is in each result), 2 when a submission or
    the store cannot be used; nothing is written then. With --json, one file prints its result
    and several print a list of results.

    One file whose exact inputs the store already holds (by the receipt's hashes) adds nothing:
    the earlier assessment is named, unless --again. Several files are always recorded.
    """
    found = api.submission_files(paths, recursive)
    for skipped in found.skipped:
        click.echo(
            f"注意/note: {skipped} is not a submission, left out (不是提交文件，已跳过)", err=True
        )
    files = found.files
    batch = len(files) > 1 or any(p.is_dir() for p in paths)
    if not batch:
        done = [_score_one(files[0], system, store, engine, no_store, again, evidence_root, lang)]
    else:
        click.echo(f"scoring {len(files)} files ...", err=True)
        done = _score_batch(files, system, store, engine, no_store, workers, evidence_root, as_json)
    if as_json:
        shaped = [api.result_json(a.result, a.iri) for a in done]
        emit_json(shaped if batch else shaped[0])
    elif not batch or details:
        click.echo(printable("\n\n".join(api.result_table(a.result, a.iri, lang) for a in done)))
    if batch and not as_json:
        rows = api.batch_summary(files, [a.result for a in done], [])
        table = api.summary_table(rows, "en" if lang == "en" else None)
        click.echo(printable(("\n" if details else "") + table))
    sys.stdout.flush()


def _score_one(file, system, store, engine, no_store, again, evidence_root, lang="zh"):
    click.echo(f"scoring {file} ...", err=True)
    done = api.assess(
        file,
        system=system,
        store=store,
        engine=engine,
        write=not no_store,
        again=again,
        evidence_root=evidence_root,
    )
    if done.reused:
        said = (
            f"the store already holds {done.iri}, scored from exactly these inputs "
            "(the same submission, rule files, knowledge base and evidence): nothing added; "
            "--again records another"
        )
        click.echo(
            said if lang == "en" else f"{said} (输入与已有评估完全相同，未新增评估记录)", err=True
        )
    return done


def _score_batch(files, system, store, engine, no_store, workers, evidence_root, as_json):
    """The files scored as one batch, with a progress bar on a terminal; when one has a
    problem, the summary names every file's problems before the error."""
    from tqdm import tqdm  # only for batches: a single score does not wait for its import

    with tqdm(
        total=len(files), file=sys.stderr, unit="file", disable=not sys.stderr.isatty()
    ) as bar:
        try:
            return api.assess_many(
                files,
                system=system,
                store=store,
                engine=engine,
                write=not no_store,
                workers=workers,
                evidence_root=evidence_root,
                progress=lambda: bar.update(1),
            )
        except api.InputError as err:
            if not as_json:
                bar.close()
                rows = api.batch_summary(files, [None] * len(files), err.problems)
                click.echo(api.summary_table(rows) + "\n\nnothing was recorded (未记录任何评估)")
            raise
