"""`demozone targets LOCALITY FILE|ASSESSMENT`: a locality's plan targets against a submission."""

from __future__ import annotations

import click

from demozone import api
from demozone.cli.common import (
    emit_json,
    handles_user_errors,
    json_option,
    lang_option,
    main_group,
    store_option,
)


@main_group.command("targets")
@click.argument("locality")
@click.argument("reference")
@click.option("--system", default=None, help="Read the submission under this system.")
@click.option("--submission", default=None, help="The submission file of a stored ASSESSMENT.")
@store_option
@lang_option
@json_option
@handles_user_errors
def targets_cmd(
    locality: str,
    reference: str,
    system: str | None,
    submission: str | None,
    store: str | None,
    lang: str,
    as_json: bool,
) -> None:
    """LOCALITY's plan targets (e.g. yantai) against REFERENCE's figures of its last assessed
    year: met or not, by how much, which indicator each feeds; targets no metric measures are
    listed as not measurable, with why."""
    shaped = api.locality_targets(
        locality, reference, system=system, store=store, submission=submission
    )
    if as_json:
        emit_json(shaped)
    else:
        click.echo(api.targets_table(shaped, lang))
