"""`demozone lint [SYSTEM|FILE ...]`: check rule sets before they are adopted.

Exit 0 when no rule set has an error (warnings, such as the known defects of the source texts,
and notes do not fail it), 1 when one has, 2 when a target cannot be read as a rule set.
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
    rules_option,
)
from demozone.cli.kb import kb_option


@main_group.command("lint")
@rules_option
@click.argument("targets", nargs=-1, metavar="[SYSTEM|FILE]...")
@kb_option
@click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default=None,
    help="Print the findings in one language only (default: Chinese and English).",
)
@json_option
@handles_user_errors
def lint_cmd(
    targets: tuple[str, ...], kb_dir: Path | None, lang: str | None, as_json: bool
) -> None:
    """Check rule sets: a system id (rules/ID.yaml) or a rule file; none: every shipped one.

    Checks that points add up at every level, that no rule exceeds its indicator or leaves
    points unreachable, bands (gaps, overlaps, a shared boundary without a tie policy),
    conditions that can never hold, clauses cited and scored, metric ids, and that a variant
    keeps what its base marks `fixed:`. Known defects of the source texts are warnings.
    """
    click.echo(f"linting {', '.join(targets) or 'every rule set in rules/'} ...", err=True)
    reports = api.lint(list(targets), kb_dir)
    ok = all(report.ok for report in reports)
    if as_json:
        emit_json({"ok": ok, "reports": [report.to_dict() for report in reports]})
    else:
        for report in reports:
            _print_report(report, lang)
    sys.exit(EXIT_OK if ok else EXIT_PROBLEMS)


def _print_report(report, lang: str | None) -> None:
    chain = " -> ".join(report.files)
    errors, warnings, notes = (report.count(s) for s in ("error", "warning", "info"))
    if lang == "zh":
        click.echo(f"规则检查 {report.rule_set}：{chain}（计分指标体系 {report.kb_system}）")
    else:
        title = "lint" if lang == "en" else "规则检查/lint"
        click.echo(f"{title} {report.rule_set}: {chain} (scores {report.kb_system})")
    for finding in report.findings:
        click.echo(report.render(finding, lang))
    if lang == "zh":
        verdict = "通过" if report.ok else "有错误"
        click.echo(f"  错误{errors}项，警告{warnings}项，说明{notes}项：{verdict}\n")
        return
    verdict = "ok" if report.ok else ("has errors" if lang == "en" else "has errors (有错误)")
    click.echo(f"  {errors} errors, {warnings} warnings, {notes} notes: {verdict}\n")
