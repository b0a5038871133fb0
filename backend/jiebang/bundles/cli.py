"""`jiebang bundle validate | import | export | schema`."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer
from sqlmodel import Session

from jiebang.bundles import formats
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
    """List every problem (file:line: key: message); exit 1 if there is any.

    A Codabench bundle (competition.yaml, folder or zip) is checked too."""
    with _unpacked(directory) as (folder, work):
        problems = formats.validate(folder, work)
    for problem in problems:
        typer.echo(str(problem))
    if problems:
        typer.echo(f"{len(problems)} problem(s) / 发现 {len(problems)} 个问题", err=True)
        raise typer.Exit(1)
    typer.echo("bundle is valid / 数据包有效")


@contextmanager
def _unpacked(path: Path) -> Iterator[tuple[Path, Path]]:
    """(bundle folder, scratch folder): a zip or tar is unpacked under the bundle policy."""
    from jiebang.bundles.router import bundle_policy
    from jiebang.submissions.archives import ArchiveRejected

    with tempfile.TemporaryDirectory(prefix="jiebang-bundle-") as scratch:
        work = Path(scratch)
        if path.is_file():
            try:
                bundle_policy().extract(path, work / "bundle", filename=path.name)
            except ArchiveRejected as exc:
                typer.echo(f"{path.name}: {exc}", err=True)
                raise typer.Exit(1) from exc
            path = work / "bundle"
        yield path, work


def _import_codabench(folder: Path, work: Path) -> None:
    from jiebang.artifacts.service import publish_bundle_programs
    from jiebang.cli.db import upgrade_to_head

    upgrade_to_head()
    store = get_store()
    with Session(get_engine(), expire_on_commit=False) as db:

        def publish(root: Path) -> None:
            publish_bundle_programs(db=db, store=store, root=root, user=None)
            db.commit()

        problems, changes = formats.import_path(
            db=db, store=store, path=folder, work=work, user=None, publish=publish
        )
    for problem in problems:
        typer.echo(str(problem), err=True)
    if problems:
        raise typer.Exit(1)
    for line in changes:
        typer.echo(line)


@app.command(name="import")
def import_(directory: Path) -> None:
    """Create or update what the bundle describes; importing twice changes nothing.

    A Codabench bundle (v2 or v1.5; a folder or a zip) is converted on the way in."""
    from jiebang.cli.db import upgrade_to_head

    if directory.is_file() or formats.detect(directory) == "codabench":
        with _unpacked(directory) as (folder, work):
            _import_codabench(folder, work)
        return
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
def export(
    contest_slug: str,
    directory: Path,
    format: str = typer.Option("jiebang", help="jiebang | codabench"),
) -> None:
    """Write the contest, its challenge list and its data as a bundle."""
    if format == "codabench":
        from jiebang.bundles.formats.codabench_export import export_codabench

        with Session(get_engine()) as db:
            written = export_codabench(
                db=db, store=get_store(), contest_slug=contest_slug, dest=directory
            )
        for path in written:
            typer.echo(f"wrote {path}")
        return
    with Session(get_engine()) as db:
        written = export_bundle(db=db, store=get_store(), contest_slug=contest_slug, dest=directory)
    for path in written:
        typer.echo(f"wrote {path}")


@app.command()
def schema() -> None:
    """Print the JSON Schema of bundle files (docs/bundle.schema.json)."""
    typer.echo(schema_text(), nl=False)
