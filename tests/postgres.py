"""A PostgreSQL server of its own for the tests of a team deployment (accounts with --db URL).

Debian's postgresql (initdb refuses root: the cluster is made and run as the `postgres` user in
a temporary folder it owns), on a free port of 127.0.0.1 with trust authentication; stopped at
the end of the session. The fixture `postgresql_url` is registered in conftest.py.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest


def _binaries() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent


def _as_postgres(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@pytest.fixture(scope="session")
def postgresql_url():
    """A SQLAlchemy URL (postgresql+psycopg://demozone@127.0.0.1:PORT/postgres) of a running
    server; a test makes its own database or cleans up what it adds."""
    from .conftest import free_port, installed
    from .prerequisites import POSTGRESQL

    installed(POSTGRESQL)
    bin_dir = _binaries()
    folder = Path(tempfile.mkdtemp(prefix="demozone-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    data, port = folder / "data", free_port()
    subprocess.run(
        _as_postgres([str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "demozone"]),
        check=True,
        capture_output=True,
        timeout=300,
    )
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1"
    pg_ctl = str(bin_dir / "pg_ctl")
    subprocess.run(
        _as_postgres(
            [pg_ctl, "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w", "start"]
        ),
        check=True,
        capture_output=True,
        timeout=300,
    )
    try:
        yield f"postgresql+psycopg://demozone@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            _as_postgres([pg_ctl, "-D", str(data), "-m", "fast", "-w", "stop"]),
            capture_output=True,
            timeout=300,
        )
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def postgresql_db(postgresql_url):
    """A fresh database on the session's server for one test (dropped after it)."""
    import uuid

    from sqlalchemy import create_engine, text

    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgresql_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield postgresql_url.rsplit("/", 1)[0] + f"/{name}"
    from demozone.accounts import database

    database.engine(postgresql_url.rsplit("/", 1)[0] + f"/{name}").dispose()
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()
