"""`demozone plan FILE|ASSESSMENT`: the cheapest set of changes that makes a submission pass."""

from __future__ import annotations

import sys

import click

from demozone import api
from demozone.cli.common import (
    EXIT_PROBLEMS,
    emit_json,
    handles_user_errors,
    json_option,
    lang_option,
    main_group,
    store_option,
)


@main_group.command("plan")
@click.argument("reference")
@click.option("--system", default=None, help="Plan under this system or variant.")
@click.option(
    "--costs", default=None, help="The costs file (default rules/procedure/plan-costs.yaml)."
)
@click.option(
    "--apply",
    "apply_out",
    default=None,
    help="Write the submission with the plan applied to OUT (.yaml, .json or .xlsx; a workbook "
    "also gets the sheet 整改计划).",
)
@click.option(
    "-o",
    "--output",
    "workbook",
    default=None,
    metavar="OUT.xlsx",
    help="Also write the plan as a workbook: the sheet 整改计划, one row per change and "
    "responsible unit with the task and its deadline.",
)
@click.option("--submission", default=None, help="The submission file of a stored ASSESSMENT.")
@store_option
@lang_option
@json_option
@handles_user_errors
def plan_cmd(
    reference: str,
    system: str | None,
    costs: str | None,
    apply_out: str | None,
    submission: str | None,
    workbook: str | None,
    store: str | None,
    lang: str,
    as_json: bool,
) -> None:
    """The cheapest set of changes (judged clauses satisfied, evidence items added, last-year
    metrics moved) that makes REFERENCE pass: the total and every first-level rate. Exact:
    exhaustive per group of indicators, HiGHS across them; ties go to the fewest responsible
    units. Under a local variant grouped by responsible unit with the decomposition's tasks.
    Exit 1 when no plan exists."""
    click.echo(f"planning {reference} ...", err=True)
    shaped = api.plan_submission(
        reference,
        system=system,
        costs=costs,
        apply_out=apply_out,
        store=store,
        submission=submission,
        workbook=workbook,
    )
    if shaped.get("workbook"):
        click.echo(f"整改计划/plan -> {shaped['workbook']}", err=True)
    if as_json:
        emit_json(shaped)
    else:
        click.echo(api.plan_table(shaped, lang))
    if not shaped["feasible"]:
        sys.exit(EXIT_PROBLEMS)
