"""`demozone serve`: the web workspace (demozone.web) under uvicorn."""

from __future__ import annotations

import click

from demozone.cli.common import main_group, store_option


@main_group.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@store_option
@click.option(
    "--db",
    default=None,
    metavar="URL",
    help="Accounts database: a SQLAlchemy URL or a SQLite file (default: $DEMOZONE_DB, else "
    "accounts.sqlite inside the store directory).",
)
@click.option("--workers", default=1, show_default=True, type=click.IntRange(min=1))
def serve(host: str, port: int, store: str | None, db: str | None, workers: int) -> None:
    """Serve the web workspace (assessors, policy staff, auditors) in the browser."""
    raise click.ClickException("not yet")
