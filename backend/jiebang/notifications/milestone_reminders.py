"""The reminder source for milestones due in 7 days (acceptance/ holds the dates)."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from jiebang.acceptance import views as acceptance_views
from jiebang.notifications.reminders import Reminder


def due(db: Session, notice: timedelta) -> list[Reminder]:
    """One reminder per milestone due within ``notice`` that has no report yet."""
    return [
        Reminder(
            kind="milestone.due",
            user_ids=found.user_ids,
            link=f"/items/{found.item.id}#milestone-{found.milestone.id}",
            data={
                "item": {
                    "zh-CN": f"{found.item.code} {found.item.title_zh}".strip(),
                    "en": f"{found.item.code} {found.item.title_en or found.item.title_zh}".strip(),
                },
                "item_id": found.item.id,
                "milestone": found.milestone.title,
                "due": found.milestone.due_date.isoformat(),
            },
        )
        for found in acceptance_views.due_within(db=db, window=notice)
    ]
