"""`demozone audit QUESTION`: the saved audit questions over every assessment in the store.

verdicts: the assessments whose verdict differs from another assessment of the same submission
under another rule set version; passage --source ID [--start N --end M]: every score resting on
a passage of a source document (code points, end exclusive); assessor --assessor ID: every
judgment by an assessor. Exit codes: 0 answered, 2 bad input or an unusable store.
"""

from __future__ import annotations

import click

from demozone import api
from demozone.api.choices import AUDIT_QUESTIONS
from demozone.cli.common import (
    handles_user_errors,
    json_option,
    lang_option,
    location_option,
    main_group,
)
from demozone.cli.kb import print_query_result


@main_group.command("audit")
@click.argument("question", type=click.Choice(AUDIT_QUESTIONS))
@click.option("--assessor", default=None, help="assessor: the assessor's id.")
@click.option("--source", default=None, help="passage: the source document's id.")
@click.option("--start", default=None, help="passage: first code point (default 0).")
@click.option("--end", default=None, help="passage: code point after the last (default: the end).")
@location_option
@lang_option
@json_option
@handles_user_errors
def audit_cmd(
    question: str,
    assessor: str | None,
    source: str | None,
    start: str | None,
    end: str | None,
    location: str | None,
    lang: str,
    as_json: bool,
) -> None:
    """Ask a saved audit question across every assessment: verdicts, passage, assessor."""
    params = {"assessor": assessor, "source": source, "start": start, "end": end}
    result = api.audit_question(
        question, location, **{k: v for k, v in params.items() if v is not None}
    )
    print_query_result(result, as_json)
