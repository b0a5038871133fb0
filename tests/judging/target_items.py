"""A constructed board (tests/leaderboards) beside a 揭榜 item whose ``mae`` targets sit on the
board's track: the verified-score set-up that the judge console's targets-met test and the
acceptance desk share. Teams apply directly (no unit, no formal check), judges verify their
submissions, and the phase ends and publishes its results."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session

from jiebang.challenge_lists.models import Application
from jiebang.storage.models import StoredObject
from jiebang.teams.models import Team

from ..leaderboards.helpers import Board, constructed_board, end_phase

Headers = dict[str, str]


@dataclass(frozen=True)
class TargetItem:
    board: Board
    list_id: int
    item_id: int


def judge_action(
    client: TestClient, judge: Headers, submission_id: int, action: str, reason: str = "seen"
) -> dict[str, object]:
    """A judge's action (verify, flag, disqualify, reinstate) with its reason; the review state."""
    response = client.post(
        f"/api/v1/judge/submissions/{submission_id}/actions",
        json={"action": action, "reason": reason},
        headers=judge,
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


def board_with_target_item(
    client: TestClient,
    db: Session,
    organiser: Headers,
    make_user: Callable[..., Headers],
    *,
    thresholds: Sequence[float],
) -> TargetItem:
    """A constructed board and a draft list holding one item, a ``mae <=`` target a threshold."""
    b = constructed_board(client, db, organiser, make_user)
    lst = client.post(
        "/api/v1/challenge-lists",
        json={"year": 2024, "title_zh": "榜单", "title_en": "List"},
        headers=organiser,
    ).json()
    item = client.post(
        f"/api/v1/challenge-lists/{lst['id']}/items",
        json={
            "code": "AV-01",
            "title_zh": "误差",
            "title_en": "Error",
            "category": "test",
            "application_deadline": (datetime.now(UTC) + timedelta(days=30)).isoformat(),
            "targets": [
                {"metric": "mae", "comparator": "<=", "threshold": t, "track_id": b.ids["track"]}
                for t in thresholds
            ],
        },
        headers=organiser,
    ).json()
    return TargetItem(board=b, list_id=int(lst["id"]), item_id=int(item["id"]))


def publish_list(client: TestClient, organiser: Headers, list_id: int) -> None:
    response = client.put(
        f"/api/v1/challenge-lists/{list_id}/status",
        json={"status": "published"},
        headers=organiser,
    )
    assert response.status_code == 200, response.text


def apply_as_team(db: Session, board: Board, item_id: int, name: str) -> Application:
    """The board's team ``name`` applies for the item, its captain the applicant (committed)."""
    team = db.get(Team, board.teams[name])
    assert team is not None
    proposal = StoredObject(key=f"proposals/{name}", sha256="0" * 64, size=1, filename="p.pdf")
    db.add(proposal)
    db.flush()
    application = Application(
        item_id=item_id,
        team_id=team.id or 0,
        applicant_id=team.captain_id,
        proposal_object_id=proposal.id or 0,
    )
    db.add(application)
    db.commit()
    return application


def publish_results(client: TestClient, organiser: Headers, phase_id: int) -> None:
    """End the phase now and publish its private results."""
    end_phase(client, organiser, phase_id)
    response = client.post(f"/api/v1/phases/{phase_id}/publish", headers=organiser)
    assert response.status_code == 200, response.text
