"""The inbox, the email outbox (the email queue's source of truth) and preferences."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlmodel import JSON, Column, Field, SQLModel, UniqueConstraint

from jiebang.db import EnumString, UTCDateTime, utcnow


class EmailStatus(StrEnum):
    pending = "pending"
    sent = "sent"
    failed = "failed"  # gave up after email_max_attempts


class Notification(SQLModel, table=True):
    __tablename__ = "notification"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    kind: str = Field(max_length=48)
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    link: str = Field(default="", max_length=300)
    read_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class EmailMessage(SQLModel, table=True):
    __tablename__ = "notification_email"

    id: int | None = Field(default=None, primary_key=True)
    notification_id: int | None = Field(default=None, foreign_key="notification.id", index=True)
    recipient: str = Field(max_length=320)
    subject: str = Field(max_length=300)
    body: str = Field(max_length=20000)
    status: EmailStatus = Field(
        default=EmailStatus.pending,
        sa_column=Column(EnumString(EmailStatus, 16), nullable=False, index=True),
    )
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_error: str = Field(default="", max_length=1000)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class NotificationPreference(SQLModel, table=True):
    """A user's choice for one kind: the inbox always gets it, email only when on."""

    __tablename__ = "notification_preference"
    __table_args__ = (UniqueConstraint("user_id", "kind", name="uq_notification_preference"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    kind: str = Field(max_length=48)
    email: bool = True


class NotificationPublic(SQLModel):
    id: int
    kind: str
    title: str
    body: str
    link: str
    read: bool
    created_at: datetime


class PreferencePublic(SQLModel):
    kind: str
    email: bool
    in_app: bool = True


class PreferenceUpdate(SQLModel):
    kind: str = Field(max_length=48)
    email: bool
