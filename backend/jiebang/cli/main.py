"""The `jiebang` command."""

from __future__ import annotations

import typer

from jiebang.bundles.cli import app as bundle_app
from jiebang.cli import db as db_cli
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


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1"),
    port: int = typer.Option(8000),
    migrate: bool = typer.Option(True, help="Apply database migrations first."),
) -> None:
    """Run the API, the embedded worker and the built frontend."""
    import os

    import uvicorn

    # the embedded workers reach this same process over loopback
    os.environ.setdefault("JIEBANG_INTERNAL_API_URL", f"http://127.0.0.1:{port}")
    if migrate:
        db_cli.upgrade_to_head()
    # proxy_headers off: uvicorn would believe X-Forwarded-For from 127.0.0.1; the platform
    # reads it itself, only from JIEBANG_TRUSTED_PROXIES (auth.ratelimit.client_address)
    uvicorn.run(
        "jiebang.main:create_app",
        factory=True,
        host=host,
        port=port,
        log_level="info",
        proxy_headers=False,
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
