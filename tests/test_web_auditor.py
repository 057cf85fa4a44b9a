"""The auditor room: every assessment with its history, an indicator's provenance graph as
Cytoscape.js elements, the receipt check, Turtle and JSON-LD downloads and read-only SPARQL;
auditors and administrators only, and nothing in the room ever changes the store."""

from __future__ import annotations

import json
import re
import shutil

import pyoxigraph as ox
import pytest
import rdflib
import yaml
from fastapi.testclient import TestClient

from demozone import api
from demozone.store.location import open_store
from demozone.web.api.audit import AUDIT_ROLES
from demozone.web.app import create_app
from demozone.web.settings import Settings

from .conftest import EXAMPLES, copy_store
from .web_helpers import PASSWORD, log_in

ROLES = ("assessor", "policy", "auditor", "admin")

DZ = "https://w3id.org/demozone/def#"
SUBMISSION = "qinglan-2024"  # the id of examples/national-2022/submission.yaml


@pytest.fixture(scope="module")
def ground(tmp_path_factory, kb_store_template):
    """A store with the national example assessed twice and the 2024 draft once, and one user
    per role (named for the role): {"store", "db", "runs" (oldest first)}."""
    folder = tmp_path_factory.mktemp("audit")
    store = str(copy_store(kb_store_template, folder / "store"))
    for path in (EXAMPLES["national-2022"], EXAMPLES["national-2022"]):
        api.assess(path, store=store, again=True)
    api.assess(EXAMPLES["national-2024-draft"], store=store, again=True)
    db = f"sqlite:///{folder / 'accounts.sqlite'}"
    for role in ROLES:
        api.add_user(role, role, PASSWORD, db=db)
    return {"store": store, "db": db, "runs": api.stored_assessments(store)}


@pytest.fixture(scope="module")
def app(ground):
    return create_app(Settings(store=ground["store"], db=ground["db"]))


@pytest.fixture
def client(app):
    with TestClient(app, base_url="http://127.0.0.1") as fresh:
        yield fresh


def first(ground) -> str:
    return ground["runs"][0]["id"]


def pages(ground) -> list[str]:
    one = first(ground)
    return [
        "/auditor/",
        f"/auditor/submissions/{SUBMISSION}",
        f"/auditor/assessments/{one}",
        f"/auditor/assessments/{one}/graph?indicator=3",
        f"/auditor/assessments/{one}/verify",
        "/auditor/sparql",
        "/auditor/sparql?query=ASK%20%7B%7D",
    ]


def api_routes(ground) -> list[str]:
    one = first(ground)
    return [
        "/api/audit/assessments",
        f"/api/audit/submissions/{SUBMISSION}/history",
        f"/api/assessments/{one}/graph?indicator=3",
        f"/api/assessments/{one}/verify",
        f"/api/assessments/{one}/export?format=ttl",
        f"/api/assessments/{one}/export?format=jsonld",
        "/api/audit/sparql?query=ASK%20%7B%7D",
    ]


def triples(store: str) -> int:
    return api.store_info(store)["triples"]


# -- who may enter -------------------------------------------------------------------------


def test_without_a_session_the_api_is_401_and_the_pages_go_to_the_login(client, ground):
    for route in api_routes(ground):
        assert client.get(route).status_code == 401, route
    for page in pages(ground):
        answer = client.get(page, follow_redirects=False)
        assert answer.status_code == 303, page
        assert answer.headers["location"].startswith("/login?next=/auditor/")


@pytest.mark.parametrize("role", ["assessor", "policy"])
def test_assessors_and_policy_staff_are_refused_every_page_and_route(client, ground, role):
    log_in(client, role)
    for route in pages(ground) + api_routes(ground):
        answer = client.get(route)
        assert answer.status_code == 403, (role, route)
        assert "无权" in answer.text


@pytest.mark.parametrize("role", AUDIT_ROLES)
def test_auditors_and_administrators_open_every_page_and_route(client, ground, role):
    log_in(client, role)
    before = triples(ground["store"])
    for route in pages(ground) + api_routes(ground):
        assert client.get(route).status_code == 200, (role, route)
    assert triples(ground["store"]) == before  # re-scoring for the receipt check records nothing
    assert 'href="/auditor/"' in client.get("/").text  # the room is in their nav


def test_the_room_has_no_route_that_writes():
    """Every route of the room and of the audit API is a GET: there is nothing to forge."""
    from demozone.web.api import audit
    from demozone.web.pages import auditor

    mine = [route for router in (auditor.router, audit.router) for route in router.routes]
    assert len(mine) == 12
    for route in mine:
        assert route.methods == {"GET"}, route.path


def test_a_post_to_the_room_changes_nothing_with_or_without_a_csrf_token(client, ground):
    csrf = log_in(client, "auditor")
    before = triples(ground["store"])
    insert = "INSERT DATA { GRAPH <urn:x> { <urn:a> <urn:b> <urn:c> } }"
    for route in pages(ground) + api_routes(ground):
        path = route.split("?")[0]
        assert client.post(path, data={"query": insert}).status_code == 405, path
        answer = client.post(path, data={"query": insert, "csrf": csrf})
        assert answer.status_code == 405, path
    assert triples(ground["store"]) == before


# -- every assessment and its history ---------------------------------------------------------


def test_every_assessment_in_the_store_is_listed_with_its_submission(client, ground):
    log_in(client, "auditor")
    listed = client.get("/api/audit/assessments").json()
    assert [r["id"] for r in listed] == [r["id"] for r in ground["runs"]]
    page = client.get("/auditor/").text
    for run in ground["runs"]:
        assert run["id"] in page
        assert f'href="/auditor/submissions/{run["submission"]}"' in page
    assert "合格" in page and "national-2022" in page and "national-2024-draft" in page


def test_the_history_page_says_what_changed_in_the_words_of_demozone_history(client, ground):
    log_in(client, "auditor")
    page = client.get(f"/auditor/submissions/{SUBMISSION}").text
    result = api.history(SUBMISSION, ground["store"])
    for line in api.history_lines(SUBMISSION, result, "zh"):
        assert line.strip() in page
    assert "与第1次相比" in page and "评估结论未变：合格" in page
    english = client.get(f"/auditor/submissions/{SUBMISSION}?lang=en").text
    assert "verdict unchanged: pass" in english
    answer = client.get(f"/api/audit/submissions/{SUBMISSION}/history").json()
    assert answer == json.loads(json.dumps(result))  # `history --json`


def test_the_assessment_page_lists_each_indicator_with_its_graph(client, ground):
    log_in(client, "auditor")
    one = first(ground)
    page = client.get(f"/auditor/assessments/{one}").text
    assert f'href="/auditor/assessments/{one}/graph?indicator=3"' in page
    assert "网络交易经营者数量占市场主体比重" in page  # the system's own name of indicator 3
    assert f"/api/assessments/{one}/export?format=ttl" in page


def test_an_unknown_assessment_or_a_file_name_is_404_and_scores_nothing(client, ground):
    log_in(client, "auditor")
    before = triples(ground["store"])
    for reference in ("nobody-20000101T000000Z-000000", str(EXAMPLES["national-2022"])):
        for route in (
            f"/api/assessments/{reference}/graph?indicator=3",
            f"/api/assessments/{reference}/verify",
            f"/api/assessments/{reference}/export",
        ):
            assert client.get(route).status_code == 404, route
    assert client.get("/auditor/assessments/nobody/verify").status_code == 404
    assert triples(ground["store"]) == before


# -- the provenance graph ------------------------------------------------------------------


def types_of(answer: dict) -> set[str]:
    return {n["data"]["type"] for n in answer["elements"]["nodes"]}


def test_indicator_3s_graph_goes_from_the_score_to_facts_and_the_source_passage(client, ground):
    log_in(client, "auditor")
    answer = client.get(f"/api/assessments/{first(ground)}/graph?indicator=3").json()
    assert {"score", "fact", "rule", "clause", "source"} <= types_of(answer)
    nodes = {n["data"]["id"]: n["data"] for n in answer["elements"]["nodes"]}
    score = next(d for d in nodes.values() if d["type"] == "score" and d["kind"] == "indicator")
    assert score["number"] == "3" and score["value"] == "1"
    assert "14.20%（2840户/20000户）" in score["text"]  # verbatim, Chinese punctuation kept
    passages = [d["text"] for d in nodes.values() if d["type"] == "source"]
    assert any("网络交易经营者数量/市场主体数量。占比8%-15%得1分" in p for p in passages)
    for edge in answer["elements"]["edges"]:
        assert edge["data"]["source"] in nodes and edge["data"]["target"] in nodes
    assert answer["summary"]["nodes"] == len(nodes)


def test_a_judged_indicators_graph_reaches_evidence_and_assessors(client, ground):
    """Indicator 3 of the example is computed from figures alone; indicator 13 is judged by
    three experts on evidence."""
    log_in(client, "auditor")
    answer = client.get(f"/api/assessments/{first(ground)}/graph?indicator=13").json()
    assert {"score", "fact", "evidence", "assessor", "source"} <= types_of(answer)
    assessors = {
        n["data"]["label"] for n in answer["elements"]["nodes"] if n["data"]["type"] == "assessor"
    }
    assert len(assessors) == 3


def test_an_indicator_the_assessment_lacks_is_422_with_the_cli_message(client, ground):
    log_in(client, "auditor")
    answer = client.get(f"/api/assessments/{first(ground)}/graph?indicator=99")
    assert answer.status_code == 422
    assert "该评估中没有指标 '99'" in answer.json()["detail"]


def test_the_graph_page_loads_cytoscape_and_its_own_script_only(client, ground):
    log_in(client, "auditor")
    page = client.get(f"/auditor/assessments/{first(ground)}/graph?indicator=3").text
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S)
    assert all(body == "" for _attrs, body in scripts)  # no inline script
    sources = [re.search(r'src="([^"]+)"', attrs).group(1) for attrs, _ in scripts]
    assert "/static/vendor/cytoscape.min.js" in sources and "/static/auditor-graph.js" in sources
    assert f'data-src="/api/assessments/{first(ground)}/graph?indicator=3"' in page


# -- receipt check --------------------------------------------------------------------------


def test_an_untouched_assessment_is_reproduced(client, ground):
    log_in(client, "auditor")
    one = first(ground)
    assert client.get(f"/api/assessments/{one}/verify").json()["ok"] is True
    page = client.get(f"/auditor/assessments/{one}/verify").text
    assert "已复现" in page


def test_one_changed_triple_is_named_on_the_receipt_check(client, ground):
    log_in(client, "auditor")
    run = ground["runs"][1]
    with open_store(ground["store"]) as store:
        score = next(
            q
            for q in store.graph_quads(run["iri"])
            if q.subject.value.endswith("/score/indicator/3") and q.predicate.value == DZ + "value"
        )
        forged = ox.Quad(
            score.subject,
            score.predicate,
            ox.Literal("99", datatype=score.object.datatype),
            score.graph_name,
        )
        store.ox.remove(score)
        store.ox.add(forged)
    try:
        result = client.get(f"/api/assessments/{run['id']}/verify").json()
        page = client.get(f"/auditor/assessments/{run['id']}/verify").text
    finally:
        with open_store(ground["store"]) as store:
            store.ox.remove(forged)
            store.ox.add(score)
    assert result["ok"] is False
    checks = {d["check"] for d in result["differences"]}
    assert "score" in checks and "digest" in checks
    assert "已复现" not in page and "有差异" in page
    assert "indicator/3" in page and "&#34;99&#34;" in page  # the message, escaped


# -- exports --------------------------------------------------------------------------------


@pytest.mark.parametrize(("fmt", "parser"), [("ttl", "turtle"), ("jsonld", "json-ld")])
def test_the_exports_download_and_parse_with_rdflib(client, ground, fmt, parser):
    log_in(client, "auditor")
    one = first(ground)
    answer = client.get(f"/api/assessments/{one}/export?format={fmt}")
    assert answer.status_code == 200
    assert answer.headers["content-disposition"] == f'attachment; filename="{one}.{fmt}"'
    graph = rdflib.Graph().parse(data=answer.text, format=parser)
    assert (rdflib.URIRef(ground["runs"][0]["iri"]), None, None) in graph
    assert client.get(f"/api/assessments/{one}/export?format=xml").status_code == 422


# -- read-only SPARQL ---------------------------------------------------------------------


def test_sparql_results_are_an_escaped_table(client, ground):
    log_in(client, "auditor")
    query = 'SELECT ?x WHERE { BIND("<script>alert(1)</script>" AS ?x) }'
    page = client.get("/auditor/sparql", params={"query": query}).text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert" not in page
    counts = client.get("/auditor/sparql").text  # the example query, not yet run
    assert "GROUP BY ?graph" in counts


def test_a_construct_shows_its_turtle_and_an_ask_its_answer(client, ground):
    log_in(client, "auditor")
    construct = "CONSTRUCT { ?a ?p ?o } WHERE { GRAPH ?a { ?a a dz:Assessment ; ?p ?o } } LIMIT 5"
    answer = client.get("/api/audit/sparql", params={"query": construct}).json()
    assert answer["type"] == "construct" and answer["truncated"] is False
    rdflib.Graph().parse(data=answer["turtle"], format="turtle")
    page = client.get("/auditor/sparql", params={"query": construct}).text
    assert '<pre class="turtle">' in page
    ask = client.get("/auditor/sparql", params={"query": "ASK { GRAPH ?g { ?s ?p ?o } }"}).text
    assert "ASK 结果：是" in ask


def test_sparql_updates_are_refused_with_the_cli_message_and_write_nothing(client, ground):
    log_in(client, "auditor")
    before = triples(ground["store"])
    for update in (
        "INSERT DATA { GRAPH <urn:x> { <urn:a> <urn:b> <urn:c> } }",
        "CLEAR ALL",
        f"DROP GRAPH <{ground['runs'][0]['iri']}>",
    ):
        page = client.get("/auditor/sparql", params={"query": update})
        assert page.status_code == 422
        assert "只读查询：不允许修改存储" in page.text
        answer = client.get("/api/audit/sparql", params={"query": update})
        assert answer.status_code == 422
        assert "只读查询：不允许修改存储" in answer.json()["detail"]
    assert triples(ground["store"]) == before


def test_sparql_rows_are_limited_and_the_cut_is_said(client, ground):
    log_in(client, "auditor")
    query = "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"
    answer = client.get("/api/audit/sparql", params={"query": query}).json()
    assert answer["truncated"] is True and len(answer["rows"]) == api.SPARQL_MAX_ROWS
    page = client.get("/auditor/sparql", params={"query": query}).text
    assert f"结果超过 {api.SPARQL_MAX_ROWS} 行" in page


def test_a_query_past_the_time_limit_is_stopped(ground):
    endless = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?a ?b ?c . ?d ?e ?f . ?h ?i ?j } }"
    with pytest.raises(api.InputError) as caught:
        api.limited_store_query(endless, ground["store"], seconds=2)
    assert "查询超过 2 秒已停止" in caught.value.problems[0].text("zh")
    # the store is free again: the killed query's lock went with its process
    assert api.stored_assessments(ground["store"])


# -- hostile text ---------------------------------------------------------------------------

HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'


def test_hostile_submission_text_renders_as_text_on_every_auditor_page(tmp_path, kb_store_template):
    folder = tmp_path / "county"
    shutil.copytree(EXAMPLES["national-2022"].parent, folder)
    doc = yaml.safe_load((folder / "submission.yaml").read_text("utf-8"))
    doc["submission"]["region"] = "青岚县" + HOSTILE
    for item in doc["evidence"]:
        item["title"] += HOSTILE
    path = folder / "submission.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    store = str(copy_store(kb_store_template, tmp_path / "store"))
    run = api.assess(path, store=store)
    db = f"sqlite:///{tmp_path / 'accounts.sqlite'}"
    api.add_user("auditor", "auditor", PASSWORD, db=db)
    with TestClient(create_app(Settings(store=store, db=db)), base_url="http://127.0.0.1") as c:
        log_in(c, "auditor")
        ground = {"runs": [{"id": run.id}]}
        for page in [*pages(ground), f"/auditor/assessments/{run.id}/graph?indicator=13"]:
            html = c.get(page.replace(SUBMISSION, run.submission.id)).text
            assert "<script>alert" not in html and "<img src=x" not in html, page
        graph = c.get(f"/api/assessments/{run.id}/graph?indicator=13").json()
    texts = [json.dumps(n["data"], ensure_ascii=False) for n in graph["elements"]["nodes"]]
    assert any("onerror=alert(2)" in t for t in texts)  # kept verbatim, drawn as text by the script


# -- in the browser -----------------------------------------------------------------------


def browser_log_in(driver, base: str, name: str) -> None:
    from selenium.webdriver.common.by import By

    driver.get(base + "/login?next=/auditor/")
    driver.find_element(By.NAME, "username").send_keys(name)
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "form.login button[type=submit]").click()
    wait_for(driver, lambda d: d.current_url.endswith("/auditor/"))


def wait_for(driver, condition, seconds: float = 60):
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait

    try:
        return WebDriverWait(driver, seconds).until(condition)
    except TimeoutException:
        pytest.fail(f"waited in vain at {driver.current_url}: {driver.page_source[-2000:]}")


def test_the_auditor_works_the_room_in_a_browser(chrome, live_server, ground):
    from selenium.webdriver.common.actions.action_builder import ActionBuilder
    from selenium.webdriver.common.by import By

    from .browser_helpers import downloaded, screenshot

    base = live_server(ground["store"], ground["db"])
    browser_log_in(chrome, base, "auditor")
    one = first(ground)
    assert one in chrome.page_source, chrome.page_source[-3000:]
    screenshot(chrome, "auditor/assessments")

    chrome.find_element(By.LINK_TEXT, SUBMISSION).click()
    wait_for(chrome, lambda d: "与第1次相比" in d.page_source)
    screenshot(chrome, "auditor/history")

    chrome.get(f"{base}/auditor/assessments/{one}")
    screenshot(chrome, "auditor/assessment")
    chrome.find_element(By.CSS_SELECTOR, 'a[href$="/graph?indicator=13"]').click()
    graph = wait_for(chrome, lambda d: d.find_element(By.ID, "provgraph"))
    wait_for(chrome, lambda d: graph.get_attribute("data-elements") not in ("", None))
    assert int(graph.get_attribute("data-elements")) > 20
    assert graph.find_elements(By.TAG_NAME, "canvas")  # Cytoscape draws into canvases
    types = set(chrome.execute_script("return window.cy.nodes().map(n => n.data('type'));"))
    assert {"score", "fact", "evidence", "assessor", "source"} <= types
    # a real click on the indicator's score node shows its details, verbatim
    x, y = chrome.execute_script(
        "const box = document.getElementById('provgraph');"
        "box.scrollIntoView({block: 'center'});"
        'const n = window.cy.nodes(\'[type = "score"][kind = "indicator"]\')[0];'
        "window.cy.center(n);"
        "const p = n.renderedPosition(), r = box.getBoundingClientRect();"
        "return [Math.round(r.left + p.x), Math.round(r.top + p.y)];"
    )
    clicking = ActionBuilder(chrome)
    clicking.pointer_action.move_to_location(x, y).click()
    clicking.perform()
    details = chrome.find_element(By.ID, "node-details")
    wait_for(chrome, lambda d: "score" in details.text)
    assert "indicator" in details.text and "13" in details.text
    screenshot(chrome, "auditor/graph")
    logs = chrome.get_log("browser") if hasattr(chrome, "get_log") else []
    # no CSP refusal or error from any script of the page (htmx's and the graph's)
    mine = [e for e in logs if e["level"] == "SEVERE"]
    assert mine == [], "\n".join(e["message"] for e in mine)

    chrome.get(f"{base}/auditor/assessments/{one}/verify")
    assert "已复现" in chrome.find_element(By.ID, "verify-result").text
    screenshot(chrome, "auditor/verify")

    chrome.get(f"{base}/auditor/sparql")
    chrome.find_element(By.CSS_SELECTOR, "form.sparql button").click()
    wait_for(chrome, lambda d: d.find_elements(By.CSS_SELECTOR, "table.sparql-results td"))
    assert "id:graph/kb" in chrome.page_source
    screenshot(chrome, "auditor/sparql")

    chrome.get(f"{base}/auditor/assessments/{one}")
    chrome.find_element(By.CSS_SELECTOR, 'a[href$="export?format=ttl"]').click()
    saved = downloaded(chrome, f"{one}.ttl")
    rdflib.Graph().parse(saved, format="turtle")
