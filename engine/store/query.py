"""Read-only SPARQL over the store (`demozone query --store`), and the saved audit questions.

`run_store_query` runs one SELECT, ASK, CONSTRUCT or DESCRIBE on the store as it is (the
knowledge base in `id:graph/kb`, each assessment in the graph named by its IRI: ask with
`GRAPH ?a { ... }`); an update is refused before anything is sent, and so is a query that does
not parse. Its results come back in the shape of `demozone query` over the knowledge base
(kb.query.run_query). It is the one entry for SPARQL text a user typed against the store, so
the limits of the query sandbox (rows, time, FROM/SERVICE) apply here: `max_rows` caps the rows,
and a query running longer than `seconds` (default limits.QUERY_SECONDS) is stopped with an
InputError saying so: on the embedded store in a child process (store.timed), on a server by the
request's own time limit.

The saved audit questions (`AUDIT_QUESTIONS`) are SELECTs over every assessment, their
parameters inserted as terms (store.terms.sparql_term), never as text:
- `verdicts`: the assessments of a submission whose verdict differs from another assessment of
  the same submission under another rule set version (another rule set graph, i.e. other rule
  files or another variant; the rule set itself for results made without rule files);
- `passage`: every score resting on a passage of a source (a clause or indicator anchored in
  that source, optionally overlapping the code points [start, end)), each with its citation's
  fields (kb.citation) as columns;
- `assessor`: every judgment by an assessor, with the clause, what was judged and the
  assessment.
"""

from __future__ import annotations

import json

import pyoxigraph as ox
from rdflib.plugins.sparql import prepareQuery

from demozone.common import limits
from demozone.common.errors import InputError, Problem
from demozone.common.vocab import ID
from demozone.common.vocab import PREFIXES as VOCAB_PREFIXES
from demozone.kb.query import stay_home
from demozone.store.base import BaseStore
from demozone.store.terms import KB_GRAPH, sparql_term
from demozone.store.timed import query_within

DEFAULT_MAX_ROWS = 100_000
_STORE = ("the assessment store", "评估存储")
SPARQL_PREFIXES = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in VOCAB_PREFIXES.items())


def _problem(message: str, zh: str) -> InputError:
    return InputError([Problem("query", "", message, zh, expected="a SPARQL 1.1 query")])


def read_only(sparql: str) -> str:
    """The query with demozone's prefixes, or an InputError: an update is refused (the store is
    read, never written, by `query`), as is text that is no SPARQL query, and a SERVICE (a
    request to another server; FROM picks the store's own graphs and stays)."""
    text = SPARQL_PREFIXES + sparql
    try:
        stay_home(prepareQuery(text).algebra, datasets=False, where=_STORE)
    except InputError:
        raise
    except Exception:  # not a query to rdflib: oxigraph's parser says why below
        pass
    probe = ox.Store()  # in memory and empty, and no SERVICE left: nothing is reached
    try:
        probe.query(text)
        return text
    except SyntaxError as err:
        query_error = err
    try:
        probe.update(text)
    except SyntaxError:
        raise _problem(f"bad SPARQL query: {query_error}", "SPARQL查询语句有误") from None
    except Exception:
        pass
    raise _problem(
        "updates are refused: query --store reads the store, it never changes it",
        "只读查询：不允许修改存储（INSERT/DELETE/LOAD/CLEAR/DROP 等）",
    )


def run_store_query(
    store: BaseStore,
    sparql: str,
    max_rows: int | None = None,
    seconds: float | None = None,
) -> dict:
    """A read-only query over the store (see the module docstring). An embedded store is
    closed here and queried by a child process (store.timed), so it is no use after."""
    max_rows = DEFAULT_MAX_ROWS if max_rows is None else max_rows
    seconds = limits.QUERY_SECONDS if seconds is None else seconds
    text = read_only(sparql)
    kind = _kind(text)
    if store.kind == "embedded":
        location = store.location
        store.close()  # this process's compactions would race the child's read-only open
        answer = query_within(location, text, seconds)
    else:  # the server's answer is bounded by the request's time limit, lowered for this one
        usual, store.timeout = store.timeout, min(store.timeout, seconds)
        try:
            answer = store.select(text) if kind == "select" else store.query_raw(text, kind)
        finally:
            store.timeout = usual
    if kind == "select":
        return _select(answer, text, max_rows)
    if kind == "ask":
        return {"type": "ask", "boolean": bool(answer)}
    triples = list(answer)[:max_rows]
    turtle = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=_prefixes()).decode()
    return {"type": "construct", "turtle": turtle, "triples": len(triples)}


def _kind(text: str) -> str:
    result = ox.Store().query(text)
    if isinstance(result, bool | ox.QueryBoolean):
        return "ask"
    return "select" if isinstance(result, ox.QuerySolutions) else "construct"


def _prefixes() -> dict[str, str]:
    return {p: str(ns) for p, ns in VOCAB_PREFIXES.items()}


def _text(term) -> str | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return (
            "id:" + term.value.removeprefix(str(ID))
            if term.value.startswith(str(ID))
            else term.value
        )
    return term.value


def _json_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        out["datatype"] = term.datatype.value
    return out


def _select(rows: list[dict], text: str, max_rows: int) -> dict:
    names = _variables(text, rows)
    rows = rows[:max_rows]
    return {
        "type": "select",
        "vars": names,
        "rows": [[_text(row.get(n)) for n in names] for row in rows],
        "json": {
            "head": {"vars": names},
            "results": {"bindings": [{n: _json_term(t) for n, t in row.items()} for row in rows]},
        },
    }


def _variables(text: str, rows: list[dict]) -> list[str]:
    names = [v.value for v in ox.Store().query(text).variables]
    return names or sorted({n for row in rows for n in row})


def to_json(result: dict) -> str:
    return json.dumps(result["json"], ensure_ascii=False)


# ---------------------------------------------------------------------------------------------
# Saved audit questions

AUDIT_QUESTIONS = {
    "verdicts": "assessments whose verdict differs under another rule set version",
    "passage": "every score resting on a passage of a source document",
    "assessor": "every judgment by an assessor",
}


def audit_query(name: str, **params: str) -> str:
    """The SPARQL of a saved audit question with its parameters as terms."""
    if name == "verdicts":
        return _VERDICTS.replace('"$RULESETS"', sparql_term(ox.Literal(f"{ID}graph/ruleset/")))
    if name == "assessor":
        who = sparql_term(ox.NamedNode(f"{ID}assessor/{_id(params.get('assessor'), 'assessor')}"))
        return _ASSESSOR.replace("$ASSESSOR", who)
    if name == "passage":
        source = sparql_term(ox.NamedNode(f"{ID}source/{_id(params.get('source'), 'source')}"))
        start, end = _offset(params.get("start"), 0), _offset(params.get("end"), 10**12)
        return (
            _PASSAGE.replace("$SOURCE", source)
            .replace("$START", str(start))
            .replace("$END", str(end))
            .replace("$KB", sparql_term(KB_GRAPH))
        )
    raise _problem(
        f"unknown audit question {name!r}: {', '.join(AUDIT_QUESTIONS)}", "未知的审计问题"
    )


def _id(value: str | None, what: str) -> str:
    from demozone.common.vocab import iri_text

    if not value:
        raise _problem(f"the question needs --{what}", f"缺少参数 --{what}")
    return iri_text(value).removeprefix(str(ID))


def _offset(value: str | None, default: int) -> int:
    if value is None or value == "":
        return default
    if not str(value).isdigit():
        raise _problem(
            f"an offset is a whole number of code points, not {value!r}", "偏移量应为非负整数"
        )
    return int(value)


_VERDICTS = """
SELECT ?submission ?assessment ?passed ?ruleset ?other ?other_passed ?other_ruleset WHERE {
  GRAPH ?assessment { ?assessment a dz:Assessment ; dz:submission ?submission ;
                      dz:passed ?passed ; prov:qualifiedAssociation/prov:hadPlan ?plan .
                      OPTIONAL { ?assessment prov:used ?graph
                                 FILTER(STRSTARTS(STR(?graph), "$RULESETS")) } }
  BIND(COALESCE(?graph, ?plan) AS ?ruleset)
  GRAPH ?other { ?other a dz:Assessment ; dz:submission ?submission ;
                 dz:passed ?other_passed ; prov:qualifiedAssociation/prov:hadPlan ?other_plan .
                 OPTIONAL { ?other prov:used ?other_graph
                            FILTER(STRSTARTS(STR(?other_graph), "$RULESETS")) } }
  BIND(COALESCE(?other_graph, ?other_plan) AS ?other_ruleset)
  FILTER(?ruleset != ?other_ruleset && ?passed != ?other_passed)
} ORDER BY ?submission ?assessment ?other"""

_ASSESSOR = """
SELECT DISTINCT ?assessment ?judgment ?clause ?satisfied ?where WHERE {
  {
    GRAPH ?assessment { ?judgment prov:wasAttributedTo $ASSESSOR ;
                        dz:judgedClause ?clause ; dz:value ?satisfied .
                        OPTIONAL { ?judgment dz:fieldPath ?recorded } }
  } UNION {
    # a judgment named for its clause and assessor, judgment:<n>:<clause>:<assessor>: the store
    # leaves both to the name (provenance.implied)
    GRAPH ?assessment { $ASSESSOR a dz:Assessor . ?assessment dz:system ?system .
                        ?judgment dz:value ?satisfied .
                        BIND(STRAFTER(STR(?judgment), CONCAT(STR(?assessment), "/fact/judgment%3A"))
                             AS ?named)
                        BIND(STRAFTER(?named, "%3A") AS ?judged)
                        FILTER(STRAFTER(?judged, "%3A") = STRAFTER(STR($ASSESSOR), "/assessor/")) }
    BIND(IRI(CONCAT(STR(?system), "/clause/", STRBEFORE(?judged, "%3A"))) AS ?clause)
    BIND(CONCAT("judgments[", STRBEFORE(?named, "%3A"), "]") AS ?recorded)
  }
  BIND(COALESCE(?recorded, CONCAT("judgments[", STRAFTER(STR(?judgment), "/fact/judgment%3A"),
                                  "]")) AS ?where)
} ORDER BY ?assessment ?clause"""

_PASSAGE = """
SELECT DISTINCT ?assessment ?score ?value ?scored ?anchor ?source_id ?source_file
                ?char_start ?char_end ?byte_start ?byte_end ?quote WHERE {
  { GRAPH ?assessment { ?assessment dz:system ?system . ?score dz:value ?value .
                        BIND(STRAFTER(STR(?score), CONCAT(STR(?assessment), "/score/")) AS ?part)
                        FILTER(STRSTARTS(?part, "clause/") || STRSTARTS(?part, "indicator/")) }
  } UNION {
    # a clause one rule scores alone: the store leaves its score to the points of the rule's
    # firing and the rule set graph (provenance.implied)
    GRAPH ?assessment { ?assessment dz:system ?system ; prov:used ?rules }
    GRAPH ?rules { ?rule dz:scoresAlone ?clause }
    BIND(IRI(CONCAT(STR(?assessment), "/firing/", STRAFTER(STR(?rule), "/rule/"))) AS ?firing)
    GRAPH ?assessment { ?firing dz:points ?value }
    BIND(CONCAT("clause/", STRAFTER(STR(?clause), "/clause/")) AS ?part)
    BIND(IRI(CONCAT(STR(?assessment), "/score/", ?part)) AS ?score)
  }
  BIND(IRI(CONCAT(STR(?system), "/", ?part)) AS ?scored)
  GRAPH $KB { ?scored dz:anchor ?anchor . ?anchor oa:hasSource $SOURCE ;
                 dz:sourceId ?source_id ; dz:sourceFile ?source_file ;
                 dz:charStart ?char_start ; dz:charEnd ?char_end ;
                 dz:byteStart ?byte_start ; dz:byteEnd ?byte_end ;
                 oa:hasSelector ?exact .
              ?exact a oa:TextQuoteSelector ; oa:exact ?quote . }
  FILTER(?char_start < $END && ?char_end > $START)
} ORDER BY ?assessment ?score ?char_start"""
