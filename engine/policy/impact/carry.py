"""Carry a submission from one indicator system to another (the 2022 trial to the 2024 draft).

The facts a county submitted under A are re-filed for B the way B's rules read them: metrics and
national comparators by their shared ids (kb/metrics.yaml), operators and evidence items where
B's rules read them, and judgments only through the clause pairs of the systems' matching (the
clause id mapped). What cannot be carried is listed, never guessed. The carried document is
validated by the real loader, like any submission.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path

import yaml

from demozone.common.errors import DemozoneBug, InputError, Problem
from demozone.common.numbers import fmt_decimal
from demozone.kb.national import national_figures
from demozone.rules.load import judged_clauses, needed_metrics
from demozone.rules.model import Quantity, RuleSet
from demozone.submission.catalog import catalog_from_kb
from demozone.submission.load import load_submission
from demozone.submission.model import Evidence, Submission


@dataclass(frozen=True)
class NotCarried:
    """A fact or judgment of A's submission that B's submission does not hold.

    kind: `judgment` (its clause has no counterpart in B, or the assessor already judged the
    counterpart), `metric` / `reference` (B's rules need it and A's submission lacks it),
    `unread` (A has it, B's rules read no such fact).
    """

    kind: str
    item: str
    message_zh: str
    message: str

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "item": self.item,
            "message_zh": self.message_zh,
            "message": self.message,
        }


@dataclass(frozen=True)
class Carried:
    submission: Submission  # validated, for B's knowledge-base system
    not_carried: list[NotCarried]


def carry(submission: Submission, rules_b: RuleSet, clause_b_for_a) -> Carried:
    """A's validated submission re-filed for the system B's rules score.

    `clause_b_for_a(clause_id)` is B's clause for A's clause or None (the systems' matching).
    Raises InputError when the carried document does not validate for B (e.g. a region class B
    does not know); the problems then name A's file.
    """
    reads = _Reads(rules_b)
    missing: list[NotCarried] = []
    judgments = _judgments(submission, rules_b, clause_b_for_a, missing)
    cited = {e for j in judgments for e in j["evidence"]}
    doc = {
        "submission": {
            "id": submission.id,
            "region": submission.region,
            "region_class": submission.region_class,
            "system": rules_b.kb_system,
            "years": list(submission.years),
        },
        "metrics": _metrics(submission, reads, missing),
        "reference": _references(submission, reads, missing),
        "operators": _operators(submission, reads, missing),
        "evidence": _evidence(submission, reads, cited, missing),
        "judgments": judgments,
    }
    return Carried(_validated(doc, submission.file, rules_b.kb_system), missing)


class _Reads:
    """What a rule set reads from a submission."""

    def __init__(self, rules: RuleSet) -> None:
        self.metrics: set[str] = set()
        self.references: set[str] = set()  # the rules cannot score without them
        self.national: set[tuple[str, str]] = set()  # (override id, metric): KB figures else
        self.operators = False
        self.evidence_kinds: set[str | None] = set()  # None: evidence of any kind
        for rule in rules.rules():
            self.metrics |= needed_metrics(rule)
            for quantity in _quantities(rule):
                self._quantity(quantity)
            if rule.items_of == "operators":
                self.operators = True
            elif rule.items_of == "evidence":
                self.evidence_kinds.add(dict(rule.item_equals).get("kind"))

    def _quantity(self, q: Quantity) -> None:
        if q.form == "reference":
            self.references.add(q.args[0])
        elif q.form == "national_growth":
            self.national.add((f"national_{q.args[0]}_growth", q.args[0]))
        elif q.form == "national_ratio":
            self.national |= {(f"national_{m}", m) for m in q.args}

    def reads_evidence(self, item: Evidence) -> bool:
        return None in self.evidence_kinds or item.kind in self.evidence_kinds


def _quantities(rule) -> list[Quantity]:
    found = [q for t in rule.tests for q in (t.left, t.right) if q is not None]
    return [*found, rule.ratio] if rule.ratio else found


def _judgments(
    submission: Submission, rules_b: RuleSet, clause_b_for_a, missing: list[NotCarried]
) -> list[dict]:
    """A's judgments on B's clause ids where B's rules judge that clause; the rest are listed."""
    judged_b = judged_clauses(rules_b)
    carried, judged, left = [], set(), {}
    for judgment in submission.judgments:
        clause = clause_b_for_a(judgment.clause)
        if clause is None or clause not in judged_b:
            left.setdefault((judgment.clause, clause), []).append(judgment)
            continue
        if (clause, judgment.assessor) in judged:  # two of A's clauses became one of B's
            missing.append(
                NotCarried(
                    "judgment",
                    judgment.clause,
                    f"{judgment.assessor} 对条款 {judgment.clause} 的评审意见未转入："
                    f"该专家对对应条款 {clause} 已有评审意见",
                    f"{judgment.assessor}'s judgment on {judgment.clause} not carried: "
                    f"they already judged its counterpart {clause}",
                )
            )
            continue
        judged.add((clause, judgment.assessor))
        item = {"clause": clause, "satisfied": judgment.satisfied}
        item |= {"evidence": list(judgment.evidence), "assessor": judgment.assessor}
        carried.append(item | ({"note": judgment.note} if judgment.note else {}))
    for (clause, counterpart), judgments in sorted(left.items(), key=lambda kv: _order(kv[0][0])):
        missing.append(_judgments_left(clause, counterpart, judgments))
    return carried


def _judgments_left(clause: str, counterpart: str | None, judgments: list) -> NotCarried:
    votes = "、".join(f"{j.assessor}{'满足' if j.satisfied else '不满足'}" for j in judgments)
    if counterpart is None:
        why_zh, why = "在对方体系中没有对应条款", "has no counterpart"
    else:
        why_zh = f"的对应条款 {counterpart} 按填报数据计分，不经评审"
        why = f"corresponds to {counterpart}, which is scored from figures, not judged"
    return NotCarried(
        "judgment",
        clause,
        f"条款 {clause} {why_zh}，{len(judgments)} 条评审意见未转入（{votes}）",
        f"clause {clause} {why}; {len(judgments)} judgment(s) not carried",
    )


def _metrics(submission: Submission, reads: _Reads, missing: list[NotCarried]) -> dict:
    series: dict[str, dict[int, str]] = {}
    for (metric, year), value in sorted(submission.metrics.items()):
        if metric in reads.metrics:
            series.setdefault(metric, {})[year] = _exact(value.value)
    for metric in sorted(reads.metrics - set(series)):
        missing.append(
            NotCarried(
                "metric",
                metric,
                f"对方体系的计分规则需要数据项 {metric}，本申报材料未提供",
                f"B's rules need metric {metric}; the submission has none",
            )
        )
    unread = sorted({m for m, _ in submission.metrics} - reads.metrics)
    if unread:
        missing.append(
            NotCarried(
                "unread",
                ", ".join(unread),
                f"对方体系不使用的数据项：{', '.join(unread)}",
                f"metrics B's rules do not read: {', '.join(unread)}",
            )
        )
    return series


def _references(submission: Submission, reads: _Reads, missing: list[NotCarried]) -> dict:
    wanted = reads.references | {ref for ref, _ in reads.national}
    section: dict = {}
    for (ref, year), value in sorted(submission.references.items(), key=lambda kv: str(kv[0])):
        if ref not in wanted:
            continue
        if year is None:
            section[ref] = _exact(value.value)
        else:
            section.setdefault(ref, {})[year] = _exact(value.value)
    figures = national_figures()
    needed = sorted(reads.references) + sorted(
        ref
        for ref, metric in reads.national
        if not all((metric, year) in figures for year in submission.years)
    )
    for ref in needed:
        if ref not in section:
            missing.append(
                NotCarried(
                    "reference",
                    ref,
                    f"对方体系的计分规则需要全国对比数据 {ref}，本申报材料未提供，知识库中也没有",
                    f"B's rules need the national comparator {ref}; neither the submission "
                    "nor the knowledge base has it",
                )
            )
    return section


def _operators(submission: Submission, reads: _Reads, missing: list[NotCarried]) -> list[dict]:
    if not reads.operators:
        if submission.operators:
            missing.append(
                NotCarried(
                    "unread",
                    "operators",
                    f"对方体系不使用规模以上网络交易经营者名单（{len(submission.operators)} 家）",
                    f"B's rules read no operators ({len(submission.operators)} listed)",
                )
            )
        return []
    return [
        {"name": o.name, "year": o.year, "annual_sales": _exact(o.annual_sales)}
        for o in submission.operators
    ]


def _evidence(
    submission: Submission, reads: _Reads, cited: set[str], missing: list[NotCarried]
) -> list[dict]:
    """Evidence items a carried judgment cites or an item rule of B reads; files go by hash."""
    carried, left = [], []
    for item in submission.evidence.values():
        if item.id not in cited and not reads.reads_evidence(item):
            left.append(item.id)
            continue
        fields = {"id": item.id, "title": item.title, "kind": item.kind}
        # The file was read and hashed when A's submission was loaded; its hash identifies it.
        fields["sha256"] = item.sha256
        for name in ("issued_by", "date", "level", "type", "form"):
            if getattr(item, name) is not None:
                fields[name] = getattr(item, name)
        carried.append({k: v for k, v in fields.items() if v is not None})
    if left:
        missing.append(
            NotCarried(
                "unread",
                ", ".join(left),
                f"未被转入的评审意见引用、对方体系也不读取的证明材料：{', '.join(left)}",
                f"evidence neither cited by a carried judgment nor read by B's rules: {', '.join(left)}",
            )
        )
    return carried


def _order(clause: str) -> tuple:
    return tuple(int(p) if p.isdigit() else 0 for p in clause.split("."))


def _exact(value: Fraction) -> str:
    """The decimal text of a value read from decimal text (so its expansion terminates)."""
    for places in range(40):
        if (value * 10**places).denominator == 1:
            return fmt_decimal(value, places)
    raise DemozoneBug(f"{value} has no finite decimal expansion")


def _validated(doc: dict, source: str, system: str) -> Submission:
    """The carried document through the submission loader; its problems name A's file."""
    with tempfile.TemporaryDirectory(prefix="demozone-carry-") as tmp:
        path = Path(tmp) / "carried.yaml"
        path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), "utf-8")
        try:
            carried = load_submission(path, catalog_from_kb())
        except InputError as err:
            raise InputError(
                [
                    Problem(
                        source,
                        p.path,
                        f"carried to {system}: {p.message}",
                        f"转入 {system} 后：{p.message_zh or p.message}",
                        p.expected,
                    )
                    for p in err.problems
                ]
            ) from None
    return replace(carried, file=source)
