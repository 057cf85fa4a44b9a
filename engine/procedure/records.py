"""Zones and what happened to them, as attributed provenance in the store.

A zone is a graph `id:zone/<zone>` holding a dz:Zone (its name, when it was added). Each event is
its own graph `id:zone/<zone>/event/<n>`: a prov:Activity of type dz:ProcedureEvent, associated
with the organisation that acted (prov:wasAssociatedWith, a prov:Organization), on its date
(prov:startedAtTime), using the assessment it rests on (prov:used), moving the zone from one
state to another under the transition that allowed it (prov:qualifiedAssociation's plan is the
transition; its dz:anchor is a dz:Anchor carrying the article's citation as the knowledge base's
anchors do: dz:sourceId, dz:sourceFile, dz:charStart, dz:charEnd, dz:byteStart, dz:byteEnd). Graphs are written once, whole, sealed with their
triple count, and never changed: a refused event writes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pyoxigraph as ox

from demozone.common.errors import InputError, Problem
from demozone.common.vocab import DZ as _DZ
from demozone.common.vocab import OA as _OA
from demozone.common.vocab import last_segment
from demozone.kb.citation import RDF_NAMES, Citation
from demozone.provenance.terms import node
from demozone.store.base import BaseStore
from demozone.store.terms import PROV, RDF, RDFS, XSD, sparql_term

DZ = str(_DZ)
OA = str(_OA)
ZONE_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,62}\Z")
_TYPE = ox.NamedNode(RDF + "type")


def _p(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


@dataclass(frozen=True)
class ZoneRecord:
    id: str
    name: str
    added: str

    def to_dict(self) -> dict:
        return {"id": self.id, "name": self.name, "added": self.added}


@dataclass(frozen=True)
class EventRecord:
    zone: str
    number: int
    event: str
    date: date
    by: str
    result: str | None
    assessment: str | None
    source: str  # the state before
    target: str  # the state after
    transition: str

    def to_dict(self) -> dict:
        return {
            "number": self.number,
            "event": self.event,
            "date": self.date.isoformat(),
            "by": self.by,
            "result": self.result,
            "assessment": self.assessment,
            "from": self.source,
            "to": self.target,
            "transition": self.transition,
        }


def check_zone_id(zone: str) -> None:
    if not ZONE_ID.match(zone):
        raise InputError(
            [
                Problem(
                    "",
                    "ZONE",
                    f"zone id {zone!r} must be short lowercase ASCII (a-z, 0-9, -)",
                    f"示范区编号 {zone!r} 应为简短的小写 ASCII（a-z、0-9、-）",
                    expected="e.g. hejin",
                )
            ]
        )


def zone_graph(zone: str) -> ox.NamedNode:
    return node("zone", zone)


def add_zone(store: BaseStore, zone: str, name: str) -> ZoneRecord:
    check_zone_id(zone)
    graph = zone_graph(zone)
    if store.has_graph(graph):
        raise InputError(
            [Problem("", "ZONE", f"zone {zone!r} exists already", f"示范区 {zone!r} 已存在")]
        )
    added = datetime.now(UTC).isoformat(timespec="seconds")
    quads = [
        ox.Quad(graph, _TYPE, _p(DZ + "Zone"), graph),
        ox.Quad(graph, _TYPE, _p(PROV + "Entity"), graph),
        ox.Quad(graph, _p(RDFS + "label"), ox.Literal(name), graph),
        ox.Quad(graph, _p(DZ + "zoneId"), ox.Literal(zone), graph),
        ox.Quad(graph, _p(PROV + "generatedAtTime"), _time(added), graph),
    ]
    store.write_record(graph, quads)
    return ZoneRecord(zone, name, added)


def zones(store: BaseStore) -> list[ZoneRecord]:
    rows = store.select(
        f"""SELECT ?id ?name ?added WHERE {{ GRAPH ?g {{
            ?g a {sparql_term(_p(DZ + "Zone"))} ; {sparql_term(_p(DZ + "zoneId"))} ?id ;
               {sparql_term(_p(RDFS + "label"))} ?name ;
               {sparql_term(_p(PROV + "generatedAtTime"))} ?added }} }} ORDER BY ?id"""
    )
    return [ZoneRecord(r["id"].value, r["name"].value, r["added"].value) for r in rows]


def zone(store: BaseStore, zone_id: str) -> ZoneRecord:
    check_zone_id(zone_id)
    found = [z for z in zones(store) if z.id == zone_id]
    if not found:
        raise InputError(
            [
                Problem(
                    "",
                    "ZONE",
                    f"no zone {zone_id!r} (add it with `demozone zone add`)",
                    f"没有示范区 {zone_id!r}（请先用 demozone zone add 添加）",
                )
            ]
        )
    return found[0]


def write_event(store: BaseStore, record: EventRecord, cited: Citation) -> None:
    """Record one event (already allowed by the procedure) in its own graph, its transition
    citing the article's passage `cited` on an anchor node."""
    graph = node("zone", record.zone, "event", str(record.number))
    agent = node("organization", record.by)
    plan = node("procedure", "transition", record.transition)
    association = node("zone", record.zone, "event", str(record.number), "association")
    zone_node = zone_graph(record.zone)
    triples = [
        (graph, _TYPE, _p(PROV + "Activity")),
        (graph, _TYPE, _p(DZ + "ProcedureEvent")),
        (graph, _p(DZ + "zone"), zone_node),
        (
            graph,
            _p(DZ + "eventNumber"),
            ox.Literal(str(record.number), datatype=_p(XSD + "integer")),
        ),
        (graph, _p(DZ + "event"), ox.Literal(record.event)),
        (
            graph,
            _p(PROV + "startedAtTime"),
            ox.Literal(record.date.isoformat(), datatype=_p(XSD + "date")),
        ),
        (graph, _p(PROV + "wasAssociatedWith"), agent),
        (agent, _TYPE, _p(PROV + "Organization")),
        (agent, _p(RDFS + "label"), ox.Literal(record.by)),
        (graph, _p(PROV + "qualifiedAssociation"), association),
        (association, _TYPE, _p(PROV + "Association")),
        (association, _p(PROV + "agent"), agent),
        (association, _p(PROV + "hadPlan"), plan),
        (plan, _TYPE, _p(PROV + "Plan")),
        (plan, _p(DZ + "fromState"), ox.Literal(record.source)),
        (plan, _p(DZ + "toState"), ox.Literal(record.target)),
        *_anchor(plan, cited),
        (graph, _p(PROV + "endedAtTime"), _time(datetime.now(UTC).isoformat(timespec="seconds"))),
    ]
    if record.result is not None:
        triples.append((graph, _p(DZ + "result"), ox.Literal(record.result)))
    if record.assessment is not None:
        triples.append((graph, _p(PROV + "used"), node("assessment", record.assessment)))
    store.write_record(graph, [ox.Quad(s, p, o, graph) for s, p, o in triples])


def _anchor(plan: ox.NamedNode, cited: Citation) -> list[tuple]:
    """The citation on the plan's anchor node, typed and named as the knowledge base's anchors
    (a dz:Anchor with a quote and a position selector and the citation's dz: fields)."""
    anchor = ox.NamedNode(plan.value + "/anchor")
    quote, position = (
        ox.NamedNode(anchor.value + "/quote"),
        ox.NamedNode(anchor.value + "/position"),
    )
    count = _p(XSD + "nonNegativeInteger")
    found = cited.to_json()
    fields = [
        (anchor, _p(DZ + name), ox.Literal(str(value), datatype=count))
        if isinstance(value, int)
        else (anchor, _p(DZ + name), ox.Literal(value))
        for name, value in ((name, found[key]) for key, name in RDF_NAMES.items())
    ]
    return [
        (plan, _p(DZ + "anchor"), anchor),
        (anchor, _TYPE, _p(DZ + "Anchor")),
        (anchor, _TYPE, _p(OA + "SpecificResource")),
        (anchor, _p(OA + "hasSource"), node("source", cited.source_id)),
        (anchor, _p(DZ + "role"), ox.Literal(cited.role)),
        *fields,
        (anchor, _p(OA + "hasSelector"), quote),
        (anchor, _p(OA + "hasSelector"), position),
        (quote, _TYPE, _p(OA + "TextQuoteSelector")),
        (quote, _p(OA + "exact"), ox.Literal(cited.quote)),
        (position, _TYPE, _p(OA + "TextPositionSelector")),
        (position, _p(OA + "start"), ox.Literal(str(cited.char_start), datatype=count)),
        (position, _p(OA + "end"), ox.Literal(str(cited.char_end), datatype=count)),
    ]


def events(store: BaseStore, zone_id: str) -> list[EventRecord]:
    """The recorded events of a zone, in order."""
    q = {k: sparql_term(_p(v)) for k, v in _READ.items()}
    rows = store.select(
        f"""SELECT ?n ?event ?date ?by ?result ?used ?from ?to ?plan WHERE {{ GRAPH ?g {{
            ?g {q["zone"]} {sparql_term(zone_graph(zone_id))} ; {q["number"]} ?n ;
               {q["event"]} ?event ; {q["started"]} ?date ; {q["qualified"]} ?a .
            ?a {q["agent"]} ?agent ; {q["plan"]} ?plan .
            ?agent {q["label"]} ?by . ?plan {q["from"]} ?from ; {q["to"]} ?to .
            OPTIONAL {{ ?g {q["result"]} ?result }} OPTIONAL {{ ?g {q["used"]} ?used }} }} }}"""
    )
    found = [
        EventRecord(
            zone_id,
            int(r["n"].value),
            r["event"].value,
            date.fromisoformat(r["date"].value),
            r["by"].value,
            r["result"].value if r.get("result") else None,
            last_segment(r["used"].value) if r.get("used") else None,
            r["from"].value,
            r["to"].value,
            last_segment(r["plan"].value),
        )
        for r in rows
    ]
    return sorted(found, key=lambda e: e.number)


_READ = {
    "zone": DZ + "zone",
    "number": DZ + "eventNumber",
    "event": DZ + "event",
    "started": PROV + "startedAtTime",
    "qualified": PROV + "qualifiedAssociation",
    "agent": PROV + "agent",
    "plan": PROV + "hadPlan",
    "label": RDFS + "label",
    "from": DZ + "fromState",
    "to": DZ + "toState",
    "result": DZ + "result",
    "used": PROV + "used",
}


def _time(text: str) -> ox.Literal:
    return ox.Literal(text, datatype=_p(XSD + "dateTime"))
