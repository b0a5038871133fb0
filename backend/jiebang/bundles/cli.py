"""`jiebang bundle validate | import | export | schema`."""

from __future__ import annotations

from pathlib import Path

import typer
from sqlmodel import Session

from jiebang.bundles.exporter import export_bundle
from jiebang.bundles.importer import import_bundle
from jiebang.bundles.schema import schema_text
from jiebang.bundles.validate import load_bundle
from jiebang.db import get_engine
from jiebang.storage.config import get_store

app = typer.Typer(
    help="Challenge bundles: YAML challenge lists and contests with their data.",
    no_args_is_help=True,
)


@app.command()
def validate(directory: Path) -> None:
    """List every problem (file:line: key: message); exit 1 if there is any."""
    bundle = load_bundle(directory)
    for problem in bundle.problems:
        typer.echo(str(problem))
    if not bundle.ok:
        typer.echo(
            f"{len(bundle.problems)} problem(s) / 发现 {len(bundle.problems)} 个问题", err=True
        )
        raise typer.Exit(1)
    typer.echo("bundle is valid / 数据包有效")


@app.command(name="import")
def import_(directory: Path) -> None:
    """Create or update what the bundle describes; importing twice changes nothing."""
    from jiebang.cli.db import upgrade_to_head

    bundle = load_bundle(directory)
    if not bundle.ok:
        for problem in bundle.problems:
            typer.echo(str(problem), err=True)
        raise typer.Exit(1)
    upgrade_to_head()
    with Session(get_engine(), expire_on_commit=False) as db:
        changes = import_bundle(db=db, store=get_store(), bundle=bundle, owner_id=None)
    for line in changes:
        typer.echo(line)
    typer.echo(
        f"{len(changes)} change(s) / {len(changes)} 处变更"
        if changes
        else "nothing changed / 无变更"
    )


@app.command()
def export(contest_slug: str, directory: Path) -> None:
    """Write the contest, its challenge list and its data as a bundle."""
    with Session(get_engine()) as db:
        written = export_bundle(db=db, store=get_store(), contest_slug=contest_slug, dest=directory)
    for path in written:
        typer.echo(f"wrote {path}")


@app.command()
def schema() -> None:
    """Print the JSON Schema of bundle files (docs/bundle.schema.json)."""
    typer.echo(schema_text(), nl=False)
