"""Fact ids: the stable names of the facts a derivation reads and of the cases it makes.

A fact id is the text provenance and JSON name a fact by ("metric:online_retail:2023"); it is
built here and picked apart here, so its kinds and parts have one definition:

    metric:<metric>:<year>              a submitted metric value
    national:<metric>:<year>:<what>     a national figure of the knowledge base (growth | level)
    reference:<ref>[:<year>]            a submitted reference value
    judgment:<index>:<clause>:<assessor>  an assessor's judgment of a clause (`judgments[<index>]`)
    evidence:<id>                       an evidence item of the submission
    operator:<index>                    a platform operator of the submission
    case:<rule>[:<key>]                 a case of a rule (its key may hold colons: evidence:E1)
"""

from __future__ import annotations

KINDS = ("metric", "national", "reference", "judgment", "evidence", "operator", "case")


class FactId(str):
    """A fact id. It is its text (so it serialises, compares and hashes as today's strings do);
    `kind` and `parts` read it back."""

    __slots__ = ()

    @classmethod
    def of(cls, kind: str, *parts: object) -> FactId:
        if kind not in KINDS:
            raise ValueError(f"unknown kind of fact id {kind!r}")
        return cls(":".join((kind, *(str(p) for p in parts))))

    @classmethod
    def parse(cls, text: str) -> FactId:
        """A fact id from its text; ValueError when its kind is not one of `KINDS`."""
        fact = cls(text)
        if fact.kind not in KINDS:
            raise ValueError(f"not a fact id: {text!r}")
        return fact

    # -- the kinds ---------------------------------------------------------------------------
    @classmethod
    def metric(cls, metric: str, year: int) -> FactId:
        return cls.of("metric", metric, year)

    @classmethod
    def national(cls, metric: str, year: int, what: str) -> FactId:
        return cls.of("national", metric, year, what)

    @classmethod
    def reference(cls, ref: str, year: int | None = None) -> FactId:
        return cls.of("reference", ref, *([] if year is None else [year]))

    @classmethod
    def judgment(cls, index: int, clause: str, assessor: str | None) -> FactId:
        """The judgment at `judgments[index]`, of `clause` by `assessor`: its node in the
        provenance says which clause it judges and who judged it by its name alone."""
        if ":" in clause:  # clause ids are "<indicator>.<clause>"; the assessor comes last
            raise ValueError(f"a clause id holds no colon: {clause!r}")
        return cls.of("judgment", index, clause, *([assessor] if assessor else []))

    @classmethod
    def evidence(cls, evidence_id: str) -> FactId:
        return cls.of("evidence", evidence_id)

    @classmethod
    def operator(cls, index: int) -> FactId:
        return cls.of("operator", index)

    @classmethod
    def case(cls, rule_id: str, key: str = "") -> FactId:
        return cls.of("case", rule_id, *([key] if key else []))

    # -- reading back ------------------------------------------------------------------------
    @property
    def kind(self) -> str:
        return self.partition(":")[0]

    @property
    def rest(self) -> str:
        """Everything after the kind: the evidence id, the judgment index, "online_retail:2023"."""
        return self.partition(":")[2]

    @property
    def parts(self) -> tuple[str, ...]:
        return tuple(self.rest.split(":")) if self.rest else ()

    def judged(self) -> tuple[str, str | None, str | None]:
        """A judgment's index, clause and assessor (an assessor's id may hold colons). A
        judgment named before it carried them (`judgment:<index>`, in older stores) has neither
        clause nor assessor."""
        index, _, named = self.rest.partition(":")
        clause, _, assessor = named.partition(":")
        return index, clause or None, assessor or None

    def is_metric(self, metric: str) -> bool:
        """A submitted value of `metric` (any year)."""
        return self.kind == "metric" and self.parts[0] == metric


__all__ = ["KINDS", "FactId"]
