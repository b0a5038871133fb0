"""c20b0001: a notice with one appointee (the old ``application_id``) upgrades to the same
notice with that one appointee, its reports and decision kept as that appointee's; the
downgrade puts the column back."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from alembic import command
from sqlalchemy import MetaData, create_engine, inspect, text

from jiebang.cli.db import alembic_config
from jiebang.db import get_engine
from tests.organisations.legacy_database import insert_row as _insert


@pytest.mark.parametrize(
    "empty_database",
    ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
    indirect=True,
)
def test_single_appointee_notice_survives(empty_database: str) -> None:
    config = alembic_config()
    command.upgrade(config, "c20a0001")
    engine = create_engine(empty_database)
    meta = MetaData()
    meta.reflect(engine)
    when = datetime(2026, 1, 5, tzinfo=UTC)
    with engine.begin() as conn:
        user = _insert(conn, meta, "user", email="lead@example.org", role="participant")
        lst = _insert(conn, meta, "challenge_list", year=2026, status="published")
        item = _insert(conn, meta, "challenge_item", list_id=lst, code="AV-1")
        obj = _insert(conn, meta, "stored_object", key="acceptance/x", size=10)
        app = _insert(
            conn,
            meta,
            "application",
            item_id=item,
            applicant_id=user,
            status="awarded",
            proposal_object_id=obj,
            commitment_object_id=obj,
        )
        notice = _insert(
            conn,
            meta,
            "appointment_notice",
            item_id=item,
            application_id=app,
            status="final",
            finalised_at=when,
        )
        milestone = _insert(
            conn, meta, "acceptance_milestone", item_id=item, due_date=date(2026, 6, 1)
        )
        report = _insert(
            conn,
            meta,
            "acceptance_report",
            milestone_id=milestone,
            document_object_id=obj,
            submitted_by=user,
        )
        _insert(
            conn,
            meta,
            "acceptance_decision",
            item_id=item,
            application_id=app,
            outcome="accepted",
            document_object_id=obj,
        )

    get_engine().dispose()  # a new process: fresh connections, references enforced on SQLite
    command.upgrade(config, "c20b0001")
    with engine.connect() as conn:
        links = conn.execute(
            text("SELECT notice_id, application_id, position FROM appointment_notice_appointee")
        ).all()
        assert [tuple(r) for r in links] == [(notice, app, 1)]
        reported = conn.execute(
            text("SELECT application_id FROM acceptance_report WHERE id = :id"), {"id": report}
        ).scalar_one()
        assert reported == app
        columns = {c["name"] for c in inspect(conn).get_columns("appointment_notice")}
        assert "application_id" not in columns
    # a second appointee's decision on the same item is allowed now
    with engine.begin() as conn:
        meta = MetaData()
        meta.reflect(conn)
        other = _insert(
            conn,
            meta,
            "application",
            item_id=item,
            applicant_id=user,
            status="awarded",
            proposal_object_id=obj,
            commitment_object_id=obj,
        )
        _insert(
            conn,
            meta,
            "appointment_notice_appointee",
            notice_id=notice,
            application_id=other,
            position=2,
        )
        _insert(
            conn,
            meta,
            "acceptance_decision",
            item_id=item,
            application_id=other,
            outcome="not_accepted",
            document_object_id=obj,
        )

    command.downgrade(config, "c20a0001")  # one appointee again: the first one's record stays
    with engine.connect() as conn:
        back = conn.execute(text("SELECT application_id FROM appointment_notice")).all()
        assert [tuple(r) for r in back] == [(app,)]
        decided = conn.execute(text("SELECT application_id FROM acceptance_decision")).all()
        assert [tuple(r) for r in decided] == [(app,)]
        assert conn.execute(text("SELECT COUNT(*) FROM acceptance_report")).scalar_one() == 1
    engine.dispose()
