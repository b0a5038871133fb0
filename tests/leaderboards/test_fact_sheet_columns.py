"""Fact-sheet answers on the leaderboard (Codabench ``is_on_leaderboard``): one column per
question marked for the board, holding the answer given with each row's ranked submission;
questions not marked stay off the board, and no board shows them before it may be seen."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from jiebang.auth.models import Role
from jiebang.contests.models import LeaderboardVisibility, Phase, Track
from jiebang.fact_sheets.models import FactSheetAnswers

from .helpers import board, constructed_board, end_phase

QUESTIONS = [
    {"key": "method", "title": "Method name", "type": "text", "options": [],
     "required": True, "on_leaderboard": True},
    {"key": "gpu", "title": "Trained on a GPU", "type": "checkbox", "options": [],
     "required": False, "on_leaderboard": False},
]  # fmt: skip
ANSWERS = {
    "alpha": {"method": "Gradient boosting", "gpu": True},
    "beta": {"method": "Linear model", "gpu": False},
}  # gamma answered nothing
SHOWN = [{"key": "method", "title": "Method name", "type": "text"}]


def _ask(db: Session, track_id: int) -> None:
    track = db.get(Track, track_id)
    assert track is not None
    track.leaderboard = {**(track.leaderboard or {}), "codabench": {"fact_sheet": QUESTIONS}}
    db.add(track)
    db.commit()


def _by_team(body: dict[str, Any], teams: dict[str, int]) -> dict[str, dict[str, Any]]:
    names = {v: k for k, v in teams.items()}
    return {names[r["team_id"]]: r for r in body["rows"]}


def _expect_answers(body: dict[str, Any], teams: dict[str, int], subs: dict[str, int]) -> None:
    assert body["fact_sheet_columns"] == SHOWN
    rows = _by_team(body, teams)
    assert set(rows) == {"alpha", "beta", "gamma"}
    for name, row in rows.items():
        assert row["submission_id"] == subs[name]
    assert rows["alpha"]["fact_sheet"] == {"method": "Gradient boosting"}
    assert rows["beta"]["fact_sheet"] == {"method": "Linear model"}
    assert rows["gamma"]["fact_sheet"] == {}


def test_board_shows_only_the_questions_marked_for_it_per_ranked_submission(
    client: TestClient,
    db: Session,
    organiser: dict[str, str],
    make_user: Callable[..., dict[str, str]],
) -> None:
    b = constructed_board(client, db, organiser, make_user)
    phase_id = b.ids["phase"]
    before = board(client, phase_id)  # cached now: the answers below must still show
    assert before["fact_sheet_columns"] == []
    assert all(r["fact_sheet"] == {} for r in before["rows"])

    _ask(db, b.ids["track"])
    asked = board(client, phase_id)
    assert asked["fact_sheet_columns"] == SHOWN
    for name, answers in ANSWERS.items():
        db.add(FactSheetAnswers(submission_id=b.subs[name], answers=answers))
        db.commit()

    judge = make_user(Role.judge)
    for who in ({}, b.headers["gamma"], judge):  # anonymous (the fast path), a team, staff
        _expect_answers(board(client, phase_id, who), b.teams, b.subs)
    assert "gpu" not in client.get(f"/api/v1/phases/{phase_id}/leaderboard").text

    # the private board, answers and all, is the staff's alone until publication
    for who in ({}, b.headers["alpha"]):
        refused = client.get(f"/api/v1/phases/{phase_id}/leaderboard?split=private", headers=who)
        assert refused.status_code == 403, refused.text
        assert "Gradient boosting" not in refused.text
    _expect_answers(board(client, phase_id, judge, split="private"), b.teams, b.subs)

    end_phase(client, organiser, phase_id)
    published = client.post(f"/api/v1/phases/{phase_id}/publish", headers=organiser)
    assert published.status_code == 200, published.text
    # the version freezes the shown answers (test_published_fact_sheets.py)
    assert published.json()["board"]["fact_sheet_columns"] == SHOWN
    for who in ({}, b.headers["beta"]):
        final = board(client, phase_id, who, split="private")
        assert final["published"] is True and final["version"] == 1
        _expect_answers(final, b.teams, b.subs)


def test_a_hidden_board_shows_no_answers(
    client: TestClient,
    db: Session,
    organiser: dict[str, str],
    make_user: Callable[..., dict[str, str]],
) -> None:
    b = constructed_board(client, db, organiser, make_user)
    _ask(db, b.ids["track"])
    for name, answers in ANSWERS.items():
        db.add(FactSheetAnswers(submission_id=b.subs[name], answers=answers))
    db.commit()
    phase = db.get(Phase, b.ids["phase"])
    assert phase is not None
    phase.leaderboard_visibility = LeaderboardVisibility.hidden
    db.add(phase)
    db.commit()
    for who in ({}, b.headers["alpha"]):
        hidden = client.get(f"/api/v1/phases/{b.ids['phase']}/leaderboard", headers=who)
        assert hidden.status_code == 403, hidden.text
        assert "Gradient boosting" not in hidden.text
    _expect_answers(board(client, b.ids["phase"], organiser), b.teams, b.subs)
