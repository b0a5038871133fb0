"""Seeding a database at a schema from before organisations (c17a0001, or cbf7a4c's head) with
plain inserts, since today's models no longer fit it: a user of each global role, a contest
with a team, and a 揭榜 application with its proposal."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Float, Integer, MetaData
from sqlalchemy.engine import Connection

from jiebang.auth.security import hash_password

ROLES = ("organiser", "judge", "participant")
PASSWORD = "correct horse battery"
PASSWORD_HASH = hash_password(PASSWORD)


def insert_row(conn: Connection, meta: MetaData, table: str, **values: Any) -> int:
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


@dataclass(frozen=True)
class LegacyRows:
    """The ids of what :func:`seed_legacy_rows` inserted."""

    users: dict[str, int]  # role -> id; e-mail "<role>@example.org", name "旧<role>"
    contest: int  # slug "malanshan-2023", no organisation column yet
    team: int  # captained by the participant, its only member
    item: int
    proposal: int
    application: int  # the participant's team's, with the status and summary given


def seed_legacy_rows(
    conn: Connection, meta: MetaData, *, application_status: str, summary: str
) -> LegacyRows:
    """Users of each role (password :data:`PASSWORD`), a contest, a team, an application."""
    users = {
        role: insert_row(
            conn,
            meta,
            "user",
            email=f"{role}@example.org",
            display_name=f"旧{role}",
            locale="zh-CN",
            is_active=True,
            role=role,
            password_hash=PASSWORD_HASH,
        )
        for role in ROLES
    }
    contest = insert_row(
        conn,
        meta,
        "contest",
        slug="malanshan-2023",
        title_zh="马栏山杯",
        title_en="Malanshan Cup",
        edition="2023",
        year=2023,
        timezone="Asia/Shanghai",
        team_size_limit=5,
        status="published",
    )
    team = insert_row(
        conn,
        meta,
        "team",
        contest_id=contest,
        name="老队",
        invite_code="old-code",
        captain_id=users["participant"],
    )
    insert_row(
        conn, meta, "team_member", team_id=team, contest_id=contest, user_id=users["participant"]
    )
    lst = insert_row(conn, meta, "challenge_list", year=2023, status="published")
    item = insert_row(
        conn,
        meta,
        "challenge_item",
        list_id=lst,
        code="AV-2023-1",
        application_deadline=datetime(2023, 9, 1, tzinfo=UTC),
    )
    proposal = insert_row(conn, meta, "stored_object", key="proposals/2023", size=42)
    application = insert_row(
        conn,
        meta,
        "application",
        item_id=item,
        team_id=team,
        applicant_id=users["participant"],
        proposal_object_id=proposal,
        status=application_status,
        summary=summary,
    )
    return LegacyRows(users, contest, team, item, proposal, application)
