"""What every verb shares: the group, JSON/text output, and turning errors into exit codes."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from demozone.api import InputError, StoreError
from demozone.cli.lazy import LazyGroup

EXIT_OK, EXIT_PROBLEMS, EXIT_BAD_INPUT = 0, 1, 2


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
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
        emit_json({"error": {"kind": "input", "problems": [p.to_dict() for p in err.problems]}})
    for problem in err.problems:
        click.echo(f"错误/error: {problem.render('zh')}", err=True)
        if problem.message_zh and problem.message:
            click.echo(f"        {problem.message}", err=True)


# The submission file of a stored assessment, for the verbs that re-score it (explain, report).
submission_option = click.option(
    "--submission",
    type=click.Path(path_type=Path),
    default=None,
    help="The submission file of a stored ASSESSMENT: its sha256 must be the one recorded.",
)
