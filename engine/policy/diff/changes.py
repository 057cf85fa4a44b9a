"""The values a system diff is made of: changes, clause and indicator pairs, the whole diff.

Every `Change` carries a Chinese and an English text, the two values as written, and the verbatim
source text before and after; `to_dict` gives the stable machine shape (numbers as strings).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from demozone.common.numbers import fmt_decimal, fmt_percent, fmt_points
from demozone.common.paths import HOME
from demozone.policy.diff.matching import IndicatorPair, Matching, Side
from demozone.policy.diff.rules import Text

# Changes whose text already names what was added or removed.
_SELF_DESCRIBED = ("indicator_added", "indicator_removed", "level_added", "level_removed")


@dataclass(frozen=True)
class Change:
    """One change from system A to system B.

    `topic` names what changed (pass_rule, level_added, level_removed, level_points,
    indicator_added, indicator_removed, label, points, level, units, clause_added,
    clause_removed, clause_text, clause_moved, rule_added, rule_removed, or a rule parameter:
    kind, quantity, compare, comparator, threshold, bands, award, cap, condition, items,
    region_class, tiers). `scoring` is True when the change can move a score. `a`/`b` are the
    indicator numbers in A and B it concerns, `before`/`after` the two values as written, and
    `quote_a`/`quote_b` the verbatim source text (clause or pass-rule sentence) before and after.
    """

    topic: str
    text: Text
    scoring: bool
    a: str | None = None
    b: str | None = None
    clause_a: str | None = None
    clause_b: str | None = None
    rule_a: str | None = None
    rule_b: str | None = None
    before: Text | None = None
    after: Text | None = None
    quote_a: str | None = None
    quote_b: str | None = None
    level_a: str | None = None
    level_b: str | None = None

    def line(self) -> Text:
        """The change in one line, in both languages: what changed, and the values before and
        after ("分档：8%–15% 1分，≥15% 2分 → 6%–10% 1分，…")."""
        return Text(self._line("zh"), self._line("en"))

    def _line(self, lang: str) -> str:
        colon = "：" if lang == "zh" else ": "
        text = self.text[lang]
        if self.before is not None and self.after is not None:
            return f"{text}{colon}{self.before[lang]} → {self.after[lang]}"
        value = self.before or self.after
        if value is None or self.topic in _SELF_DESCRIBED:
            return text
        return f"{text}{colon}{value[lang]}"

    def to_dict(self) -> dict:
        return {
            "topic": self.topic,
            "scoring": self.scoring,
            "text": self.text.to_dict(),
            "a": self.a,
            "b": self.b,
            "clause_a": self.clause_a,
            "clause_b": self.clause_b,
            "rule_a": self.rule_a,
            "rule_b": self.rule_b,
            "before": self.before.to_dict() if self.before else None,
            "after": self.after.to_dict() if self.after else None,
            "quote_a": self.quote_a,
            "quote_b": self.quote_b,
            "level_a": self.level_a,
            "level_b": self.level_b,
        }


@dataclass(frozen=True)
class ClauseDiff:
    """A clause of A and its counterpart in B (either may be None), with both texts verbatim.

    `moved` when the two belong to indicators that are not a pair (a split or a merge).
    """

    a_indicator: str | None
    a: str | None
    b_indicator: str | None
    b: str | None
    similarity: Fraction | None
    moved: bool
    text_a: str | None
    text_b: str | None
    points_a: str | None
    points_b: str | None

    def to_dict(self) -> dict:
        return {
            "a_indicator": self.a_indicator,
            "a": self.a,
            "b_indicator": self.b_indicator,
            "b": self.b,
            "similarity": similarity_text(self.similarity),
            "moved": self.moved,
            "text_a": self.text_a,
            "text_b": self.text_b,
            "points_a": self.points_a,
            "points_b": self.points_b,
        }


@dataclass(frozen=True)
class IndicatorDiff:
    """One indicator pair: both sides as the knowledge base and the rules have them, and changes."""

    pair: IndicatorPair
    label_a: str | None
    label_b: str | None
    points_a: Fraction | None
    points_b: Fraction | None
    level_a: str | None  # "促进发展 / 发展规模"
    level_b: str | None
    units_a: tuple[str, ...]
    units_b: tuple[str, ...]
    clauses: list[ClauseDiff]
    changes: list[Change]
    level_a_en: str | None = None  # "Promote development / Scale of development"
    level_b_en: str | None = None

    @property
    def status(self) -> str:
        if self.pair.a is None:
            return "added"
        return "removed" if self.pair.b is None else "matched"

    def to_dict(self) -> dict:
        return {
            "status": self.status,
            "a": self.pair.a,
            "b": self.pair.b,
            "how": self.pair.how,
            "similarity": similarity_text(self.pair.similarity),
            "label_a": self.label_a,
            "label_b": self.label_b,
            "points_a": fmt_points(self.points_a) if self.points_a is not None else None,
            "points_b": fmt_points(self.points_b) if self.points_b is not None else None,
            "level_a": self.level_a,
            "level_b": self.level_b,
            "units_a": list(self.units_a),
            "units_b": list(self.units_b),
            "clauses": [c.to_dict() for c in self.clauses],
            "changes": [c.to_dict() for c in self.changes],
        }


@dataclass(frozen=True)
class SystemDiff:
    """The diff of system A (before) and system B (after)."""

    a: Side
    b: Side
    matching: Matching
    pass_rule: list[Change]
    levels: list[Change]
    indicators: list[IndicatorDiff]

    def changes(self) -> list[Change]:
        """Every change: pass rule, levels, then the indicators in A's order, added ones last."""
        return [*self.pass_rule, *self.levels, *(c for i in self.indicators for c in i.changes)]

    def changes_for(self, a_number: str | None, b_number: str | None) -> list[Change]:
        """The changes that concern A's indicator `a_number` or B's indicator `b_number` (either
        may be None), including those of clauses that moved into or out of them."""
        return [
            c
            for i in self.indicators
            for c in i.changes
            if (a_number is not None and c.a == str(a_number))
            or (b_number is not None and c.b == str(b_number))
        ]

    def indicator(self, a_number: str | None, b_number: str | None = None) -> IndicatorDiff | None:
        return next(
            (
                i
                for i in self.indicators
                if (a_number is not None and i.pair.a == str(a_number))
                or (a_number is None and b_number is not None and i.pair.b == str(b_number))
            ),
            None,
        )

    def summary(self) -> dict:
        statuses = [i.status for i in self.indicators]
        return {
            "indicators_a": len(self.a.kb.indicators),
            "indicators_b": len(self.b.kb.indicators),
            "matched": statuses.count("matched"),
            "removed": statuses.count("removed"),
            "added": statuses.count("added"),
            "clauses_moved": len(self.matching.moves),
            "changed": sum(1 for i in self.indicators if i.status == "matched" and i.changes),
            "scoring_changes": sum(1 for c in self.changes() if c.scoring),
        }

    def to_dict(self) -> dict:
        """The stable machine shape of the diff (numbers as strings, similarities as decimals)."""
        return {
            "a": _side_dict(self.a),
            "b": _side_dict(self.b),
            "how": self.matching.how,
            "summary": self.summary(),
            "pass_rule": [c.to_dict() for c in self.pass_rule],
            "levels": [c.to_dict() for c in self.levels],
            "indicators": [i.to_dict() for i in self.indicators],
            "moves": [
                {
                    "a_indicator": m.a_indicator,
                    "a_clause": m.a_clause,
                    "b_indicator": m.b_indicator,
                    "b_clause": m.b_clause,
                    "similarity": similarity_text(m.similarity),
                }
                for m in self.matching.moves
            ],
        }


def similarity_percent(value: Fraction | None) -> str:
    return fmt_percent(value, 0) if value is not None else "-"


def similarity_text(value: Fraction | None) -> str | None:
    return fmt_decimal(value, 4) if value is not None else None


def _side_dict(side: Side) -> dict:
    return {
        "id": side.id,
        "title": side.rules.title,
        "kb_system": side.kb.id,
        "kb_title": side.kb.title,
        "rule_files": [_relative(f) for f in side.rules.files],
        # fixed entries of its bases the rule set changes on purpose, with the reasons given
        "unfixed": [{"entry": u.entry, "reason": u.reason} for u in side.rules.unfixed],
    }


def _relative(file: str) -> str:
    try:
        return str(Path(file).resolve().relative_to(HOME.resolve()))
    except ValueError:
        return file
