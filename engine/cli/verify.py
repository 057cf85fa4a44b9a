"""`demozone verify ASSESSMENT|--all`: was a stored assessment altered after it was made?

Recomputes each assessment's content digest, its link in its submission's hash chain, its
signature (when signed) and its triple count, and re-derives it from its recorded inputs where
they are available (the submission file still the one recorded, the same rule files, knowledge
base and evidence), naming every triple and score that differs. Exit codes: 0 every check
holds, 1 something differs, 2 bad input or an unusable store.
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
    lang_option,
    location_option,
    main_group,
)


@main_group.command("verify")
@click.argument("assessment", required=False)
@click.option("--all", "every", is_flag=True, help="Verify every assessment in the store.")
@click.option(
    "--submission",
    type=click.Path(path_type=Path),
    default=None,
    help="The submission file of ASSESSMENT, when it is no longer where it was read.",
)
@click.option("--no-rederive", is_flag=True, help="Only digests, chains, signatures, counts.")
@location_option
@lang_option
@json_option
@handles_user_errors
def verify_cmd(
    assessment: str | None,
    every: bool,
    submission: Path | None,
    no_rederive: bool,
    location: str | None,
    lang: str,
    as_json: bool,
) -> None:
    """Verify stored assessments: content digests, hash chains, signatures, and the
    re-derivation from the recorded inputs. ASSESSMENT is an IRI or id; or give --all."""
    if every == (assessment is not None):
        raise click.UsageError("give one ASSESSMENT or --all")
    click.echo("verifying ...", err=True)
    result = api.verify(assessment, location, submission=submission, rederiving=not no_rederive)
    if as_json:
        emit_json(result)
    else:
        en = lang == "en"
        head = "verify" if en else "核验 / verify"
        click.echo(f"{head}: {result['store']}, {result['assessments']} assessments")
        for d in result["differences"]:
            other = f" (with {d['other']})" if d["other"] else ""
            click.echo(f"  [{d['check']}] {d['assessment']}{other}: {d['message']}")
        for note in result["notes"]:
            click.echo(f"  {'note' if en else '注意/note'}: {note}", err=True)
        differs = "DIFFERS" if en else "DIFFERS (有改动)"
        click.echo(f"result: {'OK' if result['ok'] else differs}")
    sys.exit(EXIT_OK if result["ok"] else EXIT_PROBLEMS)
