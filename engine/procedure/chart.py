"""The procedure file (rules/procedure/*.yaml) read strictly, every citation resolved to an
anchor of the knowledge base, and run as a durable-rules statechart.

An article citation is an article number and a quote; the quote must occur verbatim in the
article's text (kb/procedure.yaml), and becomes the knowledge base's `Citation` of that span (source
id and file, code-point and byte offsets), so every state, event and transition of the procedure
points at the words it rests on, named as every other output names a citation.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from demozone.common.errors import DemozoneBug
from demozone.common.paths import RULES_DIR
from demozone.common.yamlio import load_yaml
from demozone.kb.citation import Citation, citation_text, cite
from demozone.kb.load import load_kb
from demozone.kb.model import Anchor
from demozone.scoring.rete_chart import Transition, get_chart

PROCEDURE_FILE = RULES_DIR / "procedure" / "samr-2024.yaml"
RESULTS = ("pass", "fail")


@dataclass(frozen=True)
class ArticleCite:
    """An article of the measures and the passage of it quoted (`citation`, the one citation
    value of the knowledge base)."""

    article: int
    label: str  # 第十二条
    heading: str
    citation: Citation

    @property
    def quote(self) -> str:
        return self.citation.quote

    def to_dict(self) -> dict:
        """JSON: article, label, heading and `citation` (the keys of `Citation.to_json`)."""
        return {
            "article": self.article,
            "label": self.label,
            "heading": self.heading,
            "citation": self.citation.to_json(),
        }

    def line(self, lang: str = "zh") -> str:
        """The article, its quote and where the quote is (`citation_text`)."""
        return article_line(self.to_dict(), lang)


def article_line(article: Mapping, lang: str = "zh") -> str:
    """An article citation's JSON (`ArticleCite.to_dict`) in words: label, heading, quote, then
    the source and its ranges as `citation_text` writes them."""
    cited = article["citation"]
    where = citation_text(cited, lang)
    if lang == "en":
        return f"{article['label']} ({article['heading']}) “{cited['quote']}” ({where})"
    return f"{article['label']}（{article['heading']}）“{cited['quote']}”（{where}）"


@dataclass(frozen=True)
class State:
    id: str
    label: str
    cite: ArticleCite


@dataclass(frozen=True)
class Event:
    id: str
    zh: str
    by: str
    result: str  # "none", "optional" (pass when not given) or "required"
    cite: ArticleCite


@dataclass(frozen=True)
class Step:
    """A transition of the procedure."""

    id: str
    source: str
    event: str
    result: str | None
    publicity_over: bool
    target: str
    cite: ArticleCite


@dataclass(frozen=True)
class Period:
    id: str
    after: str  # the event that starts it
    years: int
    days: int
    cite: ArticleCite


@dataclass(frozen=True)
class Procedure:
    id: str
    start: str
    states: Mapping[str, State]
    events: Mapping[str, Event]
    steps: tuple[Step, ...]
    periods: Mapping[str, Period]

    def event_named(self, name: str) -> Event | None:
        """An event by its id or its Chinese name."""
        found = self.events.get(name)
        return found or next((e for e in self.events.values() if e.zh == name), None)

    def allowed(self, state: str) -> list[Step]:
        return [step for step in self.steps if step.source == state]

    def chart(self):
        transitions = [
            Transition(step.id, step.source, _condition(step), step.target) for step in self.steps
        ]
        return get_chart(f"procedure-{self.id}", self.start, transitions)


def _condition(step: Step) -> dict:
    tests: list[dict] = [{"event": step.event}]
    if step.result is not None:
        tests.append({"result": step.result})
    if step.publicity_over:
        tests.append({"publicity_over": 1})
    return tests[0] if len(tests) == 1 else {"$and": tests}


# -- reading the file --------------------------------------------------------------------------


@functools.cache
def load_procedure(path: Path = PROCEDURE_FILE) -> Procedure:
    """The procedure of `path`; a fault in the file is a DemozoneBug (it ships with demozone and
    is pinned by tests), never the user's mistake."""
    raw = load_yaml(Path(path))
    articles = _articles(raw.get("procedure"))
    cite_in = functools.partial(_cite, articles)
    states = {
        sid: State(sid, s["label"], cite_in(s, f"states.{sid}")) for sid, s in raw["states"].items()
    }
    events = {
        eid: Event(eid, e["zh"], e["by"], e.get("result", "none"), cite_in(e, f"events.{eid}"))
        for eid, e in raw["events"].items()
    }
    steps = tuple(_step(i, t, states, events, cite_in) for i, t in enumerate(raw["transitions"]))
    periods = {
        pid: Period(
            pid,
            p["after"],
            int(p.get("years", 0)),
            int(p.get("days", 0)),
            cite_in(p, f"periods.{pid}"),
        )
        for pid, p in raw["periods"].items()
    }
    if raw["start"] not in states or any(p.after not in events for p in periods.values()):
        raise DemozoneBug(f"{path}: unknown start state or period event")
    return Procedure(raw["id"], raw["start"], states, events, steps, periods)


def _step(index: int, raw: Mapping, states: Mapping, events: Mapping, cite_in) -> Step:
    where = f"transitions[{index}]"
    if raw["from"] not in states or raw["to"] not in states or raw["event"] not in events:
        raise DemozoneBug(f"{where}: unknown state or event")
    result = raw.get("result")
    if result is not None and (result not in RESULTS or events[raw["event"]].result == "none"):
        raise DemozoneBug(f"{where}: result {result!r} for an event that takes none")
    over = raw.get("publicity_over", False)
    return Step(
        f"{raw['from']}:{raw['event']}:{result or '-'}",
        raw["from"],
        raw["event"],
        result,
        bool(over),
        raw["to"],
        cite_in(raw, where),
    )


def _articles(procedure_id: object) -> dict[int, object]:
    found = [p for p in load_kb().procedures if p.id == procedure_id]
    if not found:
        raise DemozoneBug(f"no procedure {procedure_id!r} in the knowledge base")
    return {int(a.number): a for a in found[0].articles}


def _cite(articles: Mapping[int, object], raw: Mapping, where: str) -> ArticleCite:
    article = articles.get(int(raw["article"]))
    quote = raw["quote"]
    if article is None:
        raise DemozoneBug(f"{where}: no article {raw['article']} in the measures")
    text_anchor = next(a for a in article.anchors if a.role == "text")
    offset = text_anchor.quote.find(quote)
    if offset < 0:
        raise DemozoneBug(f"{where}: {quote!r} is not in {article.label}")
    start = text_anchor.start + offset
    span = Anchor(text_anchor.source, text_anchor.role, start, start + len(quote), quote)
    return ArticleCite(int(article.number), article.label, article.heading, cite(load_kb(), span))
