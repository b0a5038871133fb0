"""``/readyz``: can this instance serve? Database, storage and (with queue=celery) the broker."""

from __future__ import annotations

import os
import socket
from collections.abc import Callable

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from jiebang.config import get_settings
from jiebang.db import get_engine, utcnow
from jiebang.ops.models import ReadinessProbe
from jiebang.storage.config import get_store

BROKER_TIMEOUT_SECONDS = 2.0


INSTANCE = f"{socket.gethostname()}:{os.getpid()}"[:120]


def check_database() -> None:
    """Commit a one-row write: a read-only database or a full disk fails here, where a
    ``SELECT 1`` would still pass."""
    table = ReadinessProbe.__table__  # type: ignore[attr-defined]
    engine = get_engine()
    insert = pg_insert if engine.dialect.name == "postgresql" else sqlite_insert
    now = utcnow()
    with engine.begin() as conn:
        conn.execute(
            insert(table)
            .values(instance=INSTANCE, checked_at=now)
            .on_conflict_do_update(index_elements=["instance"], set_={"checked_at": now})
        )


def check_storage() -> None:
    """The store takes a small write (and, for a local folder, a flush to disk)."""
    get_store().ping()


def check_broker() -> None:
    from kombu import Connection

    with Connection(get_settings().broker_url, connect_timeout=BROKER_TIMEOUT_SECONDS) as conn:
        conn.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT_SECONDS)


def readiness() -> tuple[bool, dict[str, str]]:
    """(ready, check name -> "ok" or the error) for every dependency this instance uses."""
    checks: dict[str, Callable[[], None]] = {"database": check_database, "storage": check_storage}
    if get_settings().queue == "celery":
        checks["broker"] = check_broker
    results: dict[str, str] = {}
    for name, check in checks.items():
        try:
            check()
            results[name] = "ok"
        except Exception as exc:  # any failure means not ready; the message is for operators
            results[name] = f"{type(exc).__name__}: {str(exc)[:200]}"
    return all(value == "ok" for value in results.values()), results
