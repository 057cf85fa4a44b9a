"""The web workspace's core: logging in and out, sessions, roles, CSRF, the security headers,
the offline API docs page, the language switch and autoescaping."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from demozone import api
from demozone.web.app import create_app
from demozone.web.rooms import ROOMS
from demozone.web.security import CONTENT_SECURITY_POLICY
from demozone.web.settings import Settings

from .web_helpers import PASSWORD, log_in

ROLES = ("assessor", "policy", "auditor", "admin")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """An app with one user per role (named for the role) over an empty store."""
    folder = tmp_path_factory.mktemp("web")
    settings = Settings(store=str(folder / "store"), db=f"sqlite:///{folder / 'accounts.sqlite'}")
    for role in ROLES:
        api.add_user(role, role, PASSWORD, db=settings.db)
    api.add_user("<script>alert(1)</script>", "policy", PASSWORD, db=settings.db)
    return create_app(settings)


@pytest.fixture
def client(server):
    with TestClient(server, base_url="http://127.0.0.1") as fresh:
        yield fresh


def test_api_login_answers_the_csrf_token_and_sets_an_httponly_strict_cookie(client):
    answer = client.post("/api/login", json={"username": "auditor", "password": PASSWORD})
    assert answer.status_code == 200
    assert answer.json()["csrf"]
    cookie = answer.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    assert client.get("/api/systems").status_code == 200


def test_a_bad_password_is_401_with_a_chinese_message(client):
    answer = client.post("/api/login", json={"username": "auditor", "password": "wrong"})
    assert answer.status_code == 401
    assert answer.json() == {"detail": "用户名或密码错误"}


def test_five_failures_then_429_even_with_the_right_password(server):
    api.add_user("locked", "auditor", PASSWORD, db=server.state.db_url)
    with TestClient(server, base_url="http://127.0.0.1") as client:
        for _ in range(5):
            wrong = {"username": "locked", "password": "wrong"}
            assert client.post("/api/login", json=wrong).status_code == 401
        right = {"username": "locked", "password": PASSWORD}
        answer = client.post("/api/login", json=right)
    assert answer.status_code == 429
    assert "15 分钟" in answer.json()["detail"]


def test_logout_needs_the_csrf_token_and_ends_the_session(client):
    csrf = log_in(client, "policy")
    assert client.post("/api/logout").status_code == 403
    assert client.post("/api/logout", headers={"X-CSRF-Token": csrf}).status_code == 204
    assert client.get("/api/systems").status_code == 401


def test_without_a_session_the_api_is_401_and_pages_go_to_the_login(client):
    assert client.get("/api/systems").status_code == 401
    for page in ("/", "/assessor/", "/policy/", "/auditor/", "/admin/"):
        answer = client.get(page, follow_redirects=False)
        assert answer.status_code == 303
        assert answer.headers["location"].startswith("/login")


@pytest.mark.parametrize("role", ROLES)
def test_each_room_opens_for_the_roles_rooms_py_lists_only(client, role):
    log_in(client, role)
    for room in ROOMS:
        answer = client.get(room.path)
        assert answer.status_code == (200 if role in room.roles else 403), (role, room.path)
        assert room.roles[0] == room.path.strip("/")  # a room's own role comes first


def test_the_page_login_form_checks_its_token_and_logs_in(client):
    form = client.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)
    fields = {"username": "admin", "password": PASSWORD, "next": "/admin/"}
    assert client.post("/login", data=fields | {"csrf": "forged"}).status_code == 403
    form = client.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)
    done = client.post("/login", data=fields | {"csrf": token}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_wrong_password_on_the_login_page_shows_the_message(client):
    form = client.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)
    fields = {"username": "admin", "password": "nope", "csrf": token}
    answer = client.post("/login", data=fields)
    assert answer.status_code == 401
    assert "用户名或密码错误" in answer.text


def test_the_logout_form_without_its_token_is_403_and_with_it_logs_out(client):
    log_in(client, "assessor")
    home = client.get("/")
    token = re.search(r'name="csrf" value="([^"]+)"', home.text).group(1)
    assert client.post("/logout", data={"csrf": "forged"}).status_code == 403
    done = client.post("/logout", data={"csrf": token}, follow_redirects=False)
    assert done.status_code == 303
    assert client.get("/", follow_redirects=False).status_code == 303


def test_the_home_page_lists_the_rooms_of_the_role(client):
    log_in(client, "auditor")
    page = client.get("/").text
    assert 'href="/auditor/"' in page and 'href="/assessor/"' not in page
    assert "审计工作室" in page


@pytest.mark.parametrize("path", ["/login", "/api/systems", "/static/app.css", "/api/docs"])
def test_every_answer_carries_the_security_headers(client, path):
    answer = client.get(path)
    assert answer.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["referrer-policy"] == "no-referrer"


def test_the_api_docs_page_works_offline(client):
    page = client.get("/api/docs")
    assert page.status_code == 200
    assert "/api/login" in page.text and "/api/systems" in page.text
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', page.text)
    assert not [s for s in sources if re.match(r"(https?:)?//", s)]
    assert client.get("/openapi.json").status_code == 200


def test_lang_en_switches_the_pages_to_english_and_is_remembered(client):
    assert "登录" in client.get("/login").text
    assert "Log in" in client.get("/login?lang=en").text
    assert "Log in" in client.get("/login").text  # the cookie keeps it
    assert "登录" in client.get("/login?lang=zh").text


def test_a_user_named_script_shows_as_text(client):
    log_in(client, "<script>alert(1)</script>")
    page = client.get("/").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page


def test_api_input_errors_are_422_with_a_detail(client):
    answer = client.post("/api/login", json={"username": "x"})
    assert answer.status_code == 422
    assert "detail" in answer.json()


@pytest.mark.parametrize("args", [("--help",), ("serve", "--help"), ("user", "--help")])
def test_help_does_not_import_the_web_or_the_database(args):
    from .test_startup import modules_after

    loaded = modules_after(*args)
    assert not loaded & {"fastapi", "sqlalchemy", "uvicorn", "argon2", "demozone.web"}


def test_htmx_requests_carry_the_csrf_token_of_the_session(client):
    import html
    import json

    csrf = log_in(client, "policy")
    page = client.get("/policy/").text
    (attribute,) = re.findall(r"hx-headers='([^']+)'", page)
    assert json.loads(html.unescape(attribute)) == {"X-CSRF-Token": csrf}


def covered(relative, pattern: str) -> bool:
    """Whether a package-data glob names this file (its * never crosses a folder)."""
    from pathlib import PurePosixPath

    return relative.match(pattern) and len(relative.parts) == len(PurePosixPath(pattern).parts)


def test_every_template_and_static_file_goes_into_the_wheel():
    import tomllib
    from pathlib import Path, PurePosixPath

    root = Path(__file__).resolve().parent.parent
    options = tomllib.loads((root / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]
    patterns = options["package-data"]["demozone.web"]
    web = root / "engine" / "web"
    files = [f for folder in ("templates", "static") for f in (web / folder).rglob("*")]
    for file in (f for f in files if f.is_file()):
        relative = PurePosixPath(file.relative_to(web).as_posix())
        assert any(covered(relative, p) for p in patterns), relative


def dependency_calls(dependant) -> set:
    """Every function a route depends on, directly or through other dependencies."""
    found = set()
    for sub in dependant.dependencies:
        found.add(sub.call)
        found |= dependency_calls(sub)
    return found


def routes_and_their_dependencies():
    """(path, methods, every function it depends on) of each route of app.ROUTERS, the
    routers' own dependencies included."""
    from fastapi.routing import APIRoute

    from demozone.web.app import ROUTERS

    for router in ROUTERS:
        shared = {d.dependency for d in router.dependencies}
        for route in router.routes:
            if isinstance(route, APIRoute):
                yield route.path, route.methods, shared | dependency_calls(route.dependant)


def test_the_route_table_is_read_whole():
    paths = {path for path, _, _ in routes_and_their_dependencies()}
    assert {"/", "/login", "/logout", "/api/login", "/api/systems", "/admin/"} <= paths


def test_every_state_changing_route_checks_the_csrf_token():
    """A room added later cannot forget it: each POST/PUT/PATCH/DELETE route but the two logins
    depends on auth.csrf_checked (auth.require includes it)."""
    from demozone.web.auth import csrf_checked

    unchecked = [
        (path, sorted(methods))
        for path, methods, calls in routes_and_their_dependencies()
        if methods - {"GET", "HEAD", "OPTIONS"}
        and path not in {"/login", "/api/login"}
        and csrf_checked not in calls
    ]
    assert unchecked == []


def test_every_page_and_api_route_but_the_login_and_docs_needs_a_session():
    from demozone.web.auth import current_user

    public = {"/login", "/api/login", "/api/docs"}
    open_routes = [
        path
        for path, _, calls in routes_and_their_dependencies()
        if path not in public and current_user not in calls
    ]
    assert open_routes == []


def test_an_admin_adds_a_user_by_the_form_and_the_log_names_the_admin(client, server):
    csrf = log_in(client, "admin")
    fields = {"name": "新用户", "role": "auditor", "password": "pw", "csrf": csrf}
    done = client.post("/admin/users", data=fields, follow_redirects=False)
    assert done.status_code == 303
    assert "新用户" in client.get("/admin/").text
    (entry,) = [e for e in api.audit_log(db=server.state.db_url) if e["object"] == "新用户"]
    assert (entry["user"], entry["action"]) == ("admin", "user.add")


def test_the_add_user_form_shows_a_mistake_on_the_page(client):
    csrf = log_in(client, "admin")
    fields = {"name": "policy", "role": "auditor", "password": "pw", "csrf": csrf}
    answer = client.post("/admin/users", data=fields)
    assert answer.status_code == 422
    assert "已存在" in answer.text  # the accounts' own message: 用户 'policy' 已存在


@pytest.mark.parametrize(
    ("who", "token", "status"), [("admin", "forged", 403), ("policy", None, 403)]
)
def test_adding_a_user_needs_the_admin_role_and_the_csrf_token(client, who, token, status):
    csrf = log_in(client, who)
    fields = {"name": "x", "role": "auditor", "password": "pw", "csrf": token or csrf}
    assert client.post("/admin/users", data=fields).status_code == status
