"""Shared fixtures: every API test runs on SQLite and on the real PostgreSQL at 127.0.0.1."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

os.environ.setdefault("JIEBANG_ENVIRONMENT", "test")
os.environ.setdefault("JIEBANG_SECRET_KEY", "test-secret-" + "x" * 40)
# Cheap password hashing in tests only; production keeps the RFC 9106 parameters.
os.environ.setdefault("JIEBANG_ARGON2_TIME_COST", "1")
os.environ.setdefault("JIEBANG_ARGON2_MEMORY_KIB", "1024")
# Tests publish contests freely; tests/readiness switch the publish gate on themselves.
os.environ.setdefault("JIEBANG_READINESS_REQUIRED", "false")

import jiebang.models  # noqa: F401 - registers the tables
from jiebang.auth.ratelimit import reset_login_limits
from jiebang.config import get_settings
from jiebang.db import get_engine
from jiebang.storage.config import get_store

PG_SERVER = os.environ.get("JIEBANG_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432")


def _clear_caches() -> None:
    get_settings.cache_clear()
    get_engine.cache_clear()
    get_store.cache_clear()
    reset_login_limits()


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A throw-away database on the real PostgreSQL server, schema from the models."""
    name = f"jiebang_test_{uuid.uuid4().hex[:8]}"
    admin = create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = f"{PG_SERVER}/{name}"
    engine = create_engine(url)
    SQLModel.metadata.create_all(engine)
    engine.dispose()
    yield url
    for engine in _pg_engines.values():
        engine.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _truncate_all(url: str) -> None:
    engine = _pg_engine(url)
    with engine.begin() as conn:  # DELETE beats TRUNCATE on tables this small
        for table in reversed(SQLModel.metadata.sorted_tables):
            conn.execute(table.delete())


_pg_engines: dict[str, Engine] = {}


def _pg_engine(url: str) -> Engine:
    if url not in _pg_engines:
        _pg_engines[url] = create_engine(url)
    return _pg_engines[url]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'test.db'}"
        engine = create_engine(url)
        SQLModel.metadata.create_all(engine)
        engine.dispose()
        return url
    url = request.getfixturevalue("pg_database")
    _truncate_all(url)
    return url


@pytest.fixture
def platform_env(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """Point the platform's settings at this test's database and a fresh object store."""
    monkeypatch.setenv("JIEBANG_DATABASE_URL", database_url)
    monkeypatch.setenv("JIEBANG_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("JIEBANG_STORAGE_URL", "")
    monkeypatch.setenv("JIEBANG_FRONTEND_DIST", str(tmp_path / "no-frontend"))
    monkeypatch.setenv("JIEBANG_EMBEDDED_WORKERS", "0")  # tests drive workers themselves
    monkeypatch.setenv("JIEBANG_HOUSEKEEPING_SECONDS", "0")
    _clear_caches()
    yield
    get_engine().dispose()
    _clear_caches()


@pytest.fixture
def engine(platform_env: None) -> Engine:
    return get_engine()


@pytest.fixture
def db(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session
