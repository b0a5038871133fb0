"""Where a contest or phase stands in time (running, upcoming, past), read from phase dates,
and whether a phase's final results may be published yet."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, func, select

from jiebang.contests.models import Contest, ContestPublic, Phase, PhasePublic, Track
from jiebang.core.i18n import Locale, translate
from jiebang.db import utcnow

Stage = Literal["running", "upcoming", "past"]


def stage_of(starts_at: datetime | None, ends_at: datetime | None, now: datetime) -> Stage:
    """Running between the first start and the last end; a contest with no phase is upcoming."""
    if starts_at is None or ends_at is None or now < starts_at:
        return "upcoming"
    return "running" if now < ends_at else "past"


def contest_windows(
    db: Session, contest_ids: list[int]
) -> dict[int, tuple[datetime | None, datetime | None]]:
    """Per contest: the earliest phase start and the latest phase end."""
    if not contest_ids:
        return {}
    rows = db.exec(
        select(Track.contest_id, func.min(Phase.starts_at), func.max(Phase.ends_at))
        .join(Phase, col(Phase.track_id) == Track.id)
        .where(col(Track.contest_id).in_(contest_ids))
        .group_by(col(Track.contest_id))
    ).all()
    return {contest_id: (start, end) for contest_id, start, end in rows}


def contest_public(
    contest: Contest, window: tuple[datetime | None, datetime | None], now: datetime
) -> ContestPublic:
    starts, ends = window
    return ContestPublic.model_validate(
        contest,
        update={"stage": stage_of(starts, ends, now), "opens_at": starts, "closes_at": ends},
    )


def contests_public(db: Session, contests: list[Contest]) -> list[ContestPublic]:
    windows = contest_windows(db, [c.id or 0 for c in contests])
    now = utcnow()
    return [contest_public(c, windows.get(c.id or 0, (None, None)), now) for c in contests]


def local_time(moment: datetime, timezone: str) -> str:
    """``2024-08-31 23:59 (Asia/Shanghai)``: how people of the contest read a moment."""
    return f"{moment.astimezone(ZoneInfo(timezone)):%Y-%m-%d %H:%M} ({timezone})"


def timezone_of(db: Session, phase: Phase) -> str:
    track = db.get(Track, phase.track_id)
    contest = db.get(Contest, track.contest_id) if track else None
    return contest.timezone if contest else "UTC"


def publish_blocked(phase: Phase, timezone: str, locale: Locale, now: datetime) -> str | None:
    """Why the final results cannot be published now (None: nothing in time blocks it)."""
    if now < phase.ends_at:
        date = local_time(phase.ends_at, timezone)
        return translate("phase_not_ended", locale, thing="phase", date=date)
    return None


def phase_public(
    phase: Phase, *, timezone: str, locale: Locale, now: datetime | None = None
) -> PhasePublic:
    """The phase with its stage and whether its results may be published, for the UI."""
    moment = now or utcnow()
    reason = publish_blocked(phase, timezone, locale, moment)
    return PhasePublic.model_validate(
        phase,
        update={
            "stage": stage_of(phase.starts_at, phase.ends_at, moment),
            "timezone": timezone,
            "can_publish": reason is None,
            "publish_blocked_reason": reason,
            "publishable_from": phase.ends_at,
        },
    )
