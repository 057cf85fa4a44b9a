"""The auditor room: every assessment with its history, one indicator's provenance graph
(drawn by static/auditor-graph.js with the vendored Cytoscape.js from /api/assessments/{id}/graph),
the receipt check, the Turtle and JSON-LD exports, and read-only SPARQL over the store.

Auditors and administrators enter (web.api.audit.AUDIT_ROLES); every route is a GET and none
writes. The SPARQL page is a GET form with the query in the URL: a query that only reads needs
no CSRF token, it can be bookmarked and sent to a colleague, and an update is refused before it
reaches the store (api.limited_store_query), so no request to this room can change anything.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Query, Request

from demozone import api
from demozone.web import i18n
from demozone.web.api.audit import AUDIT_ROLES, stored
from demozone.web.auth import require
from demozone.web.deps import store_location
from demozone.web.pages.auditor_words import WORDS
from demozone.web.templating import render

i18n.UI_STRINGS.update(WORDS)

router = APIRouter(prefix="/auditor")

EXAMPLE_QUERY = """SELECT ?graph (COUNT(*) AS ?triples)
WHERE { GRAPH ?graph { ?s ?p ?o } }
GROUP BY ?graph
ORDER BY ?graph"""


@router.get("/")
def index(
    request: Request,
    user: dict = Depends(require(*AUDIT_ROLES)),
    store: str | None = Depends(store_location),
):
    """Every assessment in the store, newest first, with its submission's history."""
    try:
        runs, problem = list(reversed(api.stored_assessments(store))), ""
    except api.StoreError as err:  # no store yet (nothing assessed) is an empty room, said so
        runs, problem = [], str(err)
    return render(request, "auditor/index.html", room="room.auditor", runs=runs, problem=problem)


@router.get("/submissions/{submission}")
def history(
    request: Request,
    submission: str,
    user: dict = Depends(require(*AUDIT_ROLES)),
    store: str | None = Depends(store_location),
):
    """One submission's assessments, oldest first, and what changed between them, in the words
    of `demozone history`."""
    result = api.history(submission, store)
    lines = api.history_lines(submission, result, i18n.language(request))
    return render(
        request,
        "auditor/history.html",
        room="room.auditor",
        submission=submission,
        runs=result["assessments"],
        lines=lines,
    )


@router.get("/assessments/{reference}")
def assessment(
    request: Request,
    reference: str,
    user: dict = Depends(require(*AUDIT_ROLES)),
    store: str | None = Depends(store_location),
):
    """One assessment: its summary and each indicator's score with the way to its graph."""
    info = stored(reference, store)
    entry = next(
        run
        for run in api.history(info["submission"], store)["assessments"]
        if run["iri"] == info["iri"]
    )
    named = indicator_names(info["system"], i18n.language(request))
    return render(
        request,
        "auditor/assessment.html",
        room="room.auditor",
        run=info,
        indicators=[
            (number, *named.get(number, ("", "")), value)
            for number, value in entry["indicators"].items()
        ],
    )


def indicator_names(system: str, lang: str) -> dict[str, tuple[str, str]]:
    """number -> (the system's own name, points) of each indicator; empty for a system the
    knowledge base does not know (the page then shows numbers only)."""
    try:
        detail = api.show(system)
    except api.InputError:
        return {}
    names: dict[str, tuple[str, str]] = {}
    levels = list(detail["levels"])
    while levels:
        level = levels.pop()
        levels.extend(level["second_level"])
        for ind in level["indicators"]:
            label = (ind["label_en"] or ind["label"]) if lang == "en" else ind["label"]
            names[ind["number"]] = (label, ind["points"])
    return names


@router.get("/assessments/{reference}/graph")
def graph(
    request: Request,
    reference: str,
    indicator: str = Query(..., min_length=1),
    user: dict = Depends(require(*AUDIT_ROLES)),
    store: str | None = Depends(store_location),
):
    """The page of one indicator's provenance graph; the script loads the graph's JSON."""
    info = stored(reference, store)
    return render(
        request,
        "auditor/graph.html",
        room="room.auditor",
        run=info,
        indicator=indicator,
        source=f"/api/assessments/{quote(info['id'], safe='')}/graph?"
        + urlencode({"indicator": indicator}),
    )


@router.get("/assessments/{reference}/verify")
def verify(
    request: Request,
    reference: str,
    user: dict = Depends(require(*AUDIT_ROLES)),
    store: str | None = Depends(store_location),
):
    """The receipt check of one assessment: 已复现 / reproduced, or every difference."""
    info = stored(reference, store)
    result = api.verify(info["iri"], store)
    return render(request, "auditor/verify.html", room="room.auditor", run=info, result=result)


@router.get("/sparql")
def sparql(
    request: Request,
    query: str = "",
    user: dict = Depends(require(*AUDIT_ROLES)),
    store: str | None = Depends(store_location),
):
    """The read-only SPARQL form and, with a query, its results as a table (a refused or bad
    query: its message, status 422)."""
    result, errors, status = None, (), 200
    if query.strip():
        try:
            result = api.limited_store_query(query, store)
        except api.InputError as err:
            lang = i18n.language(request)
            errors, status = tuple(p.text(lang) for p in err.problems), 422
    return render(
        request,
        "auditor/sparql.html",
        status,
        room="room.auditor",
        query=query or EXAMPLE_QUERY,
        result=result,
        errors=errors,
        seconds=f"{api.SPARQL_SECONDS:g}",
        rows=api.SPARQL_MAX_ROWS,
    )
