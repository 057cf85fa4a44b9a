"""One HTTP request to a SPARQL server, within a total deadline and an answer size cap.

A per-read timeout is not enough: a server that sends a byte a second never trips it. Here a
watchdog shuts the connection at the deadline, whatever the request is doing (connecting,
sending, waiting for headers or reading the body), and the answer is read in chunks up to
`limits.MAX_ANSWER_BYTES`. A redirect is an error (a POST must not become a GET elsewhere).
The caller (store.remote) turns `TransportError` into a StoreError with its wording.
"""

from __future__ import annotations

import contextlib
import http.client
import math
import os
import socket
import threading
import urllib.parse

from demozone.common import limits
from demozone.common.errors import StoreError


class TransportError(Exception):
    """kind: "timeout", "unreachable", "broken", "too-large" or "status" (with code, reason,
    detail)."""

    def __init__(self, kind: str, message: str, code: int = 0, detail: str = "") -> None:
        super().__init__(message)
        self.kind, self.code, self.detail = kind, code, detail


def seconds_setting(name: str, default: float) -> float:
    """A number of seconds from the environment variable `name`: finite and > 0; a StoreError
    naming the variable otherwise (-1, nan, inf, abc)."""
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value <= 0 or value > 86400:
        raise StoreError(
            f"{name}={raw!r} is not a number of seconds: give a number above 0 and at most "
            f"86400, e.g. {default:g} ({name} 应为大于0的秒数)"
        )
    return value


def request(
    method: str,
    url: str,
    body: bytes | None,
    headers: dict[str, str],
    seconds: float,
    cap: int | None = None,
) -> bytes:
    """The answer's body to a request that must finish within `seconds`; TransportError else."""
    cap = limits.MAX_ANSWER_BYTES if cap is None else cap
    parts = urllib.parse.urlsplit(url)
    kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = kind(parts.hostname, parts.port, timeout=seconds)
    expired = threading.Event()
    held: list[socket.socket] = []  # the socket, kept: http.client lets go of it for a response

    def cut() -> None:
        expired.set()
        for sock in held:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    watchdog = threading.Timer(seconds, cut)
    watchdog.daemon = True
    watchdog.start()
    try:
        connection.connect()
        held.append(connection.sock)
        if expired.is_set():
            cut()
        answer = _exchange(connection, method, parts, body, headers, cap)
        if expired.is_set():  # the cut ended the body early: it is not the whole answer
            raise TransportError("timeout", f"no whole answer within {seconds:g} s")
        return answer
    except TransportError:
        raise
    except (OSError, http.client.HTTPException) as err:
        if expired.is_set() or isinstance(err, TimeoutError | socket.timeout):
            raise TransportError("timeout", f"no whole answer within {seconds:g} s") from None
        if isinstance(err, ConnectionRefusedError | socket.gaierror) or not held:
            raise TransportError(
                "unreachable", str(getattr(err, "strerror", None) or err)
            ) from None
        raise TransportError("broken", str(err) or type(err).__name__) from None
    finally:
        watchdog.cancel()
        connection.close()


def _exchange(connection, method: str, parts, body, headers: dict, cap: int) -> bytes:
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    connection.request(method, target, body=body, headers=headers)
    response = connection.getresponse()
    if 300 <= response.status < 400:
        where = response.getheader("Location", "?")
        raise TransportError(
            "status", f"redirected to {where}", response.status, f"redirected to {where}"
        )
    declared = response.getheader("Content-Length")
    if declared and declared.isdigit() and int(declared) > cap:
        raise _too_large(cap)
    chunks, size = [], 0
    while chunk := response.read(1 << 16):
        size += len(chunk)
        if size > cap:
            raise _too_large(cap)
        chunks.append(chunk)
    data = b"".join(chunks)
    if response.status >= 400:
        detail = " ".join(data[:400].decode("utf-8", "replace").split())[:300]
        raise TransportError("status", response.reason, response.status, detail)
    return data


def _too_large(cap: int) -> TransportError:
    return TransportError("too-large", f"the answer is larger than {limits.size_text(cap)}")
