"""c20c0001: lists created before keep counting Monday to Friday ("weekdays"), so nothing
announced shifts; lists created after get the official calendar ("cn"); notices before it
record no calendar and no warning. The downgrade drops the columns."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import MetaData, create_engine, inspect, text

from jiebang.cli.db import alembic_config
from tests.organisations.legacy_database import insert_row as _insert


@pytest.mark.parametrize(
    "empty_database",
    ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
    indirect=True,
)
def test_existing_lists_keep_weekdays(empty_database: str) -> None:
    config = alembic_config()
    command.upgrade(config, "c20b0001")
    engine = create_engine(empty_database)
    meta = MetaData()
    meta.reflect(engine)
    with engine.begin() as conn:
        lst = _insert(conn, meta, "challenge_list", year=2026, status="published")
        item = _insert(conn, meta, "challenge_item", list_id=lst, code="AV-1")
        notice = _insert(conn, meta, "appointment_notice", item_id=item, status="in_notice")
    command.upgrade(config, "c20c0001")
    with engine.begin() as conn:
        found = conn.execute(text("SELECT working_calendar FROM challenge_list")).scalar_one()
        assert found == "weekdays"
        row = conn.execute(
            text(
                "SELECT working_days, working_calendar, fallback_years FROM appointment_notice "
                "WHERE id = :id"
            ),
            {"id": notice},
        ).one()
        assert row[0] is None and row[1] is None
        assert row[2] in ([], "[]")
    columns = {c["name"]: c for c in inspect(engine).get_columns("challenge_list")}
    assert columns["working_calendar"]["default"] is None  # new lists take the model's "cn"
    command.downgrade(config, "c20b0001")
    assert "working_calendar" not in {
        c["name"] for c in inspect(engine).get_columns("challenge_list")
    }
    engine.dispose()
