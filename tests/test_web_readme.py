"""The README's one command starts the web workspace on the example data, and the demo account
it prints logs in; the README keeps its two set-up commands."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from demozone import api
from demozone.web.demo import example_submissions

from .web_helpers import _answers, _stop, free_port

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
BLOCK = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)
PASSWORD_LINE = re.compile(r"^(demo-\w+) \((\w+)\) 密码/password: (\S+)$")


def code_lines(kind: str | None = None) -> list[list[str]]:
    """The README's code blocks (of one kind: sh, console, ...), each as its commands with
    comments and blank lines left out."""
    blocks = []
    for found in BLOCK.finditer(README.read_text("utf-8")):
        if kind is None or found.group(1) == kind:
            lines = [line.split("#", 1)[0].strip() for line in found.group(2).splitlines()]
            blocks.append([line for line in lines if line])
    return blocks


def start_command() -> list[str]:
    """The README's command that starts the workspace on the examples (`serve --demo`)."""
    found = {line for block in code_lines() for line in block if "serve --demo" in line}
    assert len(found) == 1, f"the README starts the demo in more than one way: {found}"
    return shlex.split(found.pop())


def test_the_readme_keeps_exactly_two_set_up_commands():
    assert code_lines("sh")[0] == ["make run", "make test"]


def test_the_readme_starts_the_workspace_with_one_command_after_make_run():
    command = start_command()
    assert command[0] == ".venv/bin/demozone"  # what `make run` installs
    assert command[1:] == ["serve", "--demo"]


def test_the_demo_start_scores_every_example_into_the_store_once(tmp_path):
    from demozone.web.demo import prepare_demo
    from demozone.web.settings import Settings

    settings = Settings(store=str(tmp_path / "demozone-data"))
    first = list(prepare_demo(settings))
    second = list(prepare_demo(settings))
    for submission in example_submissions():
        assert any(f"scored: {submission} → " in line for line in first)
        assert any(f"kept: {submission} → " in line for line in second)
        assert len(api.history(submission, settings.store)["assessments"]) == 1


def checkout(tmp_path: Path) -> Path:
    """A folder standing for a checkout after `make run`: its `.venv` is this test's virtual
    environment (which holds demozone installed from this repository)."""
    folder = tmp_path / "checkout"
    folder.mkdir()
    (folder / ".venv").symlink_to(Path(sys.prefix), target_is_directory=True)
    return folder


@pytest.mark.slow
def test_the_readme_command_serves_the_examples_and_its_demo_password_logs_in(tmp_path):
    folder = checkout(tmp_path)
    port = free_port()
    argv = [*start_command(), "--port", str(port)]
    environment = {
        k: v for k, v in os.environ.items() if k not in ("DEMOZONE_STORE", "DEMOZONE_DB")
    }
    process = subprocess.Popen(
        argv,
        cwd=folder,
        env=environment,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        said = []
        while not any("demozone: http://" in line for line in said):
            line = process.stdout.readline()
            if not line:
                pytest.fail("the README's command ended before serving:\n" + "".join(said))
            said.append(line)
        printed = [m.groups() for m in map(PASSWORD_LINE.match, map(str.strip, said)) if m]
        assert [role for _, role, _ in printed] == ["assessor", "policy", "auditor", "admin"]
        for submission in example_submissions():
            assert any(f"scored: {submission} → " in line for line in said), said
        while not _answers(f"{base}/login"):
            assert process.poll() is None, "".join(said)
            time.sleep(0.1)
        name, _, password = printed[0]
        with httpx.Client(base_url=base) as client:
            login = client.post("/api/login", json={"username": name, "password": password})
            assert login.status_code == 200, login.text
            room = client.get("/assessor/")
        assert room.status_code == 200
        assert all(submission in room.text for submission in example_submissions())
        scored = [line.split(" → ")[1].strip() for line in said if "scored: " in line]
        assert scored and all(assessment in room.text for assessment in scored)
    finally:
        _stop(process)
    store = str(folder / "demozone-data")  # the README's default store, in the checkout
    for submission in example_submissions():
        assert api.history(submission, store)["assessments"]
    assert (folder / "demozone-data-accounts.sqlite").is_file()
