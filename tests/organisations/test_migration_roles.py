"""A database at the schema before organisations (c17a0001), with users, roles and
applications, upgrades to head with them intact; global roles become platform-wide grants."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import MetaData, create_engine, text

from jiebang.cli.db import alembic_config

from .legacy_database import insert_row, seed_legacy_rows


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
        seeded = seed_legacy_rows(conn, meta, application_status="shortlisted", summary="原申请")
        insert_row(
            conn, meta, "challenge_target", item_id=seeded.item, metric="psnr", comparator=">="
        )
    engine.dispose()

    command.upgrade(config, "head")
    engine = create_engine(empty_database)
    with engine.connect() as conn:
        grants = conn.execute(
            text("SELECT user_id, role, scope_kind, scope_id FROM role_grant ORDER BY user_id")
        ).all()
        assert [tuple(g) for g in grants] == [
            (seeded.users["organiser"], "organiser", "platform", 0),
            (seeded.users["judge"], "judge", "platform", 0),
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
            {"id": seeded.application},
        ).one()
        assert tuple(row) == (seeded.team, "shortlisted", "原申请", "", None)
        assert conn.execute(text("SELECT timezone FROM challenge_list")).scalar() == "Asia/Shanghai"
    engine.dispose()
    command.check(config)
    command.downgrade(config, "c17a0001")  # and back, the application still there
    engine = create_engine(empty_database)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT summary FROM application")).scalar() == "原申请"
        assert conn.execute(text("SELECT metric FROM challenge_target")).scalar() == "psnr"
    engine.dispose()
