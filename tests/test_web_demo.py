"""`demozone serve --demo`: a real server on a free port, with demo accounts printed once."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from .conftest import free_port

DEMOZONE = Path(sys.executable).parent / "demozone"


def wait_until_up(url: str, process: subprocess.Popen) -> httpx.Response:
    """The first answer of a server that is starting (it fails the test if the server died)."""
    deadline = time.monotonic() + 60  # a readiness wait, not a timing assertion
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server exited: {process.stderr.read()}")
        try:
            return httpx.get(url)
        except httpx.TransportError:
            time.sleep(0.2)
    pytest.fail("the server did not answer")


@pytest.fixture
def demo(tmp_path):
    """A `serve --demo` process (its port and the password lines it printed)."""
    port = free_port()
    command = [str(DEMOZONE), "serve", "--demo", "--port", str(port)]
    process = subprocess.Popen(
        [*command, "--store", str(tmp_path / "store")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
    )
    try:
        lines = [process.stdout.readline().strip() for _ in range(5)]
        yield port, lines, process
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_the_demo_serves_and_its_printed_password_logs_in(demo):
    port, lines, process = demo
    base = f"http://127.0.0.1:{port}"
    assert wait_until_up(f"{base}/login", process).status_code == 200
    passwords = dict(line.split(" 密码/password: ") for line in lines[:4])
    assert set(passwords) == {
        "demo-assessor (assessor)",
        "demo-policy (policy)",
        "demo-auditor (auditor)",
        "demo-admin (admin)",
    }
    with httpx.Client(base_url=base) as client:
        answer = client.post(
            "/api/login",
            json={"username": "demo-assessor", "password": passwords["demo-assessor (assessor)"]},
        )
        assert answer.status_code == 200
        room = client.get("/assessor/")
    assert room.status_code == 200
    assert "qinglan-2024" in room.text  # the examples are assigned to the demo assessor


def test_a_second_demo_start_keeps_the_passwords_and_prints_none(tmp_path):
    from demozone import api
    from demozone.web.demo import prepare_demo
    from demozone.web.settings import Settings

    settings = Settings(store=str(tmp_path / "store"))
    first = list(prepare_demo(settings))
    second = list(prepare_demo(settings))
    assert sum("password:" in line for line in first) == 4
    assert not any("password:" in line for line in second)
    db = api.database_url(store=settings.store)
    assert {a["submission"] for a in api.assignments("demo-assessor", db=db)} >= {"qinglan-2024"}
