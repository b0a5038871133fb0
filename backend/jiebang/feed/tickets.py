"""Issuing and redeeming stream tickets (any API process may redeem what another issued)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from sqlalchemy import CursorResult, delete
from sqlmodel import Session, col, select

from jiebang.core.errors import Unauthorized
from jiebang.db import utcnow
from jiebang.feed.models import StreamTicket

TICKET_SECONDS = 60


def _digest(ticket: str) -> str:
    return hashlib.sha256(ticket.encode()).hexdigest()


def issue(*, db: Session, user_id: int) -> str:
    """A new ticket for the user, valid once within TICKET_SECONDS; expired ones are swept."""
    now = utcnow()
    db.execute(delete(StreamTicket).where(col(StreamTicket.expires_at) < now))
    ticket = secrets.token_urlsafe(32)
    db.add(
        StreamTicket(
            digest=_digest(ticket),
            user_id=user_id,
            expires_at=now + timedelta(seconds=TICKET_SECONDS),
        )
    )
    db.commit()
    return ticket


def redeem(*, db: Session, ticket: str) -> int:
    """The user id the ticket was issued to; the ticket is spent. 401 if unknown, used or old."""
    digest = _digest(ticket)
    found = db.exec(
        select(StreamTicket.user_id, StreamTicket.expires_at).where(StreamTicket.digest == digest)
    ).first()
    if found is None:
        raise Unauthorized()
    # the delete decides: of two processes redeeming the same ticket at once, one removes it
    spent: CursorResult[Any] = db.execute(  # type: ignore[assignment]
        delete(StreamTicket).where(col(StreamTicket.digest) == digest)
    )
    db.commit()
    user_id, expires_at = found
    if spent.rowcount != 1 or expires_at <= utcnow():
        raise Unauthorized()
    return int(user_id)
