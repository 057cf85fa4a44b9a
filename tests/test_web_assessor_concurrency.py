"""Twenty assessors judging one submission at once through two `demozone serve` workers over
PostgreSQL and an Oxigraph server: every judgment is kept, and the newest assessment holds
them all."""

from __future__ import annotations

import concurrent.futures
from pathlib import Path

import httpx
import pytest

from demozone import api

from .conftest import reset_server

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "national-2022"
PASSWORD = "correct horse"
ASSESSORS = 20


def _session(base: str, name: str) -> tuple[httpx.Client, str]:
    client = httpx.Client(base_url=base, timeout=600)
    answer = client.post("/api/login", json={"username": name, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    return client, answer.json()["csrf"]


@pytest.mark.slow
@pytest.mark.server
def test_twenty_assessors_at_once_lose_no_judgment(
    live_server, oxigraph_server, postgres_database, tmp_path, monkeypatch
):
    monkeypatch.setenv("DEMOZONE_EVIDENCE", str(EXAMPLE))
    monkeypatch.setenv("DEMOZONE_SUBMISSIONS", str(tmp_path / "submissions"))
    reset_server(oxigraph_server.url)
    db = postgres_database
    names = [f"assessor-{n:02d}" for n in range(ASSESSORS)]
    for name in names:
        api.add_user(name, "assessor", PASSWORD, db=db)
    base = live_server(oxigraph_server.url, db, workers=2)

    first, csrf = _session(base, names[0])
    uploaded = first.post(
        "/api/submissions",
        files={"file": ("submission.yaml", (EXAMPLE / "submission.yaml").read_bytes())},
        headers={"X-CSRF-Token": csrf},
    )
    assert uploaded.status_code == 201, uploaded.text
    submission = uploaded.json()["submission"]
    assessment = uploaded.json()["assessment"].rsplit("/", 1)[-1]
    for name in names:
        api.assign_submission(submission, name, db=db)

    def judge(name: str) -> int:
        client, token = _session(base, name)
        try:
            answer = client.post(
                f"/api/assessments/{assessment}/judgments",
                json={"judgments": [{"clause": "10.1", "satisfied": False, "evidence": []}]},
                headers={"X-CSRF-Token": token},
            )
        finally:
            client.close()
        assert answer.status_code == 201, answer.text
        return answer.status_code

    with concurrent.futures.ThreadPoolExecutor(ASSESSORS) as pool:
        assert list(pool.map(judge, names)) == [201] * ASSESSORS

    stored = api.submission_judgments(submission, db=db)
    assert sorted(r["assessor"] for r in stored) == names
    newest = api.submission_assessments(submission, db=db)[0]
    opinions = api.assessment_opinions(newest["id"], store=oxigraph_server.url, db=db)
    judged = next(c for c in opinions if c["clause"] == "10.1")
    web = {o["assessor"] for o in judged["opinions"]} & set(names)
    assert web == set(names)
    history = api.history(submission, oxigraph_server.url)
    assert len(history["assessments"]) == ASSESSORS + 1
