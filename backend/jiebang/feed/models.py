"""Stream tickets: what a browser's EventSource presents instead of its access token."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from jiebang.db import UTCDateTime


class StreamTicket(SQLModel, table=True):
    """A short-lived, single-use ticket; only its SHA-256 is stored."""

    __tablename__ = "stream_ticket"

    digest: str = Field(primary_key=True, max_length=64)
    user_id: int = Field(foreign_key="user.id", index=True)
    expires_at: datetime = Field(sa_type=UTCDateTime, index=True)


class StreamTicketPublic(SQLModel):
    ticket: str
    expires_in: int  # seconds
