"""`jiebang backup`, `jiebang restore` and `jiebang config-reference`."""

from __future__ import annotations

from pathlib import Path

import typer


def backup(
    archive: Path = typer.Argument(..., help="Where to write the .tar.gz"),
    objects: bool = typer.Option(
        False, "--objects", help="Also copy every stored object into the archive."
    ),
) -> None:
    """Back up every table and the storage manifest (and with --objects, the objects)."""
    from jiebang.db import get_engine
    from jiebang.ops.backup import backup as run_backup
    from jiebang.storage.config import get_store

    counts = run_backup(
        engine=get_engine(), store=get_store(), dest=archive, include_objects=objects
    )
    typer.echo(f"wrote {archive}: {sum(counts.values())} rows in {len(counts)} tables / 已备份")


def restore(
    archive: Path = typer.Argument(..., exists=True, help="A backup written by `jiebang backup`"),
) -> None:
    """Restore a backup into an empty database (migrated to the backup's revision)."""
    from jiebang.cli.db import upgrade_to_head
    from jiebang.db import get_engine
    from jiebang.ops.backup import restore as run_restore
    from jiebang.storage.config import get_store

    upgrade_to_head()
    try:
        counts, missing = run_restore(engine=get_engine(), store=get_store(), source=archive)
    except ValueError as exc:
        typer.echo(f"restore refused / 拒绝恢复: {exc}", err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"restored {sum(counts.values())} rows in {len(counts)} tables / 已恢复")
    for key in missing:
        typer.echo(f"missing object / 缺少对象: {key}", err=True)
    if missing:
        raise typer.Exit(2)


def config_reference(
    output: Path | None = typer.Option(None, help="Write to this file instead of stdout."),
) -> None:
    """Print the configuration reference (markdown) generated from the settings classes."""
    from jiebang.ops.configref import reference_markdown

    text = reference_markdown()
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")


def register(app: typer.Typer) -> None:
    app.command()(backup)
    app.command()(restore)
    app.command(name="config-reference")(config_reference)
