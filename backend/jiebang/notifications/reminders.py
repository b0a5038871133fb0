"""Reminders of dates to come (milestone due in 7 days), sent once by the housekeeping duty.

A domain that holds dated duties (appointments/ for milestones) registers a source at import:
``register(source)``; a source returns the reminders due now. Each reminder is sent once per
user and link, so the duty may run every few seconds without repeating itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlmodel import Session, select

from jiebang.notifications import service
from jiebang.notifications.models import Notification

MILESTONE_NOTICE = timedelta(days=7)


@dataclass(frozen=True)
class Reminder:
    kind: str  # e.g. "milestone.due"
    user_ids: tuple[int, ...]
    link: str  # names the dated thing: one reminder per user and link
    data: dict[str, Any] = field(default_factory=dict)


Source = Callable[[Session, timedelta], list[Reminder]]
SOURCES: list[Source] = []


def register(source: Source) -> None:
    if source not in SOURCES:
        SOURCES.append(source)


def send_due(db: Session) -> int:
    """Notify each reminder's users who were not reminded yet; returns the emails queued."""
    queued = 0
    for source in list(SOURCES):
        for reminder in source(db, MILESTONE_NOTICE):
            told = set(
                db.exec(
                    select(Notification.user_id).where(
                        Notification.kind == reminder.kind, Notification.link == reminder.link
                    )
                ).all()
            )
            fresh = [u for u in reminder.user_ids if u not in told]
            queued += len(
                service.notify(
                    db=db, user_ids=fresh, kind=reminder.kind, link=reminder.link, **reminder.data
                )
            )
    db.commit()
    return queued
