"""Alembic environment: the URL and metadata come from Jiebang itself."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

import jiebang.models  # noqa: F401 - registers every table on the metadata
from jiebang.db import get_engine

config = context.config
target_metadata = SQLModel.metadata


def run_migrations_offline() -> None:
    context.configure(
        url=str(get_engine().url),
        target_metadata=target_metadata,
        literal_binds=True,
        compare_type=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _configure_and_run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        compare_type=True,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


def _check_references(connection: Connection) -> None:
    """Fail the run if SQLite rows point at rows that are gone (checked once, at the end)."""
    dangling = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if dangling:
        shown = ", ".join(
            f"{table}.rowid={rowid} -> {parent}" for table, rowid, parent, _ in dangling[:5]
        )
        raise RuntimeError(f"the migration left {len(dangling)} dangling reference(s): {shown}")


def run_migrations_online() -> None:
    given = config.attributes.get("connection")
    if given is not None:
        _configure_and_run(given)
        return
    with get_engine().connect() as connection:
        if connection.dialect.name != "sqlite":
            _configure_and_run(connection)
            connection.commit()
            return
        # SQLite alters a table by rebuilding it (batch mode): with references enforced,
        # dropping the old copy of a table other rows point at fails. Enforcement is off for
        # the run (the pragma is ignored inside a transaction, so it is set before one
        # begins) and the references are checked once at the end instead.
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        connection.commit()
        try:
            _configure_and_run(connection)
            _check_references(connection)
            connection.commit()
        finally:
            connection.rollback()
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
