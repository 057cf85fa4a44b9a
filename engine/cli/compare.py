"""`demozone compare A B`: two stored assessments side by side.

Under one system: who changed which judgment and what it moved, as `history` shows it. Under two
systems: the indicators paired through the systems' matching, never by number alone.
"""

from __future__ import annotations

import click

from demozone import api
from demozone.api.changetext import compare_lines
from demozone.cli.common import (
    emit_json,
    handles_user_errors,
    json_option,
    lang_option,
    main_group,
)


@main_group.command("compare")
@click.argument("a", metavar="A")
@click.argument("b", metavar="B")
@click.option(
    "--store",
    default=None,
    metavar="DIR|URL",
    help="Where the assessments are (default: $DEMOZONE_STORE or ./demozone-data).",
)
@lang_option
@json_option
@handles_user_errors
def compare_cmd(a: str, b: str, store: str | None, lang: str, as_json: bool) -> None:
    """Compare assessments A and B (IRIs or ids, as `history` shows them), of any submissions.

    Under the same system: the judgments that changed, by assessor, and the indicator, level and
    total points and the verdict they moved. Under two systems (the 2022 trial and the 2024
    draft): each indicator beside its counterpart as the systems' matching pairs them."""
    result = api.compare_assessments(a, b, store)
    if as_json:
        emit_json(result)
        return
    for line in compare_lines(result, lang):
        click.echo(line)
