"""Ladder mode for public boards (Blum & Hardt 2015): a team's public score moves only when it
beats the shown one by more than the threshold, and then to a multiple of it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from jiebang.leaderboards import ranking

from ..submissions.helpers import setup_phase
from .helpers import T0, add_submission, board

MAE = ranking.Column("mae", "平均绝对误差", "MAE", "lower", 4, "mae")
PSNR = ranking.Column("psnr", "峰值信噪比", "PSNR", "higher", 2, "psnr")


def _laddered(column: ranking.Column, values: list[float], step: float) -> tuple[int, float]:
    entries: list[tuple[ranking.Entry, dict[str, float | None]]] = [
        (
            ranking.Entry(
                submission_id=i + 1,
                team_id=1,
                submitted_at=T0 + timedelta(minutes=i),
                metrics={column.metric: v},
            ),
            {column.key: v},
        )
        for i, v in enumerate(values)
    ]
    picked = ranking.ladder(entries[::-1], column=column, step=step)  # order of arrival counts
    assert picked is not None
    return picked[0].submission_id, float(picked[1][column.key] or 0)


def test_the_shown_score_moves_only_by_more_than_a_step() -> None:
    # Lower is better: 0.4951 is not better than 0.50 by more than 0.01; 0.4834 is.
    assert _laddered(MAE, [0.5012], 0.01) == (1, 0.5)
    assert _laddered(MAE, [0.5012, 0.4951, 0.5], 0.01) == (1, 0.5)
    assert _laddered(MAE, [0.5012, 0.4951, 0.4834], 0.01) == (3, 0.48)
    # Small steps of probing never add up: each is measured against the shown score.
    assert _laddered(MAE, [0.5, 0.492, 0.4911, 0.4905, 0.4901], 0.01) == (1, 0.5)
    # Higher is better.
    assert _laddered(PSNR, [30.04, 30.4, 30.6, 31.26], 0.5) == (4, 31.5)
    assert _laddered(PSNR, [30.04, 30.4, 30.6], 0.5) == (3, 30.5)


def _team(client: TestClient, make_user: Callable[..., dict[str, str]], contest: int) -> int:
    response = client.post(
        f"/api/v1/contests/{contest}/teams", json={"name": "probers"}, headers=make_user()
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def test_ladder_mode_is_a_phase_setting_for_the_public_board(
    client: TestClient,
    db: Session,
    organiser: dict[str, str],
    make_user: Callable[..., dict[str, str]],
) -> None:
    ids = setup_phase(client, organiser)
    phase = ids["phase"]
    shown = client.get(f"/api/v1/phases/{phase}").json()
    assert shown["ladder_threshold"] is None  # off by default
    team = _team(client, make_user, ids["contest"])
    first = add_submission(db, phase_id=phase, team_id=team, public=0.5012, private=0.4, at=T0)
    for minutes, public in ((1, 0.4951), (2, 0.4911)):  # probing below the step
        add_submission(
            db,
            phase_id=phase,
            team_id=team,
            public=public,
            private=0.3,
            at=T0 + timedelta(minutes=minutes),
        )

    def public_row() -> dict[str, Any]:
        rows = board(client, phase)["rows"]
        assert len(rows) == 1
        return dict(rows[0])

    assert public_row()["scores"] == {"mae": 0.4911}  # off: the best public score
    on = client.patch(f"/api/v1/phases/{phase}", json={"ladder_threshold": 0.01}, headers=organiser)
    assert on.status_code == 200, on.text
    assert on.json()["ladder_threshold"] == 0.01
    assert client.get(f"/api/v1/phases/{phase}").json()["ladder_threshold"] == 0.01
    row = public_row()
    assert row["scores"] == {"mae": 0.5} and row["submission_id"] == first
    # A score that beats the shown one by more than the step moves it (kept incrementally).
    better = add_submission(
        db, phase_id=phase, team_id=team, public=0.4834, private=0.35, at=T0 + timedelta(hours=1)
    )
    row = public_row()
    assert row["scores"] == {"mae": 0.48} and row["submission_id"] == better
    # The private board is not laddered: the best private score counts, unrounded.
    private = board(client, phase, organiser, split="private")["rows"]
    assert private[0]["scores"] == {"mae": 0.3}
    bad = client.patch(f"/api/v1/phases/{phase}", json={"ladder_threshold": 0}, headers=organiser)
    assert bad.status_code == 422
    off = client.patch(
        f"/api/v1/phases/{phase}", json={"ladder_threshold": None}, headers=organiser
    )
    assert off.status_code == 200 and off.json()["ladder_threshold"] is None
    assert public_row()["scores"] == {"mae": 0.4834}
    assert datetime.now(UTC) > T0
