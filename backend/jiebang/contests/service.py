"""Contests, tracks and phases: organiser edits and published reads."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from jiebang.contests.models import (
    Contest,
    ContestCreate,
    ContestUpdate,
    Phase,
    PhaseCreate,
    PhaseUpdate,
    PublicationStatus,
    Track,
    TrackCreate,
    TrackUpdate,
)
from jiebang.core.errors import Conflict, InvalidInput, NotFound
from jiebang.db import save
from jiebang.evaluation import registry


def get_contest(*, db: Session, contest_id: int, include_drafts: bool) -> Contest:
    """The contest, or 404 (drafts are invisible to non-staff)."""
    contest = db.get(Contest, contest_id)
    if contest is None or (contest.status != PublicationStatus.published and not include_drafts):
        raise NotFound("contest")
    return contest


def list_contests(*, db: Session, include_drafts: bool) -> list[Contest]:
    """Contests, newest first."""
    query = select(Contest).order_by(col(Contest.year).desc(), col(Contest.id).desc())
    if not include_drafts:
        query = query.where(Contest.status == PublicationStatus.published)
    return list(db.exec(query))


def _commit_unique(db: Session, thing: str) -> None:
    try:
        db.commit()
    except IntegrityError as exc:
        db.rollback()
        raise Conflict(thing) from exc


def create_contest(*, db: Session, contest_in: ContestCreate) -> Contest:
    """A new draft contest; 409 if the slug is taken."""
    contest = Contest.model_validate(contest_in)
    db.add(contest)
    _commit_unique(db, "contest")
    db.refresh(contest)
    return contest


def update_contest(*, db: Session, contest: Contest, contest_in: ContestUpdate) -> Contest:
    """Apply the given fields."""
    contest.sqlmodel_update(contest_in.model_dump(exclude_unset=True, exclude_none=True))
    return save(db, contest)


def set_contest_status(*, db: Session, contest: Contest, status: PublicationStatus) -> Contest:
    """Publish or unpublish a contest."""
    contest.status = status
    return save(db, contest)


# ---------------------------------------------------------------- tracks
def list_tracks(*, db: Session, contest_id: int) -> list[Track]:
    """A contest's tracks in creation order."""
    return list(db.exec(select(Track).where(Track.contest_id == contest_id).order_by(Track.id)))  # type: ignore[arg-type]


def get_track(*, db: Session, track_id: int, include_drafts: bool) -> Track:
    """The track, or 404 if it or its contest is not visible."""
    track = db.get(Track, track_id)
    if track is None:
        raise NotFound("track")
    get_contest(db=db, contest_id=track.contest_id, include_drafts=include_drafts)
    return track


def _check_evaluator(key: str, version: str, config: dict[str, object]) -> None:
    problem = registry.check_track_config(key=key, version=version, config=config)
    if problem is not None:
        field, message = problem
        raise InvalidInput(field, "validation_message", message=message)


def create_track(*, db: Session, contest: Contest, track_in: TrackCreate) -> Track:
    """A new track on a known evaluator with a valid configuration."""
    _check_evaluator(track_in.evaluator_key, track_in.evaluator_version, track_in.evaluator_config)
    track = Track.model_validate(track_in, update={"contest_id": contest.id})
    db.add(track)
    _commit_unique(db, "track")
    db.refresh(track)
    return track


def update_track(*, db: Session, track: Track, track_in: TrackUpdate) -> Track:
    """Apply the given fields, re-checking the evaluator configuration."""
    changes = track_in.model_dump(exclude_unset=True, exclude_none=True)
    if changes.get("evaluator_key", track.evaluator_key) != track.evaluator_key:
        submitted = _submission_count(db, track)
        if submitted:
            raise Conflict("track", key="evaluator_in_use", count=submitted)
    _check_evaluator(
        changes.get("evaluator_key", track.evaluator_key),
        changes.get("evaluator_version", track.evaluator_version),
        changes.get("evaluator_config", track.evaluator_config),
    )
    track.sqlmodel_update(changes)
    return save(db, track)


def _submission_count(db: Session, track: Track) -> int:
    from sqlalchemy import func

    from jiebang.submissions.models import Submission

    query = (
        select(func.count())
        .select_from(Submission)
        .join(Phase, col(Phase.id) == col(Submission.phase_id))
        .where(Phase.track_id == track.id)
    )
    return int(db.exec(query).one())


# ---------------------------------------------------------------- phases
def list_phases(*, db: Session, track_id: int) -> list[Phase]:
    """A track's phases in time order."""
    return list(db.exec(select(Phase).where(Phase.track_id == track_id).order_by(Phase.starts_at)))  # type: ignore[arg-type]


def get_phase(*, db: Session, phase_id: int, include_drafts: bool) -> Phase:
    """The phase, or 404 if it or its contest is not visible."""
    phase = db.get(Phase, phase_id)
    if phase is None:
        raise NotFound("phase")
    get_track(db=db, track_id=phase.track_id, include_drafts=include_drafts)
    return phase


def create_phase(*, db: Session, track: Track, phase_in: PhaseCreate) -> Phase:
    """A new phase of a track."""
    phase = Phase.model_validate(phase_in, update={"track_id": track.id})
    db.add(phase)
    _commit_unique(db, "phase")
    db.refresh(phase)
    return phase


# The phase's cross-field rules (PhaseBase._dates_in_order), by a fragment of their message:
# which field the organiser should look at, and the message key.
_PHASE_RULES = (
    ("freeze_at", "freeze_at", "phase_freeze"),
    ("an item cannot", "private_item_ids", "phase_split"),
)


def update_phase(*, db: Session, phase: Phase, phase_in: PhaseUpdate) -> Phase:
    """Apply the given fields; the merged phase must still be consistent, and once its
    results are published the freeze no longer moves (the results are already final)."""
    changes = phase_in.model_dump(exclude_unset=True)
    moves_freeze = "freeze_at" in changes and changes["freeze_at"] != phase.freeze_at
    if phase.published_at is not None and moves_freeze:
        raise Conflict("phase", key="phase_published")
    for side in ("public_item_ids", "private_item_ids"):
        if side in changes and changes[side] is None:
            changes.pop(side)  # null: leave the split as it is
        elif side in changes:
            changes[side] = list(dict.fromkeys(str(item) for item in changes[side]))
    moves_split = any(
        side in changes and changes[side] != getattr(phase, side)
        for side in ("public_item_ids", "private_item_ids")
    )
    if phase.published_at is not None and moves_split:
        raise Conflict("phase", key="split_published")
    for name, value in changes.items():
        if isinstance(value, datetime) and value.tzinfo is None:
            raise InvalidInput(name, "phase_timezone")
    merged = {name: getattr(phase, name) for name in PhaseCreate.model_fields} | changes
    try:
        PhaseCreate.model_validate(merged)
    except ValueError as exc:
        text = str(exc)
        field, key = next(
            ((f, k) for prefix, f, k in _PHASE_RULES if prefix in text), ("ends_at", "phase_dates")
        )
        raise InvalidInput(field, key) from exc
    phase.sqlmodel_update(changes)
    return save(db, phase)
