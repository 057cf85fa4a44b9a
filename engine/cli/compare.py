"""`demozone compare A B`: two stored assessments side by side.

Under one system: who changed which judgment and what it moved, as `history` shows it. Under two
systems: the indicators paired through the systems' matching, never by number alone.
"""

from __future__ import annotations

import click

from demozone import api
from demozone.cli.common import emit_json, handles_user_errors, json_option, main_group


@main_group.command("compare")
@click.argument("a", metavar="A")
@click.argument("b", metavar="B")
@click.option(
    "--store",
    default=None,
    metavar="DIR|URL",
    help="Where the assessments are (default: $DEMOZONE_STORE or ./demozone-data).",
)
@json_option
@handles_user_errors
def compare_cmd(a: str, b: str, store: str | None, as_json: bool) -> None:
    """Compare assessments A and B (IRIs or ids, as `history` shows them), of any submissions.

    Under the same system: the judgments that changed, by assessor, and the indicator, level and
    total points and the verdict they moved. Under two systems (the 2022 trial and the 2024
    draft): each indicator beside its counterpart as the systems' matching pairs them."""
    result = api.compare_assessments(a, b, store)
    if as_json:
        emit_json(result)
        return
    for line in render(result):
        click.echo(line)


def _verdict(passed: bool) -> str:
    return "合格" if passed else "不合格"


def _said(satisfied: bool | None) -> str:
    return {True: "满足", False: "不满足", None: "（无）"}[satisfied]


def render(result: dict) -> list[str]:
    """The comparison as lines of text."""
    lines = []
    for side in ("a", "b"):
        s = result[side]
        lines.append(
            f"{side.upper()}  {s['id']}  {s['system']}  total {s['total']}/{s['max_points']}  "
            f"{_verdict(s['passed'])}"
        )
    if result["how"] == "same system":
        lines.append("same system: indicator by indicator (同一指标体系，逐项比较)")
        return lines + _change_lines(result["changes"])
    lines.append(
        f"different systems: indicators paired by the systems' matching, {result['how']} "
        "(不同指标体系，按指标对应关系比较)"
    )
    for pair in result["indicators"]:
        left = f"{pair['a']} {pair['a_score']}/{pair['a_points']}" if pair["a"] else "—"
        right = f"{pair['b']} {pair['b_score']}/{pair['b_points']}" if pair["b"] else "—"
        lines.append(f"  A {left:<14} ↔  B {right}")
    panels = result["panels"]
    lines.append(
        f"judged clauses: A {panels['judged']['a']}, B {panels['judged']['b']}, paired "
        f"{panels['paired']}; the panel's verdict differs on {len(panels['differ'])} "
        "(满足:不满足)"
    )
    lines += [
        f"  A {d['a']} {d['a_panel']}  ↔  B {d['b']} {d['b_panel']}" for d in panels["differ"]
    ]
    total, passed = result["total"], result["passed"]
    lines.append(
        f"total A {total['a']} ({_verdict(passed['a'])}), B {total['b']} ({_verdict(passed['b'])})"
    )
    return lines


def _judgment_lines(judgments: dict, indent: str) -> list[str]:
    lines = [
        f"{indent}{j['author']}：{j['clause']} {_said(j['from'])} → {_said(j['to'])}"
        for j in judgments["changed"]
    ]
    lines += [
        f"{indent}{j['author']}：{j['clause']} {_said(None)} → {_said(j['satisfied'])}"
        for j in judgments["added"]
    ]
    lines += [
        f"{indent}{j['author']}：{j['clause']} {_said(j['satisfied'])} → {_said(None)}"
        for j in judgments["removed"]
    ]
    return lines


def _change_lines(change: dict) -> list[str]:
    lines = _judgment_lines(change["judgments"], "  ")
    lines += [
        f"  indicator {i['number']}: {i['from'] or '-'} -> {i['to'] or '-'} ({i['delta']})"
        for i in change["indicators"]
    ]
    lines += [
        f"  level {lv['label']}: {lv['from'] or '-'} -> {lv['to'] or '-'} ({lv['delta']})"
        for lv in change["levels"]
    ]
    total, passed = change["total"], change["passed"]
    lines.append(f"  total {total['from']} -> {total['to']} ({total['delta']})")
    lines.append(f"  verdict {_verdict(passed['from'])} → {_verdict(passed['to'])}")
    return lines
