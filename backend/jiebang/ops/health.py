"""``/readyz``: can this instance serve? Database, storage and (with queue=celery) the broker."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import text

from jiebang.config import get_settings
from jiebang.db import get_engine
from jiebang.storage.config import get_store

BROKER_TIMEOUT_SECONDS = 2.0


def check_database() -> None:
    with get_engine().connect() as conn:
        conn.execute(text("SELECT 1"))


def check_storage() -> None:
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
