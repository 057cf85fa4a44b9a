"""`demozone explain FILE|ASSESSMENT [--indicator N]`: the full derivation of indicator scores.

A FILE is scored now (nothing written). An ASSESSMENT in the store (IRI or id) is explained by
re-scoring its submission file (--submission; the store keeps only its sha256) with the
assessment's rule set, after checking the file and the re-scored scores against the store.
"""

from __future__ import annotations

from pathlib import Path

import click

from demozone import api
from demozone.cli.common import (
    emit_json,
    handles_user_errors,
    json_option,
    main_group,
    submission_option,
)

_LABELS = {
    "zh": {
        "indicator": "指标",
        "score": "得分",
        "criterion": "指标说明及打分标准",
        "cite": "出处",
        "clause": "条款",
        "rule": "规则",
        "case": "情形",
        "fired": "命中",
        "not_fired": "未命中",
        "facts": "依据事实",
        "missing": "缺少",
        "disagree": "评审意见不一致",
        "why_not": "未得满分的原因",
        "evidence": "证明材料",
        "chars": "字符",
    },
    "en": {
        "indicator": "Indicator",
        "score": "score",
        "criterion": "Criterion",
        "cite": "Source",
        "clause": "Clause",
        "rule": "Rule",
        "case": "case",
        "fired": "fired",
        "not_fired": "not fired",
        "facts": "facts",
        "missing": "missing",
        "disagree": "assessors disagree",
        "why_not": "Why not full marks",
        "evidence": "evidence",
        "chars": "chars",
    },
}


@main_group.command("explain")
@click.argument("ref", metavar="FILE|ASSESSMENT")
@click.option(
    "--indicator", "-i", default=None, help="One indicator, in the system's own numbering."
)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.option(
    "--system", default=None, help="Explain a FILE under this system instead of the submission's."
)
@click.option(
    "--store",
    default=None,
    metavar="DIR|URL",
    help="Where to look up an ASSESSMENT (default: $DEMOZONE_STORE or ./demozone-data).",
)
@submission_option
@json_option
@handles_user_errors
def explain_cmd(
    ref: str,
    indicator: str | None,
    lang: str,
    system: str | None,
    store: str | None,
    submission: Path | None,
    as_json: bool,
) -> None:
    """Explain how each indicator's score was derived: rules, arithmetic, facts, evidence,
    assessors and the clause text in its source document. Without --indicator: every indicator.

    FILE|ASSESSMENT is a submission file (scored now, nothing written) or an assessment in the
    store (IRI or id), whose submission file --submission names; it is used only if its sha256
    is the recorded one and re-scoring it gives every stored indicator score."""
    explained = api.explain_reference(
        ref, indicator, store=store, submission=submission, system=system
    )
    for note in explained.notes:
        click.echo(f"注意/note: {note}", err=True)
    assessment, trees = explained.assessment, explained.trees
    if indicator is not None and not trees:
        numbers = ", ".join(i.number for i in assessment.result.indicators)
        raise click.UsageError(
            f"no indicator {indicator!r} in {assessment.result.system} (one of {numbers})"
        )
    if as_json:
        emit_json(
            {
                "submission": assessment.result.submission_id,
                "system": assessment.result.system,
                "assessment": explained.iri,
                "indicators": trees,
            }
        )
        return
    for tree in trees:
        click.echo(render(tree, _LABELS[lang]))
        click.echo("")


def render(tree: dict, t: dict) -> str:
    """One indicator's explanation as indented text."""
    lines = [
        f"{t['indicator']} {tree['number']} {tree['label']}: {t['score']} {tree['score']} / {tree['max']}"
    ]
    if tree["base_number"] and tree["base_number"] != tree["number"]:
        lines[0] += f"  (national {tree['base_number']})"
    lines.append(f"  {t['criterion']}: {tree['criterion'].strip()}")
    for cite in tree["citations"]:
        lines.append(
            f"  {t['cite']}: {cite['file']} [{cite['start']}:{cite['end']}] ({cite['role']}) 「{_one_line(cite['quote'])}」"
        )
    for clause in tree["clauses"]:
        points = f" / {clause['points']}" if clause["points"] is not None else ""
        lines.append(
            f"  {t['clause']} {clause['id']}: {clause['score']}{points}  {_one_line(clause['text'])[:80]}"
        )
    for rule in tree["rules"]:
        lines.append(
            f"  {t['rule']} {rule['id']} ({rule['kind']}, {Path(rule['file']).name}:{rule['line']}) -> {rule['score']}"
            + (f" (cap {rule['cap']})" if rule["cap"] is not None else "")
        )
        for case in rule["cases"]:
            lines += _case_lines(case, t)
    if tree["why_not"]:
        lines.append(f"  {t['why_not']}:")
        lines += [f"    - {line}" for line in tree["why_not"]]
    return "\n".join(lines)


def _case_lines(case: dict, t: dict) -> list[str]:
    head = f"    {t['case']} {case['key'] or '-'}"
    if case["missing"]:
        return [f"{head}: {t['missing']} {', '.join(case['missing'])}"]
    lines = [head + ":"]
    lines += [f"      {a['text']}" for a in case["arithmetic"]]
    for branch in case["branches"]:
        mark = f"{t['fired']} +{branch['points']}" if branch["fired"] else t["not_fired"]
        lines.append(f"      [{mark}] {branch['label']}")
    for fact in case["facts"]:
        who = f" ({fact['assessor']})" if "assessor" in fact else ""
        lines.append(
            f"      · {fact['label']}{who} = {fact['value']}  [{fact['origin']}: {fact['where']}]"
        )
        for item in fact.get("evidence", []):
            lines.append(
                f"          {t['evidence']} {item['id']} {item.get('title', '')} sha256={item.get('sha256')}"
            )
    if case["disagreement"]:
        d = case["disagreement"]
        lines.append(
            f"      ! {t['disagree']}: ✓ {', '.join(d['satisfied'])}  ✗ {', '.join(d['not_satisfied'])}"
        )
    return lines


def _one_line(text: str) -> str:
    return " ".join(text.split())
