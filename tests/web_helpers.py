"""A `demozone serve` process for the web tests: started on a free port, awaited, stopped."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

STARTUP_SECONDS = 60.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve_command(
    port: int,
    store: str | Path,
    db: str,
    *,
    workers: int | None = None,
    host: str = "127.0.0.1",
) -> list[str]:
    """The argv of `demozone serve` run by this interpreter (so the test's virtual
    environment serves, whatever is on PATH)."""
    argv = [sys.executable, "-m", "demozone.cli", "serve", "--host", host, "--port", str(port)]
    argv += ["--store", str(store), "--db", db]
    if workers is not None:
        argv += ["--workers", str(workers)]
    return argv


def _answers(url: str) -> bool:
    """True once the server answers the URL with an HTTP status below 500 (a 4xx is an answer:
    the server is up and routing)."""
    try:
        with urllib.request.urlopen(url, timeout=2) as answer:
            return answer.status < 500
    except urllib.error.HTTPError as error:
        return error.code < 500
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@contextlib.contextmanager
def serving(
    argv: Sequence[str],
    base_url: str,
    *,
    ready_path: str = "/login",
    timeout: float = STARTUP_SECONDS,
    log: Path | None = None,
) -> Iterator[str]:
    """Run argv (a server that will listen at base_url), wait until GET base_url+ready_path
    answers, yield base_url, and terminate the server at the end (killed if it lingers).
    The server's stderr is printed when it does not come up (pytest.fail) and when the body
    raises, so a test failure shows what the server said. `log`: a file that keeps the
    stderr after the server stops (else a temporary file)."""
    with open(log, "w+b") if log is not None else tempfile.TemporaryFile() as stderr:
        process = subprocess.Popen(
            list(argv), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=stderr
        )

        def said() -> str:
            stderr.flush()
            stderr.seek(0)
            return stderr.read().decode("utf-8", "replace")[-20000:]

        try:
            deadline = time.monotonic() + timeout
            while not _answers(base_url + ready_path):
                if process.poll() is not None:
                    pytest.fail(
                        f"the server exited ({process.returncode}) before answering "
                        f"{ready_path}: {' '.join(argv)}\n--- its stderr ---\n{said()}",
                        pytrace=False,
                    )
                if time.monotonic() > deadline:
                    pytest.fail(
                        f"the server did not answer {base_url}{ready_path} within "
                        f"{timeout:g} s: {' '.join(argv)}\n--- its stderr ---\n{said()}",
                        pytrace=False,
                    )
                time.sleep(0.1)
            try:
                yield base_url
            except BaseException:
                print(f"--- stderr of {' '.join(argv)} ---\n{said()}", file=sys.stderr)
                raise
        finally:
            _stop(process)


@contextlib.contextmanager
def demozone_server(
    store: str | Path,
    db: str,
    *,
    workers: int | None = None,
    timeout: float = STARTUP_SECONDS,
    log: Path | None = None,
) -> Iterator[str]:
    """`demozone serve` on 127.0.0.1 and a free port over the store and database; yields
    its base URL ("http://127.0.0.1:PORT") once GET /login answers; stopped at the end."""
    port = free_port()
    argv = serve_command(port, store, db, workers=workers)
    with serving(argv, f"http://127.0.0.1:{port}", timeout=timeout, log=log) as url:
        yield url


PASSWORD = "correct horse"  # of every account the web tests make


def log_in(client, name: str, password: str = PASSWORD) -> str:
    """Log `name` in through POST /api/login on a TestClient; the session's CSRF token."""
    answer = client.post("/api/login", json={"username": name, "password": password})
    assert answer.status_code == 200, answer.text
    return answer.json()["csrf"]
