"""What every verb shares: the group, JSON/text output, and turning errors into exit codes."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from demozone.api import OTHER_SYSTEM, InputError, StoreError

EXIT_OK, EXIT_PROBLEMS, EXIT_BAD_INPUT = 0, 1, 2


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="demozone")
def main_group() -> None:
    """demozone: exact, explainable scoring of online market regulation and service
    demonstration zones (网络市场监管与服务示范区)."""


def json_option(func: Callable) -> Callable:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON for machines.")(func)


def emit_json(obj: Any) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False, indent=2, default=str))


def handles_user_errors(func: Callable) -> Callable:
    """Turn InputError/StoreError into a clear message and exit code 2, never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        as_json = kwargs.get("as_json", False)
        try:
            return func(*args, **kwargs)
        except InputError as err:
            report_problems(err, as_json)
            sys.exit(EXIT_BAD_INPUT)
        except StoreError as err:
            if as_json:
                emit_json({"error": {"kind": "store", "message": str(err)}})
            click.echo(f"错误/error: {err}", err=True)
            sys.exit(EXIT_BAD_INPUT)

    return wrapper


def report_problems(err: InputError, as_json: bool) -> None:
    if as_json:
        error = {"kind": "input", "problems": [p.to_dict() for p in err.problems]}
        summaries = [p.to_dict() for p in err.problems if p.code == OTHER_SYSTEM]
        emit_json({"error": error | ({"summary": summaries} if summaries else {})})
    for problem in shortened(err.problems):
        if isinstance(problem, str):
            click.echo(problem, err=True)
            continue
        click.echo(f"错误/error: {problem.render('zh')}", err=True)
        if problem.message_zh and problem.message:
            click.echo(f"        {problem.message}", err=True)


def shortened(problems: list) -> list:
    """The problems to print: a file written for another system shows its one-line summary and
    its first few problems, then how many more there are (--json lists them all)."""
    summarised = {p.file for p in problems if p.code == OTHER_SYSTEM}
    shown, left = [], {}
    for problem in problems:
        if problem.file in summarised and problem.code != OTHER_SYSTEM:
            if left.get(problem.file, 0) >= SHOWN_UNDER_SUMMARY:
                left[problem.file] = left.get(problem.file, 0) + 1
                continue
            left[problem.file] = left.get(problem.file, 0) + 1
        shown.append(problem)
    for file, count in left.items():
        if count > SHOWN_UNDER_SUMMARY:
            more = count - SHOWN_UNDER_SUMMARY
            shown.append(
                f"        … {file}: 另有 {more} 处错误未列出 / {more} more (--json lists all)"
            )
    return shown


SHOWN_UNDER_SUMMARY = 3


# The submission file of a stored assessment, for the verbs that re-score it (explain, report).
submission_option = click.option(
    "--submission",
    type=click.Path(path_type=Path),
    default=None,
    help="The submission file of a stored ASSESSMENT: its sha256 must be the one recorded.",
)
