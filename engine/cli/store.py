"""Store verbs: `store info|check|backup|restore|load-kb|export|remove` and `history`.

The store is `--store DIR-or-URL`, else `DEMOZONE_STORE`, else ./demozone-data: a directory is the
embedded store, an http(s) URL a SPARQL 1.1 server. Verbs that only read never create a store.
Exit codes: 0 ok, 1 `store check` found problems, 2 the store cannot be used (message on stderr).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from demozone import api
from demozone.api.changetext import history_lines, words
from demozone.cli.common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    emit_json,
    handles_user_errors,
    json_option,
    lang_option,
    location_option,
    main_group,
    printable,
)


@main_group.group("store")
def store_group() -> None:
    """The assessment store: counts, integrity, backup and restore, the knowledge base graph."""


@store_group.command("info")
@location_option
@json_option
@handles_user_errors
def info_cmd(location: str | None, as_json: bool) -> None:
    """Named graphs with their triple counts, and whether the knowledge base graph is current."""
    result = api.store_info(location)
    if as_json:
        emit_json(result)
        return
    click.echo(f"存储 / store: {result['location']} ({result['backend']})")
    click.echo(
        f"  {result['named_graphs']} named graphs, {result['triples']} triples, "
        f"{result['assessments']} assessments; default graph: {result['default_graph_triples']} triples"
    )
    kb = result["kb"]
    state = (
        "not loaded" if not kb["loaded"] else ("up to date" if kb["up_to_date"] else "OUT OF DATE")
    )
    click.echo(f"  knowledge base graph: {state}")
    for graph in result["graphs"]:
        click.echo(f"  {graph['triples']:>9}  {graph['kind']:<10}  {graph['graph']}")


@store_group.command("check")
@location_option
@click.option(
    "--no-shapes", is_flag=True, help="Skip the SHACL shapes of the knowledge base graph."
)
@json_option
@handles_user_errors
def check_cmd(location: str | None, no_shapes: bool, as_json: bool) -> None:
    """Check the store: every assessment complete, the knowledge base graph whole and conforming
    to the SHACL shapes. Exit 1 when something is wrong."""
    report = api.check_store(location, shapes=not no_shapes)
    if as_json:
        emit_json(report.to_dict())
    else:
        click.echo(f"存储检查 / store check: {report.location}")
        click.echo(f"  {report.complete} of {report.assessments} assessments complete")
        for finding in report.findings:
            click.echo(f"  {report.render(finding)}")
        click.echo(f"result: {'OK' if report.ok else 'FAILED'}")
    sys.exit(EXIT_OK if report.ok else EXIT_PROBLEMS)


format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(["nquads", "trig"]),
    default=None,
    help="Default: from the file name (.nq or .trig).",
)


@store_group.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@format_option
@location_option
@json_option
@handles_user_errors
def backup_cmd(file: Path, fmt: str | None, location: str | None, as_json: bool) -> None:
    """Write every graph of the store to one N-Quads or TriG file."""
    result = api.backup_store(file, fmt, location)
    _done(as_json, result, f"{result['quads']} quads -> {file}")


@store_group.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@format_option
@location_option
@json_option
@handles_user_errors
def restore_cmd(file: Path, fmt: str | None, location: str | None, as_json: bool) -> None:
    """Load a backup into an empty store (a new directory, or an empty server)."""
    result = api.restore_store(file, fmt, location)
    _done(as_json, result, f"{result['quads']} quads <- {file}")


@store_group.command("load-kb")
@click.option(
    "--kb",
    "kb_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Knowledge base directory (default: kb/ of this installation).",
)
@location_option
@json_option
@handles_user_errors
def load_kb_cmd(kb_dir: Path | None, location: str | None, as_json: bool) -> None:
    """Put the knowledge base into its graph (id/graph/kb), replacing the one there."""
    result = api.load_kb_into_store(kb_dir, location)
    _done(as_json, result, f"{result['triples']} triples -> {result['graph']}")


@store_group.command("export")
@click.argument("assessment")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path), required=False)
@location_option
@handles_user_errors
def export_cmd(assessment: str, file: Path | None, location: str | None) -> None:
    """Write one assessment's graph, with the shared rule-set graph it uses, as N-Quads
    (stdout) or to FILE (.nq or .trig), so that a restore of the file is complete.

    ASSESSMENT is its IRI or its id (SUBMISSION/TIME-HEX, as `history` shows).
    """
    quads = api.stored_assessment_quads(assessment, location)
    if file is None:
        sys.stdout.buffer.write(api.nquads(quads))
        return
    api.write_quads(quads, file)
    click.echo(f"{len(quads)} quads -> {file}", err=True)


@store_group.command("remove")
@click.argument("assessment")
@click.option("--yes", is_flag=True, help="Really remove it.")
@location_option
@json_option
@handles_user_errors
def remove_cmd(assessment: str, yes: bool, location: str | None, as_json: bool) -> None:
    """Remove one assessment, as a unit (its whole graph). Back it up first: this is not undone."""
    if not yes:
        raise click.UsageError("removing an assessment cannot be undone: add --yes")
    n = api.remove_assessment(assessment, location)
    _done(as_json, {"removed": assessment, "triples": n}, f"removed {assessment} ({n} triples)")


def _done(as_json: bool, result: dict, text: str) -> None:
    if as_json:
        emit_json(result)
    else:
        click.echo(text)


@main_group.command("history")
@click.argument("submission")
@location_option
@lang_option
@json_option
@handles_user_errors
def history_cmd(submission: str, location: str | None, lang: str, as_json: bool) -> None:
    """The assessments of a submission, oldest first, each compared with the previous one under
    the same system: who changed which judgment, and what it moved (indicator, level and total
    points, pass/fail). Assessments under different systems are not compared by number
    (`demozone compare A B` matches their indicators)."""
    result = api.history(submission, location)
    if as_json:
        emit_json(result)
        return
    if not result["assessments"]:
        t = words(lang)
        click.echo(
            printable(t["none"].format(submission=submission, location=result["location"])),
            err=True,
        )
        return
    for line in history_lines(submission, result, lang):
        click.echo(printable(line))
