"""`jiebang db …`: schema migrations."""

from __future__ import annotations

from pathlib import Path

import typer
from alembic import command
from alembic.config import Config

import jiebang.migrations

app = typer.Typer(help="Database schema migrations.", no_args_is_help=True)


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(Path(jiebang.migrations.__file__).parent))
    return config


def upgrade_to_head() -> None:
    command.upgrade(alembic_config(), "head")


@app.command()
def upgrade(revision: str = typer.Argument("head")) -> None:
    """Apply migrations up to REVISION (default: head)."""
    command.upgrade(alembic_config(), revision)


@app.command()
def downgrade(revision: str = typer.Argument(..., help="Target revision, or 'base'.")) -> None:
    """Revert migrations down to REVISION."""
    command.downgrade(alembic_config(), revision)


@app.command()
def check() -> None:
    """Fail if the models and the migrations disagree."""
    command.check(alembic_config())
