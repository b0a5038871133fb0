"""Migrations against an empty real PostgreSQL (and SQLite): upgrade, no drift, downgrade."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect, text

from jiebang.cli.db import alembic_config
from jiebang.config import get_settings
from jiebang.db import get_engine

from ..conftest import PG_SERVER

VERSIONS = Path(__file__).resolve().parents[2] / "backend" / "jiebang" / "migrations" / "versions"


@pytest.fixture
def empty_database(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    backend = request.param
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'migrate.db'}"
        admin = None
    else:
        name = f"jiebang_migrate_{uuid.uuid4().hex[:8]}"
        admin = create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = f"{PG_SERVER}/{name}"
    monkeypatch.setenv("JIEBANG_DATABASE_URL", url)
    get_settings.cache_clear()
    get_engine.cache_clear()
    yield url
    get_engine().dispose()
    get_settings.cache_clear()
    get_engine.cache_clear()
    if admin is not None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)'))
        admin.dispose()


@pytest.mark.parametrize(
    "empty_database",
    ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
    indirect=True,
)
def test_upgrade_check_downgrade(empty_database: str) -> None:
    config = alembic_config()
    command.upgrade(config, "head")
    command.check(config)  # raises if the models and the migrations disagree
    tables = set(inspect(create_engine(empty_database)).get_table_names())
    assert {"user", "contest", "track", "phase", "challenge_item", "application"} <= tables
    command.downgrade(config, "base")
    assert set(inspect(create_engine(empty_database)).get_table_names()) <= {"alembic_version"}
    command.upgrade(config, "head")  # and back up again: every step is reversible


def test_migration_files_are_dated_and_reversible() -> None:
    files = sorted(VERSIONS.glob("*.py"))
    assert files
    for path in files:
        assert re.match(r"^\d{8}_\d{4}_[0-9a-f]+_\w+\.py$", path.name), path.name
        source = path.read_text()
        body = source.split("def downgrade() -> None:", 1)[1]
        assert body.strip() != "pass", f"{path.name} has an empty downgrade"
