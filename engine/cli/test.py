"""`demozone test [PATH]`: run the rule tests in data (rules/tests/*.yaml by default)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from demozone import api
from demozone.cli.common import (
    EXIT_PROBLEMS,
    emit_json,
    handles_user_errors,
    json_option,
    lang_option,
    main_group,
    rules_option,
)

_ENGINES = {"rete": ("rete",), "direct": ("direct",), "both": ("rete", "direct")}


@main_group.command("test")
@rules_option
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option(
    "--engine",
    type=click.Choice(sorted(_ENGINES)),
    default="rete",
    show_default=True,
    help="Score with durable-rules (rete), by direct evaluation, or both.",
)
@click.option("-k", "keyword", default=None, help="Only tests whose name contains this text.")
@lang_option
@json_option
@handles_user_errors
def test_cmd(path: Path | None, engine: str, keyword: str | None, lang: str, as_json: bool) -> None:
    """Run rule tests: submission fragments and the points each indicator must earn.

    PATH is a test file or a folder of them (default: rules/tests). Exit code 0 when every test
    passes, 1 when one fails, 2 when a test file cannot be read."""
    files = api.rule_test_files(path)
    click.echo(f"running the rule tests of {len(files)} file(s) ...", err=True)
    outcomes = [
        o
        for o in api.run_rule_tests(files, _ENGINES[engine])
        if keyword is None or keyword in o.test.name
    ]
    failed = [o for o in outcomes if not o.ok]
    if as_json:
        emit_json(
            {
                "passed": len(outcomes) - len(failed),
                "failed": len(failed),
                "tests": [o.to_dict() for o in outcomes],
            }
        )
    else:
        for outcome in failed:
            test = outcome.test
            click.echo(f"FAIL {test.file}:{test.line} [{outcome.engine}] {test.name}")
            for failure in outcome.failures:
                click.echo(f"     {failure}")
        click.echo(f"{len(outcomes) - len(failed)} passed, {len(failed)} failed")
    if failed:
        sys.exit(EXIT_PROBLEMS)
