"""The append-only audit log: every judging and organiser action, never changed afterwards."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlmodel import Session, col, select

from jiebang.auth.models import User
from jiebang.core.errors import DomainError
from jiebang.judging.models import AuditLog


@event.listens_for(AuditLog, "before_update")
def _refuse_update(*_: Any) -> None:
    raise DomainError("immutable_record")


@event.listens_for(AuditLog, "before_delete")
def _refuse_delete(*_: Any) -> None:
    raise DomainError("immutable_record")


def record(
    *,
    db: Session,
    user: User | None,
    action: str,
    phase_id: int | None = None,
    submission_id: int | None = None,
    reason: str = "",
    details: dict[str, Any] | None = None,
) -> AuditLog:
    """Append one entry (the caller commits, together with the change it describes)."""
    entry = AuditLog(
        actor_id=user.id if user else None,
        actor=f"{user.role}:{user.id} {user.display_name}"[:120] if user else "system",
        action=action,
        phase_id=phase_id,
        submission_id=submission_id,
        reason=reason[:2000],
        details=details or {},
    )
    db.add(entry)
    return entry


def entries(
    *,
    db: Session,
    phase_id: int | None = None,
    submission_id: int | None = None,
    limit: int = 500,
    before_id: int | None = None,
) -> list[AuditLog]:
    """Newest first, optionally for one phase or one submission."""
    query = select(AuditLog).order_by(col(AuditLog.id).desc()).limit(limit)
    if phase_id is not None:
        query = query.where(AuditLog.phase_id == phase_id)
    if submission_id is not None:
        query = query.where(AuditLog.submission_id == submission_id)
    if before_id is not None:
        query = query.where(col(AuditLog.id) < before_id)
    return list(db.exec(query))
