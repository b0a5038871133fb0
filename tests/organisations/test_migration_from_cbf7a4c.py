"""A database at cbf7a4c's schema (head then: 64442169e5de, leaderboards and judging) with
users, roles, a contest, a team and a 揭榜 application upgrades to head with them intact: the
global organiser and judge become platform-wide grants and still act on the contest, which
stays the platform's own (no organisation)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from alembic import command
from fastapi.testclient import TestClient
from sqlalchemy import MetaData, create_engine, text
from sqlmodel import Session

from jiebang.auth.models import User
from jiebang.cli.db import alembic_config
from jiebang.main import create_app
from jiebang.organisations.models import ScopedRole
from jiebang.organisations.permissions import may, roles_held, scopes_from_path

from .legacy_database import PASSWORD, PASSWORD_HASH, ROLES, seed_legacy_rows

ROOT = Path(__file__).resolve().parents[2]
CBF7A4C_HEAD = "64442169e5de"
SUMMARY = "二〇二三年的申请"


def test_the_revision_was_head_at_cbf7a4c() -> None:
    listed = subprocess.run(
        ["git", "ls-tree", "--name-only", "cbf7a4c", "backend/jiebang/migrations/versions/"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if listed.returncode != 0:
        pytest.skip("this checkout has no history back to cbf7a4c")
    names = [Path(p).name for p in listed.stdout.split()]
    assert sorted(names)[-1].split("_")[2] == CBF7A4C_HEAD


@pytest.mark.parametrize(
    "empty_database",
    [
        pytest.param("sqlite"),
        pytest.param("postgresql", marks=pytest.mark.postgres),
    ],
    indirect=True,
)
def test_cbf7a4c_database_upgrades_with_users_roles_and_applications(
    empty_database: str,
) -> None:
    config = alembic_config()
    command.upgrade(config, CBF7A4C_HEAD)
    engine = create_engine(empty_database)
    meta = MetaData()
    meta.reflect(engine)
    assert "organisation" not in meta.tables and "role_grant" not in meta.tables
    with engine.begin() as conn:
        seeded = seed_legacy_rows(conn, meta, application_status="awarded", summary=SUMMARY)
    users, contest, team = seeded.users, seeded.contest, seeded.team
    engine.dispose()

    command.upgrade(config, "head")
    engine = create_engine(empty_database)
    with engine.connect() as conn:
        people = conn.execute(
            text('SELECT id, email, display_name, role, password_hash FROM "user" ORDER BY id')
        ).all()
        assert [tuple(p) for p in people] == [
            (users[r], f"{r}@example.org", f"旧{r}", r, PASSWORD_HASH) for r in ROLES
        ]
        grants = conn.execute(
            text("SELECT user_id, role, scope_kind, scope_id FROM role_grant ORDER BY user_id")
        ).all()
        assert [tuple(g) for g in grants] == [
            (users["organiser"], "organiser", "platform", 0),
            (users["judge"], "judge", "platform", 0),
        ]
        row = conn.execute(
            text(
                "SELECT item_id, team_id, applicant_id, proposal_object_id, status, summary "
                "FROM application WHERE id = :id"
            ),
            {"id": seeded.application},
        ).one()
        assert tuple(row) == (
            seeded.item,
            team,
            users["participant"],
            seeded.proposal,
            "awarded",
            SUMMARY,
        )
        owned = conn.execute(text("SELECT slug, organisation_id FROM contest")).one()
        assert tuple(owned) == ("malanshan-2023", None)  # the platform's own, as before
        members = conn.execute(text("SELECT team_id, user_id FROM team_member")).all()
        assert [tuple(m) for m in members] == [(team, users["participant"])]
    # the old global roles act platform-wide on the old contest; the participant does not
    with Session(engine) as db:
        scopes = scopes_from_path(db, {"contest_id": contest})
        organiser, judge, participant = (db.get(User, users[r]) for r in users)
        assert organiser and judge and participant
        assert may(db, organiser, [ScopedRole.organiser], scopes)
        assert roles_held(db, judge, scopes) == {ScopedRole.judge}
        assert not may(db, participant, [ScopedRole.organiser, ScopedRole.judge], scopes)
    engine.dispose()
    # and through the API: the old organiser signs in with the old password and edits it
    with TestClient(create_app(), raise_server_exceptions=False) as client:
        signed_in = client.post(
            "/api/v1/auth/login", json={"email": "organiser@example.org", "password": PASSWORD}
        )
        assert signed_in.status_code == 200, signed_in.text
        headers = {"Authorization": f"Bearer {signed_in.json()['access_token']}"}
        edited = client.patch(
            f"/api/v1/contests/{contest}", json={"edition": "2023 重办"}, headers=headers
        )
        assert edited.status_code == 200, edited.text
        assert edited.json()["organisation_id"] is None
