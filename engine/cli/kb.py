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
from demozone.cli.common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    emit_json,
    handles_user_errors,
    json_option,
    main_group,
)

kb_option = click.option(
    "--kb",
    "kb_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Knowledge base directory (default: kb/ of this installation).",
)


@main_group.command("systems")
@kb_option
@json_option
@handles_user_errors
def systems_cmd(kb_dir: Path | None, as_json: bool) -> None:
    """List the indicator systems: id, title, source, indicators, points, pass rule, lineage."""
    rows = api.systems(kb_dir)
    if as_json:
        emit_json(rows)
        return
    header = f"{'id':<22}{'status':<8}{'indicators':>11}{'points':>9}  {'pass rule':<18}{'extends/revises':<22}sources / title"
    click.echo(header)
    for row in rows:
        rule = row["pass_rule"] or {}
        pass_text = (
            f">={rule.get('total_at_least')}, each >={rule.get('first_level_rate_at_least')}"
        )
        lineage = _lineage(row)
        points = f"{row['points']}/{row['total_points']}"
        sources = ", ".join(s["id"] for s in row["sources"])
        click.echo(
            f"{row['id']:<22}{row['status']:<8}{row['indicators']:>11}{points:>9}  "
            f"{pass_text:<18}{lineage:<22}{sources}: {row['title']}"
        )


def _lineage(row: dict) -> str:
    if row["extends"]:
        return f"extends {row['extends']}"
    if row["revision_of"]:
        return f"revises {row['revision_of']}"
    return "-"


@main_group.command("show")
@click.argument("system")
@click.argument("indicator", required=False)
@kb_option
@json_option
@handles_user_errors
def show_cmd(system: str, indicator: str | None, kb_dir: Path | None, as_json: bool) -> None:
    """Show a system's levels and indicators, or one indicator with its clauses and anchors.

    INDICATOR is the system's own number (a local decomposition's local number).
    """
    result = api.show(system, indicator, kb_dir)
    if as_json:
        emit_json(result)
    elif indicator is None:
        _print_system(result)
    else:
        _print_indicator(result)


def _print_system(s: dict) -> None:
    click.echo(f"{s['id']}  {s['title']}")
    if s["title_en"]:
        click.echo(f"  {s['title_en']}")
    rule = s["pass_rule"] or {}
    click.echo(
        f"  {s['indicators']} indicators, {s['points']} of {s['total_points']} points; pass: total >= "
        f"{rule.get('total_at_least')} and every first level >= {rule.get('first_level_rate_at_least')}"
    )
    if s["extends"] or s["revision_of"]:
        click.echo(f"  {_lineage(s)}")
    for level in s["levels"]:
        click.echo(
            f"{level['number'] or ''} {level['label']} ({level['points']}分)  [{level['id']}]"
        )
        for ind in level["indicators"]:
            click.echo(f"    {ind['number']:>3}. {ind['label']} ({ind['points']}分)")
        for sub in level["second_level"]:
            click.echo(f"  {sub['label']} ({sub['points']}分)  [{sub['id']}]")
            for ind in sub["indicators"]:
                click.echo(f"    {ind['number']:>3}. {ind['label']} ({ind['points']}分)")


def _print_indicator(d: dict) -> None:
    base = f"  (decomposes {d['base']['system']} {d['base']['number']})" if d["base"] else ""
    click.echo(f"{d['system']} {d['number']}. {d['label']} ({d['points']}分){base}")
    if d["label_en"]:
        click.echo(f"  {d['label_en']}")
    second = f" / {d['second_level']['label']}" if d["second_level"] else ""
    click.echo(f"  level: {d['first_level']['label']}{second}")
    click.echo(f"  nature: {d['nature']}   methods: {'、'.join(d['methods'])}")
    click.echo(f"  data sources: {'、'.join(d['data_sources'])}")
    if d["metrics"]:
        click.echo("  metrics: " + ", ".join(f"{m['id']} ({m['label']})" for m in d["metrics"]))
    if d["units"]:
        click.echo("  units: " + "、".join(u["name"] for u in d["units"]))
    click.echo("  criterion:")
    for line in d["criterion"].splitlines():
        click.echo(f"    {line}")
    if d["rule_text"]:
        click.echo(f"  rule: {d['rule_text']}")
    for clause in d["clauses"]:
        points = f"{clause['points']}分" if clause["points"] is not None else "no points stated"
        text = clause["text"].replace("\n", "\n      ")
        click.echo(f"  clause {clause['id']} ({points}): {text}")
        for anchor in clause["anchors"]:
            click.echo(f"      {_anchor_line(anchor)}")
    click.echo("  anchors:")
    for anchor in d["anchors"]:
        click.echo(f"    {_anchor_line(anchor)}")


def _anchor_line(a: dict) -> str:
    mark = "" if a["verified"] else "  !! differs from the source"
    text = a["source_text"].replace("\n", "⏎")
    return f"{a['role']:<12} {a['source']}[{a['start']}:{a['end']}] {text}{mark}"


@main_group.command("query")
@click.argument("sparql")
@kb_option
@json_option
@handles_user_errors
def query_cmd(sparql: str, kb_dir: Path | None, as_json: bool) -> None:
    """Run a SPARQL query over the knowledge base (SELECT, ASK, CONSTRUCT, DESCRIBE).

    SPARQL is the query text, or - to read it from stdin, or @FILE to read it from a file.
    The prefixes dz, id, skos, prov, oa, dcterms, org, rdf, rdfs and xsd are predefined.
    SELECT prints a table (--json: W3C SPARQL JSON results), ASK prints true/false,
    CONSTRUCT prints Turtle (--json: JSON-LD).
    """
    result = api.query(_query_text(sparql), kb_dir)
    if result["type"] == "ask":
        if as_json:
            emit_json({"head": {}, "boolean": result["boolean"]})
        else:
            click.echo("true" if result["boolean"] else "false")
    elif result["type"] == "construct":
        click.echo(result["graph"].serialize(format="json-ld") if as_json else result["turtle"])
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
@json_option
@handles_user_errors
def check_cmd(kb_dir: Path | None, force: bool, as_json: bool) -> None:
    """Validate the knowledge base and list the defects of its sources.

    Runs the SHACL shapes, re-reads every anchor from its source file, adds up the points and
    reports source defects. Exit 1 only for errors in demozone's own data; source defects are
    warnings. The result is kept for the exact files of kb/ and ontology/ it checked, and reused
    (and said so) while none changes; --force validates again.
    """
    report = api.check_kb(kb_dir, force=force)
    if report.reused:
        click.echo(
            "reusing the result of an earlier check of these exact files (--force checks again) "
            "(知识库文件未变，沿用上次检查结果)",
            err=True,
        )
    if as_json:
        emit_json(report.to_dict())
    else:
        _print_report(report)
    sys.exit(EXIT_OK if report.ok else EXIT_PROBLEMS)


def _print_report(report: api.KbReport) -> None:
    c = report.counts
    click.echo(f"知识库检查 / knowledge base check: {report.directory}")
    if c:
        click.echo(
            f"  {c['systems']} systems, {c['indicators']} indicators, {c['clauses']} clauses, "
            f"{c['anchors']} anchors re-read from {c['sources']} sources, {c['triples']} triples"
        )
    titles = {
        "error": "errors in demozone's data (错误)",
        "warning": "source defects and warnings, kept verbatim (来源文件缺陷与警告)",
        "info": "notes (说明)",
    }
    for severity, title in titles.items():
        found = report.by_severity(severity)
        click.echo(f"{title}: {len(found)}")
        for finding in found:
            click.echo(f"  {report.render(finding, 'en')}")
            if finding.message_zh:
                click.echo(f"      {finding.message_zh}")
    verdict = "OK" if report.ok else "FAILED"
    click.echo(
        f"result: {verdict} ({len(report.by_severity('error'))} errors, "
        f"{len(report.by_severity('warning'))} warnings)"
    )
