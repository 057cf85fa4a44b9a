"""How a rule kind's parts are said in Chinese and English, for `demozone diff`: quantities,
tests, bands, items and points as the source documents write them ("8%–15% 1分，≥15% 2分"), and
the changes of one part between two rules.

Each kind says what it awards and what changed with these words (`RuleKind.describe`,
`RuleKind.changes`); `demozone.policy.diff.rules` puts them together.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from demozone.common.numbers import fmt_points, fmt_rate
from demozone.kb.metrics import metric_label, metric_vocabulary
from demozone.rules.model import Quantity, Rule, Test


@dataclass(frozen=True)
class Text:
    """A short text in Chinese and English; str() is the Chinese, text["en"] the English."""

    zh: str
    en: str

    def __str__(self) -> str:
        return self.zh

    def __getitem__(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh

    def to_dict(self) -> dict:
        return {"zh": self.zh, "en": self.en}


@dataclass(frozen=True)
class RuleChange:
    """One difference of a rule pair: its topic, the words, and the two values as rendered."""

    topic: str  # kind | quantity | compare | comparator | threshold | bands | award | cap | ...
    text: Text
    before: Text | None
    after: Text | None


COMPARE_WORDS = {
    ">": Text("超过", "more than"),
    ">=": Text("达到", "at least"),
    "<": Text("低于", "less than"),
    "<=": Text("不超过", "at most"),
    "=": Text("等于", "equal to"),
}


pct = fmt_rate  # the one percent formatter (common.numbers), under the name diff texts use


def points(value: Fraction, lang: str) -> str:
    if lang == "zh":
        return f"{fmt_points(value)}分"
    return f"{fmt_points(value)} pt" + ("" if value == 1 else "s")


def both(render) -> Text:
    """A Text from a function of the language."""
    return Text(render("zh"), render("en"))


# --- values as people write them ----------------------------------------------------------------


def quantity_words(q: Quantity, lang: str) -> str:
    """A quantity as the source documents name it: 网上零售额同比增速, 全国调解成功率."""
    if q.form == "reference" and q.args[0].startswith("national_"):
        # a national comparator the submission supplies: national_<metric>
        metric = q.args[0].removeprefix("national_")
        if metric in metric_vocabulary():
            label = metric_label(metric, lang)
            return f"全国{label}" if lang == "zh" else f"national {label}"
    names = "/".join(metric_label(a, lang) for a in q.args)
    if lang == "zh":
        return {
            "growth": f"{names}同比增速",
            "national_growth": f"全国{names}同比增速",
            "ratio": f"{names}",
            "national_ratio": f"全国{names}",
            "reference": f"{names}",
            "judged": f"条款{q.args[0]}经评审认定满足",
        }.get(q.form, names)
    return {
        "growth": f"growth of {names}",
        "national_growth": f"national growth of {names}",
        "national_ratio": f"national {names}",
        "judged": f"clause {q.args[0]} judged satisfied",
    }.get(q.form, names)


def constant_words(test: Test) -> str:
    """A threshold as written: a rate as a percentage, a count or amount as a number."""
    return fmt_rate(test.constant) if test.left.is_rate else fmt_points(test.constant)


def right_words(test: Test, lang: str) -> str:
    """What a test compares with: a quantity, or its threshold."""
    return quantity_words(test.right, lang) if test.right is not None else constant_words(test)


def test_words(test: Test, lang: str) -> str:
    """A test as a sentence: 按时核查率 > 95%."""
    if test.left.form == "judged":
        return quantity_words(test.left, lang)
    return f"{quantity_words(test.left, lang)} {test.compare} {right_words(test, lang)}"


# --- changes of one part -------------------------------------------------------------------


def same(value: str) -> Text:
    """A Text that reads alike in both languages (numbers, intervals)."""
    return Text(value, value)


def award_changes(a: Rule, b: Rule, per: Text | None = None) -> list[RuleChange]:
    """The change of a rule's (first branch's) award, named `per` ("每年得分") or 得分."""
    before, after = a.branches[0].award, b.branches[0].award
    if before == after:
        return []
    label = per or Text("得分", "points")
    return [
        RuleChange(
            "award",
            label,
            both(lambda lang: points(before, lang)),
            both(lambda lang: points(after, lang)),
        )
    ]


def tests_changes(a: tuple[Test, ...], b: tuple[Test, ...]) -> list[RuleChange]:
    """Tests paired by what they compare (their left quantity), in order."""
    changes = []
    rest = list(b)
    for test in a:
        other = next((t for t in rest if t.left == test.left), None)
        if other is None:
            changes.append(
                RuleChange(
                    "condition",
                    Text("删除条件", "condition removed"),
                    both(lambda lang, t=test: test_words(t, lang)),
                    None,
                )
            )
            continue
        rest.remove(other)
        changes += test_pair_changes(test, other)
    for test in rest:
        changes.append(
            RuleChange(
                "condition",
                Text("新增条件", "condition added"),
                None,
                both(lambda lang, t=test: test_words(t, lang)),
            )
        )
    return changes


def test_pair_changes(a: Test, b: Test) -> list[RuleChange]:
    """What changed between two tests of the same quantity: operator, comparator, threshold."""
    subject = both(lambda lang: quantity_words(a.left, lang))
    changes = []
    if a.compare != b.compare:
        changes.append(
            RuleChange(
                "compare",
                Text(f"{subject.zh}的比较符", f"operator on {subject.en}"),
                both(lambda lang: f"{a.compare}（{COMPARE_WORDS[a.compare][lang]}）"),
                both(lambda lang: f"{b.compare}（{COMPARE_WORDS[b.compare][lang]}）"),
            )
        )
    if a.right != b.right:
        changes.append(
            RuleChange(
                "comparator",
                Text(f"{subject.zh}的比较基准", f"comparator of {subject.en}"),
                both(lambda lang: right_words(a, lang)),
                both(lambda lang: right_words(b, lang)),
            )
        )
    elif a.right is None and a.constant != b.constant:
        changes.append(
            RuleChange(
                "threshold",
                Text(f"{subject.zh}的门槛", f"threshold of {subject.en}"),
                same(constant_words(a)),
                same(constant_words(b)),
            )
        )
    return changes
