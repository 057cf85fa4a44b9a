"""What every verb shares: the group, JSON/text output, and turning errors into exit codes."""

from __future__ import annotations

import datetime
import functools
import json
import os
import re
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from demozone import api
from demozone.api import InputError, StoreError
from demozone.cli.lazy import LazyGroup

EXIT_OK, EXIT_PROBLEMS, EXIT_BAD_INPUT = 0, 1, 2


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """Text for the terminal: control characters (terminal escape sequences among them) shown
    as escapes (\x1b), never sent raw; line breaks and tabs kept."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def error_log() -> Path:
    """Where a traceback goes: $DEMOZONE_LOG, else demozone-errors.log in the temp folder."""
    return Path(
        os.environ.get("DEMOZONE_LOG") or Path(tempfile.gettempdir()) / "demozone-errors.log"
    )


class Commands(LazyGroup):
    """The group: an exception no verb expected becomes one line naming a log file that holds
    its traceback, and exit code 1 (a traceback is a bug, never shown to a user)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except Exception as err:  # the one place that catches everything: see the docstring
            where = _log_traceback(err)
            click.echo(
                f"错误/error: demozone failed unexpectedly ({type(err).__name__}); the details are "
                f"in {where} (程序内部错误，详情见日志)",
                err=True,
            )
            sys.exit(EXIT_PROBLEMS)


def _log_traceback(err: Exception) -> str:
    text = "".join(traceback.format_exception(err))
    stamp = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    target = error_log()
    try:
        with target.open("a", encoding="utf-8") as log:
            log.write(f"--- {stamp} demozone {' '.join(sys.argv[1:])!r}\n{text}\n")
    except OSError:
        return "(the log file could not be written: run with DEMOZONE_LOG=FILE)"
    return str(target)


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
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
            click.echo(f"错误/error: {printable(str(err))}", err=True)
            sys.exit(EXIT_BAD_INPUT)

    return wrapper


def report_problems(err: InputError, as_json: bool) -> None:
    if as_json:
        error = {"kind": "input", "problems": [p.to_dict() for p in err.problems]}
        summaries = [p.to_dict() for p in err.problems if p.code == api.OTHER_SYSTEM]
        emit_json({"error": error | ({"summary": summaries} if summaries else {})})
    for problem in shortened(err.problems):
        if isinstance(problem, str):
            click.echo(printable(problem), err=True)
            continue
        click.echo(f"错误/error: {printable(problem.render('zh'))}", err=True)
        if problem.message_zh and problem.message:
            click.echo(f"        {printable(problem.message)}", err=True)


def shortened(problems: list) -> list:
    """The problems to print: a file written for another system shows its one-line summary and
    its first few problems, then how many more there are (--json lists them all)."""
    summarised = {p.file for p in problems if p.code == api.OTHER_SYSTEM}
    shown, left = [], {}
    for problem in problems:
        if problem.file in summarised and problem.code != api.OTHER_SYSTEM:
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


def lang_option(func: Callable) -> Callable:
    """--lang zh|en: the language of the text a command prints (the Chinese governs)."""
    return click.option(
        "--lang",
        type=click.Choice(["zh", "en"]),
        default="zh",
        show_default=True,
        help="Language of the printed text: zh (Chinese, governs) or en (English, for reference).",
    )(func)


# The submission file of a stored assessment, for the verbs that re-score it (explain, report).
submission_option = click.option(
    "--submission",
    type=click.Path(path_type=Path),
    default=None,
    help="The submission file of a stored ASSESSMENT: its sha256 must be the one recorded.",
)


def _use_rule_folders(_ctx: click.Context, _param: click.Parameter, folders: tuple) -> tuple:
    api.use_rules(folders)  # also when none are given: a previous command's folders are forgotten
    return folders


# The policy office's own rule folders, on every verb that takes a system.
rules_option = click.option(
    "--rules",
    "rule_folders",
    multiple=True,
    metavar="DIR",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    callback=_use_rule_folders,
    expose_value=False,
    help="A folder of your own rule files, searched (in the order given) before $DEMOZONE_RULES "
    "(folders separated by ':') and the shipped rules/; repeatable. A rule file's path is "
    "accepted wherever a system id is.",
)


def lint_first(*systems: str) -> list[dict]:
    """Lint the rule sets a command is about to use (diff) and print their errors on stderr;
    the errors, for --json."""
    errors = api.lint_errors(list(systems))
    print_lint_errors(errors)
    return errors


def print_lint_errors(errors: list[dict]) -> None:
    """Lint's errors (lint --json's findings with their rule set) on stderr, and what they mean
    for the results."""
    for error in errors:
        where = error["location"]
        line = f":{where['line']}" if where["line"] else ""
        click.echo(
            f"规则检查/lint {error['rule_set']}: 错误/error [{error['code']}] "
            f"{where['file']}{line}: {where['path']}\n    {error['message_zh']}\n    {error['message']}",
            err=True,
        )
    if errors:
        click.echo(
            f"规则检查发现 {len(errors)} 个错误，结果仅供参考 / lint found {len(errors)} "
            "errors: read the results with them in mind (demozone lint)",
            err=True,
        )


# Where assessments live, for verbs that only read or add to the store: one wording everywhere.
STORE_HELP = "Store directory or SPARQL server URL (default: $DEMOZONE_STORE or ./demozone-data)."
store_option = click.option("--store", default=None, metavar="DIR|URL", help=STORE_HELP)
location_option = click.option(
    "--store", "location", default=None, metavar="DIR|URL", help=STORE_HELP
)

# The accounts database of the web workspace (`user`, `serve`).
db_option = click.option(
    "--db",
    default=None,
    metavar="URL",
    help="Accounts database: a SQLAlchemy URL (postgresql+psycopg://...) or a SQLite file "
    "(default: $DEMOZONE_DB, else DIR-accounts.sqlite beside the store directory DIR).",
)
