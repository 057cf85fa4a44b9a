"""`demozone diff A B`: what changed from one indicator system to another, as a memo or JSON."""

from __future__ import annotations

import click

from demozone import api
from demozone.cli.common import (
    emit_json,
    handles_user_errors,
    json_option,
    lint_first,
    main_group,
    rules_option,
)


@main_group.command("diff")
@rules_option
@click.argument("a")
@click.argument("b")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@json_option
@handles_user_errors
def diff_cmd(a: str, b: str, lang: str, as_json: bool) -> None:
    """Compare system A (before) with system B (after): pass rule, levels, indicators added,
    removed and matched (by number within a lineage, else by text similarity), and for matched
    ones the changes in points, bands, operators, thresholds, caps, clauses and units, with the
    clause text before and after. Differences are not an error: exit 0; unknown system: exit 2.

    A and B are ids or rule files' paths. Both rule sets are linted first, and lint's errors are
    printed on stderr (--json: also under "lint_errors"); fixed entries a side changes on
    purpose (unfix:) are listed with their reasons."""
    errors = lint_first(a, b)
    diff = api.diff_systems(a, b)
    if as_json:
        emit_json({**diff.to_dict(), "lint_errors": errors})
        return
    click.echo(api.render_memo(diff, lang), nl=False)
