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
    rules_option,
    submission_option,
)

_LABELS = {
    "zh": {
        "head": "{level}{number} {label}",
        "points": "分值{max}分，得分{score}分。",
        "base": "（全国指标体系第{base}项）",
        "criterion": "评估内容",
        "cite": "出处",
        "clause": "条款{id}（{points}得{score}分）",
        "clause_points": "分值{points}分，",
        "account": "计分说明",
        "grounds": "依据数据",
        "reachable": "按本申报的年度和数据最多可得",
        "evidence": "证明材料",
        "reasons": "扣分原因",
        "why_not": "如何提高得分",
        "colon": "：",
        "open": "（",
        "close": "）",
        "lq": "《",
        "rq": "》",
    },
    "en": {
        "head": "{level} {number}: {label}",
        "points": "Points {max}, scored {score}.",
        "base": " (national indicator {base})",
        "criterion": "Criterion",
        "cite": "Source",
        "clause": "Clause {id} ({points}scored {score})",
        "clause_points": "points {points}, ",
        "account": "How it was scored",
        "grounds": "Figures used",
        "evidence": "Evidence",
        "reasons": "Reasons for lost points",
        "why_not": "What would raise it",
        "reachable": "reachable with this submission's years and data",
        "colon": ": ",
        "open": " (",
        "close": ")",
        "lq": "“",
        "rq": "”, ",
    },
}
_ROLES = {
    "zh": {"title": "标题", "criterion": "评估内容", "rule_text": "计分标准", "clause": "条款"},
    "en": {
        "title": "title",
        "criterion": "criterion",
        "rule_text": "scoring rule",
        "clause": "clause",
    },
}


@main_group.command("explain")
@rules_option
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
        ref, indicator, store=store, submission=submission, system=system, lang=lang
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
        click.echo(render(tree, lang))
        click.echo("")


def render(tree: dict, lang: str) -> str:
    """One indicator's explanation as an evaluation report writes it: the indicator with its
    points and score, its criterion and sources, each clause, how each rule scored in
    sentences (with the rule's reference), the figures and evidence it rests on, the reasons
    for lost points and what would raise it."""
    t, roles = _LABELS[lang], _ROLES[lang]
    label = tree["label_en"] or tree["label"] if lang == "en" else tree["label"]
    head = t["head"].format(level=tree["level_name"], number=tree["number"], label=label)
    if tree["base_number"] and tree["base_number"] != tree["number"]:
        head += t["base"].format(base=tree["base_number"])
    lines = [head, "  " + t["points"].format(max=tree["max"], score=tree["score"])]
    lines.append(f"  {t['criterion']}{t['colon']}{_one_line(tree['criterion'])}")
    for cite in tree["citations"]:
        where = api.citation_text(cite, lang)
        title = cite.get("title") or cite["source_id"]
        role = roles.get(cite["role"], cite["role"])
        lines.append(
            f"  {t['cite']}{t['colon']}{t['lq']}{title}{t['rq']}{where}{t['open']}{role}{t['close']}"
            f"「{_one_line(cite['quote'])}」"
        )
    for clause in tree["clauses"]:
        points = (
            t["clause_points"].format(points=clause["points"])
            if clause["points"] is not None
            else ""
        )
        lines.append(
            "  "
            + t["clause"].format(id=clause["id"], points=points, score=clause["score"])
            + f"{t['colon']}{_one_line(clause['text'])[:80]}"
        )
    lines.append(f"  {t['account']}{t['colon'].rstrip()}")
    for rule in tree["rules"]:
        lines += [f"    {sentence}" for sentence in rule["account"]]
        lines.append(f"    {rule['reference']}")
    lines += _section(t["grounds"], tree["grounds"], t)
    lines += _section(t["evidence"], tree["evidence_cited"], t)
    lines += _section(t["reasons"], tree["reasons"], t)
    if tree["why_not"]:
        lines.append(f"  {t['why_not']}{t['colon'].rstrip()}")
        lines.append(f"    {t['reachable']}{t['colon']}{tree['reachable']}")
        lines += [f"    · {_why_not_line(entry, lang)}" for entry in tree["why_not"]]
    return "\n".join(lines)


def _section(title: str, entries: list[str], t: dict) -> list[str]:
    if not entries:
        return []
    return [f"  {title}{t['colon'].rstrip()}", *(f"    · {entry}" for entry in entries)]


def _why_not_line(entry: dict, lang: str = "zh") -> str:
    """A why-not entry: its reason, after its clause unless the reason names it first."""
    clause = entry["clause"]
    reason = (entry.get("reason_en") or entry["reason"]) if lang == "en" else entry["reason"]
    if not clause or clause in reason[: len(clause) + 8]:
        return reason
    return f"Clause {clause}: {reason}" if lang == "en" else f"条款{clause}：{reason}"


def _one_line(text: str) -> str:
    return " ".join(text.split())
