"""A team at work: 20 assessors, each with their own account and session, record judgments on
one submission at the same time through a server of 2 workers on an Oxigraph server and
PostgreSQL, and none is lost."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import httpx
import pytest
import yaml

from demozone import api

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "national-2022"
ASSESSORS = [f"expert-c{n:02d}" for n in range(20)]
PASSWORD = "correct horse"
# clauses the example's submission judges, with evidence a satisfied judgment may cite
JUDGED = [("10.1", ["E8"]), ("11.3", ["E2"]), ("15.1", ["E1"])]

pytestmark = [pytest.mark.slow, pytest.mark.server]


def judgments_of(n: int) -> list[dict]:
    """Assessor n's judgments: every clause of JUDGED, satisfied or not by n's parity."""
    satisfied = n % 2 == 0
    return [
        {"clause": clause, "satisfied": satisfied, "evidence": evidence if satisfied else []}
        for clause, evidence in JUDGED
    ]


def unique_submission(tmp_path: Path) -> tuple[str, bytes]:
    """The example national-2022 submission under an id of its own (the Oxigraph server is
    shared by the session's tests)."""
    document = yaml.safe_load((EXAMPLE / "submission.yaml").read_text("utf-8"))
    identifier = f"concurrency-{os.urandom(4).hex()}"
    document["submission"]["id"] = identifier
    return identifier, yaml.safe_dump(document, allow_unicode=True).encode("utf-8")


def logged_in(base: str, name: str) -> tuple[httpx.Client, str]:
    client = httpx.Client(base_url=base, timeout=600)
    answer = client.post("/api/login", json={"username": name, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    return client, answer.json()["csrf"]


def test_twenty_assessors_judging_one_submission_at_once_lose_no_judgment(
    oxigraph_server, postgres_database, live_server, tmp_path, monkeypatch
):
    # the server's workers keep uploads here, and find the example's evidence files there
    monkeypatch.setenv("DEMOZONE_SUBMISSIONS", str(tmp_path / "submissions"))
    monkeypatch.setenv("DEMOZONE_EVIDENCE", str(EXAMPLE))
    db = postgres_database
    for name in ASSESSORS:
        api.add_user(name, "assessor", PASSWORD, db=db)
    base = live_server(oxigraph_server.url, db, workers=2)
    submission, content = unique_submission(tmp_path)
    uploader, csrf = logged_in(base, ASSESSORS[0])
    uploaded = uploader.post(
        "/api/submissions",
        files={"file": ("submission.yaml", content, "application/x-yaml")},
        headers={"X-CSRF-Token": csrf},
    )
    uploader.close()
    assert uploaded.status_code == 201, uploaded.text
    first = uploaded.json()["assessment"]
    for name in ASSESSORS:
        api.assign_submission(submission, name, by="test", db=db)

    sessions = [logged_in(base, name) for name in ASSESSORS]
    answers: dict[str, httpx.Response] = {}
    start = threading.Barrier(len(ASSESSORS))

    def judge(n: int) -> None:
        client, token = sessions[n]
        start.wait()  # all at once
        answers[ASSESSORS[n]] = client.post(
            f"/api/assessments/{first}/judgments",
            json={"judgments": judgments_of(n)},
            headers={"X-CSRF-Token": token},
        )

    threads = [threading.Thread(target=judge, args=(n,)) for n in range(len(ASSESSORS))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for client, _ in sessions:
        client.close()

    assert {name: a.status_code for name, a in answers.items()} == dict.fromkeys(ASSESSORS, 201)
    sent = {
        (name, j["clause"], j["satisfied"])
        for n, name in enumerate(ASSESSORS)
        for j in judgments_of(n)
    }
    # the accounts database: one row per judgment sent
    rows = api.submission_judgments(submission, db=db)
    assert len(rows) == len(sent) == 60
    assert {(r["assessor"], r["clause"], r["satisfied"]) for r in rows} == sent
    # the store: the workspace's newest assessment holds every judgment sent, by its author
    newest = api.submission_assessments(submission, db=db)[0]
    stored = {e["iri"]: e for e in api.history(submission, oxigraph_server.url)["assessments"]}
    judged = {
        (j["author"], j["clause"], j["satisfied"])
        for j in stored[newest["iri"]]["judgments"]
        if j["author"] in ASSESSORS
    }
    assert judged == sent
