"""The inbox API, email preferences, and organisers' messages to participants and applicants."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, status
from sqlmodel import SQLModel

from jiebang.auth.dependencies import CurrentUser, Organiser, SessionDep
from jiebang.auth.models import User
from jiebang.challenge_lists.models import ChallengeItem
from jiebang.contests.models import Contest
from jiebang.core import health_probes
from jiebang.core.errors import NotFound
from jiebang.notifications import mailer, messaging, service
from jiebang.notifications.models import NotificationPublic, PreferencePublic, PreferenceUpdate
from jiebang.organisations.models import ScopedRole
from jiebang.organisations.permissions import Permission

router = APIRouter(tags=["notifications"])
ScopedOrganiser = Annotated[User, Depends(Permission(ScopedRole.organiser))]


class UnreadCount(SQLModel):
    unread: int


class Marked(SQLModel):
    marked: int


@router.get("/notifications")
def list_notifications(
    user: CurrentUser,
    db: SessionDep,
    unread: bool = False,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    before_id: Annotated[int, Query(ge=0)] = 0,
) -> list[NotificationPublic]:
    """The user's inbox, newest first, in the user's locale (page with before_id)."""
    return service.inbox(db=db, user=user, unread_only=unread, limit=limit, before_id=before_id)


@router.get("/notifications/unread-count")
def unread_count(user: CurrentUser, db: SessionDep) -> UnreadCount:
    """The header's badge."""
    return UnreadCount(unread=service.unread_count(db=db, user=user))


@router.post("/notifications/{notification_id}/read", status_code=status.HTTP_204_NO_CONTENT)
def mark_read(notification_id: int, user: CurrentUser, db: SessionDep) -> None:
    service.mark_read(db=db, user=user, notification_id=notification_id)


@router.post("/notifications/read-all")
def mark_all_read(user: CurrentUser, db: SessionDep) -> Marked:
    return Marked(marked=service.mark_all_read(db=db, user=user))


@router.get("/notifications/preferences")
def get_preferences(user: CurrentUser, db: SessionDep) -> list[PreferencePublic]:
    """Each kind: in-app always, email on or off."""
    return service.preferences(db=db, user=user)


@router.put("/notifications/preferences")
def put_preference(
    body: PreferenceUpdate, user: CurrentUser, db: SessionDep
) -> list[PreferencePublic]:
    return service.set_preference(db=db, user=user, kind=body.kind, email=body.email)


@router.post("/contests/{contest_id}/messages")
def message_contest(
    contest_id: int, body: messaging.ContestMessage, user: ScopedOrganiser, db: SessionDep
) -> messaging.MessageResult:
    """Message the contest's participants, filtered (dry_run: only count them)."""
    if db.get(Contest, contest_id) is None:
        raise NotFound("contest")
    recipients = messaging.contest_recipients(db=db, contest_id=contest_id, body=body)
    result = messaging.send_message(
        db=db,
        user=user,
        recipients=recipients,
        body=body,
        scope={"contest_id": contest_id},
        link=f"/contests/{contest_id}",
    )
    if result.sent:
        mailer.wake()
    return result


@router.post("/challenge-items/{item_id}/messages")
def message_applicants(
    item_id: int, body: messaging.ItemMessage, user: ScopedOrganiser, db: SessionDep
) -> messaging.MessageResult:
    """Message the item's applicants, filtered by application status (dry_run: count)."""
    if db.get(ChallengeItem, item_id) is None:
        raise NotFound("challenge item")
    recipients = messaging.item_recipients(db=db, item_id=item_id, body=body)
    result = messaging.send_message(
        db=db,
        user=user,
        recipients=recipients,
        body=body,
        scope={"item_id": item_id},
        link=f"/items/{item_id}",
    )
    if result.sent:
        mailer.wake()
    return result


@router.get("/admin/email-queue")
def email_queue(_: Organiser, db: SessionDep) -> dict[str, object]:
    """The email queue: pending, retrying, failed, sent, and the last error (platform
    organisers: the error as the SMTP server gave it, addresses included)."""
    return mailer.queue_health(db, health_probes.PLATFORM_AUDIENCE)
