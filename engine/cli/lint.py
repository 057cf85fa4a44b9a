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
@json_option
@handles_user_errors
def lint_cmd(targets: tuple[str, ...], kb_dir: Path | None, as_json: bool) -> None:
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
            _print_report(report)
    sys.exit(EXIT_OK if ok else EXIT_PROBLEMS)


def _print_report(report) -> None:
    chain = " -> ".join(report.files)
    click.echo(f"规则检查/lint {report.rule_set}: {chain} (scores {report.kb_system})")
    for finding in report.findings:
        click.echo(report.render(finding))
    verdict = "ok" if report.ok else "has errors (有错误)"
    click.echo(
        f"  {report.count('error')} errors, {report.count('warning')} warnings, "
        f"{report.count('info')} notes: {verdict}\n"
    )
