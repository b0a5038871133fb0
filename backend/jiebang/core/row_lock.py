"""One row held until the transaction ends, on both databases, read back as it is now.

PostgreSQL row-locks it (``SELECT … FOR UPDATE``: a second transaction waits for the first's
commit, then reads what it left). SQLite has no row locks; an empty write (``UPDATE … WHERE
0``) takes the database's write lock instead. That relies on the driver's default transaction
handling (BEGIN right before the first write, reads before it outside any transaction), so
call it before the transaction writes anything else, and commit or roll back soon.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import false, update
from sqlmodel import Session, SQLModel, select

T = TypeVar("T", bound=SQLModel)

# set in a session's info while it holds SQLite's write lock: a helper that would open a
# second connection to write (and wait on this one) must stay in this session instead
SQLITE_WRITE_LOCK = "sqlite_write_lock_held"


def hold(db: Session, model: type[T], row_id: Any) -> T | None:
    """Lock ``model``'s row ``row_id`` for this transaction and return its current state
    (None when it is gone)."""
    table = model.__table__  # type: ignore[attr-defined]
    key = next(iter(table.primary_key.columns))
    if db.get_bind().dialect.name == "sqlite":
        db.execute(update(table).where(false()).values({key.name: key}))
        db.info[SQLITE_WRITE_LOCK] = True
        query = select(model).where(key == row_id)
    else:
        query = select(model).where(key == row_id).with_for_update()
    return db.exec(query.execution_options(populate_existing=True)).first()
