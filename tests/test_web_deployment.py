"""Deployment of the web workspace: one process on the embedded store and SQLite, or a team's
several `demozone serve` workers on an Oxigraph server and PostgreSQL."""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path

import httpx
import pytest
import sqlalchemy

from demozone import api

PASSWORD = "correct horse"
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "national-2022" / "submission.yaml"


def _open_accounts(url: str, start, opened) -> None:
    """What a worker does first, all workers at once: open the accounts database (tables
    made when absent)."""
    start.wait()
    opened.put(len(api.list_users(db=url)) + len(api.submission_judgments("x", db=url)))


def test_workers_starting_together_on_an_empty_postgresql_make_the_tables_once(
    postgres_database,
):
    spawn = multiprocessing.get_context("spawn")  # as uvicorn starts its workers
    start, opened = spawn.Barrier(4), spawn.Queue()
    workers = [
        spawn.Process(target=_open_accounts, args=(postgres_database, start, opened))
        for _ in range(4)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert [w.exitcode for w in workers] == [0, 0, 0, 0]
    assert sorted(opened.get(timeout=10) for _ in workers) == [0, 0, 0, 0]
    engine = sqlalchemy.create_engine(postgres_database)
    try:
        tables = set(sqlalchemy.inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert {"users", "sessions", "assignments", "audit_log", "judgments", "uploads"} <= tables


def test_the_single_process_sqlite_database_is_write_ahead_logged(tmp_path):
    file = tmp_path / "accounts.sqlite"
    api.add_user("li", "policy", PASSWORD, db=str(file))
    with sqlite3.connect(file) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_the_default_store_and_its_accounts_take_a_score_and_a_login(tmp_path, monkeypatch):
    monkeypatch.delenv("DEMOZONE_DB", raising=False)
    store = str(tmp_path / "demozone-data")
    api.add_user("li", "assessor", PASSWORD, store=store)
    example = api.assess(EXAMPLE, store=store)
    assert api.history(example.submission.id, store)["assessments"]
    assert api.log_in("li", PASSWORD, "127.0.0.1", store=store)["csrf"]


@pytest.mark.server
def test_two_workers_on_oxigraph_and_postgresql_share_sessions_and_the_store(
    oxigraph_server, postgres_database, live_server
):
    api.add_user("team-policy", "policy", PASSWORD, db=postgres_database)
    base = live_server(oxigraph_server.url, postgres_database, workers=2)
    with httpx.Client(base_url=base) as client:
        login = {"username": "team-policy", "password": PASSWORD}
        assert client.post("/api/login", json=login).status_code == 200
        cookies = dict(client.cookies)
    # a new connection each time, so both workers answer: each knows the session
    answers = [httpx.get(f"{base}/api/systems", cookies=cookies) for _ in range(12)]
    assert [a.status_code for a in answers] == [200] * 12
    assert all(a.json() == answers[0].json() for a in answers)


def test_several_workers_on_the_embedded_store_are_refused_with_one_message(tmp_path):
    from click.testing import CliRunner

    from demozone.cli import main_group

    done = CliRunner().invoke(
        main_group, ["serve", "--workers", "2", "--store", str(tmp_path / "store")]
    )
    assert done.exit_code == 2
    assert "SPARQL" in done.output and "Traceback" not in done.output
