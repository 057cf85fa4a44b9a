"""Knowledge-base verbs: `systems`, `show`, `query` and `kb check`.

Each verb calls one function of `demozone.api` and renders its result: a readable text on stdout,
or with `--json` the same result as JSON. Unknown systems or indicators and bad queries end with a
message on stderr and exit code 2; `kb check` exits 1 when demozone's own data has errors (source
defects are warnings and do not fail it).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from demozone import api
from demozone.cli import kbtext
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

kb_option = click.option(
    "--kb",
    "kb_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Knowledge base directory (default: kb/ of this installation).",
)


@main_group.command("systems")
@rules_option
@kb_option
@lang_option
@json_option
@handles_user_errors
def systems_cmd(kb_dir: Path | None, lang: str, as_json: bool) -> None:
    """List the indicator systems (id, title, source, indicators, points, pass rule, lineage),
    then every rule set: the shipped ones, your folders' (--rules, $DEMOZONE_RULES) and their
    variants, each with its base, the system it scores and where its file comes from.

    --json: {"systems": [...], "rule_sets": [...]}."""
    rows, rule_sets = api.systems(kb_dir), api.rule_sets()
    if as_json:
        emit_json({"systems": rows, "rule_sets": rule_sets})
        return
    for line in kbtext.systems_lines(rows, lang):
        click.echo(line)
    click.echo("")
    _print_rule_sets(rule_sets)


def _print_rule_sets(rule_sets: list[dict]) -> None:
    click.echo("计分规则 rule sets")
    click.echo(f"{'id':<26}{'extends':<22}{'scores':<22}{'from':<16}file")
    for row in rule_sets:
        note = f"  (shadowed by {row['shadowed_by']})" if row["shadowed_by"] else ""
        if row.get("problem"):
            note += f"  错误/error: {row['problem']}"
        note += "".join(f"  unfix {u['entry']}: {u['reason']}" for u in row["unfixed"])
        click.echo(
            f"{row['id']:<26}{row['extends'] or '-':<22}{row['kb_system'] or '-':<22}"
            f"{row['origin']:<16}{row['file']}{note}"
        )


@main_group.command("show")
@click.argument("system")
@click.argument("indicator", required=False)
@kb_option
@lang_option
@json_option
@handles_user_errors
def show_cmd(
    system: str, indicator: str | None, kb_dir: Path | None, lang: str, as_json: bool
) -> None:
    """Show a system's levels and indicators, or one indicator with its clauses and anchors.

    INDICATOR is the system's own number (a local decomposition's local number).
    """
    result = api.show(system, indicator, kb_dir)
    if as_json:
        emit_json(result)
        return
    lines = (
        kbtext.system_lines(result, lang)
        if indicator is None
        else kbtext.indicator_lines(result, lang)
    )
    for line in lines:
        click.echo(line)


@main_group.command("query")
@click.argument("sparql")
@kb_option
@click.option(
    "--store",
    "store",
    is_flag=False,
    flag_value="",
    default=None,
    metavar="[DIR|URL]",
    help="Query the assessment store instead (read-only; alone: $DEMOZONE_STORE or "
    "./demozone-data). Each assessment is the graph named by its IRI: GRAPH ?a { ... }; it "
    "holds no triple its nodes' IRIs imply (the rdf:type of firings, cases, scores and facts, "
    "a case's firing, a firing's assessment and plan): `export` writes them all.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True, max=86400),
    default=None,
    help="Stop the query after this many seconds (default 30).",
)
@click.option(
    "--max-rows",
    type=click.IntRange(min=1),
    default=None,
    help="Refuse a result of more rows than this (default 100000).",
)
@lang_option
@json_option
@handles_user_errors
def query_cmd(
    sparql: str,
    kb_dir: Path | None,
    store: str | None,
    timeout: float | None,
    max_rows: int | None,
    lang: str,
    as_json: bool,
) -> None:
    """Run a SPARQL query over the knowledge base (SELECT, ASK, CONSTRUCT, DESCRIBE).

    SPARQL is the query text, or - to read it from stdin, or @FILE to read it from a file.
    The prefixes dz, id, skos, prov, oa, dcterms, org, rdf, rdfs and xsd are predefined.
    SELECT prints a table (--json: W3C SPARQL JSON results), ASK prints true/false,
    CONSTRUCT prints Turtle (--json: JSON-LD). The query reads the knowledge base only (no
    FROM, FROM NAMED or SERVICE) and is stopped at --timeout seconds and --max-rows rows
    (with --store: at --timeout seconds, and at most --max-rows rows are shown).
    """
    if store is not None:  # the store's own query (api.query_store), read-only
        result = api.query_store(
            _query_text(sparql), store or None, seconds=timeout, max_rows=max_rows
        )
    else:
        result = api.query(_query_text(sparql), kb_dir, seconds=timeout, max_rows=max_rows)
    print_query_result(result, as_json)


def print_query_result(result: dict, as_json: bool) -> None:
    """A query's result: a table, true/false, or Turtle (--json: W3C JSON results, JSON-LD)."""
    if result["type"] == "ask":
        if as_json:
            emit_json({"head": {}, "boolean": result["boolean"]})
        else:
            click.echo("true" if result["boolean"] else "false")
    elif result["type"] == "construct":
        graph = result.get("graph")
        click.echo(graph.serialize(format="json-ld") if as_json and graph else result["turtle"])
    elif as_json:
        emit_json(result["json"])
    else:
        _print_table(result["vars"], result["rows"])


def _query_text(argument: str) -> str:
    if argument == "-":
        return sys.stdin.read()
    if argument.startswith("@"):
        try:
            return Path(argument[1:]).read_text(encoding="utf-8")
        except OSError as err:
            raise click.BadParameter(f"cannot read {argument[1:]}: {err}") from None
    return argument


def _print_table(names: list[str], rows: list[list[str | None]]) -> None:
    cells = [[c if c is not None else "" for c in row] for row in rows]
    widths = [max([len(n), *(len(r[i]) for r in cells)]) for i, n in enumerate(names)]
    click.echo("  ".join(n.ljust(w) for n, w in zip(names, widths, strict=True)).rstrip())
    for row in cells:
        click.echo("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    click.echo(f"({len(rows)} rows)", err=True)


@main_group.group("kb")
def kb_group() -> None:
    """The knowledge base: check it."""


@kb_group.command("check")
@kb_option
@click.option(
    "--force", is_flag=True, help="Validate again even if these exact files were validated before."
)
@lang_option
@json_option
@handles_user_errors
def check_cmd(kb_dir: Path | None, force: bool, lang: str, as_json: bool) -> None:
    """Validate the knowledge base and list the defects of its sources.

    Runs the SHACL shapes, re-reads every anchor from its source file, adds up the points and
    reports source defects. Exit 1 only for errors in demozone's own data; source defects are
    warnings. The result is kept for the exact files of kb/ and ontology/ it checked, and reused
    (and said so) while none changes; --force validates again.
    """
    report = api.check_kb(kb_dir, force=force)
    if report.reused:
        said = "reusing the result of an earlier check of these exact files (--force checks again)"
        click.echo(said if lang == "en" else f"{said} (知识库文件未变，沿用上次检查结果)", err=True)
    if as_json:
        emit_json(report.to_dict())
    else:
        _print_report(report, lang)
    sys.exit(EXIT_OK if report.ok else EXIT_PROBLEMS)


def _print_report(report: api.KbReport, lang: str = "zh") -> None:
    """The check's findings: in English with the Chinese beneath, or English only (`lang` en;
    the source defects' quoted text stays as the source writes it)."""
    c = report.counts
    en = lang == "en"
    head = "knowledge base check" if en else "知识库检查 / knowledge base check"
    click.echo(f"{head}: {report.directory}")
    if c:
        click.echo(
            f"  {c['systems']} systems, {c['indicators']} indicators, {c['clauses']} clauses, "
            f"{c['anchors']} anchors re-read from {c['sources']} sources, {c['triples']} triples"
        )
    titles = {
        "error": "errors in demozone's data" + ("" if en else " (错误)"),
        "warning": "source defects and warnings, kept verbatim"
        + ("" if en else " (来源文件缺陷与警告)"),
        "info": "notes" + ("" if en else " (说明)"),
    }
    for severity, title in titles.items():
        found = report.by_severity(severity)
        click.echo(f"{title}: {len(found)}")
        for finding in found:
            click.echo(f"  {report.render(finding, 'en')}")
            if finding.message_zh and not en:
                click.echo(f"      {finding.message_zh}")
    verdict = "OK" if report.ok else "FAILED"
    click.echo(
        f"result: {verdict} ({len(report.by_severity('error'))} errors, "
        f"{len(report.by_severity('warning'))} warnings)"
    )
