"""`demozone impact A B SUBMISSIONS...`: whom a rule change affects, and why."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from demozone import api
from demozone.api import ENGINES
from demozone.cli.common import (
    EXIT_PROBLEMS,
    emit_json,
    handles_user_errors,
    json_option,
    lang_option,
    main_group,
    print_lint_errors,
    rules_option,
)


@main_group.command("impact")
@rules_option
@click.argument("system_a")
@click.argument("system_b")
@click.argument("submissions", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--csv",
    "as_csv",
    is_flag=True,
    help="Print CSV: one row per submission and moved indicator.",
)
@click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default="rete",
    show_default=True,
    help="rete: the durable-rules engine; direct: exact evaluation without it.",
)
@lang_option
@json_option
@handles_user_errors
def impact_cmd(
    system_a: str,
    system_b: str,
    submissions: tuple[Path, ...],
    as_csv: bool,
    engine: str,
    lang: str,
    as_json: bool,
) -> None:
    """Score SUBMISSIONS (files or folders of them) under system A and under system B.

    Per submission: the totals and pass/fail under each, the indicators whose points moved with
    the rule changes behind them, and whether a pass/fail flip comes from the pass rule, the
    points or both. A summary counts the passes under each and the flips. When B scores another
    indicator system than A (the 2022 trial against the 2024 draft), judgments are carried
    over only through the clause matching of `demozone diff`, and what could not be carried is
    listed. Nothing is written to the store.

    SYSTEM_A and SYSTEM_B are ids or rule files' paths; both rule sets are linted first and
    lint's errors printed on stderr (--json: also under "lint_errors").

    Exit code 0 when every submission was scored, 1 when some could not be (each is reported and
    the others are scored), 2 for an unknown system or bad usage.
    """
    if as_json and as_csv:
        raise click.UsageError("choose one of --json and --csv")
    report = api.impact(system_a, system_b, submissions, engine=engine, progress=_progress)
    print_lint_errors(report.lint_errors)
    if as_json:
        emit_json(api.impact_json(report))
    elif as_csv:
        click.echo(api.impact_csv(report), nl=False)
    else:
        click.echo(api.impact_table(report, lang))
    for rejected in report.rejected:
        for problem in rejected.problems:
            click.echo(f"错误/error: {problem.render(lang)}", err=True)
    sys.stdout.flush()
    if report.rejected:
        sys.exit(EXIT_PROBLEMS)


def _progress(index: int, count: int, file: str) -> None:
    click.echo(f"[{index}/{count}] {file}", err=True)
