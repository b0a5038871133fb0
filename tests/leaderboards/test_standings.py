"""The ranked table kept as scores land, against a full recompute from the scores.

Random sequences of what happens on a contest day (new scores, re-scores, disqualifications
and reinstatements, withdrawals, selections, failed re-runs, invalidated scores, deleted
submissions, the freeze) are applied through ordinary sessions; after each step every kept
board must equal the board computed from scratch, without having been rebuilt."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from jiebang.contests.models import Phase, Track
from jiebang.evaluation.models import EvaluationJob, Score
from jiebang.judging.models import SubmissionReview
from jiebang.leaderboards import ranking, service, standings
from jiebang.leaderboards.models import BoardEntry, BoardState
from jiebang.submissions.models import Submission, SubmissionEvent, SubmissionStatus

from ..submissions.helpers import setup_phase
from .helpers import T0, add_score, add_submission, board, phase_row

AGGREGATE_BOARD = {
    "columns": ["mae", {"key": "mae_max", "metric": "mae", "aggregate": "max", "precision": 2}],
    "secondary": ["mae_max"],
}


def _teams(client: TestClient, make_user: Callable[..., dict[str, str]], contest: int, n: int):
    out = []
    for i in range(n):
        response = client.post(
            f"/api/v1/contests/{contest}/teams", json={"name": f"team {i}"}, headers=make_user()
        )
        assert response.status_code == 201, response.text
        out.append(int(response.json()["id"]))
    return out


def _kept(db: Session, phase: Phase) -> dict[str, list[dict[str, Any]]]:
    """Every kept split as stored, checking it was built for the phase's current definition."""
    spec = standings.spec_for(db=db, phase=phase)
    out = {}
    for split in spec.splits():
        state = db.get(BoardState, (phase.id, split))
        assert state is not None and state.signature == spec.signature(split), split
        out[split] = standings.as_dicts(
            standings.read_rows(db.connection(), phase_id=phase.id or 0, split=split)
        )
    return out


def _recomputed(db: Session, phase: Phase) -> dict[str, list[dict[str, Any]]]:
    spec = standings.spec_for(db=db, phase=phase)
    return {
        split: standings.as_dicts(
            standings.computed_rows(db=db, phase=phase, spec=spec, split=split)
        )
        for split in spec.splits()
    }


def _ranked_the_old_way(db: Session, phase: Phase, split: str) -> list[int]:
    """Submission ids in rank order from `ranking.rank` over every entry (the original path)."""
    track = db.get(Track, phase.track_id)
    assert track is not None
    columns, primary, secondary = service.board_columns(track=track)
    before = phase.freeze_at if split == standings.FROZEN else None
    read = service.PRIVATE if split == standings.PRIVATE else service.PUBLIC
    entries = service.entries(
        db=db, phase=phase, split=read, needs_items=True, before=before, metric_keys=[]
    )
    rows = ranking.rank(
        entries,
        columns=columns,
        primary=primary,
        secondary=secondary,
        rule=str(phase.submission_rule),
        final=read == service.PRIVATE,
        max_selected=phase.max_selected,
    )
    return [r.entry.submission_id for r in rows]


def _build(db: Session, phase: Phase) -> None:
    for split in standings.spec_for(db=db, phase=phase).splits():
        standings.standings(db=db, phase=phase, split=split)
    db.commit()


def _delete_submission(db: Session, sub: Submission) -> None:
    for model in (Score, SubmissionEvent, SubmissionReview, EvaluationJob):
        for row in db.exec(select(model).where(col(model.submission_id) == sub.id)):
            db.delete(row)
        db.flush()
    db.delete(sub)


def _step(db: Session, rng: random.Random, phase_id: int, teams: list[int], now: datetime) -> str:
    """One random event of a contest day, committed; returns its name."""
    subs = list(db.exec(select(Submission).where(Submission.phase_id == phase_id)))
    kinds = ["submit"] * 9 + ["rescore"] * 3 + ["disqualify", "reinstate", "withdraw", "select"]
    kinds += ["unselect", "fail", "invalidate", "delete", "requeue"]
    kind = rng.choice(kinds) if subs else "submit"
    value = lambda: round(rng.choice([0.1, 0.2, 0.3]) + rng.choice([0, 0, 0.01, 0.004]), 4)  # noqa: E731 - ties on purpose
    if kind == "submit":
        add_submission(
            db,
            phase_id=phase_id,
            team_id=rng.choice(teams),
            public=value(),
            private=value(),
            at=T0 + timedelta(minutes=rng.randint(0, 5)),  # equal times happen too
            selected=rng.random() < 0.2,
            score_at=now,
        )
        return kind
    sub = rng.choice(subs)
    if kind == "rescore":
        add_score(
            db,
            submission_id=sub.id or 0,
            public=value(),
            private=value(),
            at=now,
            purpose="rescore",
        )
        return kind
    if kind in ("disqualify", "reinstate"):
        review = db.get(SubmissionReview, sub.id) or SubmissionReview(
            submission_id=sub.id or 0, phase_id=phase_id
        )
        review.disqualified = kind == "disqualify"
        db.add(review)
    elif kind == "withdraw":
        sub.withdrawn_at = now
    elif kind in ("select", "unselect"):
        sub.selected = kind == "select"
    elif kind == "fail":
        sub.status = SubmissionStatus.failed
    elif kind == "requeue":
        sub.status = SubmissionStatus.queued  # a re-run: the current score still counts
    elif kind == "invalidate":
        for score in db.exec(select(Score).where(Score.submission_id == sub.id)):
            db.delete(score)
    elif kind == "delete":
        _delete_submission(db, sub)
    if kind not in ("disqualify", "reinstate", "invalidate", "delete"):
        db.add(sub)
    db.commit()
    return kind


@pytest.mark.parametrize(
    ("seed", "rule", "leaderboard", "ladder"),
    [
        (1, "best", {}, None),
        (2, "latest", {}, None),
        (3, "selected", AGGREGATE_BOARD, None),
        (4, "best", {}, 0.05),  # Ladder mode on the public board
    ],
)
def test_the_kept_board_equals_a_full_recompute_after_every_step(
    client: TestClient,
    db: Session,
    organiser: dict[str, str],
    make_user: Callable[..., dict[str, str]],
    seed: int,
    rule: str,
    leaderboard: dict[str, Any],
    ladder: float | None,
) -> None:
    ids = setup_phase(
        client,
        organiser,
        submission_rule=rule,
        max_selected=2,
        ladder_threshold=ladder,
        track_overrides={"leaderboard": leaderboard} if leaderboard else None,
    )
    phase_id = ids["phase"]
    teams = _teams(client, make_user, ids["contest"], 5)
    rng = random.Random(seed)
    _build(db, phase_row(db, phase_id))
    now = datetime.now(UTC) - timedelta(hours=1)
    history, frozen_rows = [], 0
    for step in range(36):
        now += timedelta(seconds=10)
        if step == 24:  # the freeze: later scores stay off the frozen board
            phase = phase_row(db, phase_id)
            phase.freeze_at = now + timedelta(seconds=5)
            db.add(phase)
            db.commit()
            _build(db, phase_row(db, phase_id))
            continue
        history.append(_step(db, rng, phase_id, teams, now))
        phase = phase_row(db, phase_id)
        kept = _kept(db, phase)
        assert kept == _recomputed(db, phase), history
        frozen_rows = max(frozen_rows, len(kept.get("frozen", [])))
        for split, rows in kept.items():
            if ladder is None or split == "private":
                ranked = _ranked_the_old_way(db, phase, split)
                assert [r["submission_id"] for r in rows] == ranked
        db.rollback()  # end the read transaction: the next step reads what others committed
    assert {"submit", "rescore"} <= set(history)
    assert frozen_rows  # the frozen board was not empty all along


def test_scores_update_the_table_without_a_rebuild(
    client: TestClient,
    db: Session,
    organiser: dict[str, str],
    make_user: Callable[..., dict[str, str]],
) -> None:
    """A score reported after the board was built changes that team's row only, in place."""
    ids = setup_phase(client, organiser)
    teams = _teams(client, make_user, ids["contest"], 3)
    for i, team in enumerate(teams):
        add_submission(
            db, phase_id=ids["phase"], team_id=team, public=0.3 + i / 10, private=0.5, at=T0
        )
    first = board(client, ids["phase"])
    assert [r["team_id"] for r in first["rows"]] == teams
    built = {s.split: s.built_at for s in db.exec(select(BoardState))}
    assert set(built) == {"public"}  # built on its first read, the others when first asked
    untouched = {e.team_id: e.id for e in db.exec(select(BoardEntry)) if e.team_id != teams[2]}
    add_submission(db, phase_id=ids["phase"], team_id=teams[2], public=0.01, private=0.9, at=T0)
    after = board(client, ids["phase"])
    assert [r["team_id"] for r in after["rows"]] == [teams[2], teams[0], teams[1]]
    assert after["rows"][0]["scores"] == {"mae": 0.01}
    db.expire_all()
    assert {s.split: s.built_at for s in db.exec(select(BoardState))} == built
    assert {
        e.team_id: e.id for e in db.exec(select(BoardEntry)) if e.team_id != teams[2]
    } == untouched


def test_a_changed_board_definition_is_rebuilt_on_its_next_read(
    client: TestClient,
    db: Session,
    organiser: dict[str, str],
    make_user: Callable[..., dict[str, str]],
) -> None:
    ids = setup_phase(client, organiser)
    teams = _teams(client, make_user, ids["contest"], 2)  # only the public board is read
    add_submission(db, phase_id=ids["phase"], team_id=teams[0], public=0.1, private=0.1, at=T0)
    add_submission(
        db, phase_id=ids["phase"], team_id=teams[0], public=0.4, private=0.4, at=T0 + timedelta(1)
    )
    add_submission(db, phase_id=ids["phase"], team_id=teams[1], public=0.2, private=0.2, at=T0)
    assert [r["team_id"] for r in board(client, ids["phase"])["rows"]] == teams
    changed = client.patch(
        f"/api/v1/phases/{ids['phase']}", json={"submission_rule": "latest"}, headers=organiser
    )
    assert changed.status_code == 200, changed.text
    assert [r["team_id"] for r in board(client, ids["phase"])["rows"]] == teams[::-1]
    phase = phase_row(db, ids["phase"])
    spec = standings.spec_for(db=db, phase=phase)
    assert db.get(BoardState, (phase.id, "public")).signature == spec.signature("public")  # type: ignore[union-attr]
    kept = standings.read_rows(db.connection(), phase_id=phase.id or 0, split="public")
    assert standings.as_dicts(kept) == standings.as_dicts(
        standings.computed_rows(db=db, phase=phase, spec=spec, split="public")
    )


def test_rebuild_all_backfills_the_same_rows(
    client: TestClient,
    db: Session,
    organiser: dict[str, str],
    make_user: Callable[..., dict[str, str]],
) -> None:
    """The migration's back-fill: every board of every phase, as a recompute would have it."""
    ids = setup_phase(client, organiser, freeze_at=(datetime.now(UTC)).isoformat())
    teams = _teams(client, make_user, ids["contest"], 3)
    rng = random.Random(5)
    for team in teams * 3:
        add_submission(
            db,
            phase_id=ids["phase"],
            team_id=team,
            public=rng.random(),
            private=rng.random(),
            at=T0,
            score_at=datetime.now(UTC) - timedelta(days=1),
        )
    assert db.exec(select(BoardEntry)).first() is None  # nothing kept before a board is read
    assert standings.rebuild_all(db=db) == 3  # public, private, frozen
    db.commit()
    phase = phase_row(db, ids["phase"])
    kept = _kept(db, phase)
    assert kept == _recomputed(db, phase)
    assert all(len(rows) == 3 for rows in kept.values())


def test_the_encoded_board_is_what_the_model_would_encode(
    client: TestClient,
    db: Session,
    organiser: dict[str, str],
    make_user: Callable[..., dict[str, str]],
) -> None:
    """Boards are encoded from plain values; the bytes equal the Leaderboard model's own."""
    from pydantic_core import to_json

    from jiebang.leaderboards.models import Leaderboard

    ids = setup_phase(client, organiser, track_overrides={"leaderboard": AGGREGATE_BOARD})
    teams = _teams(client, make_user, ids["contest"], 3)
    for i, team in enumerate(teams):
        add_submission(
            db,
            phase_id=ids["phase"],
            team_id=team,
            public=[0.1, 1e-05, 12345.678][i],
            private=0.5,
            at=T0 + timedelta(microseconds=i * 1001),
        )
    phase = phase_row(db, ids["phase"])
    for split, staff in (("public", False), ("public", True), ("private", True)):
        data = service.live_board_data(db=db, phase=phase, split=split, staff=staff)
        model = Leaderboard.model_validate(data)
        assert to_json(data) == model.model_dump_json().encode()
        assert {r.team_name for r in model.rows} == {"team 0", "team 1", "team 2"}


def test_concurrent_scores_for_one_team_leave_the_right_row(
    client: TestClient,
    db: Session,
    organiser: dict[str, str],
    make_user: Callable[..., dict[str, str]],
) -> None:
    """Writers of one team's row take turns (an advisory lock on PostgreSQL, the one writer
    on SQLite): whatever the interleaving, the row reflects every committed score."""
    import threading

    from jiebang.db import get_engine

    ids = setup_phase(client, organiser)
    teams = _teams(client, make_user, ids["contest"], 2)
    add_submission(db, phase_id=ids["phase"], team_id=teams[0], public=0.9, private=0.9, at=T0)
    _build(db, phase_row(db, ids["phase"]))
    failures: list[BaseException] = []

    def writer(offset: int) -> None:
        try:
            with Session(get_engine(), expire_on_commit=False) as own:
                for i in range(6):
                    add_submission(
                        own,
                        phase_id=ids["phase"],
                        team_id=teams[i % 2],
                        public=round(0.5 - offset / 100 - i / 1000, 4),
                        private=0.5,
                        at=T0 + timedelta(minutes=i),
                    )
        except BaseException as exc:  # reported below, in the test's thread
            failures.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not failures, failures
    phase = phase_row(db, ids["phase"])
    db.rollback()
    assert _kept(db, phase) == _recomputed(db, phase)
    assert len(_kept(db, phase)["public"]) == 2
