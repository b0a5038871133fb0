"""A database at the schema before organisations (c17a0001), with users, roles and
applications, upgrades to head with them intact; global roles become platform-wide grants."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from alembic import command
from sqlalchemy import JSON, Boolean, DateTime, Float, Integer, MetaData, create_engine, text
from sqlalchemy.engine import Connection

from jiebang.cli.db import alembic_config


def _insert(conn: Connection, meta: MetaData, table: str, **values: Any) -> int:
    """Insert a row, filling every other required column with a plain value of its type."""
    found = meta.tables[table]
    row = dict(values)
    for column in found.columns:
        if column.name in row or column.nullable or column.primary_key:
            continue
        kind = column.type
        if isinstance(kind, DateTime):
            row[column.name] = datetime(2024, 1, 1, tzinfo=UTC)
        elif isinstance(kind, Boolean):
            row[column.name] = False
        elif isinstance(kind, Integer | Float):
            row[column.name] = 0
        elif isinstance(kind, JSON):
            row[column.name] = {}
        else:
            row[column.name] = f"{table}-{column.name}"[: getattr(kind, "length", None) or 64]
    result = conn.execute(found.insert().values(**row))
    return int(result.inserted_primary_key[0])


@pytest.mark.parametrize(
    "empty_database",
    ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
    indirect=True,
)
def test_users_roles_and_applications_survive(empty_database: str) -> None:
    config = alembic_config()
    command.upgrade(config, "c17a0001")
    engine = create_engine(empty_database)
    meta = MetaData()
    meta.reflect(engine)
    with engine.begin() as conn:
        users = {
            role: _insert(conn, meta, "user", email=f"{role}@example.org", role=role)
            for role in ("organiser", "judge", "participant")
        }
        contest = _insert(conn, meta, "contest", slug="c")
        team = _insert(
            conn,
            meta,
            "team",
            contest_id=contest,
            name="队",
            invite_code="abc",
            captain_id=users["participant"],
        )
        lst = _insert(conn, meta, "challenge_list", year=2024, status="published")
        item = _insert(
            conn,
            meta,
            "challenge_item",
            list_id=lst,
            code="AV-1",
            application_deadline=datetime(2030, 1, 1, tzinfo=UTC),
        )
        _insert(conn, meta, "challenge_target", item_id=item, metric="psnr", comparator=">=")
        obj = _insert(conn, meta, "stored_object", key="proposals/x", size=10)
        app = _insert(
            conn,
            meta,
            "application",
            item_id=item,
            team_id=team,
            applicant_id=users["participant"],
            proposal_object_id=obj,
            status="shortlisted",
            summary="原申请",
        )
    engine.dispose()

    command.upgrade(config, "head")
    engine = create_engine(empty_database)
    with engine.connect() as conn:
        grants = conn.execute(
            text("SELECT user_id, role, scope_kind, scope_id FROM role_grant ORDER BY user_id")
        ).all()
        assert [tuple(g) for g in grants] == [
            (users["organiser"], "organiser", "platform", 0),
            (users["judge"], "judge", "platform", 0),
        ]
        roles = dict(conn.execute(text('SELECT email, role FROM "user"')).all())
        assert roles == {
            "organiser@example.org": "organiser",
            "judge@example.org": "judge",
            "participant@example.org": "participant",
        }
        row = conn.execute(
            text(
                "SELECT team_id, status, summary, lead_name, applicant_org_id FROM application "
                "WHERE id = :id"
            ),
            {"id": app},
        ).one()
        assert tuple(row) == (team, "shortlisted", "原申请", "", None)
        assert conn.execute(text("SELECT timezone FROM challenge_list")).scalar() == "Asia/Shanghai"
    engine.dispose()
    command.check(config)
    command.downgrade(config, "c17a0001")  # and back, the application still there
    engine = create_engine(empty_database)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT summary FROM application")).scalar() == "原申请"
        assert conn.execute(text("SELECT metric FROM challenge_target")).scalar() == "psnr"
    engine.dispose()
