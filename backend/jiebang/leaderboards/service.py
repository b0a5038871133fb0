"""Building boards from the database: which scores count, for whom, and as of when."""

from __future__ import annotations

import time
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, func, or_
from sqlalchemy import select as sa_select
from sqlalchemy import type_coerce as sa_type_coerce
from sqlmodel import Session, col, select

from jiebang.contests.models import Phase, Track
from jiebang.core.errors import DomainError
from jiebang.db import UTCDateTime, get_engine, utcnow
from jiebang.evaluation import registry
from jiebang.evaluation.models import Score
from jiebang.judging.models import SubmissionReview
from jiebang.leaderboards import ranking
from jiebang.leaderboards.models import Leaderboard, LeaderboardColumn, LeaderboardRow
from jiebang.submissions.models import Submission, SubmissionStatus
from jiebang.teams.models import Team

PUBLIC, PRIVATE = "public", "private"
LIVE_STATUSES = [SubmissionStatus.scored, SubmissionStatus.queued, SubmissionStatus.running]
FROZEN_STATUSES = [*LIVE_STATUSES, SubmissionStatus.failed]


def track_of(*, db: Session, phase: Phase) -> Track:
    """The phase's track."""
    track = db.get(Track, phase.track_id)
    assert track is not None
    return track


_SPEC_SECONDS = 5.0  # how long an evaluator's spec is reused for boards (it rarely changes)
_specs: dict[tuple[str, str], tuple[float, dict[str, Any] | None]] = {}


def evaluator_spec(key: str) -> dict[str, Any] | None:
    """The evaluator's spec as boards read it: looked up at most every few seconds, since
    every board read and every score's board upkeep needs it."""
    memo = (str(get_engine().url), key)
    now = time.monotonic()
    found = _specs.get(memo)
    if found is None or now - found[0] > _SPEC_SECONDS:
        found = (now, registry.describe(key))
        _specs[memo] = found
    return found[1]


def board_columns(*, track: Track) -> tuple[list[ranking.Column], str, list[str]]:
    """The track's leaderboard columns; a misconfigured board is an error the organiser sees."""
    spec = evaluator_spec(track.evaluator_key) or {"metrics": [], "primary_metric": None}
    try:
        return ranking.columns_for(spec, dict(track.leaderboard or {}))
    except ranking.BoardConfigError as exc:
        raise DomainError("leaderboard_config", message=str(exc)) from exc


def is_frozen(*, phase: Phase, now: datetime | None = None) -> bool:
    """Participants see the board as it stood at freeze_at, until the results are published."""
    moment = now or utcnow()
    return phase.freeze_at is not None and moment >= phase.freeze_at and phase.published_at is None


def split_rows(*, phase: Phase, items: list[dict[str, Any]], split: str) -> list[dict[str, Any]]:
    """Per-item rows of one split (every row when the phase has no split)."""
    if not phase.private_item_ids:
        return items
    ids = set(phase.private_item_ids if split == PRIVATE else phase.public_item_ids)
    return [
        r
        for r in items
        if r.get("split") == split or (r.get("split") is None and str(r.get("id")) in ids)
    ]


def split_metrics(*, phase: Phase, metrics: Any, by_split: Any, split: str) -> dict[str, float]:
    """The split's metrics; a phase without a split has one set of metrics for both."""
    if not phase.private_item_ids:
        return dict(metrics or {})
    return dict((by_split or {}).get(split, {}))


def entries(
    *,
    db: Session,
    phase: Phase,
    split: str,
    needs_items: bool,
    before: datetime | None = None,
    metric_keys: Sequence[str] = (),
    team_ids: Collection[int] | None = None,
) -> list[ranking.Entry]:
    """Scored, not withdrawn, not disqualified submissions; `before` reads earlier scores;
    `team_ids` reads only those teams' (a board row is a function of its team's entries).

    A public board reads nothing of the private split, so what it shows cannot depend on it.
    Plain column tuples, not ORM objects: a board reads tens of thousands of rows. With
    `metric_keys` (a board without per-item columns) the database extracts just those values
    as numbers, so no JSON document is decoded per row.
    """
    statuses = FROZEN_STATUSES if before is not None else LIVE_STATUSES
    has_split = bool(phase.private_item_ids)
    public_only = split == PUBLIC
    source: Any = sa_type_coerce(Score.metrics_by_split, JSON)[PUBLIC] if has_split else None
    numbers = bool(metric_keys) and not needs_items and (public_only or not has_split)
    if numbers:
        document = source if has_split else sa_type_coerce(Score.metrics, JSON)
        values_columns = [document[k].as_float() for k in metric_keys]
    elif not has_split:
        values_columns = [Score.metrics]
    elif public_only:  # the database hands over only the public half
        values_columns = [source.label("public")]
    else:
        values_columns = [Score.metrics_by_split]
    submitted_at = sa_type_coerce(
        func.coalesce(Submission.queued_at, Submission.created_at), UTCDateTime
    )
    query = (
        sa_select(  # type: ignore[call-overload]
            Submission.id,
            Submission.team_id,
            submitted_at,
            Submission.selected,
            Score.items if needs_items else Score.id,
            *values_columns,
        )
        .join(Score, col(Score.submission_id) == Submission.id)
        .outerjoin(SubmissionReview, col(SubmissionReview.submission_id) == Submission.id)
        .where(
            Submission.phase_id == phase.id,
            col(Submission.status).in_(statuses),
            col(Submission.withdrawn_at).is_(None),
            or_(
                col(SubmissionReview.disqualified).is_(None),
                col(SubmissionReview.disqualified).is_(False),
            ),
        )
    )
    if team_ids is not None:
        query = query.where(col(Submission.team_id).in_(sorted(team_ids)))
    if before is None:
        query = query.where(col(Score.is_current))
    else:
        query = query.where(col(Score.created_at) < before).order_by(col(Score.id))
    latest: dict[int, Any] = {}
    for row in db.connection().execute(query).all():
        latest[row[0]] = row  # ordered by score id: the last one before the cut-off wins
    out = []
    for sub_id, team_id, at, selected, extra, *columns in latest.values():
        values: Any = dict(zip(metric_keys, columns, strict=True)) if numbers else columns[0]
        metrics: Any = None if has_split else values
        by_split: Any = ({PUBLIC: values} if public_only else values) if has_split else None
        items = list(extra or []) if needs_items else []
        out.append(
            ranking.Entry(
                submission_id=sub_id,
                team_id=team_id,
                submitted_at=at,
                metrics=split_metrics(phase=phase, metrics=metrics, by_split=by_split, split=split),
                items=split_rows(phase=phase, items=items, split=split) if items else [],
                selected=bool(selected) and not public_only,
                public_metrics=None
                if public_only
                else split_metrics(phase=phase, metrics=metrics, by_split=by_split, split=PUBLIC),
                public_items=None
                if public_only
                else (split_rows(phase=phase, items=items, split=PUBLIC) if items else []),
            )
        )
    return out


def team_names(*, db: Session, team_ids: set[int]) -> dict[int, str]:
    if not team_ids:
        return {}
    query = sa_select(Team.id, Team.name).where(col(Team.id).in_(team_ids))  # type: ignore[call-overload]
    return {team_id: name for team_id, name in db.connection().execute(query).all()}


def reviews(*, db: Session, phase_id: int) -> dict[int, SubmissionReview]:
    return {
        r.submission_id: r
        for r in db.exec(select(SubmissionReview).where(SubmissionReview.phase_id == phase_id))
    }


def live_board(*, db: Session, phase: Phase, split: str, staff: bool) -> Leaderboard:
    """The board as it stands now (see `live_board_data`), as the API model."""
    return Leaderboard.model_validate(live_board_data(db=db, phase=phase, split=split, staff=staff))


# Every field in the model's order (`|` keeps the left side's order): rows encode as models do.
_ROW_TEMPLATE = {
    k: None if f.is_required() else f.default for k, f in LeaderboardRow.model_fields.items()
}


def live_board_data(*, db: Session, phase: Phase, split: str, staff: bool) -> dict[str, Any]:
    """The board as it stands now, as plain values in the API model's field order (encoded
    as is: building a thousand row models would cost more than reading the rows).

    Staff get live values; others get the frozen view when frozen, and never the judges'
    flags before publication (verifying the top K would hint at the private order). Rows come
    from the ranked table (standings.py)."""
    from jiebang.leaderboards import standings  # built on this module's queries

    track = track_of(db=db, phase=phase)
    columns, _, _ = board_columns(track=track)
    frozen = is_frozen(phase=phase)
    kept = split if not frozen or staff else standings.FROZEN
    if kept == standings.FROZEN and split == PRIVATE:
        kept = standings.FROZEN_PRIVATE
    ranked = standings.standings(db=db, phase=phase, split=kept)
    names: dict[int, str] = {}
    if any(r.team_name is None for r in ranked):
        names = team_names(db=db, team_ids={r.team_id for r in ranked})
    show_review = staff or phase.published_at is not None
    review = reviews(db=db, phase_id=phase.id or 0) if show_review and ranked else {}
    rows = []
    for position, r in enumerate(ranked, start=1):
        state = review.get(r.submission_id)
        rows.append(
            _ROW_TEMPLATE
            | {
                "rank": position,
                "team_id": r.team_id,
                "team_name": r.team_name if r.team_name is not None else names.get(r.team_id, ""),
                "submission_id": r.submission_id,
                "scores": r.scores,
                "submitted_at": r.submitted_at,
                "verified": bool(state and state.verified),
                "flagged": bool(state and state.flagged),
            }
        )
    values = {
        "phase_id": phase.id or 0,
        "columns": [to_public_column(c).model_dump() for c in columns],
        "rows": rows,
        "split": "private" if split == PRIVATE else "public",
        "frozen": frozen,
        "published": phase.published_at is not None,
    }
    return {
        name: values[name] if name in values else field.get_default(call_default_factory=True)
        for name, field in Leaderboard.model_fields.items()
    }


def to_public_column(column: ranking.Column) -> LeaderboardColumn:
    return LeaderboardColumn(
        key=column.key,
        label_zh=column.label_zh,
        label_en=column.label_en,
        direction="higher" if column.direction == "higher" else "lower",
        precision=column.precision,
    )
