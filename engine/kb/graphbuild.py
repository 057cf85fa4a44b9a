"""The triples of the knowledge base graph, made from the loaded values (kb.model): the
deterministic IRIs of systems, levels, indicators and clauses, and `_Builder`, which writes each
system, indicator, clause and anchor (kb.graph keeps the built graph and its cache)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from rdflib import Graph, Literal, URIRef

from demozone.common.numbers import decimal_text
from demozone.common.vocab import (
    DCTERMS,
    DZ,
    OA,
    PROV,
    RDF,
    RDFS,
    SKOS,
    XSD,
    concept_index,
    iri,
    notation_index,
)
from demozone.kb.citation import RDF_NAMES, cite
from demozone.kb.model import (
    KB,
    Anchor,
    Clause,
    Indicator,
    Level,
    Locality,
    Procedure,
    SourceDefect,
    System,
)

CONTEXT = 20  # code points of prefix and suffix in a quote selector


def system_iri(system_id: str) -> URIRef:
    return iri("system", system_id)


def indicator_iri(system_id: str, number: str) -> URIRef:
    return iri("system", system_id, "indicator", number)


def clause_iri(system_id: str, clause_id: str) -> URIRef:
    return iri("system", system_id, "clause", clause_id)


def level_iri(system_id: str, level_id: str) -> URIRef:
    return iri("system", system_id, "level", level_id)


def decimal(value: Decimal | Fraction | int) -> Literal:
    """An exact xsd:decimal literal (no exponent)."""
    return Literal(decimal_text(value), datatype=XSD.decimal)


class _Builder:
    def __init__(self, kb: KB, graph: Graph) -> None:
        self.kb, self.g = kb, graph
        self.natures = concept_index(DZ.Nature)
        self.methods = concept_index(DZ.AssessmentMethod)
        self.data_sources = concept_index(DZ.DataSource)
        self.statuses = notation_index(DZ.SystemStatus)

    def add(self, s: URIRef, p: URIRef, o) -> None:
        self.g.add((s, p, o))

    def build(self) -> None:
        for doc in self.kb.sources.values():
            self._source(doc)
        for metric in self.kb.metrics.values():
            self._metric(metric)
        for locality in self.kb.localities:
            self._locality(locality)
        for system in self.kb.systems.values():
            self._system(system)
        for proc in self.kb.procedures:
            self._procedure(proc)
        for figure in self.kb.figures:
            self._figure(figure)

    # -- shared shapes ---------------------------------------------------------------------

    def _labels(self, node: URIRef, zh: str, en: str = "", concept: bool = False) -> None:
        for text, lang in ((zh, "zh"), (en, "en")):
            if text:
                self.add(node, RDFS.label, Literal(text, lang=lang))
                if concept:
                    self.add(node, SKOS.prefLabel, Literal(text, lang=lang))

    def _anchors(self, node: URIRef, anchors: tuple[Anchor, ...]) -> None:
        for k, anchor in enumerate(anchors, 1):
            a = URIRef(f"{node}/anchor/{k}")
            quote, position = URIRef(f"{a}/quote"), URIRef(f"{a}/position")
            text = self.kb.sources[anchor.source].text
            self.add(node, DZ.anchor, a)
            self.add(a, RDF.type, DZ.Anchor)
            self.add(a, RDF.type, OA.SpecificResource)
            self.add(a, OA.hasSource, iri("source", anchor.source))
            self.add(a, DZ.role, Literal(anchor.role))
            for name, value in self._citation(anchor):
                self.add(a, DZ[name], value)
            self.add(a, OA.hasSelector, quote)
            self.add(a, OA.hasSelector, position)
            self.add(quote, RDF.type, OA.TextQuoteSelector)
            self.add(quote, OA.exact, Literal(anchor.quote))
            prefix = text[max(0, anchor.start - CONTEXT) : max(0, anchor.start)]
            suffix = text[max(0, anchor.end) : anchor.end + CONTEXT]
            if prefix:
                self.add(quote, OA.prefix, Literal(prefix))
            if suffix:
                self.add(quote, OA.suffix, Literal(suffix))
            self.add(position, RDF.type, OA.TextPositionSelector)
            self.add(position, OA.start, Literal(anchor.start, datatype=XSD.nonNegativeInteger))
            self.add(position, OA.end, Literal(anchor.end, datatype=XSD.nonNegativeInteger))

    def _citation(self, anchor: Anchor):
        """The citation's fields as (dz: local name, literal): ids and file names as strings,
        offsets as non-negative integers."""
        found = cite(self.kb, anchor).to_json()
        for key, name in RDF_NAMES.items():
            value = found[key]
            if isinstance(value, str):
                if value:  # a source the knowledge base lacks has no file (kb check says so)
                    yield name, Literal(value)
            elif value >= 0:
                yield name, Literal(value, datatype=XSD.nonNegativeInteger)

    def _concept(self, node: URIRef, cls: URIRef, scheme: URIRef, notation: str) -> None:
        self.add(node, RDF.type, cls)
        self.add(node, RDF.type, SKOS.Concept)
        self.add(node, SKOS.inScheme, scheme)
        self.add(node, SKOS.notation, Literal(notation))

    def _defects(self, owner: URIRef, defects: tuple[SourceDefect, ...]) -> None:
        for k, defect in enumerate(defects, 1):
            d = URIRef(f"{owner}/defect/{k}")
            self.add(owner, DZ.sourceDefect, d)
            self.add(d, RDF.type, DZ.SourceDefect)
            self.add(d, DZ.defectKind, Literal(defect.kind))
            self.add(d, DZ.text, Literal(defect.text, lang="zh"))
            self.add(d, DCTERMS.source, iri("source", defect.source))
            if defect.should_read:
                self.add(d, DZ.shouldRead, Literal(defect.should_read, lang="zh"))
            if defect.note:
                self.add(d, RDFS.comment, Literal(defect.note, lang="en"))
            self._anchors(d, defect.anchors)

    # -- sources, metrics, localities ------------------------------------------------------

    def _source(self, doc) -> None:
        s = iri("source", doc.id)
        self.add(s, RDF.type, DZ.SourceDocument)
        self.add(s, DCTERMS.identifier, Literal(doc.id))
        self.add(s, DCTERMS.title, Literal(doc.title, lang="zh"))
        self._labels(s, doc.title, doc.title_en)
        if doc.title_en:
            self.add(s, DCTERMS.title, Literal(doc.title_en, lang="en"))
        for prop, value in (
            (DZ.issuerName, doc.issuer),
            (DZ.documentKind, doc.kind),
            (DZ.documentNumber, doc.document_number),
            (DZ.fileName, doc.file),
            (DZ.sha256, doc.sha256),
        ):
            if value:
                self.add(s, prop, Literal(value))
        if doc.date:
            self.add(s, DCTERMS.date, Literal(doc.date, datatype=XSD.date))
        self.add(s, DZ.codePoints, Literal(len(doc.text), datatype=XSD.integer))

    def _metric(self, metric) -> None:
        m = iri("metric", metric.id)
        self.add(m, RDF.type, DZ.Metric)
        self.add(m, RDF.type, SKOS.Concept)
        self.add(m, SKOS.notation, Literal(metric.id))
        self._labels(m, metric.label, metric.label_en, concept=True)
        self.add(m, DZ.unitOfMeasure, Literal(metric.unit, lang="zh"))
        self.add(m, DZ.metricKind, Literal(metric.kind))
        self.add(m, DZ.perYear, Literal(metric.per_year))

    def _locality(self, locality: Locality) -> None:
        node = iri("locality", locality.id)
        self.add(node, RDF.type, DZ.Locality)
        self.add(node, DCTERMS.identifier, Literal(locality.id))
        self._labels(node, locality.name)
        for source in locality.sources:
            self.add(node, DCTERMS.source, iri("source", source))
        self._defects(node, locality.source_defects)

    # -- systems ---------------------------------------------------------------------------

    def _system(self, system: System) -> None:
        s = system_iri(system.id)
        self.add(s, RDF.type, DZ.IndicatorSystem)
        self.add(s, RDF.type, SKOS.ConceptScheme)
        self.add(s, DCTERMS.identifier, Literal(system.id))
        self._labels(s, system.title, system.title_en, concept=True)
        if system.status in self.statuses:
            self.add(s, DZ.status, self.statuses[system.status])
        if system.extends:
            self.add(s, DZ.extends, system_iri(system.extends))
        if system.revision_of:
            self.add(s, PROV.wasRevisionOf, system_iri(system.revision_of))
        for source in system.sources:
            self.add(s, DCTERMS.source, iri("source", source))
        if system.total_points is not None:
            self.add(s, DZ.totalPoints, decimal(system.total_points))
        for region in system.region_classes:
            self.add(s, DZ.regionClass, Literal(region))
        places = [
            iri("locality", loc.id) for loc in self.kb.localities if loc.name == system.locality
        ]
        if system.locality:
            self.add(s, DZ.localityName, Literal(system.locality, lang="zh"))
        for place in places:
            self.add(s, DZ.locality, place)
        self._pass_rule(system)
        for unit in system.units:
            u = iri("unit", unit.id)
            self.add(s, DZ.unit, u)
            self.add(u, RDF.type, DZ.ResponsibleUnit)
            self.add(u, DCTERMS.identifier, Literal(unit.id))
            self._labels(u, unit.name)
            if system.locality:
                self.add(u, DZ.localityName, Literal(system.locality, lang="zh"))
            for place in places:
                self.add(u, DZ.locality, place)
        for order, level in enumerate(system.first_level, 1):
            self._level(system, level, order)
        for order, indicator in enumerate(system.indicators, 1):
            self._indicator(system, indicator, order)
        self._defects(s, system.source_defects)

    def _pass_rule(self, system: System) -> None:
        rule = system.pass_rule
        if rule is None:
            return
        p = iri("system", system.id, "pass-rule")
        self.add(system_iri(system.id), DZ.passRule, p)
        self.add(p, RDF.type, DZ.PassRule)
        self.add(p, DZ.totalAtLeast, decimal(rule.total_at_least))
        self.add(p, DZ.firstLevelRateAtLeast, decimal(rule.first_level_rate_at_least))
        self._anchors(p, rule.anchors)

    def _level(self, system: System, level: Level, order: int) -> None:
        s, node = system_iri(system.id), level_iri(system.id, level.id)
        cls = DZ.SecondLevelIndicator if level.parent else DZ.FirstLevelIndicator
        self._concept(node, cls, s, level.id)
        self.add(node, RDF.type, DZ.Level)
        self.add(node, DZ.order, Literal(level.number or order, datatype=XSD.integer))
        self._labels(node, level.label, level.label_en, concept=True)
        if level.points is not None:
            self.add(node, DZ.points, decimal(level.points))
        if level.parent:
            self.add(node, SKOS.broader, level_iri(system.id, level.parent))
        else:
            self.add(node, SKOS.topConceptOf, s)
            self.add(s, SKOS.hasTopConcept, node)
        if system.extends:
            self.add(node, DZ.decomposes, level_iri(system.extends, level.id))
        self._anchors(node, level.anchors)
        for sub_order, sub in enumerate(level.second_level, 1):
            self._level(system, sub, sub_order)

    def _indicator(self, system: System, ind: Indicator, order: int) -> None:
        node = indicator_iri(system.id, ind.number)
        self._concept(node, DZ.Indicator, system_iri(system.id), ind.number)
        self.add(node, DZ.order, Literal(order, datatype=XSD.integer))
        self._labels(node, ind.label, ind.label_en, concept=True)
        if ind.points is not None:
            self.add(node, DZ.points, decimal(ind.points))
        first = level_iri(system.id, ind.first_level)
        self.add(node, DZ.firstLevel, first)
        if ind.second_level:
            self.add(node, DZ.secondLevel, level_iri(system.id, ind.second_level))
        self.add(
            node,
            SKOS.broader,
            level_iri(system.id, ind.second_level) if ind.second_level else first,
        )
        if ind.criterion:
            self.add(node, DZ.criterion, Literal(ind.criterion, lang="zh"))
        if ind.rule_text:
            self.add(node, DZ.ruleText, Literal(ind.rule_text, lang="zh"))
        if ind.nature in self.natures:
            self.add(node, DZ.nature, self.natures[ind.nature])
        for name in ind.methods:
            if name in self.methods:
                self.add(node, DZ.method, self.methods[name])
        for name in ind.data_sources:
            if name in self.data_sources:
                self.add(node, DZ.dataSource, self.data_sources[name])
        for metric in ind.metrics:
            self.add(node, DZ.metric, iri("metric", metric))
        for unit_id in ind.unit_ids:
            self.add(node, DZ.responsibleUnit, iri("unit", unit_id))
        if ind.units_text:
            self.add(node, DZ.unitsText, Literal(ind.units_text, lang="zh"))
        if ind.base is not None and system.extends:
            self.add(node, DZ.decomposes, indicator_iri(system.extends, ind.base))
        self._anchors(node, ind.anchors)
        for clause_order, clause in enumerate(ind.clauses, 1):
            self._clause(system, node, clause, clause_order)

    def _clause(self, system: System, indicator: URIRef, clause: Clause, order: int) -> None:
        node = clause_iri(system.id, clause.id)
        self._concept(node, DZ.Clause, system_iri(system.id), clause.id)
        self.add(node, DZ.order, Literal(order, datatype=XSD.integer))
        self.add(node, SKOS.broader, indicator)
        self._labels(node, clause.text, concept=True)
        self.add(node, DZ.text, Literal(clause.text, lang="zh"))
        if clause.points is not None:
            self.add(node, DZ.points, decimal(clause.points))
        if clause.base is not None and system.extends:
            self.add(node, DZ.decomposes, clause_iri(system.extends, clause.base))
        self._anchors(node, clause.anchors)

    # -- procedure and national figures ---------------------------------------------------

    def _procedure(self, proc: Procedure) -> None:
        p = iri("procedure", proc.id)
        self.add(p, RDF.type, DZ.Procedure)
        self.add(p, DCTERMS.identifier, Literal(proc.id))
        self._labels(p, proc.title, proc.title_en)
        if proc.system:
            self.add(p, DZ.system, system_iri(proc.system))
        for source in proc.sources:
            self.add(p, DCTERMS.source, iri("source", source))
        self._anchors(p, proc.anchors)
        for article in proc.articles:
            a = iri("procedure", proc.id, "article", article.number)
            self.add(p, DZ.article, a)
            self.add(a, RDF.type, DZ.Article)
            self.add(a, SKOS.notation, Literal(article.number))
            self._labels(a, article.label)
            if article.heading:
                self.add(a, DZ.heading, Literal(article.heading, lang="zh"))
            self.add(a, DZ.text, Literal(article.text, lang="zh"))
            self._anchors(a, article.anchors)
        for step in proc.steps:
            st = iri("procedure", proc.id, "step", step.id)
            self.add(p, DZ.step, st)
            self.add(st, RDF.type, DZ.ProcedureStep)
            self.add(st, DCTERMS.identifier, Literal(step.id))
            self._labels(st, "", step.label_en)
            self.add(st, DZ.text, Literal(step.text, lang="zh"))
            if step.article:
                self.add(st, DZ.article, iri("procedure", proc.id, "article", step.article))
            self._anchors(st, step.anchors)

    def _figure(self, figure) -> None:
        f = iri("figure", figure.metric, figure.year)
        self.add(f, RDF.type, DZ.NationalFigure)
        self.add(f, RDF.type, PROV.Entity)
        self.add(f, RDFS.label, Literal(f"{figure.metric} {figure.year}", lang="en"))
        self.add(f, DZ.metricId, Literal(figure.metric))
        if figure.metric in self.kb.metrics:
            self.add(f, DZ.metric, iri("metric", figure.metric))
        self.add(f, DZ.year, Literal(figure.year, datatype=XSD.integer))
        if figure.level is not None:
            self.add(f, DZ.value, decimal(figure.level))
        if figure.growth is not None:
            self.add(f, DZ.growth, decimal(figure.growth))
        self.add(f, DZ.unitOfMeasure, Literal(figure.unit, lang="en"))
        self.add(f, DZ.publishedSource, Literal(figure.source, lang="en"))
        if figure.note:
            self.add(f, RDFS.comment, Literal(figure.note, lang="en"))
