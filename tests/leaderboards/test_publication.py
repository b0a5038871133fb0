"""Publication: immutable versions, exports, re-score as a new version with a diff, hall of fame."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from jiebang.core.errors import DomainError
from jiebang.judging.models import AuditLog
from jiebang.leaderboards import publication

from .helpers import add_score, board, constructed_board, end_phase, order


def test_publish_versions_exports_and_rescore_diff(
    client: TestClient,
    db: Session,
    organiser: dict[str, str],
    make_user: Callable[..., dict[str, str]],
) -> None:
    b = constructed_board(client, db, organiser, make_user)
    phase = b.ids["phase"]
    early = client.post(f"/api/v1/phases/{phase}/publish", headers=organiser)
    assert early.status_code == 409 and early.json()["code"] == "phase_not_ended"
    end_phase(client, organiser, phase)
    first = client.post(f"/api/v1/phases/{phase}/publish", headers=organiser)
    assert first.status_code == 200, first.text
    v1 = first.json()
    assert v1["version"] == 1
    starts = client.get(f"/api/v1/phases/{phase}", headers=organiser).json()["starts_at"]
    moved = client.patch(
        f"/api/v1/phases/{phase}",
        json={"freeze_at": starts, "title_en": "Final"},
        headers=organiser,
    )
    detail = client.get(f"/api/v1/phases/{phase}", headers=organiser).json()
    assert moved.status_code == 409 and moved.json()["code"] == "phase_published", moved.text
    assert detail["title_en"] != "Final"  # refused as a whole
    retitled = client.patch(
        f"/api/v1/phases/{phase}", json={"title_en": "Final"}, headers=organiser
    )
    assert retitled.status_code == 200 and retitled.json()["title_en"] == "Final"
    assert [r["team_id"] for r in v1["board"]["rows"]] == [
        b.teams[n] for n in ("beta", "gamma", "alpha")
    ]
    assert [r["award_en"] for r in v1["board"]["rows"]] == [
        "First prize",
        "Second prize",
        "Third prize",
    ]
    assert v1["board"]["rows"][0]["members"][0]["display_name"]
    assert {d["change"] for d in v1["diff"]} == {"added"}

    # Now participants see the private board (the published version) and the flags.
    private = board(client, phase, b.headers["alpha"], split="private")
    assert private["published"] is True and private["version"] == 1
    assert order(private, b.teams) == ["beta", "gamma", "alpha"]
    assert private["rows"][0]["scores"] == {"mae": 0.2246}

    # Publishing unchanged results returns the same version.
    again = client.post(f"/api/v1/phases/{phase}/publish", headers=organiser)
    assert again.status_code == 200 and again.json()["version"] == 1

    exported = client.get(f"/api/v1/phases/{phase}/results", params={"format": "csv"})
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert [r["team_name"] for r in rows] == ["beta", "gamma", "alpha"]
    assert rows[0]["mae"] == "0.2246" and rows[0]["award_zh"] == "一等奖"

    # A re-score changes alpha's private score: nothing changes silently...
    add_score(db, submission_id=b.subs["alpha"], public=0.1111, private=0.0001, purpose="rescore")
    assert order(board(client, phase, b.headers["beta"], split="private"), b.teams) == [
        "beta",
        "gamma",
        "alpha",
    ]
    # ...until the organiser publishes version 2, which carries the diff.
    second = client.post(
        f"/api/v1/phases/{phase}/publish", json={"note": "re-scored with 1.0.1"}, headers=organiser
    )
    assert second.status_code == 200
    v2 = second.json()
    assert v2["version"] == 2 and v2["note"] == "re-scored with 1.0.1"
    changed = {d["team_name"]: d for d in v2["diff"]}
    assert changed["alpha"]["before"]["rank"] == 3 and changed["alpha"]["after"]["rank"] == 1
    assert changed["alpha"]["after"]["scores"] == {"mae": 0.0001}
    assert order(board(client, phase, b.headers["beta"], split="private"), b.teams) == [
        "alpha",
        "beta",
        "gamma",
    ]

    index = client.get(f"/api/v1/phases/{phase}/results").json()
    assert [v["version"] for v in index["versions"]] == [1, 2]
    assert index["versions"][0]["board"] == v1["board"]  # version 1 is untouched
    old_csv = client.get(
        f"/api/v1/phases/{phase}/results", params={"format": "csv", "version": 1}
    ).text
    assert old_csv == exported.text

    audit = client.get("/api/v1/judge/audit", params={"phase_id": phase}, headers=organiser).json()
    # phase edits (end_phase) are audited too since issue 15; the two publications lead
    assert [a["action"] for a in audit if a["action"] == "publish"][:2] == ["publish", "publish"]
    assert "phase.edit" in {a["action"] for a in audit}

    # Versions are immutable through the ORM as well.
    stored = publication.latest(db=db, phase_id=phase)
    assert stored is not None
    stored.note = "tampered"
    db.add(stored)
    with pytest.raises(DomainError):
        db.commit()
    db.rollback()

    hall = client.get("/api/v1/hall-of-fame").json()
    assert [(e["team_name"], e["award_en"]) for e in hall] == [
        ("alpha", "First prize"),
        ("beta", "Second prize"),
        ("gamma", "Third prize"),
    ]
    team = client.get(f"/api/v1/hall-of-fame/teams/{b.teams['gamma']}").json()
    assert [e["rank"] for e in team] == [3]
    member = hall[0]["members"][0]["user_id"]
    assert [e["team_name"] for e in client.get(f"/api/v1/hall-of-fame/people/{member}").json()] == [
        "alpha"
    ]


def test_publication_requires_verified_top_k(
    client: TestClient,
    db: Session,
    organiser: dict[str, str],
    judge: dict[str, str],
    make_user: Callable[..., dict[str, str]],
) -> None:
    b = constructed_board(client, db, organiser, make_user, verify_top_k=2)
    phase = b.ids["phase"]
    end_phase(client, organiser, phase)
    refused = client.post(
        f"/api/v1/phases/{phase}/publish", headers={**organiser, "Accept-Language": "zh-CN"}
    )
    assert refused.status_code == 409 and refused.json()["code"] == "verification_pending"
    assert "前 2 名" in refused.json()["detail"]
    for name in ("beta", "gamma"):  # the private top 2
        response = client.post(
            f"/api/v1/judge/submissions/{b.subs[name]}/actions",
            json={"action": "verify", "reason": "checked"},
            headers=judge,
        )
        assert response.status_code == 200
    published = client.post(
        f"/api/v1/phases/{phase}/publish",
        json={
            "awards": [{"label_zh": "金奖", "label_en": "Gold", "count": 1, "prize": "=¥100,000"}]
        },
        headers=organiser,
    )
    assert published.status_code == 200, published.text
    rows = published.json()["board"]["rows"]
    assert [r["award_en"] for r in rows] == ["Gold", None, None]
    assert [r.get("award_prize") for r in rows] == ["=¥100,000", None, None]
    exported = client.get(f"/api/v1/phases/{phase}/results", params={"format": "csv"}).text
    assert [r["prize"] for r in csv.DictReader(io.StringIO(exported))] == ["'=¥100,000", "", ""]
    hall = client.get("/api/v1/hall-of-fame").json()
    assert [(e["award_en"], e["award_prize"]) for e in hall if e["kind"] == "contest"] == [
        ("Gold", "=¥100,000")
    ]
    assert rows[0]["verified"] is True
    frozen = client.post(f"/api/v1/phases/{phase}/freeze", headers=organiser)
    assert frozen.status_code == 409 and frozen.json()["code"] == "already_published"


def test_audit_log_is_append_only(
    client: TestClient,
    db: Session,
    organiser: dict[str, str],
    make_user: Callable[..., dict[str, str]],
) -> None:
    b = constructed_board(client, db, organiser, make_user)
    assert (
        client.post(f"/api/v1/phases/{b.ids['phase']}/freeze", headers=organiser).status_code == 200
    )
    entry = db.exec(
        __import__("sqlmodel").select(AuditLog).where(AuditLog.action == "freeze")
    ).first()
    assert entry is not None and entry.action == "freeze"
    entry.reason = "rewritten"
    db.add(entry)
    with pytest.raises(DomainError):
        db.commit()
    db.rollback()
    db.delete(entry)
    with pytest.raises(DomainError):
        db.commit()
    db.rollback()


def test_a_new_note_on_unchanged_results_is_an_erratum_version(
    client: TestClient,
    db: Session,
    organiser: dict[str, str],
    make_user: Callable[..., dict[str, str]],
) -> None:
    b = constructed_board(client, db, organiser, make_user)
    phase = b.ids["phase"]
    end_phase(client, organiser, phase)
    url = f"/api/v1/phases/{phase}/publish"
    first = client.post(url, json={"note": "final"}, headers=organiser).json()
    retried = client.post(url, json={"note": "final"}, headers=organiser).json()
    bare = client.post(url, headers=organiser).json()
    assert first["version"] == retried["version"] == bare["version"] == 1
    erratum = client.post(url, json={"note": "prize amounts corrected"}, headers=organiser)
    assert erratum.status_code == 200, erratum.text
    assert erratum.json()["version"] == 2 and erratum.json()["diff"] == []
    assert erratum.json()["board"]["rows"] == first["board"]["rows"]
    versions = client.get(f"/api/v1/phases/{phase}/results").json()["versions"]
    assert [(v["version"], v["note"]) for v in versions] == [
        (1, "final"),
        (2, "prize amounts corrected"),
    ]
