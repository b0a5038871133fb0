"""The `jiebang` command."""

from __future__ import annotations

import typer

from jiebang.bundles.cli import app as bundle_app
from jiebang.cli import db as db_cli
from jiebang.cli import session
from jiebang.cli import users as users_cli
from jiebang.cli.submit import submit
from jiebang.cli.worker import worker
from jiebang.ops import cli as ops_cli
from jiebang.sandbox.cli import app as sandbox_app

app = typer.Typer(
    help="Jiebang: 揭榜挂帅 challenge lists and audio/video contests.", no_args_is_help=True
)
app.add_typer(db_cli.app, name="db")
app.add_typer(users_cli.app, name="user")
app.add_typer(bundle_app, name="bundle")
ops_cli.register(app)
app.add_typer(
    sandbox_app, name="sandbox", help="Sandbox status and the hostile-submission self-test."
)
app.command()(worker)
app.command()(submit)
app.command()(session.login)
app.command()(session.logout)
app.command()(session.tracks)


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1"),
    port: int = typer.Option(8000),
    migrate: bool = typer.Option(True, help="Apply database migrations first."),
    processes: int = typer.Option(
        1,
        min=1,
        max=64,
        help="API processes sharing the port (uvicorn workers). Above 1 they learn of each "
        "other's changes through PostgreSQL or Redis; one of them runs the embedded workers.",
    ),
) -> None:
    """Run the API, the embedded worker and the built frontend."""
    import os
    import resource

    import uvicorn

    from jiebang.config import get_settings

    settings = get_settings()
    sqlite = settings.resolved_database_url.startswith("sqlite")
    if processes > 1 and sqlite and not settings.redis_url:
        raise typer.BadParameter(
            "several processes on SQLite need JIEBANG_REDIS_URL for their change feed "
            "(or use PostgreSQL)",
            param_hint="--processes",
        )
    # every open event stream is a socket: allow as many as the system lets this user have
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    # the embedded workers reach this same process over loopback
    os.environ.setdefault("JIEBANG_INTERNAL_API_URL", f"http://127.0.0.1:{port}")
    get_settings.cache_clear()  # read above, before this address was set
    if migrate:
        db_cli.upgrade_to_head()
    uvicorn.run(
        "jiebang.main:create_app",
        factory=True,
        host=host,
        port=port,
        log_level="info",
        workers=processes if processes > 1 else None,
        # uvicorn would believe X-Forwarded-For from 127.0.0.1; the platform reads it itself,
        # only from JIEBANG_TRUSTED_PROXIES (auth.ratelimit.client_address)
        proxy_headers=False,
        # a busy machine can take longer than uvicorn's 5 s to start a worker: it would be
        # killed as hung and restarted, over and over
        timeout_worker_healthcheck=60,
    )


@app.command()
def demo() -> None:
    """Seed the demo data (idempotent)."""
    from jiebang.demo import seed

    db_cli.upgrade_to_head()
    for line in seed.run():
        typer.echo(line)


if __name__ == "__main__":
    app()
