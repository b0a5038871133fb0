"""``jiebang sandbox ...`` commands (mounted on the main CLI by the cli package)."""

from __future__ import annotations

import typer

from jiebang.sandbox.selftest import format_table, run_selftest
from jiebang.sandbox.status import sandbox_status

app = typer.Typer(help="Sandbox tools / 沙箱工具", no_args_is_help=True)


@app.command()
def selftest() -> None:
    """Run hostile programs in the sandbox; exit 1 if any was not contained."""
    status = sandbox_status()
    typer.echo(
        f"mechanism: {status.mechanism}  cgroup: {status.cgroup}  bwrap: {status.bwrap_version}"
    )
    for warning in status.warnings:
        typer.echo(f"warning: {warning}")
    outcomes = run_selftest()
    typer.echo(format_table(outcomes))
    failed = [outcome.name for outcome in outcomes if not outcome.contained]
    if failed:
        typer.echo(f"NOT contained: {', '.join(failed)}", err=True)
        raise typer.Exit(code=1)


@app.command()
def status() -> None:
    """Show which isolation mechanism this machine uses."""
    current = sandbox_status()
    typer.echo(f"mechanism: {current.mechanism} (isolated: {current.isolated})")
    typer.echo(
        f"bwrap: {current.bwrap_version}  cgroup: {current.cgroup}  uid: {current.sandbox_uid}"
    )
    for warning in current.warnings:
        typer.echo(f"warning: {warning}")
