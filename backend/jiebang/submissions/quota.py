"""Per-team quotas: per calendar day in the contest's time zone, in total, and concurrently."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, func, select

from jiebang.contests.models import Phase
from jiebang.submissions.models import ACTIVE, Quota, Submission


def day_bounds(moment: datetime, timezone: str) -> tuple[datetime, datetime]:
    """Start and end (UTC) of the calendar day holding ``moment`` in ``timezone``."""
    zone = ZoneInfo(timezone)
    local_day = moment.astimezone(zone).date()
    start = datetime.combine(local_day, time.min, tzinfo=zone)
    end = datetime.combine(local_day + timedelta(days=1), time.min, tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def compute(*, db: Session, phase: Phase, team_id: int, timezone: str, now: datetime) -> Quota:
    """What the team has used and has left; refunded and rejected submissions never count."""
    start, end = day_bounds(now, timezone)
    charged = select(func.count()).where(
        Submission.phase_id == phase.id, Submission.team_id == team_id, col(Submission.charged)
    )
    used_total = db.exec(charged).one()
    used_today = db.exec(
        charged.where(col(Submission.queued_at) >= start, col(Submission.queued_at) < end)
    ).one()
    running = db.exec(
        select(func.count()).where(
            Submission.phase_id == phase.id,
            Submission.team_id == team_id,
            col(Submission.status).in_([s.value for s in ACTIVE]),
        )
    ).one()
    return Quota(
        daily_quota=phase.daily_quota,
        total_quota=phase.total_quota,
        concurrent_limit=phase.concurrent_quota,
        used_today=used_today,
        used_total=used_total,
        running=running,
        remaining_today=max(0, phase.daily_quota - used_today),
        remaining_total=max(0, phase.total_quota - used_total),
        resets_at=end,
        timezone=timezone,
    )


def refusal(quota: Quota) -> tuple[str, dict[str, object]] | None:
    """The catalogue key and parameters explaining why a new submission is refused, or None."""
    if quota.remaining_total <= 0:
        return "quota_total", {"limit": quota.total_quota}
    if quota.remaining_today <= 0:
        local = quota.resets_at.astimezone(ZoneInfo(quota.timezone))
        return "quota_daily", {
            "limit": quota.daily_quota,
            "resets_at": f"{local:%Y-%m-%d %H:%M} ({quota.timezone})",
        }
    if quota.running >= quota.concurrent_limit:
        return "quota_concurrent", {"limit": quota.concurrent_limit}
    return None
