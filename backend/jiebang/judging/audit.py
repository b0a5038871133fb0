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


def changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """``{field: {"before": old, "after": new}}`` for the fields an edit changed."""
    return {
        name: {"before": before.get(name), "after": value}
        for name, value in after.items()
        if before.get(name) != value
    }


def snapshot(row: Any) -> dict[str, Any]:
    """A row's fields as JSON-ready values, to compare before and after an edit."""
    return dict(row.model_dump(mode="json"))


def record_edit(
    *, db: Session, user: User, action: str, before: dict[str, Any], row: Any, **where: Any
) -> AuditLog | None:
    """Append an edit's fields before and after (nothing when nothing changed); commits."""
    changed = changes(before, snapshot(row))
    if not changed:
        return None
    entry = record(
        db=db, user=user, action=action, details={"id": row.id, "changes": changed}, **where
    )
    db.commit()
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
