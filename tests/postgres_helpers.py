"""A throwaway PostgreSQL cluster for the web workspace's tests: Debian's server binaries, a
temporary data folder, 127.0.0.1 and a free port, trust authentication for the user `demozone`."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from .web_helpers import free_port

USER = "demozone"


class PostgresCluster:
    """initdb + pg_ctl start/stop. PostgreSQL refuses to run as root, so under root every
    command runs as the `postgres` user (runuser) in a folder that user owns."""

    def __init__(self, pg_ctl: str) -> None:
        # /usr/local/bin/pg_ctl may be a link into one version's folder: initdb comes from there
        self.bin = Path(pg_ctl).resolve().parent
        self.base: Path | None = None
        self.port = 0

    @property
    def url(self) -> str:
        """The SQLAlchemy URL of the cluster's `postgres` database (psycopg 3 driver)."""
        return f"postgresql+psycopg://{USER}@127.0.0.1:{self.port}/postgres"

    def _as_owner(self, *argv: str) -> list[str]:
        if os.geteuid() != 0:
            return list(argv)
        runuser = shutil.which("runuser")
        if runuser is None:
            pytest.fail("running as root, and runuser is missing to run PostgreSQL as `postgres`")
        return [runuser, "-u", "postgres", "--", *argv]

    def _run(self, *argv: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            self._as_owner(*argv), capture_output=True, text=True, timeout=120, cwd=self.base
        )

    def start(self, attempts: int = 3) -> str:
        # not under pytest's tmp folders: those are private to root, and the server runs as postgres
        self.base = Path(tempfile.mkdtemp(prefix="demozone-pg-"))
        if os.geteuid() == 0:
            shutil.chown(self.base, "postgres", "postgres")
        data = self.base / "data"
        made = self._run(
            str(self.bin / "initdb"),
            *("-D", str(data), "-A", "trust", "-U", USER, "-E", "UTF8", "--no-locale"),
            "--no-sync",
        )
        if made.returncode != 0:
            self.remove()
            pytest.fail(f"initdb failed:\n{made.stdout}\n{made.stderr}", pytrace=False)
        log = self.base / "server.log"
        for _ in range(attempts):
            self.port = free_port()
            # the socket folder is the cluster's own, never /var/run/postgresql of a system server
            options = f"-p {self.port} -k {self.base} -c listen_addresses=127.0.0.1 -c fsync=off"
            started = self._run(
                str(self.bin / "pg_ctl"),
                *("-D", str(data), "-o", options, "-l", str(log), "-w", "-t", "60", "start"),
            )
            if started.returncode == 0:
                return self.url
        said = log.read_text(errors="replace") if log.exists() else ""
        self.remove()
        pytest.fail(
            f"pg_ctl start failed {attempts} times:\n{started.stdout}\n{started.stderr}\n{said}",
            pytrace=False,
        )

    def stop(self) -> None:
        if self.base is not None and (self.base / "data" / "postmaster.pid").exists():
            self._run(
                str(self.bin / "pg_ctl"), "-D", str(self.base / "data"), "-m", "fast", "-w", "stop"
            )
        self.remove()

    def remove(self) -> None:
        if self.base is not None:
            shutil.rmtree(self.base, ignore_errors=True)
            self.base = None
