"""Stream tickets: single use, short-lived, redeemable by any process (they live in the database)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session

from jiebang.auth import service as user_service
from jiebang.auth.models import UserCreate
from jiebang.core.errors import Unauthorized
from jiebang.db import utcnow
from jiebang.feed import tickets
from jiebang.feed.models import StreamTicket


def test_a_ticket_is_spent_once_and_not_after_it_expires(db: Session) -> None:
    user = user_service.create(
        db=db,
        user_in=UserCreate(email="t@example.org", display_name="t", password="long enough pw"),
    )
    ticket = tickets.issue(db=db, user_id=user.id or 0)
    assert tickets.redeem(db=db, ticket=ticket) == user.id
    with pytest.raises(Unauthorized):
        tickets.redeem(db=db, ticket=ticket)
    with pytest.raises(Unauthorized):
        tickets.redeem(db=db, ticket="never-issued")

    old = tickets.issue(db=db, user_id=user.id or 0)
    row = db.get(StreamTicket, tickets._digest(old))
    assert row is not None and old not in row.digest  # only a hash is stored
    row.expires_at = utcnow() - timedelta(seconds=1)
    db.add(row)
    db.commit()
    with pytest.raises(Unauthorized):
        tickets.redeem(db=db, ticket=old)
