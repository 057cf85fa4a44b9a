"""`demozone ask NAME FILE|ASSESSMENT [--evidence E]`: saved questions for assessors and auditors.

`ask --list` lists the questions (names, parameters, what each answers); `ask NAME --show-query`
prints the SPARQL a question runs over the provenance graph. FILE|ASSESSMENT is resolved as for
`graph` and `export`; a stored ASSESSMENT needs its submission file (--submission) for the
questions answered from the submission. Exit codes: 0 answered (also when the answer is empty),
2 an unknown question, a missing parameter, bad input or an unusable store.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click

from demozone import api
from demozone.api import InputError, Problem
from demozone.cli.common import (
    EXIT_BAD_INPUT,
    emit_json,
    handles_user_errors,
    json_option,
    lang_option,
    main_group,
    report_problems,
)
from demozone.cli.graph import store_option, system_option

# every parameter any question takes becomes an option (--evidence ...)
_PARAMETERS = {p.name: p for q in api.QUESTIONS.values() for p in q.parameters}
_MAX_WIDTH = 28  # display columns of a table cell before it is cut (the last column never is)


def _parameter_options(func):
    for parameter in reversed(_PARAMETERS.values()):
        func = click.option(
            f"--{parameter.name}",
            default=None,
            metavar=parameter.name.upper(),
            help=f"{parameter.en} ({parameter.zh}).",
        )(func)
    return func


@main_group.command("ask")
@click.argument("name", required=False, metavar="NAME")
@click.argument("ref", required=False, metavar="FILE|ASSESSMENT")
@_parameter_options
@click.option(
    "--list", "list_only", is_flag=True, help="List the saved questions and their parameters."
)
@click.option(
    "--show-query",
    is_flag=True,
    help="Print the SPARQL the question runs over the provenance graph, without asking it.",
)
@click.option(
    "--submission",
    type=click.Path(path_type=Path),
    default=None,
    help="The submission file of a stored ASSESSMENT, for questions answered from the "
    "submission (the store keeps only its sha256, which must match).",
)
@store_option
@system_option
@lang_option
@json_option
@handles_user_errors
def ask_cmd(
    name: str | None,
    ref: str | None,
    list_only: bool,
    show_query: bool,
    submission: Path | None,
    store: str | None,
    system: str | None,
    lang: str,
    as_json: bool,
    **params: str | None,
) -> None:
    """Ask a saved question of one assessment: which clauses rest on an evidence item, every
    indicator below its maximum and why, judgments on which assessors disagree, which facts
    came from which unit, which scores change if an evidence item were withdrawn.

    NAME is one of `demozone ask --list`; FILE|ASSESSMENT is a submission file (scored now;
    recorded too with --store) or an assessment in the store (its IRI or id)."""
    if list_only:
        _print_list(as_json, err=False)
        return
    if name is None:
        _fail(InputError([_problem("", "name a saved question", "请指定问题名称")]), as_json)
    try:
        chosen = api.question(name)
        if show_query:
            _print_query(chosen, as_json)
            return
        api.check_parameters(chosen, params)
    except InputError as err:
        _fail(err, as_json)
    if ref is None:
        raise click.UsageError("missing FILE|ASSESSMENT: the assessment to ask about")
    if api.is_submission_file(ref):
        where = f" and recording it in {store}" if store else " (not recorded)"
        click.echo(f"scoring {ref}{where} ...", err=True)
    else:
        click.echo(f"reading assessment {ref} ...", err=True)
    found = api.ask(name, ref, params, store=store, submission=submission, system=system)
    for note in found.notes:
        click.echo(f"{'note' if lang == 'en' else '注意/note'}: {note}", err=True)
    if as_json:
        emit_json(found.to_json())
        return
    click.echo(_render(found))


def _problem(path: str, message: str, message_zh: str) -> Problem:
    return Problem("ask", path, message, message_zh, expected="one of " + ", ".join(api.QUESTIONS))


def _fail(err: InputError, as_json: bool) -> NoReturn:
    """A user mistake about the question: the problems and the list of questions, exit 2."""
    report_problems(err, as_json)
    _print_list(False, err=True)
    sys.exit(EXIT_BAD_INPUT)


def _print_list(as_json: bool, *, err: bool) -> None:
    if as_json:
        emit_json({"questions": [q.to_json() for q in api.QUESTIONS.values()]})
        return
    lines = ["保存的问题 / saved questions (demozone ask NAME FILE|ASSESSMENT ...):"]
    for q in api.QUESTIONS.values():
        options = " ".join(f"--{p.name} {p.name.upper()}" for p in q.parameters)
        lines.append(f"  {q.name} {options}".rstrip() + f"    {q.title_zh} / {q.title_en}")
        lines.append(f"      {q.answers_zh}")
        lines.append(f"      {q.answers}")
        for p in q.parameters:
            lines.append(f"      --{p.name}: {p.zh} / {p.en}")
        how = "SPARQL (--show-query)" if q.query_text() else "re-scoring (不是查询 / no query)"
        if q.needs_submission:
            how += "; needs the submission (a stored ASSESSMENT: --submission FILE)"
        lines.append(f"      answered by: {how}")
    click.echo("\n".join(lines), err=err)


def _print_query(q, as_json: bool) -> None:
    text = q.query_text()
    if as_json:
        emit_json({**q.to_json(), "query": text})
        return
    bound = [f"--{p.name} -> ?{p.variable}" for p in q.parameters if p.variable and text]
    click.echo(f"# {q.name}: {q.title_zh} / {q.title_en}")
    if bound:
        click.echo(f"# parameters: {', '.join(bound)}")
    if text is None:
        click.echo(f"# not a query: {q.answers}")
        return
    click.echo(text.rstrip())


def _render(found) -> str:
    q = found.question
    head = [f"{q.title_zh} / {q.title_en}", f"评估 assessment: {found.assessment}"]
    if found.parameters:
        head.append("参数: " + ", ".join(f"--{k} {v}" for k, v in found.parameters.items()))
    if not found.rows:
        return "\n".join([*head, "", "（无 / none）", *found.summary])
    names = [c.zh for c in q.columns]
    cells = [[_cell(row.get(c.key)) for c in q.columns] for row in found.rows]
    widths = [
        min(_MAX_WIDTH, max(api.display_width(t) for t in [n, *(r[i] for r in cells)]))
        for i, n in enumerate(names)
    ]
    lines = [*head, "", _line(names, widths)]
    lines += [_line(row, widths) for row in cells]
    return "\n".join([*lines, "", *found.summary])


def _line(cells: list[str], widths: list[int]) -> str:
    padded = [api.pad(text, width) for text, width in zip(cells[:-1], widths, strict=False)]
    return "  ".join([*padded, cells[-1]]).rstrip()


def _cell(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):  # short ids with commas, longer texts with semicolons
        texts = [_cell(v) for v in value]
        return ("；" if any(api.display_width(t) > 12 for t in texts) else ", ").join(texts) or "-"
    return " ".join(str(value).split())  # one line
