"""`demozone graph` and `demozone export`: one assessment's provenance as a graph file or as RDF.

FILE|ASSESSMENT is a submission file (scored now; recorded too when --store is given) or an
assessment in the store (its IRI or id; --store, else DEMOZONE_STORE, else ./demozone-data).
Progress goes to stderr, the file to -o (`-` for stdout), a summary to stdout with --json.
Exit codes: 0 written, 1 (export) written but not conforming to the provenance shapes, 2 bad
input, an unusable store or an unwritable output.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from demozone import api
from demozone.cli.common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    emit_json,
    handles_user_errors,
    json_option,
    lang_option,
    main_group,
    rules_option,
)

_STORE_HELP = (
    "Store directory or SPARQL server URL. With a submission FILE the assessment is also "
    "recorded there; an ASSESSMENT is looked up there (default: $DEMOZONE_STORE or "
    "./demozone-data)."
)


def _format(fmt: str | None, output: Path, suffixes: dict[str, str]) -> str:
    if fmt:
        return fmt
    found = suffixes.get(output.suffix.lower())
    if found is None:
        raise click.UsageError(
            f"cannot tell the format from {output.name!r}: give --format "
            f"({', '.join(sorted(set(suffixes.values())))})"
        )
    return found


def _write(output: Path, text: str) -> None:
    """The file whole or not at all (a temporary file, then a rename); `-` is stdout."""
    if str(output) == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    temp = output.with_name(output.name + ".part")
    try:
        temp.write_text(text, encoding="utf-8")
        os.replace(temp, output)
    except OSError as err:
        temp.unlink(missing_ok=True)
        raise api.InputError(
            [api.Problem(str(output), "", f"cannot write: {err}", "无法写入输出文件")]
        ) from None


def _resolve(ref: str, store: str | None, system: str | None, lang: str = "zh"):
    if api.is_submission_file(ref):
        where = f" and recording it in {store}" if store else " (not recorded)"
        click.echo(f"scoring {ref}{where} ...", err=True)
    else:
        click.echo(f"reading assessment {ref} ...", err=True)
    resolved = api.resolve_assessment(ref, store, system=system)
    for note in resolved.notes:
        click.echo(f"{'note' if lang == 'en' else '注意/note'}: {note}", err=True)
    return resolved


def _check_output(output: Path, as_json: bool) -> None:
    if str(output) == "-" and as_json:
        raise click.UsageError("--json prints a summary on stdout: give -o a file, not -")


ref_argument = click.argument("ref", metavar="FILE|ASSESSMENT")
output_option = click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The file to write (- for stdout).",
)
store_option = click.option("--store", default=None, metavar="DIR|URL", help=_STORE_HELP)
system_option = click.option(
    "--system", default=None, help="Score a submission FILE under this system instead."
)


@main_group.command("graph")
@ref_argument
@click.option(
    "--indicator", "-i", default=None, help="Only what the score of this indicator came from."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(api.GRAPH_FORMATS),
    default=None,
    help="Default: from the suffix of -o (.graphml .dot .gv .json .html).",
)
@output_option
@store_option
@system_option
@rules_option
@lang_option
@json_option
@handles_user_errors
def graph_cmd(
    ref: str,
    indicator: str | None,
    fmt: str | None,
    output: Path,
    store: str | None,
    system: str | None,
    lang: str,
    as_json: bool,
) -> None:
    """The provenance graph of an assessment: scores, rule firings, rules, cases, facts,
    evidence, assessors, indicators, clauses and the quoted passages of the source documents.

    html is one self-contained page that works offline: pan, zoom, click a node to see its
    text and values and walk from the scores to the sources.
    """
    _check_output(output, as_json)
    fmt = _format(fmt, output, api.GRAPH_SUFFIXES)
    resolved = _resolve(ref, store, system, lang)
    graph = api.provenance_graph(resolved, indicator)
    _write(output, api.render_graph(graph, fmt, title=_title(graph, indicator)))
    info = api.graph_summary(graph)
    click.echo(f"{info['nodes']} nodes, {info['edges']} edges -> {output} ({fmt})", err=True)
    if as_json:
        emit_json({**info, "format": fmt, "output": str(output), "indicator": indicator})
    sys.exit(EXIT_OK)


def _title(graph, indicator: str | None) -> str:
    node = graph.graph.get("assessment", "")
    attrs = graph.nodes[node] if node in graph else {}
    title = f"溯源图 provenance · {attrs.get('system', '')} · {attrs.get('label', node)}"
    return title + (f" · 指标 {indicator}" if indicator is not None else "")


@main_group.command("export")
@ref_argument
@click.option(
    "--format",
    "fmt",
    type=click.Choice(api.EXPORT_FORMATS),
    default=None,
    help="ttl (Turtle), jsonld, provn (PROV-N) or provjson (PROV-JSON); default: from the "
    "suffix of -o (.ttl .jsonld .json .provn .provjson).",
)
@output_option
@store_option
@system_option
@rules_option
@click.option("--no-validate", is_flag=True, help="Skip the SHACL provenance shapes.")
@lang_option
@json_option
@handles_user_errors
def export_cmd(
    ref: str,
    fmt: str | None,
    output: Path,
    store: str | None,
    system: str | None,
    no_validate: bool,
    lang: str,
    as_json: bool,
) -> None:
    """An assessment as PROV-O with demozone's vocabulary (Turtle or JSON-LD), or as standard
    PROV-N or PROV-JSON (written by the W3C `prov` library): its scores,
    firings, facts, evidence and assessors, the knowledge base entries and source passages it
    cites, and its reproducibility receipt (demozone version, time, sha256 of the submission,
    the knowledge base, every rule file and every evidence file). Checked against
    ontology/prov-shapes.ttl; exit 1 when it does not conform (the file is written anyway)."""
    _check_output(output, as_json)
    fmt = _format(fmt, output, api.EXPORT_SUFFIXES)
    resolved = _resolve(ref, store, system, lang)
    graph = api.export_graph(resolved)
    findings = [] if no_validate else api.validate_export(graph)
    _write(output, api.serialize_export(graph, fmt))
    info = api.export_summary(graph, findings)
    info["validated"] = not no_validate
    click.echo(f"{info['triples']} triples -> {output} ({fmt})", err=True)
    for severity, focus, message in findings:
        click.echo(f"[{severity}] {focus}: {message}", err=True)
    if not no_validate:
        click.echo(
            "conforms to the provenance shapes" if info["conforms"] else "DOES NOT CONFORM",
            err=True,
        )
    if as_json:
        emit_json({**info, "format": fmt, "output": str(output)})
    sys.exit(EXIT_OK if info["conforms"] else EXIT_PROBLEMS)
