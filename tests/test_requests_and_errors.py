"""Requests to a SPARQL server within a total deadline and an answer cap, settings validated,
a full disk reported as itself, and no traceback ever reaching the terminal (issue 19, items 7,
8 and the top-level handler)."""

from __future__ import annotations

import errno
import http.server
import threading
import time

import pytest
from click.testing import CliRunner

from demozone.cli import main_group
from demozone.common import limits
from demozone.common.errors import StoreError
from demozone.store import embedded
from demozone.store.location import open_store
from demozone.store.remote import RemoteStore

from .conftest import copy_store


class _Drip(http.server.BaseHTTPRequestHandler):
    """Answers a byte a second (mode "drip"), or a body larger than asked for ("flood")."""

    mode = "drip"

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.end_headers()
        try:
            if self.mode == "flood":
                for _ in range(64):
                    self.wfile.write(b" " * 65536)
                return
            for byte in b'{"head": {"vars": []}, "results": {"bindings": []}}':
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(1)
        except OSError:
            pass

    do_GET = do_POST = _answer

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def server():
    started = []

    def start(mode: str) -> str:
        handler = type("Handler", (_Drip,), {"mode": mode})
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        httpd.daemon_threads = True
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        started.append(httpd)
        return f"http://127.0.0.1:{httpd.server_address[1]}"

    yield start
    for httpd in started:
        httpd.shutdown()
        httpd.server_close()


def test_a_server_that_drips_a_byte_a_second_hits_the_total_deadline(server):
    remote = RemoteStore(server("drip"), timeout=2)
    started = time.monotonic()
    with pytest.raises(StoreError, match="did not answer within 2 s"):
        remote.select("SELECT * WHERE { ?s ?p ?o }")
    assert time.monotonic() - started < 6


def test_an_answer_above_the_cap_is_refused(server, monkeypatch):
    monkeypatch.setattr(limits, "MAX_ANSWER_BYTES", 1 << 20)
    with pytest.raises(StoreError, match="sent too much"):
        RemoteStore(server("flood"), timeout=30).select("SELECT * WHERE { ?s ?p ?o }")


@pytest.mark.parametrize("value", ["-1", "nan", "inf", "abc", "0"])
def test_a_bad_store_timeout_is_a_clear_message(value, monkeypatch):
    monkeypatch.setenv("DEMOZONE_STORE_TIMEOUT", value)
    with pytest.raises(StoreError, match="DEMOZONE_STORE_TIMEOUT"):
        open_store("http://127.0.0.1:9")
    result = CliRunner().invoke(main_group, ["store", "info", "--store", "http://127.0.0.1:9"])
    assert result.exit_code == 2 and "DEMOZONE_STORE_TIMEOUT" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("value", ["abc", "-1", "nan", "inf"])
def test_a_bad_store_wait_is_a_clear_message(value, monkeypatch, tmp_path, kb_store_template):
    location = copy_store(kb_store_template, tmp_path / "store")
    monkeypatch.setenv("DEMOZONE_STORE_WAIT", value)
    result = CliRunner().invoke(main_group, ["store", "info", "--store", str(location)])
    assert result.exit_code == 2 and "DEMOZONE_STORE_WAIT" in result.output, result.output
    assert "Traceback" not in result.output


# -- 8. a full disk on a single score -----------------------------------------------------------


class _FullDisk:
    """An Oxigraph store on a disk that is full: writes and flushes fail with ENOSPC."""

    def __init__(self, real) -> None:
        self._real = real

    def __getattr__(self, name):
        return getattr(self._real, name)

    def extend(self, *_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device (write)")

    def flush(self):
        raise OSError(errno.ENOSPC, "No space left on device (flush)")


def test_a_full_disk_on_a_single_score_reports_the_write_not_the_close(
    national_submission,
    kb_store_template,
    tmp_path,
    monkeypatch,
):
    location = copy_store(kb_store_template, tmp_path / "store")
    real_open = embedded._open_with_wait
    monkeypatch.setattr(embedded, "_open_with_wait", lambda path: _FullDisk(real_open(path)))
    result = CliRunner().invoke(
        main_group, ["score", str(national_submission), "--store", str(location), "--again"]
    )
    assert result.exit_code == 2, result.output
    assert "No space left on device (write)" in result.output
    assert "Traceback" not in result.output and "OSError" not in result.output


# -- the top-level handler -------------------------------------------------------------------


def test_an_unexpected_exception_is_one_line_with_a_log_file(monkeypatch, tmp_path):
    log = tmp_path / "errors.log"
    monkeypatch.setenv("DEMOZONE_LOG", str(log))

    def broken(*_args, **_kwargs):
        raise RuntimeError("an internal invariant broke")

    from demozone import api

    monkeypatch.setattr(api, "systems", broken, raising=False)
    result = CliRunner().invoke(main_group, ["systems"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and str(log) in lines[0] and "RuntimeError" in lines[0]
    assert "Traceback" in log.read_text() and "an internal invariant broke" in log.read_text()
