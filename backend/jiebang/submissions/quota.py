"""Per-team quotas: per calendar day in the contest's time zone, in total, concurrently, for
failed attempts, and for unfinished uploads.

Checks and charges happen under :func:`lock`, a per-team, per-phase row that every charge
writes first, so that two requests can never both see the last free slot.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, func, select

from jiebang.contests.models import Contest, Phase, Track
from jiebang.db import utcnow
from jiebang.submissions.archives import human_bytes
from jiebang.submissions.config import get_submission_settings
from jiebang.submissions.models import ACTIVE, Quota, QuotaCounter, Submission, SubmissionStatus

Refusal = tuple[str, dict[str, object]]


@dataclass(frozen=True)
class OpenUploadLimits:
    uploads: int
    bytes: int


def day_bounds(moment: datetime, timezone: str) -> tuple[datetime, datetime]:
    """Start and end (UTC) of the calendar day holding ``moment`` in ``timezone``."""
    zone = ZoneInfo(timezone)
    local_day = moment.astimezone(zone).date()
    start = datetime.combine(local_day, time.min, tzinfo=zone)
    end = datetime.combine(local_day + timedelta(days=1), time.min, tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def lock(db: Session, *, phase_id: int, team_id: int) -> None:
    """Hold the team's quota lock for this phase until the transaction ends.

    The row is created if missing, then updated: PostgreSQL makes a concurrent UPDATE of the
    row wait for this transaction (READ COMMITTED: the counts read next see its commit);
    SQLite's first write takes the database write lock, and reads after it are current.
    Call it before the transaction wrote anything else, and commit or roll back soon; never
    call storage while holding it (on SQLite it is the whole database's write lock).

    SQLite relies on the driver's default transaction handling (BEGIN right before the first
    write, reads before it outside any transaction), so the lock's write is the first thing
    the transaction does and reads after it are current; PostgreSQL relies on READ COMMITTED.
    Under a stricter isolation either one would fail with a conflict, never overcharge."""
    table = QuotaCounter.__table__  # type: ignore[attr-defined]
    insert = pg_insert if db.get_bind().dialect.name == "postgresql" else sqlite_insert
    db.execute(
        insert(table).values(phase_id=phase_id, team_id=team_id, changes=0).on_conflict_do_nothing()
    )
    db.execute(
        update(table)
        .where(table.c.phase_id == phase_id, table.c.team_id == team_id)
        .values(changes=table.c.changes + 1)
    )


def open_limits(track: Track) -> OpenUploadLimits:
    """The settings' limits on unfinished uploads; one upload of the track's largest
    allowed size always fits."""
    settings = get_submission_settings()
    return OpenUploadLimits(
        uploads=settings.max_open_uploads,
        bytes=max(settings.max_open_upload_bytes, track.max_submission_bytes),
    )


def for_team(*, db: Session, phase: Phase, track: Track, team_id: int) -> Quota:
    """The team's quota now, its day in the contest's time zone."""
    contest = db.get(Contest, track.contest_id)
    assert contest is not None
    return compute(
        db=db,
        phase=phase,
        team_id=team_id,
        timezone=contest.timezone,
        now=utcnow(),
        open_limits=open_limits(track),
    )


def daily_failed_quota(phase: Phase) -> int:
    """Failed attempts allowed per day: the phase's setting, else its daily quota."""
    return phase.daily_quota if phase.daily_failed_quota is None else phase.daily_failed_quota


def compute(
    *,
    db: Session,
    phase: Phase,
    team_id: int,
    timezone: str,
    now: datetime,
    open_limits: OpenUploadLimits,
) -> Quota:
    """What the team has used and has left; refunded, rejected and invalid ones never count
    against scoring (the last two count as failed attempts)."""
    start, end = day_bounds(now, timezone)
    mine = (Submission.phase_id == phase.id, Submission.team_id == team_id)
    charged = select(func.count()).where(*mine, col(Submission.charged))
    used_total = db.exec(charged).one()
    used_today = db.exec(
        charged.where(col(Submission.queued_at) >= start, col(Submission.queued_at) < end)
    ).one()
    failed_today = db.exec(
        select(func.count()).where(
            *mine,
            col(Submission.failed_charged),
            col(Submission.finished_at) >= start,
            col(Submission.finished_at) < end,
        )
    ).one()
    running = db.exec(
        select(func.count()).where(*mine, col(Submission.status).in_([s.value for s in ACTIVE]))
    ).one()
    open_count, open_bytes = db.exec(
        select(func.count(), func.coalesce(func.sum(Submission.declared_size), 0)).where(
            *mine, Submission.status == SubmissionStatus.uploading
        )
    ).one()
    failed_quota = daily_failed_quota(phase)
    return Quota(
        daily_quota=phase.daily_quota,
        total_quota=phase.total_quota,
        concurrent_limit=phase.concurrent_quota,
        used_today=used_today,
        used_total=used_total,
        running=running,
        remaining_today=max(0, phase.daily_quota - used_today),
        remaining_total=max(0, phase.total_quota - used_total),
        daily_failed_quota=failed_quota,
        failed_today=failed_today,
        failed_remaining_today=max(0, failed_quota - failed_today),
        open_uploads=open_count,
        open_uploads_limit=open_limits.uploads,
        open_upload_bytes=int(open_bytes),
        open_upload_bytes_limit=open_limits.bytes,
        resets_at=end,
        timezone=timezone,
    )


def _reset_time(quota: Quota) -> str:
    local = quota.resets_at.astimezone(ZoneInfo(quota.timezone))
    return f"{local:%Y-%m-%d %H:%M} ({quota.timezone})"


def refusal(quota: Quota, *, failed_attempts: bool = True) -> Refusal | None:
    """The catalogue key and parameters explaining why a submission may not be charged now.

    ``failed_attempts``: also refuse once the day's failed attempts are spent (new uploads);
    an upload already open is still charged and scored if it turns out valid."""
    if quota.remaining_total <= 0:
        return "quota_total", {"limit": quota.total_quota}
    if quota.remaining_today <= 0:
        return "quota_daily", {"limit": quota.daily_quota, "resets_at": _reset_time(quota)}
    if failed_attempts and quota.failed_remaining_today <= 0:
        return "quota_failed", {"limit": quota.daily_failed_quota, "resets_at": _reset_time(quota)}
    if quota.running >= quota.concurrent_limit:
        return "quota_concurrent", {"limit": quota.concurrent_limit}
    return None


def upload_refusal(quota: Quota, *, size: int) -> Refusal | None:
    """Why a new upload of ``size`` bytes may not be opened now, or None."""
    if (refused := refusal(quota)) is not None:
        return refused
    if quota.open_uploads >= quota.open_uploads_limit:
        return "open_uploads_full", {"count": quota.open_uploads, "limit": quota.open_uploads_limit}
    if quota.open_upload_bytes + size > quota.open_upload_bytes_limit:
        return "open_upload_bytes_full", {
            "count": quota.open_uploads,
            "used": human_bytes(quota.open_upload_bytes),
            "size": human_bytes(size),
            "limit": human_bytes(quota.open_upload_bytes_limit),
        }
    return None
