"""The foundation's "done when" journey, end to end through the API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from .conftest import TRACK_BODY, contest_body, phase_body

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _publish_list(client: TestClient, organiser: dict[str, str], track_id: int) -> dict[str, Any]:
    lst = client.post(
        "/api/v1/challenge-lists",
        json={
            "year": 2024,
            "title_zh": "2024 年音视频揭榜挂帅榜单",
            "title_en": "2024 A/V challenge list",
        },
        headers=organiser,
    )
    assert lst.status_code == 201, lst.text
    item = client.post(
        f"/api/v1/challenge-lists/{lst.json()['id']}/items",
        json={
            "code": "AV-2024-01",
            "title_zh": "8K/HDR Vivid 编码",
            "title_en": "8K/HDR Vivid codec",
            "category": "codec",
            "reward_zh": "500 万元",
            "reward_en": "CNY 5 million",
            "application_deadline": (datetime.now(UTC) + timedelta(days=60)).isoformat(),
            "lead_unit": "Hunan Malanshan Video Cultural Creative Industrial Park",
            "targets": [
                {
                    "metric": "bd_rate_vmaf",
                    "comparator": "<=",
                    "threshold": -30,
                    "unit": "%",
                    "track_id": track_id,
                    "note_en": "vs the HEVC (x265) anchor",
                }
            ],
        },
        headers=organiser,
    )
    assert item.status_code == 201, item.text
    assert item.json()["targets"][0]["comparator"] == "<="
    published = client.put(
        f"/api/v1/challenge-lists/{lst.json()['id']}/status",
        json={"status": "published"},
        headers=organiser,
    )
    assert published.status_code == 200 and published.json()["published_at"]
    return {"list": lst.json()["id"], "item": item.json()["id"]}


def test_foundation_journey(client: TestClient, organiser: dict[str, str], make_user) -> None:
    # organiser: contest, track, phase
    contest = client.post("/api/v1/contests", json=contest_body(), headers=organiser).json()
    assert contest["timezone"] == "Asia/Shanghai" and contest["status"] == "draft"
    track = client.post(
        f"/api/v1/contests/{contest['id']}/tracks", json=TRACK_BODY, headers=organiser
    )
    assert track.status_code == 201, track.text
    phase = client.post(
        f"/api/v1/tracks/{track.json()['id']}/phases", json=phase_body(), headers=organiser
    )
    assert phase.status_code == 201, phase.text
    assert "private_item_ids" not in phase.json()

    # drafts are invisible to the public, then published
    assert client.get(f"/api/v1/contests/{contest['id']}").status_code == 404
    client.post(f"/api/v1/contests/{contest['id']}/publish", headers=organiser)
    assert client.get(f"/api/v1/contests/{contest['id']}").json()["status"] == "published"

    ids = _publish_list(client, organiser, track.json()["id"])
    public_items = client.get(f"/api/v1/challenge-lists/{ids['list']}/items").json()
    assert public_items[0]["targets"][0]["threshold"] == -30

    # participants: register, team, join by code
    captain = make_user(name="Captain")
    mate = make_user(name="Mate")
    team = client.post(
        f"/api/v1/contests/{contest['id']}/teams", json={"name": "Lotus"}, headers=captain
    )
    assert team.status_code == 201, team.text
    code = team.json()["invite_code"]
    joined = client.post("/api/v1/teams/join", json={"invite_code": code.lower()}, headers=mate)
    assert joined.status_code == 200
    assert [m["display_name"] for m in joined.json()["members"]] == ["Captain", "Mate"]
    public_team = client.get(f"/api/v1/contests/{contest['id']}/teams").json()[0]
    assert "invite_code" not in public_team

    # apply with a PDF
    applied = client.post(
        f"/api/v1/challenge-items/{ids['item']}/applications",
        data={"team_id": str(team.json()["id"]), "summary": "We take it."},
        files={"proposal": ("proposal.pdf", PDF, "application/pdf")},
        headers=mate,
    )
    assert applied.status_code == 201, applied.text
    app = applied.json()
    assert app["status"] == "submitted" and app["proposal_size"] == len(PDF)
    download = client.get(f"/api/v1/applications/{app['id']}/proposal", headers=captain)
    assert download.status_code == 200 and download.content == PDF

    # a second application by the same team conflicts
    again = client.post(
        f"/api/v1/challenge-items/{ids['item']}/applications",
        data={"team_id": str(team.json()["id"])},
        files={"proposal": ("p.pdf", PDF, "application/pdf")},
        headers=captain,
    )
    assert again.status_code == 409

    # organiser shortlists; who and when are recorded
    review = client.put(
        f"/api/v1/applications/{app['id']}/review",
        json={"status": "shortlisted", "reviewer_notes": "Strong codec team"},
        headers=organiser,
    )
    assert review.status_code == 200
    assert review.json()["status"] == "shortlisted" and review.json()["decided_at"]
    assert review.json()["decided_by"] is not None

    # an illegal jump (shortlisted -> submitted) is refused
    back = client.put(
        f"/api/v1/applications/{app['id']}/review", json={"status": "submitted"}, headers=organiser
    )
    assert back.status_code == 400

    # rejecting needs a reason: 422 naming the field, in the organiser's language
    bare = client.put(
        f"/api/v1/applications/{app['id']}/review",
        json={"status": "rejected", "reviewer_notes": "  "},
        headers=organiser,
    )
    assert bare.status_code == 422, bare.text
    error = bare.json()["detail"][0]
    assert error["loc"] == ["body", "reviewer_notes"] and error["type"] == "reject_reason_required"
    assert "reviewer_notes" in error["msg"]
    assert client.get(f"/api/v1/applications/{app['id']}", headers=organiser).json()["status"] == (
        "shortlisted"
    )
    rejected = client.put(
        f"/api/v1/applications/{app['id']}/review",
        json={"status": "rejected", "reviewer_notes": "Targets not met in the pilot"},
        headers=organiser,
    )
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"


def test_outsider_cannot_see_application_or_team(
    client: TestClient, organiser, make_user, published_contest
) -> None:
    ids = _publish_list(client, organiser, published_contest["track"])
    captain = make_user()
    outsider = make_user()
    team = client.post(
        f"/api/v1/contests/{published_contest['contest']}/teams",
        json={"name": "A"},
        headers=captain,
    ).json()
    app = client.post(
        f"/api/v1/challenge-items/{ids['item']}/applications",
        data={"team_id": str(team["id"])},
        files={"proposal": ("p.pdf", PDF, "application/pdf")},
        headers=captain,
    ).json()
    # 404, exactly like an id that does not exist
    for path in (f"/api/v1/applications/{app['id']}", f"/api/v1/applications/{app['id']}/proposal"):
        assert client.get(path, headers=outsider).status_code == 404
        assert (
            client.get(path.replace(str(app["id"]), "999999"), headers=outsider).status_code == 404
        )
    assert client.get(f"/api/v1/teams/{team['id']}", headers=outsider).status_code == 404
    # and applying on behalf of someone else's team is equally a 404
    stolen = client.post(
        f"/api/v1/challenge-items/{ids['item']}/applications",
        data={"team_id": str(team["id"])},
        files={"proposal": ("p.pdf", PDF, "application/pdf")},
        headers=outsider,
    )
    assert stolen.status_code == 404


def test_proposal_must_be_pdf(client: TestClient, organiser, make_user, published_contest) -> None:
    ids = _publish_list(client, organiser, published_contest["track"])
    captain = make_user()
    team = client.post(
        f"/api/v1/contests/{published_contest['contest']}/teams",
        json={"name": "A"},
        headers=captain,
    ).json()
    response = client.post(
        f"/api/v1/challenge-items/{ids['item']}/applications",
        data={"team_id": str(team["id"])},
        files={"proposal": ("p.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")},
        headers=captain | {"Accept-Language": "en"},
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "proposal"]


def test_one_team_per_contest_and_size_limit(
    client: TestClient, organiser, make_user, published_contest
) -> None:
    cid = published_contest["contest"]
    client.patch(f"/api/v1/contests/{cid}", json={"team_size_limit": 2}, headers=organiser)
    a, b, c = make_user(), make_user(), make_user()
    team = client.post(f"/api/v1/contests/{cid}/teams", json={"name": "T"}, headers=a).json()
    assert (
        client.post(f"/api/v1/contests/{cid}/teams", json={"name": "T2"}, headers=a).status_code
        == 409
    )
    assert (
        client.post(
            "/api/v1/teams/join", json={"invite_code": team["invite_code"]}, headers=b
        ).status_code
        == 200
    )
    full = client.post("/api/v1/teams/join", json={"invite_code": team["invite_code"]}, headers=c)
    assert full.status_code == 409 and "2" in full.json()["detail"]
    # the captain cannot leave while others remain; a member can
    assert client.post(f"/api/v1/teams/{team['id']}/leave", headers=a).status_code == 403
    assert client.post(f"/api/v1/teams/{team['id']}/leave", headers=b).status_code == 204
    assert (
        client.post(
            "/api/v1/teams/join", json={"invite_code": team["invite_code"]}, headers=c
        ).status_code
        == 200
    )


def test_team_approval_gate(client: TestClient, organiser, make_user, published_contest) -> None:
    cid = published_contest["contest"]
    client.patch(
        f"/api/v1/contests/{cid}", json={"requires_team_approval": True}, headers=organiser
    )
    captain = make_user()
    team = client.post(
        f"/api/v1/contests/{cid}/teams", json={"name": "New"}, headers=captain
    ).json()
    assert team["approved"] is False
    approved = client.put(
        f"/api/v1/teams/{team['id']}/approval", json={"approved": True}, headers=organiser
    )
    assert approved.json()["approved"] is True


def test_list_status_machine(client: TestClient, organiser) -> None:
    lst = client.post(
        "/api/v1/challenge-lists",
        json={"year": 2025, "title_zh": "榜", "title_en": "List"},
        headers=organiser,
    ).json()
    closed = client.put(
        f"/api/v1/challenge-lists/{lst['id']}/status", json={"status": "closed"}, headers=organiser
    )
    assert closed.status_code == 400  # draft cannot jump to closed
    dup = client.post(
        "/api/v1/challenge-lists",
        json={"year": 2025, "title_zh": "榜", "title_en": "List"},
        headers=organiser,
    )
    assert dup.status_code == 409


def test_phase_dates_validated(client: TestClient, organiser, published_contest) -> None:
    body = phase_body("bad") | {"ends_at": "2020-01-01T00:00:00+08:00"}
    response = client.post(
        f"/api/v1/tracks/{published_contest['track']}/phases", json=body, headers=organiser
    )
    assert response.status_code == 422
    naive = phase_body("naive") | {"starts_at": "2024-01-01T00:00:00"}
    assert (
        client.post(
            f"/api/v1/tracks/{published_contest['track']}/phases", json=naive, headers=organiser
        ).status_code
        == 422
    )


def test_unknown_evaluator_is_a_field_error(
    client: TestClient, organiser, published_contest
) -> None:
    body = TRACK_BODY | {"slug": "other", "evaluator_key": "no_such_evaluator"}
    response = client.post(
        f"/api/v1/contests/{published_contest['contest']}/tracks", json=body, headers=organiser
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "evaluator_key"]


def test_phase_edit_errors_name_the_field_at_fault(
    client: TestClient, organiser, published_contest
) -> None:
    created = client.post(
        f"/api/v1/tracks/{published_contest['track']}/phases",
        json=phase_body("edit") | {"public_item_ids": ["a"], "private_item_ids": ["b"]},
        headers=organiser,
    ).json()
    url = f"/api/v1/phases/{created['id']}"
    assert created["verify_top_k"] == 0
    cases = [
        ({"freeze_at": "2001-01-01T00:00:00+08:00"}, "freeze_at", "phase_freeze"),
        ({"ends_at": "2030-01-01T00:00:00"}, "ends_at", "phase_timezone"),
        ({"ends_at": "2001-01-01T00:00:00+08:00"}, "ends_at", "phase_dates"),
    ]
    for change, field, code in cases:
        response = client.patch(url, json=change, headers=organiser)
        assert response.status_code == 422, response.text
        (error,) = response.json()["detail"]
        assert (error["loc"], error["type"]) == (["body", field], code)
    updated = client.patch(url, json={"verify_top_k": 3}, headers=organiser)
    assert updated.status_code == 200 and updated.json()["verify_top_k"] == 3
