"""The reminder source for milestones due in 7 days (acceptance/ holds the dates).

"Due in 7 days" is read on the list's calendar, as its deadlines are: a milestone due
2027-03-10 in Asia/Shanghai is due from 2027-03-03 00:00 Shanghai time (2027-03-02 16:00 UTC)
to the end of 2027-03-10 there. Every zone's today is within a day of UTC's, so the query
reads one day more on each side and each list's own today decides; ``reminders.send_due``
sends each reminder once per user and link.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from jiebang.acceptance import service as acceptance_service
from jiebang.acceptance.models import Milestone
from jiebang.challenge_lists.models import ChallengeItem, ChallengeList
from jiebang.db import utcnow
from jiebang.notifications.reminders import Reminder

ONE_DAY = timedelta(days=1)


def local_today(now: datetime, zone: str) -> date:
    """The date it is at ``now`` in the zone (UTC for a zone the system does not know)."""
    try:
        return now.astimezone(ZoneInfo(zone)).date()
    except (KeyError, ValueError):
        return now.date()


def _reminder(db: Session, milestone: Milestone, item: ChallengeItem) -> Reminder | None:
    """The reminder, or None when nobody is left to remind."""
    appointment = acceptance_service.appointment_of(db=db, item=item)
    if appointment is None:
        return None
    users = acceptance_service.to_remind(db=db, appointment=appointment, milestone=milestone)
    if not users:
        return None
    return Reminder(
        kind="milestone.due",
        user_ids=users,
        link=f"/items/{item.id}#milestone-{milestone.id}",
        data={
            "item": {
                "zh-CN": f"{item.code} {item.title_zh}".strip(),
                "en": f"{item.code} {item.title_en or item.title_zh}".strip(),
            },
            "item_id": item.id,
            "milestone": milestone.title,
            "due": milestone.due_date.isoformat(),
        },
    )


def due(db: Session, notice: timedelta, *, now: datetime | None = None) -> list[Reminder]:
    """One reminder per milestone due from the list's today to ``notice`` ahead (both days
    included, on the list's calendar), to the appointees that have not reported on it nor
    been decided."""
    now = now or utcnow()
    utc_today = now.astimezone(ZoneInfo("UTC")).date()
    rows = db.exec(
        select(Milestone, ChallengeItem, ChallengeList)
        .join(ChallengeItem, col(ChallengeItem.id) == col(Milestone.item_id))
        .join(ChallengeList, col(ChallengeList.id) == col(ChallengeItem.list_id))
        .where(
            col(Milestone.due_date) >= utc_today - ONE_DAY,
            col(Milestone.due_date) <= utc_today + notice + ONE_DAY,
        )
        .order_by(col(Milestone.due_date), col(Milestone.id))
    ).all()
    found = []
    for milestone, item, challenge_list in rows:
        today = local_today(now, challenge_list.timezone)
        if not today <= milestone.due_date <= today + notice:
            continue
        reminder = _reminder(db, milestone, item)
        if reminder is not None:
            found.append(reminder)
    return found
