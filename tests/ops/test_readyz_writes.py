"""/readyz tries a real write: a full storage disk and a database that refuses writes are
reported, where permission bits and ``SELECT 1`` said "ok" (issue 12, item 3)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlmodel import SQLModel

from jiebang.config import get_settings
from jiebang.db import get_engine
from jiebang.storage.config import get_store

from ..conftest import PG_SERVER


@contextmanager
def small_filesystem(path: Path) -> Iterator[None]:
    """A 1 MiB tmpfs at ``path`` (skips where mounting is not allowed)."""
    path.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(path)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def fill(path: Path) -> None:
    """Write until the file system has no byte left."""
    with (path / "filler").open("wb") as out:
        try:
            while True:
                out.write(b"\0" * 65536)
                out.flush()
        except OSError:
            pass


def test_readyz_reports_a_full_storage_disk(
    client: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert client.get("/readyz").json()["checks"]["storage"] == "ok"
    objects = tmp_path / "full-objects"
    with small_filesystem(objects):
        monkeypatch.setenv("JIEBANG_STORAGE_URL", str(objects))
        get_settings.cache_clear()
        get_store.cache_clear()
        get_store()  # the store's folders exist before the disk fills up
        fill(objects)
        assert os.access(objects, os.W_OK)  # what the old check asked: it said ok
        response = client.get("/readyz")
        get_store.cache_clear()
    assert response.status_code == 503
    assert "No space left on device" in response.json()["checks"]["storage"]
    assert response.json()["checks"]["database"] == "ok"


def test_readyz_reports_a_database_that_refuses_writes(
    client: TestClient, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert client.get("/readyz").json()["checks"]["database"] == "ok"
    if database_url.startswith("sqlite"):
        folder = tmp_path / "ro-db"
        with small_filesystem(folder):
            url = f"sqlite:///{folder / 'jiebang.db'}"
            engine = create_engine(url)
            SQLModel.metadata.create_all(engine)
            engine.dispose()
            subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
            monkeypatch.setenv("JIEBANG_DATABASE_URL", url)
            get_settings.cache_clear()
            get_engine.cache_clear()
            response = client.get("/readyz")
            get_engine().dispose()
            get_engine.cache_clear()
    else:
        name = make_url(database_url).database
        admin = create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on'))
        try:
            get_engine().dispose()  # new connections read the setting
            with get_engine().connect() as conn:  # reading still works: SELECT 1 said ok
                assert conn.execute(text("SELECT 1")).scalar() == 1
            response = client.get("/readyz")
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'ALTER DATABASE "{name}" RESET default_transaction_read_only'))
            admin.dispose()
            get_engine().dispose()
    assert response.status_code == 503
    assert response.json()["checks"]["database"] != "ok"
    assert "read-only" in response.json()["checks"]["database"].replace("readonly", "read-only")
