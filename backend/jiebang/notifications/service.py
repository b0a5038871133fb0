"""The inbox and preferences: every notification lands in the inbox; email follows the choice."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlmodel import Session, col, func, select

from jiebang.auth.models import User
from jiebang.core.errors import NotFound
from jiebang.db import utcnow
from jiebang.notifications.config import get_notification_settings
from jiebang.notifications.models import (
    EmailMessage,
    Notification,
    NotificationPreference,
    NotificationPublic,
    PreferencePublic,
)
from jiebang.notifications.templates import KINDS, render


def notify(
    *, db: Session, user_ids: Iterable[int], kind: str, link: str = "", **data: Any
) -> list[int]:
    """Put one notification in each user's inbox and queue its email where the user wants one.

    The caller commits, then calls ``mailer.wake()``; returns the ids of the queued emails.
    """
    ids = sorted({int(u) for u in user_ids if u})
    if not ids:
        return []
    users = db.exec(select(User).where(col(User.id).in_(ids))).all()
    no_email = set(
        db.exec(
            select(NotificationPreference.user_id).where(
                col(NotificationPreference.user_id).in_(ids),
                NotificationPreference.kind == kind,
                NotificationPreference.email == False,  # noqa: E712 - SQL comparison
            )
        ).all()
    )
    emails: list[EmailMessage] = []
    site = get_notification_settings().public_url.rstrip("/")
    for user in users:
        if not user.is_active:
            continue
        note = Notification(user_id=user.id or 0, kind=kind, data=_jsonable(data), link=link)
        db.add(note)
        if user.id in no_email:
            continue
        db.flush()
        text = render(kind, str(user.locale), data)
        body = text.body + (f"\n\n{site}{link}" if link else "")
        email = EmailMessage(
            notification_id=note.id, recipient=user.email, subject=text.title[:300], body=body
        )
        db.add(email)
        emails.append(email)
    db.flush()
    return [e.id or 0 for e in emails]


def _jsonable(data: dict[str, Any]) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in data.items()}


def to_public(note: Notification, locale: str) -> NotificationPublic:
    text = render(note.kind, locale, note.data)
    return NotificationPublic(
        id=note.id or 0,
        kind=note.kind,
        title=text.title,
        body=text.body,
        link=note.link,
        read=note.read_at is not None,
        created_at=note.created_at,
    )


def inbox(
    *, db: Session, user: User, unread_only: bool = False, limit: int = 50, before_id: int = 0
) -> list[NotificationPublic]:
    """The user's notifications, newest first, rendered in the user's locale."""
    query = select(Notification).where(Notification.user_id == user.id)
    if unread_only:
        query = query.where(col(Notification.read_at).is_(None))
    if before_id:
        query = query.where(col(Notification.id) < before_id)
    rows = db.exec(query.order_by(col(Notification.id).desc()).limit(limit)).all()
    return [to_public(n, str(user.locale)) for n in rows]


def unread_count(*, db: Session, user: User) -> int:
    """How many of the user's notifications are unread (the header's badge)."""
    query = select(func.count()).where(
        Notification.user_id == user.id, col(Notification.read_at).is_(None)
    )
    return int(db.exec(query).one())


def mark_read(*, db: Session, user: User, notification_id: int) -> None:
    """Mark one of the user's notifications read (another user's reads as not found)."""
    note = db.get(Notification, notification_id)
    if note is None or note.user_id != user.id:
        raise NotFound("notification")
    if note.read_at is None:
        note.read_at = utcnow()
        db.add(note)
        db.commit()


def mark_all_read(*, db: Session, user: User) -> int:
    """Mark every unread notification of the user read; returns how many."""
    rows = db.exec(
        select(Notification).where(
            Notification.user_id == user.id, col(Notification.read_at).is_(None)
        )
    ).all()
    now = utcnow()
    for note in rows:
        note.read_at = now
        db.add(note)
    db.commit()
    return len(rows)


def preferences(*, db: Session, user: User) -> list[PreferencePublic]:
    """Every kind with the user's email choice (on unless turned off); in-app is always on."""
    off = {
        p.kind: p.email
        for p in db.exec(
            select(NotificationPreference).where(NotificationPreference.user_id == user.id)
        )
    }
    return [PreferencePublic(kind=k, email=off.get(k, True)) for k in KINDS]


def set_preference(*, db: Session, user: User, kind: str, email: bool) -> list[PreferencePublic]:
    """Turn email for one kind on or off."""
    if kind not in KINDS:
        raise NotFound("notification_kind")
    found = db.exec(
        select(NotificationPreference).where(
            NotificationPreference.user_id == user.id, NotificationPreference.kind == kind
        )
    ).first()
    found = found or NotificationPreference(user_id=user.id or 0, kind=kind)
    found.email = email
    db.add(found)
    db.commit()
    return preferences(db=db, user=user)
