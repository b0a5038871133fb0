"""Backups: every table as JSON lines plus the storage manifest, optionally the objects too.

The archive (``.tar.gz``) holds ``meta.json`` (alembic revision, time, table row counts),
``tables/<table>.jsonl`` and ``objects/<key>`` when ``include_objects`` is set. Restore goes
into a migrated, empty database; it refuses a revision mismatch and reports missing objects.
"""

from __future__ import annotations

import base64
import io
import json
import tarfile
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import LargeBinary, select, text
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

import jiebang.models  # noqa: F401 - registers every table
from jiebang.storage.backend import ObjectStore


def _encode(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return {"$base64": base64.b64encode(value).decode()}
    return value


def _add(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime = len(data), int(datetime.now(UTC).timestamp())
    tar.addfile(info, io.BytesIO(data))


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        try:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except Exception:
            return None


def backup(
    *, engine: Engine, store: ObjectStore, dest: Path, include_objects: bool
) -> dict[str, int]:
    """Write the backup archive; return rows per table."""
    counts: dict[str, int] = {}
    with tarfile.open(dest, "w:gz") as tar, engine.connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            rows = [dict(row._mapping) for row in conn.execute(select(table))]
            counts[table.name] = len(rows)
            lines = "".join(
                json.dumps({k: _encode(v) for k, v in r.items()}, ensure_ascii=False) + "\n"
                for r in rows
            )
            _add(tar, f"tables/{table.name}.jsonl", lines.encode())
            if table.name == "stored_object" and include_objects:
                for row in rows:
                    if store.exists(row["key"]):
                        _add(tar, f"objects/{row['key']}", b"".join(store.iter_chunks(row["key"])))
        meta = {
            "revision": current_revision(engine),
            "created_at": datetime.now(UTC).isoformat(),
            "rows": counts,
        }
        _add(tar, "meta.json", json.dumps(meta, indent=1).encode())
    return counts


def _python_type(column: Any) -> type | None:
    for kind in (column.type, getattr(column.type, "impl", None)):
        try:
            return kind.python_type if kind is not None else None
        except NotImplementedError:
            continue
    return None


def _decode(column: Any, value: Any) -> Any:
    if isinstance(value, dict) and "$base64" in value and isinstance(column.type, LargeBinary):
        return base64.b64decode(value["$base64"])
    if isinstance(value, str) and _python_type(column) in (datetime, date):
        parsed = datetime.fromisoformat(value)
        return parsed if _python_type(column) is datetime else parsed.date()
    return value


def restore(
    *, engine: Engine, store: ObjectStore, source: Path
) -> tuple[dict[str, int], list[str]]:
    """Load the archive into an empty, migrated database; return (rows per table, missing keys)."""
    with tarfile.open(source, "r:gz") as tar:
        meta = json.loads(_read(tar, "meta.json"))
        revision = current_revision(engine)
        if meta["revision"] != revision:
            raise ValueError(
                f"backup is at revision {meta['revision']}, the database at {revision}; "
                "migrate first"
            )
        counts: dict[str, int] = {}
        with engine.begin() as conn:
            for table in SQLModel.metadata.sorted_tables:
                if conn.execute(select(table).limit(1)).first() is not None:
                    raise ValueError(
                        f"table {table.name} is not empty; restore needs an empty database"
                    )
            for table in SQLModel.metadata.sorted_tables:
                raw = _read(tar, f"tables/{table.name}.jsonl").decode()
                rows = [json.loads(line) for line in raw.splitlines() if line]
                rows = [
                    {k: _decode(table.c[k], v) for k, v in row.items() if k in table.c}
                    for row in rows
                ]
                if rows:
                    conn.execute(table.insert(), rows)
                counts[table.name] = len(rows)
            if engine.dialect.name == "postgresql":
                _reset_sequences(conn)
        missing = []
        names = set(tar.getnames())
        for line in _read(tar, "tables/stored_object.jsonl").decode().splitlines():
            key = json.loads(line)["key"]
            if f"objects/{key}" in names and not store.exists(key):
                member = tar.extractfile(f"objects/{key}")
                assert member is not None
                store.put_stream(key, member)  # type: ignore[arg-type]
            if not store.exists(key):
                missing.append(key)
    return counts, missing


def _read(tar: tarfile.TarFile, name: str) -> bytes:
    member = tar.extractfile(name)
    if member is None:
        raise ValueError(f"{name} missing from the backup")
    return member.read()


def _reset_sequences(conn: Any) -> None:
    for table in SQLModel.metadata.sorted_tables:
        if (
            "id" in table.c
            and table.c["id"].autoincrement is not False
            and table.c["id"].primary_key
        ):
            conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "  # noqa: S608 - names from our metadata
                    f'COALESCE((SELECT MAX(id) FROM "{table.name}"), 0) + 1, false) '
                    f"WHERE pg_get_serial_sequence('\"{table.name}\"', 'id') IS NOT NULL"
                )
            )
