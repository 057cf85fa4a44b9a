"""`demozone serve`: the web workspace (demozone.web) under uvicorn.

The settings travel to the app as environment variables (demozone.web.settings), so that with
--workers N every worker process builds the same app from the factory
`demozone.web.app:create_app`. demozone.web (and FastAPI with it) is imported only when the
verb runs: `demozone --help` stays light.
"""

from __future__ import annotations

import os

import click

from demozone.cli.common import (
    db_option,
    handles_user_errors,
    lang_option,
    main_group,
    store_option,
)


@main_group.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@store_option
@db_option
@click.option(
    "--workers", default=1, show_default=True, type=click.IntRange(min=1), help="Processes."
)
@click.option(
    "--demo",
    is_flag=True,
    help="Create one demo account per role if absent (passwords printed once), assign the "
    "example submissions to the demo assessor, then serve.",
)
@lang_option
@handles_user_errors
def serve(
    host: str, port: int, store: str | None, db: str | None, workers: int, demo: bool, lang: str
) -> None:
    """Serve the web workspace (assessors, policy staff, auditors) in the browser."""
    import uvicorn

    from demozone import api
    from demozone.web.demo import prepare_demo
    from demozone.web.settings import Settings

    settings = Settings(store=store or os.environ.get("DEMOZONE_STORE"), db=db)
    if workers > 1 and not (settings.store or "").lower().startswith(("http://", "https://")):
        # the embedded store is one process's at a time: workers would queue on its lock
        raise click.UsageError(
            "--workers N needs a store on a SPARQL server (--store http://...): the embedded "
            "store serves one process (多个进程需使用 SPARQL 服务器存储)"
        )
    os.environ.update(settings.environment())
    # the tables are made here once, not by several workers racing to make them
    api.list_users(db=db, store=settings.store)
    if demo:
        for line in prepare_demo(settings):
            click.echo(line)
    stop = "Ctrl+C stops" if lang == "en" else "按 Ctrl+C 停止"
    click.echo(f"demozone: http://{host}:{port}/  ({stop})", err=True)
    uvicorn.run("demozone.web.app:create_app", factory=True, host=host, port=port, workers=workers)
