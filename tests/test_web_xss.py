"""A submission with markup in every text field renders as text on every page that can show it,
no script of it runs in a browser, and every route answers with the security headers.

The pages are found from the app's own route table (`app.routes`), their path parameters filled
with the stored assessment, submission, indicator and system, and the links of every page
followed: a page added later is covered without a change here.
"""

from __future__ import annotations

import itertools
import re
import shutil
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
import yaml
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.routing import Route

from demozone import api
from demozone.web.app import create_app
from demozone.web.settings import Settings

from .browser_helpers import screenshot

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "national-2022"
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
HOSTILE = SCRIPT + IMG
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"
ESCAPED_IMG = "&lt;img src=x onerror=alert(1)&gt;"
RAW = ("<script>alert", "<img src=x")
PASSWORD = "correct horse"
ROLES = ("assessor", "policy", "auditor", "admin")
HOSTILE_ASSESSOR = HOSTILE  # an account's name is text the pages show too
UPLOAD_NAME = HOSTILE + ".yaml"
INDICATOR = "3"
SKIPPED_SUFFIXES = (".pdf", ".docx", ".xlsx")  # downloads, not pages: nothing renders them


def hostile_submission(folder: Path) -> bytes:
    """The example national-2022 submission with the markup in every text field: region,
    operator names, evidence titles, issuers and file names, judgment notes and an assessor;
    its evidence files copied into `folder` under their hostile names."""
    document = yaml.safe_load((EXAMPLE / "submission.yaml").read_text("utf-8"))
    document["submission"]["region"] = HOSTILE
    for operator in document["operators"]:
        operator["name"] = HOSTILE + operator["name"]
    for item in document["evidence"]:
        item["title"] = HOSTILE + item["title"]
        item["issued_by"] = HOSTILE
        source = EXAMPLE / item["file"]
        name = IMG + source.name  # a file name holds no "/": the image half of the markup
        shutil.copyfile(source, folder / name)
        item["file"] = name
    for judgment in document["judgments"]:
        judgment["note"] = HOSTILE
        if judgment["assessor"] == "expert-zhao":
            judgment["assessor"] = HOSTILE
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False).encode("utf-8")


class Workspace:
    """The app over a store holding the hostile submission, uploaded and judged through the
    API; a logged-in client per role."""

    def __init__(self, folder: Path) -> None:
        self.evidence = folder / "evidence"
        self.evidence.mkdir()
        self.settings = Settings(
            store=str(folder / "store"), db=f"sqlite:///{folder / 'accounts.sqlite'}"
        )
        for role in ROLES:
            api.add_user(role, role, PASSWORD, db=self.settings.db)
        api.add_user(HOSTILE_ASSESSOR, "assessor", PASSWORD, db=self.settings.db)
        self.app = create_app(self.settings)
        self.content = hostile_submission(self.evidence)
        self.submission = yaml.safe_load(self.content)["submission"]["id"]
        self.clients: dict[str, TestClient] = {}
        self.tokens: dict[str, str] = {}

    def client(self, name: str) -> TestClient:
        if name not in self.clients:
            client = TestClient(self.app, base_url="http://127.0.0.1")
            client.__enter__()
            answer = client.post("/api/login", json={"username": name, "password": PASSWORD})
            assert answer.status_code == 200, answer.text
            self.clients[name], self.tokens[name] = client, answer.json()["csrf"]
        return self.clients[name]

    def post(self, name: str, path: str, **kwargs):
        return self.client(name).post(path, headers={"X-CSRF-Token": self.tokens[name]}, **kwargs)

    def fill(self) -> None:
        """Upload as the hostile assessor (the file name is markup too), assign the plain
        assessor, and record a judgment with a hostile note on top."""
        uploaded = self.post(
            HOSTILE_ASSESSOR,
            "/api/submissions",
            files={"file": (UPLOAD_NAME, self.content, "application/x-yaml")},
        )
        assert uploaded.status_code == 201, uploaded.text
        self.first = uploaded.json()["assessment"]
        api.assign_submission(self.submission, "assessor", by="test", db=self.settings.db)
        judged = self.post(
            HOSTILE_ASSESSOR,
            f"/api/assessments/{self.first}/judgments",
            json={"judgments": [{"clause": "28.2", "satisfied": False, "note": HOSTILE}]},
        )
        assert judged.status_code == 201, judged.text
        self.latest = judged.json()["assessment"]
        self.assessment_id = api.workspace_assessment(self.latest, db=self.settings.db)["id"]

    def close(self) -> None:
        for client in self.clients.values():
            client.__exit__(None, None, None)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    folder = tmp_path_factory.mktemp("xss")
    with pytest.MonkeyPatch.context() as patch:
        # the workspace keeps uploads here and finds the uploaded submission's evidence there
        patch.setenv("DEMOZONE_SUBMISSIONS", str(folder / "submissions"))
        patch.setenv("DEMOZONE_EVIDENCE", str(folder / "evidence"))
        made = Workspace(folder)
        try:
            made.fill()
            yield made
        finally:
            made.close()


def routes(app) -> list[tuple[str, set[str], list[str]]]:
    """(path, methods, required query parameters) of every route of the app, read from
    `app.routes`: FastAPI keeps an included router as one entry holding the router's own
    routes (`original_router`) and the prefix it was included under."""
    found = []

    def walk(entries, prefix: str) -> None:
        for entry in entries:
            inner = getattr(entry, "original_router", None)
            if inner is not None:
                walk(inner.routes, prefix + entry.include_context.prefix)
            elif isinstance(entry, APIRoute):
                required = [
                    q.name for q in entry.dependant.query_params if q.field_info.is_required()
                ]
                found.append((prefix + entry.path, set(entry.methods), required))
            elif isinstance(entry, Route) and entry.methods:
                found.append((prefix + entry.path, set(entry.methods), []))

    walk(app.routes, "")
    return found


def get_routes(app) -> list[tuple[str, list[str]]]:
    """(path, required query parameters) of every GET route."""
    return [(path, query) for path, methods, query in routes(app) if "GET" in methods]


# query parameters a route may require, by name (else the candidates of a path parameter)
QUERY = {
    "indicator": INDICATOR,
    "a": "national-2022",
    "b": "national-2022-strict",
    "query": "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 50",
}


PARAMETER = re.compile(r"{(\w+)(?::\w+)?}")


def candidates(workspace: Workspace, name: str) -> list[str]:
    """Values for a path parameter of that name: the known ones first, then every stored id."""
    known = {
        "reference": [workspace.assessment_id, workspace.latest],
        "assessment": [workspace.assessment_id, workspace.latest],
        "submission": [workspace.submission],
        "number": [INDICATOR],
        "indicator": [INDICATOR],
        "system": ["national-2022"],
        "fmt": ["html"],
    }
    fallback = [workspace.assessment_id, workspace.submission, INDICATOR, "national-2022"]
    return known.get(name, []) + [v for v in fallback if v not in known.get(name, [])]


def filled(workspace: Workspace, route: str, required: list[str]) -> list[str]:
    """The route's path with its parameters filled in every way the candidates allow, and
    its required query parameters (and an explanation's indicator) given."""
    names = PARAMETER.findall(route)
    asked = {q: QUERY.get(q) or candidates(workspace, q)[0] for q in required}
    if "explain" in route:
        asked["indicator"] = INDICATOR
    query = ("?" + urlencode(asked)) if asked else ""
    paths = []
    for values in itertools.product(*(candidates(workspace, n)[:4] for n in names)):
        path = route
        for value in values:
            path = PARAMETER.sub(value.replace("\\", "\\\\"), path, count=1)
        paths.append(path + query)
    return paths


def is_html(answer) -> bool:
    return answer.headers.get("content-type", "").startswith("text/html")


def links(page: str, base: str) -> list[str]:
    """The same-site links (href and src) of a page, without their fragments."""
    found = []
    for href in re.findall(r'(?:href|src|action)="([^"]+)"', page):
        url = urlsplit(urljoin(base, href.replace("&amp;", "&")))
        if url.netloc in ("", "127.0.0.1") and not url.path.endswith(SKIPPED_SUFFIXES):
            found.append(url.path + (f"?{url.query}" if url.query else ""))
    return found


def route_pattern(route: str) -> re.Pattern:
    """A route's path as a pattern its filled paths match (the query left out)."""
    return re.compile(
        "^" + PARAMETER.sub(lambda m: "(.+)" if ":path" in m.group(0) else "([^/]+)", route) + "$"
    )


PER_ROUTE = 3  # pages of one route each user opens: enough to see each kind, not every one


@pytest.fixture(scope="module")
def pages(workspace) -> dict[tuple[str, str], object]:
    """Every GET answer the roles get: each route filled with the stored ids, then the links
    those pages hold, followed (PER_ROUTE pages of a route per user); keyed by (user, path)."""
    users = [*ROLES, HOSTILE_ASSESSOR]
    table = [(route, route_pattern(route)) for route, _ in get_routes(workspace.app)]
    seen: dict[tuple[str, str], object] = {}
    queue = [
        p for route, query in get_routes(workspace.app) for p in filled(workspace, route, query)
    ]
    queue += ["/"]
    for user in users:
        opened: dict[str, int] = {}
        todo = list(reversed(queue))
        while todo:
            path = todo.pop()
            if (user, path) in seen or path.endswith(SKIPPED_SUFFIXES) or "logout" in path:
                continue
            route = next((r for r, p in table if p.match(path.split("?")[0])), path)
            if opened.get(route, 0) >= PER_ROUTE:
                continue
            answer = workspace.client(user).get(path, follow_redirects=False)
            seen[(user, path)] = answer
            if answer.status_code == 200:
                opened[route] = opened.get(route, 0) + 1
                if is_html(answer):
                    todo += reversed(links(answer.text, "http://127.0.0.1" + path))
    return seen


def test_every_get_route_is_reached_with_the_stored_ids(workspace, pages):
    answered = {path for (_, path), answer in pages.items() if answer.status_code == 200}
    missing = []
    for route, _ in get_routes(workspace.app):
        if route.endswith(SKIPPED_SUFFIXES):
            continue
        pattern = route_pattern(route)
        if not any(pattern.match(p.split("?")[0]) for p in answered):
            tried = {
                (user, path, answer.status_code, answer.text[:120])
                for (user, path), answer in pages.items()
                if pattern.match(path.split("?")[0])
            }
            missing.append((route, sorted(tried)[:6]))
    assert not missing, f"no role got a page from these routes: {missing}"


def test_no_html_page_holds_the_raw_markup(pages):
    raw = [
        (user, path, marker)
        for (user, path), answer in pages.items()
        if is_html(answer)
        for marker in RAW
        if marker in answer.text
    ]
    assert not raw


def test_the_pages_that_show_the_submission_show_its_markup_as_text(workspace, pages):
    shown = {
        path
        for (_, path), answer in pages.items()
        if is_html(answer) and ESCAPED_SCRIPT in answer.text and ESCAPED_IMG in answer.text
    }
    # the score sheet names the region; the indicator page the evidence; every page the user
    assert f"/assessor/assessments/{workspace.assessment_id}" in shown
    assert "/assessor/" in shown


def test_the_api_answers_data_never_html(pages):
    for (_, path), answer in pages.items():
        if (
            path.startswith("/api/")
            and answer.status_code == 200
            and not path.startswith("/api/docs")
        ):
            assert not is_html(answer), path  # JSON, Turtle, JSON-LD: nothing a browser runs


# --- headers on every route -------------------------------------------------------------------

ROUTE_TABLE = [
    (method, path)
    for path, methods, _ in routes(create_app(Settings(store="unused", db="sqlite://")))
    for method in sorted(methods)
] + [("GET", "/static/app.css"), ("GET", "/no-such-page")]


def test_the_route_table_is_not_empty():
    assert len(ROUTE_TABLE) > 10


@pytest.mark.parametrize(("method", "path"), ROUTE_TABLE, ids=[f"{m} {p}" for m, p in ROUTE_TABLE])
@pytest.mark.parametrize("who", [None, "assessor"])
def test_every_route_answers_with_the_security_headers(workspace, method, path, who):
    path = PARAMETER.sub(lambda m: candidates(workspace, m.group(1))[0], path)
    client = (
        workspace.client(who) if who else TestClient(workspace.app, base_url="http://127.0.0.1")
    )
    answer = client.request(method, path, follow_redirects=False)
    csp = answer.headers.get("content-security-policy", "")
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert answer.headers.get("x-content-type-options") == "nosniff"


# --- a browser --------------------------------------------------------------------------------


def browser_log_in(chrome, base: str, name: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    chrome.delete_all_cookies()
    chrome.get(f"{base}/login")
    chrome.find_element(By.NAME, "username").send_keys(name)
    chrome.find_element(By.NAME, "password").send_keys(PASSWORD)
    chrome.find_element(By.CSS_SELECTOR, "form.login button").click()
    # the form's answer lands before the next page is asked for
    WebDriverWait(chrome, 30).until(lambda d: urlsplit(d.current_url).path != "/login")


def main_pages(workspace: Workspace) -> dict[str, list[str]]:
    """The pages each user opens first, by user: the rooms and the submission's own pages."""
    one = workspace.assessment_id
    return {
        HOSTILE_ASSESSOR: [
            "/",
            "/assessor/",
            f"/assessor/assessments/{one}",
            f"/assessor/assessments/{one}/indicators/{INDICATOR}",
        ],
        "auditor": [
            "/auditor/",
            f"/auditor/submissions/{workspace.submission}",
            f"/auditor/assessments/{one}",
            f"/auditor/assessments/{one}/graph?indicator={INDICATOR}",
        ],
        "policy": ["/policy/"],
        "admin": ["/admin/"],  # the audit log names the uploaded file
    }


def test_no_alert_opens_in_a_browser_on_the_main_pages(workspace, chrome, live_server):
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By

    base = live_server(workspace.settings.store, workspace.settings.db)
    for user, paths in main_pages(workspace).items():
        browser_log_in(chrome, base, user)
        for n, path in enumerate(paths):
            chrome.get(base + path)
            assert urlsplit(chrome.current_url).path == urlsplit(path).path  # not to /login
            with pytest.raises(NoAlertPresentException):
                chrome.switch_to.alert.text  # noqa: B018 (reading it is the check)
            assert not chrome.find_elements(By.CSS_SELECTOR, "img[src='x']")
            assert not chrome.find_elements(By.XPATH, "//script[contains(., 'alert(1)')]")
            screenshot(chrome, f"xss-{user if user in ROLES else 'hostile-assessor'}-{n}")
        # the markup is there, as text a reader sees
        if user == HOSTILE_ASSESSOR:
            assert SCRIPT in chrome.find_element(By.TAG_NAME, "body").text
