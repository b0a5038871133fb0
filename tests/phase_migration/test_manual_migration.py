# ruff: noqa: F811  (the board fixtures imported below are requested by name)
"""The organiser's migrate button: the previous phase's ranked submissions copied into a phase
on request. Only the contest's organisers may press it; a submission is never copied into a
phase twice (by this button or by the automatic migration); every run is in the audit log."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from jiebang.auth.models import Role
from jiebang.evaluation.models import EvaluationJob
from jiebang.organisations.models import RoleGrant, ScopedRole, ScopeKind
from jiebang.phase_migration import service as migration
from jiebang.phase_migration.models import PhaseMigration
from jiebang.submissions.models import Submission, SubmissionStatus

from ..leaderboards.conftest import client, fixture_evaluators, fresh_board_cache  # noqa: F401
from ..leaderboards.helpers import T0, Board, add_submission, constructed_board

Headers = dict[str, str]


def _next_phase(client: TestClient, organiser: Headers, track_id: int) -> int:
    now = datetime.now(UTC)
    created = client.post(
        f"/api/v1/tracks/{track_id}/phases",
        json={
            "slug": "final",
            "title_zh": "决赛",
            "title_en": "Final",
            "starts_at": (now + timedelta(days=11)).isoformat(),
            "ends_at": (now + timedelta(days=20)).isoformat(),
        },
        headers=organiser,
    )
    assert created.status_code == 201, created.text
    return int(created.json()["id"])


def _user_id(client: TestClient, headers: Headers) -> int:
    return int(client.get("/api/v1/auth/me", headers=headers).json()["id"])


def _grant(db: Session, user_id: int, scope_kind: ScopeKind, scope_id: int) -> None:
    db.add(
        RoleGrant(
            user_id=user_id, role=ScopedRole.organiser, scope_kind=scope_kind, scope_id=scope_id
        )
    )
    db.commit()


def _setup(
    client: TestClient, db: Session, organiser: Headers, make_user: Callable[..., Headers]
) -> tuple[Board, int]:
    b = constructed_board(client, db, organiser, make_user)
    return b, _next_phase(client, organiser, b.ids["track"])


def _copies(db: Session, phase_id: int) -> list[Submission]:
    db.expire_all()
    return list(db.exec(select(Submission).where(Submission.phase_id == phase_id)))


def test_only_the_contests_organisers_may_migrate(
    client: TestClient, db: Session, organiser: Headers, make_user: Callable[..., Headers]
) -> None:
    b, final = _setup(client, db, organiser, make_user)
    other = client.post(
        "/api/v1/contests",
        json={"slug": "other", "title_zh": "另", "title_en": "Other", "edition": "1", "year": 2024},
        headers=organiser,
    )
    assert other.status_code == 201, other.text
    elsewhere, here = make_user(), make_user()
    _grant(db, _user_id(client, elsewhere), ScopeKind.contest, other.json()["id"])
    _grant(db, _user_id(client, here), ScopeKind.contest, b.ids["contest"])

    refused = {
        "anonymous": {},
        "team member": b.headers["alpha"],
        "judge": make_user(Role.judge),
        "another contest's organiser": elsewhere,
    }
    for who, headers in refused.items():
        read = client.get(f"/api/v1/phases/{final}/migration", headers=headers)
        ran = client.post(f"/api/v1/phases/{final}/migration", headers=headers)
        expected = 401 if not headers else 403
        assert (read.status_code, ran.status_code) == (expected, expected), who
    assert _copies(db, final) == []

    preview = client.get(f"/api/v1/phases/{final}/migration", headers=here)
    assert preview.status_code == 200, preview.text
    ran = client.post(f"/api/v1/phases/{final}/migration", headers=here)
    assert ran.status_code == 200, ran.text
    assert len(ran.json()["migrated"]) == 3
    assert client.get("/api/v1/phases/999999/migration", headers=organiser).status_code == 404


def test_a_second_press_migrates_nothing_twice_and_every_run_is_audited(
    client: TestClient, db: Session, organiser: Headers, make_user: Callable[..., Headers]
) -> None:
    b, final = _setup(client, db, organiser, make_user)
    dev = b.ids["phase"]
    preview = client.get(f"/api/v1/phases/{final}/migration", headers=organiser).json()
    assert preview | {"migrated_at": None} == {
        "phase_id": final,
        "source_phase_id": dev,
        "source_title_zh": "开发",
        "source_title_en": "Dev",
        "automatic": False,
        "migrated_at": None,
        "pending": 3,
        "already_migrated": 0,
    }

    first = client.post(f"/api/v1/phases/{final}/migration", headers=organiser)
    assert first.status_code == 200, first.text
    assert first.json()["already_migrated"] == 0 and first.json()["source_phase_id"] == dev
    copies = _copies(db, final)
    assert sorted(c.id for c in copies) == sorted(first.json()["migrated"])
    assert {c.team_id for c in copies} == set(b.teams.values())
    assert all(c.status == SubmissionStatus.queued and c.charged is False for c in copies)
    assert {migration.origin_of(db=db, submission_id=c.id or 0) for c in copies} == set(
        b.subs.values()
    )
    jobs = db.exec(
        select(EvaluationJob).where(col(EvaluationJob.submission_id).in_([c.id for c in copies]))
    ).all()
    assert sorted(j.purpose for j in jobs) == ["migration"] * 3

    again = client.post(f"/api/v1/phases/{final}/migration", headers=organiser)
    assert again.status_code == 200, again.text
    assert again.json()["migrated"] == [] and again.json()["already_migrated"] == 3
    assert len(_copies(db, final)) == 3
    assert client.get(f"/api/v1/phases/{final}/migration", headers=organiser).json()["pending"] == 0

    # a team's better submission now ranks on the source: only that one is new
    newer = add_submission(
        db,
        phase_id=dev,
        team_id=b.teams["alpha"],
        public=0.05,
        private=0.01,
        at=T0 + timedelta(hours=5),
    )
    assert client.get(f"/api/v1/phases/{final}/migration", headers=organiser).json()["pending"] == 1
    third = client.post(f"/api/v1/phases/{final}/migration", headers=organiser).json()
    assert len(third["migrated"]) == 1 and third["already_migrated"] == 3
    assert migration.origin_of(db=db, submission_id=third["migrated"][0]) == newer

    audit = client.get("/api/v1/judge/audit", params={"phase_id": final}, headers=organiser)
    assert audit.status_code == 200, audit.text
    runs = [a for a in audit.json() if a["action"] == "phase.migrate"]
    assert len(runs) == 3  # newest first
    me = _user_id(client, organiser)
    assert all(r["actor_id"] == me and r["phase_id"] == final for r in runs)
    assert [len(r["details"]["copies"]) for r in runs] == [1, 0, 3]
    assert runs[0]["details"] == {
        "source_phase_id": dev,
        "copies": {str(third["migrated"][0]): newer},
        "already_migrated": 3,
    }


def test_the_first_phase_has_nothing_to_migrate_from(
    client: TestClient, db: Session, organiser: Headers, make_user: Callable[..., Headers]
) -> None:
    b, _ = _setup(client, db, organiser, make_user)
    dev = b.ids["phase"]
    preview = client.get(f"/api/v1/phases/{dev}/migration", headers=organiser).json()
    assert preview["source_phase_id"] is None and preview["pending"] == 0
    refused = client.post(f"/api/v1/phases/{dev}/migration", headers=organiser)
    assert refused.status_code == 409, refused.text
    assert refused.json() == {"detail": "该阶段之前没有可迁移提交的阶段", "code": "no_source_phase"}
    audit = client.get("/api/v1/judge/audit", params={"phase_id": dev}, headers=organiser)
    assert "phase.migrate" not in {a["action"] for a in audit.json()}


def test_the_button_and_the_automatic_migration_share_their_copies(
    client: TestClient, db: Session, organiser: Headers, make_user: Callable[..., Headers]
) -> None:
    b, final = _setup(client, db, organiser, make_user)
    assert migration.configure(db=db, phase_id=final, source_phase_id=b.ids["phase"])
    db.commit()
    preview = client.get(f"/api/v1/phases/{final}/migration", headers=organiser).json()
    assert preview["automatic"] is True and preview["migrated_at"] is None
    assert preview["pending"] == 3

    # the automatic run comes first, when the phase opens; the button then finds nothing new
    opened = datetime.now(UTC) + timedelta(days=12)
    assert len(migration.run_due(db=db, now=opened)[final]) == 3
    pressed = client.post(f"/api/v1/phases/{final}/migration", headers=organiser).json()
    assert pressed["migrated"] == [] and pressed["already_migrated"] == 3
    assert len(_copies(db, final)) == 3
    row = db.get(PhaseMigration, final)
    assert row is not None
    db.refresh(row)
    assert row.migrated_count == 3 and row.migrated_at is not None


def test_pressing_the_button_first_leaves_the_automatic_run_nothing_to_do(
    client: TestClient, db: Session, organiser: Headers, make_user: Callable[..., Headers]
) -> None:
    b, final = _setup(client, db, organiser, make_user)
    assert migration.configure(db=db, phase_id=final, source_phase_id=b.ids["phase"])
    db.commit()
    pressed = client.post(f"/api/v1/phases/{final}/migration", headers=organiser)
    assert pressed.status_code == 200 and len(pressed.json()["migrated"]) == 3
    assert migration.run_due(db=db, now=datetime.now(UTC) + timedelta(days=12)) == {}
    assert len(_copies(db, final)) == 3
