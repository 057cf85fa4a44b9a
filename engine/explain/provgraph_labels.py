"""The labels and texts of a provenance graph's nodes, once every node and edge is in: a score
shows its value first, a firing its rule and points, a case what it compared and the branch
that held, a rule its kind, file and line and the labels of its branches."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

import networkx as nx

from demozone.common.numbers import fmt_points
from demozone.common.paths import HOME
from demozone.explain.provgraph_terms import local_name
from demozone.kb.metrics import metric_label
from demozone.rules.kinds.whynot import reference_label
from demozone.rules.kinds.wording import evidence_kind


class Labeller:
    """Labels the nodes of one assessment's graph (`prefix`: the assessment's IRI and "/"), with
    the details of its rules (rule id -> demozone.rules.model.Rule) where they are known."""

    def __init__(self, graph: nx.MultiDiGraph, prefix: str, rules: dict) -> None:
        self.g, self.prefix, self.rules = graph, prefix, rules

    def _tail(self, node: str) -> list[str]:
        return [unquote(p) for p in node.removeprefix(self.prefix).split("/")]

    def finish(self, node: str) -> None:
        """Give one node its label (and text, value and order where its type has them)."""
        attrs = self.g.nodes[node]
        kind = attrs["type"]
        tail = self._tail(node) if node.startswith(self.prefix) else []
        if kind == "assessment":
            attrs["label"] = f"评估 {unquote(node.rsplit('/', 1)[-1])}"
            verdict = "合格" if attrs.get("passed") == "true" else "不合格"
            attrs["value"] = attrs.get("total", "")
            attrs["text"] = f"总分 {attrs.get('total')} / {attrs.get('max')}，{verdict}"
            attrs["order"] = "-1000"
        elif kind == "submission":
            sub = unquote(node.rsplit("/", 1)[-1])
            attrs["label"] = f"{attrs.get('region', '')} ({sub})".strip()
            attrs["order"] = "-999"
        elif kind == "score":
            self._score(node, attrs, tail)
        elif kind == "firing":
            self._firing(attrs, tail)
        elif kind == "case":
            self._case(node, attrs, tail)
        elif kind in ("fact", "evidence"):
            attrs["id"] = tail[1] if len(tail) > 1 else unquote(local_name(node))
            attrs.setdefault("label", attrs["id"])
            attrs["label"] = _named(attrs["label"])
            if "value" in attrs:
                value = attrs["value"]
                shown = evidence_kind(value, "zh") if kind == "evidence" else _value_words(value)
                attrs["text"] = f"{attrs['label']}：{shown}"
        elif kind == "assessor":
            attrs["label"] = unquote(local_name(node))
        elif kind == "rule":
            self._rule(node, attrs)
        attrs.setdefault("label", unquote(local_name(node)))

    def _score(self, node: str, attrs: dict, tail: list[str]) -> None:
        kind = tail[1] if len(tail) > 2 and tail[0] == "score" else "score"
        attrs["kind"] = kind
        attrs["number"] = tail[2] if len(tail) > 2 else ""
        value, top = attrs.get("value", ""), attrs.get("max")
        shown = f"{value}/{top}" if top else value
        name = attrs["number"]
        for _s, target, key in self.g.out_edges(node, keys=True):
            if key in ("dz:indicator", "dz:level"):
                target_attrs = self.g.nodes[target]
                name = target_attrs.get("label", name)
                attrs["order"] = target_attrs.get("order", "")
                if kind == "level":
                    attrs["order"] = str(int(target_attrs.get("order") or 0) - 100)
        prefix = {"clause": "条款 ", "rule": "规则 "}.get(kind, "")
        attrs["label"] = f"[{shown}] {prefix}{name}"  # the value first: labels get shortened
        if "reasons" in attrs:
            attrs["text"] = attrs["reasons"]

    def _firing(self, attrs: dict, tail: list[str]) -> None:
        rule = tail[1] if len(tail) > 1 else ""
        attrs["rule"] = rule
        attrs["label"] = f"{rule} +{attrs.get('points', '0')}"

    def _case(self, node: str, attrs: dict, tail: list[str]) -> None:
        """A case: its rule and key, what it compared (one operand is the case's own label and
        value) and the branch that held for it with the points awarded."""
        if "operands" not in attrs and "value" in attrs:
            name = operand_words(attrs.get("label", ""))
            attrs["operands"] = f"{name}：{_value_words(attrs['value'])}"
        rule = attrs["rule"] = tail[1] if len(tail) > 1 else ""
        parts = [t for t in tail[1:3] if t != "-"]  # "-": a case without a key
        attrs["label"] = " / ".join(parts) if parts else node
        texts = [attrs["operands"]] if "operands" in attrs else []
        branch = attrs.get("branch")
        if branch:
            described = self.rules.get(rule)
            branches = getattr(described, "branches", ())
            said = [b.label for b in branches if b.name == branch and b.label]
            # the branch's words, not its name: a name such as level=national reads as code
            attrs["label"] += f" → {said[0] if said else '命中'} +{attrs.get('points', '0')}"
            attrs["branch_name"] = branch
            texts += said
        if texts:
            attrs["text"] = "\n".join(texts)

    def _rule(self, node: str, attrs: dict) -> None:
        rule_id = unquote(local_name(node))
        attrs["label"] = rule_id
        rule = self.rules.get(rule_id)
        if rule is None:
            return
        attrs["kind"] = rule.kind
        attrs["file"] = _relative(rule.file) + (f":{rule.line}" if rule.line else "")
        branches = [f"{b.label}（+{fmt_points(b.award)}分）" for b in rule.branches if b.label]
        if branches:
            attrs["text"] = "\n".join(branches)


def _relative(path: str) -> str:
    try:
        return str(Path(path).resolve().relative_to(HOME))
    except ValueError:
        return Path(path).name


def _named(label: str) -> str:
    """A fact labelled by a metric id (a national figure) named as the vocabulary names it."""
    head, _, rest = label.partition(" ")
    if head.startswith("national_"):
        return f"全国{reference_label(head)} {rest}".strip()
    return f"{metric_label(head)} {rest}".strip() if metric_label(head) != head else label


_VALUE_WORDS = {"true": "满足", "false": "不满足", "none": "无"}


def _value_words(value) -> str:
    """A value as a reader sees it: a judgment's true/false as 满足/不满足."""
    return _VALUE_WORDS.get(str(value).lower(), str(value))


_FIELD_WORDS = {"annual_sales": "年网络销售额"}


def operand_words(name: str) -> str:
    """An operand's name as a reader sees it: "a - b" as a与b之差, metric ids by their labels."""
    parts = [_FIELD_WORDS.get(p.strip(), _named(p.strip())) for p in name.split(" - ")]
    if len(parts) != 2:
        return parts[0]
    # a bound the rule file names (a parameter of the rule set) is its threshold
    bound = "规定门槛" if parts[1].isidentifier() and parts[1].isascii() else parts[1]
    return f"{parts[0]}与{bound}之差"
