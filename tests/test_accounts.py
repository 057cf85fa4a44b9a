"""Accounts of the web workspace: users, roles, passwords, sessions, assignments and the audit
log, through the API and the `demozone user` verbs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from demozone import api
from demozone.cli import main_group

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def db(tmp_path):
    return f"sqlite:///{tmp_path / 'accounts.sqlite'}"


def run(*args, stdin: str = ""):
    return CliRunner().invoke(main_group, list(args), input=stdin)


def test_a_user_added_on_the_command_line_is_listed_with_its_role(db):
    added = run("user", "add", "王芳", "--role", "assessor", "--db", db, stdin="s3cret\n")
    assert added.exit_code == 0, added.output
    listed = run("user", "list", "--json", "--db", db)
    (user,) = json.loads(listed.output)
    assert (user["name"], user["role"], user["disabled"]) == ("王芳", "assessor", False)


def test_the_default_database_is_a_sqlite_file_beside_the_store_directory(tmp_path, monkeypatch):
    monkeypatch.delenv("DEMOZONE_DB", raising=False)
    store = tmp_path / "store"
    done = run("user", "add", "li", "--role", "policy", "--store", str(store), stdin="pw\n")
    assert done.exit_code == 0, done.output
    assert (tmp_path / "store-accounts.sqlite").is_file()
    assert api.database_url(store=str(store)) == f"sqlite:///{tmp_path / 'store-accounts.sqlite'}"


def test_the_store_stays_usable_after_the_accounts_database_is_made(tmp_path, monkeypatch):
    monkeypatch.delenv("DEMOZONE_DB", raising=False)
    store = tmp_path / "store"
    api.add_user("li", "policy", "pw", store=str(store))
    done = api.assess(ROOT / "examples" / "national-2022" / "submission.yaml", store=str(store))
    assert done.iri is not None


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (("user", "add", "a", "--role", "assessor"), "\n", "密码不能为空"),
        (("user", "add", "", "--role", "assessor"), "pw\n", "用户名"),
        (("user", "disable", "nobody"), "", "没有名为"),
        (("user", "passwd", "nobody"), "pw\n", "没有名为"),
    ],
)
def test_user_mistakes_are_one_message_and_exit_2(db, args, stdin, message):
    done = run(*args, "--db", db, stdin=stdin)
    assert done.exit_code == 2
    assert message in done.output
    assert "Traceback" not in done.output


def test_a_bad_role_is_refused_by_the_command_line(db):
    done = run("user", "add", "a", "--role", "boss", "--db", db, stdin="pw\n")
    assert done.exit_code == 2
    assert "boss" in done.output


def test_a_name_is_taken_once(db):
    api.add_user("a", "admin", "pw", db=db)
    with pytest.raises(api.InputError, match="exists"):
        api.add_user("a", "policy", "pw2", db=db)
    with pytest.raises(api.InputError, match="unknown role"):
        api.add_user("b", "boss", "pw", db=db)


def test_a_password_is_stored_as_an_argon2_hash(db):
    from sqlalchemy import create_engine, text

    api.add_user("a", "admin", "plain-text-pw", db=db)
    with create_engine(db).connect() as connection:
        (stored,) = connection.execute(text("SELECT password_hash FROM users")).one()
    assert stored.startswith("$argon2") and "plain-text-pw" not in stored


def test_login_opens_a_session_and_logout_ends_it(db):
    api.add_user("a", "auditor", "pw", db=db)
    opened = api.log_in("a", "pw", "127.0.0.1", db=db)
    assert api.session_user(opened["token"], db=db)["role"] == "auditor"
    assert api.session_user(opened["token"], db=db)["csrf"] == opened["csrf"]
    api.log_out(opened["token"], db=db)
    assert api.session_user(opened["token"], db=db) is None


def test_a_wrong_password_and_an_unknown_name_get_the_same_message(db):
    api.add_user("a", "auditor", "pw", db=db)
    messages = set()
    for name, password in (("a", "wrong"), ("nobody", "pw")):
        with pytest.raises(api.InputError) as err:
            api.log_in(name, password, db=db)
        messages.add(err.value.problems[0].message_zh)
    assert messages == {"用户名或密码错误"}


def test_five_failures_lock_the_name_for_that_address_even_with_the_right_password(db):
    api.add_user("a", "auditor", "pw", db=db)
    for _ in range(5):
        with pytest.raises(api.InputError):
            api.log_in("a", "wrong", "10.0.0.1", db=db)
    with pytest.raises(api.TooManyAttempts):
        api.log_in("a", "pw", "10.0.0.1", db=db)
    assert api.log_in("a", "pw", "10.0.0.2", db=db)["token"]


def test_disabling_or_a_new_password_ends_the_sessions(db):
    api.add_user("a", "policy", "pw", db=db)
    token = api.log_in("a", "pw", db=db)["token"]
    done = run("user", "passwd", "a", "--db", db, stdin="new\n")
    assert done.exit_code == 0, done.output
    assert api.session_user(token, db=db) is None
    token = api.log_in("a", "new", db=db)["token"]
    assert run("user", "disable", "a", "--db", db).exit_code == 0
    assert api.session_user(token, db=db) is None
    with pytest.raises(api.InputError):
        api.log_in("a", "new", db=db)


def test_submissions_are_assigned_to_assessors_only(db):
    api.add_user("ass", "assessor", "pw", db=db)
    api.add_user("pol", "policy", "pw", db=db)
    api.assign_submission("hejin-2023", "ass", db=db)
    api.assign_submission("hejin-2023", "ass", db=db)
    assert api.assignments("ass", db=db) == [{"submission": "hejin-2023", "assessor": "ass"}]
    assert api.is_assigned("hejin-2023", "ass", db=db)
    with pytest.raises(api.InputError, match="not an assessor"):
        api.assign_submission("hejin-2023", "pol", db=db)


def test_every_write_is_in_the_audit_log_with_its_user(db):
    api.add_user("ass", "assessor", "pw", by="root", db=db)
    api.assign_submission("s1", "ass", by="root", db=db)
    api.set_password("ass", "pw2", by="root", db=db)
    api.disable_user("ass", by="root", db=db)
    entries = [(e["user"], e["action"], e["object"]) for e in api.audit_log(db=db)]
    assert entries == [
        ("root", "user.disable", "ass"),
        ("root", "user.passwd", "ass"),
        ("root", "assignment.add", "s1"),
        ("root", "user.add", "ass"),
    ]


def test_accounts_work_the_same_in_postgresql(postgres_database):
    api.add_user("王芳", "assessor", "pw", by="root", db=postgres_database)
    api.assign_submission("qinglan-2024", "王芳", by="root", db=postgres_database)
    opened = api.log_in("王芳", "pw", "10.0.0.9", db=postgres_database)
    assert api.session_user(opened["token"], db=postgres_database)["role"] == "assessor"
    for _ in range(5):
        with pytest.raises(api.InputError):
            api.log_in("王芳", "wrong", "10.0.0.9", db=postgres_database)
    with pytest.raises(api.TooManyAttempts):
        api.log_in("王芳", "pw", "10.0.0.9", db=postgres_database)
    assert api.assignments("王芳", db=postgres_database) == [
        {"submission": "qinglan-2024", "assessor": "王芳"}
    ]
    assert [e["action"] for e in api.audit_log(db=postgres_database)][-2:] == [
        "assignment.add",
        "user.add",
    ]


def test_the_user_verbs_take_a_postgres_url(postgres_database):
    done = run("user", "add", "li", "--role", "auditor", "--db", postgres_database, stdin="pw\n")
    assert done.exit_code == 0, done.output
    listed = json.loads(run("user", "list", "--json", "--db", postgres_database).output)
    assert [(u["name"], u["role"]) for u in listed] == [("li", "auditor")]


@pytest.mark.parametrize(
    ("db", "message"),
    [
        ("nosuchdriver://x/y", "不是有效的数据库地址"),
        ("postgresql+psycopg://u@127.0.0.1:1/x", "账户数据库无法打开"),
    ],
)
def test_a_database_that_cannot_be_used_is_one_message(db, message):
    done = run("user", "list", "--db", db)
    assert done.exit_code == 2
    assert message in done.output and "Traceback" not in done.output


def test_the_role_choices_of_the_command_line_and_the_admin_page_are_the_accounts_own():
    from demozone.cli.user import ROLE_CHOICES
    from demozone.web.pages import admin

    assert ROLE_CHOICES == admin.ROLE_CHOICES == api.ROLES
