"""Conflicts of interest a reviewer declares (利益冲突申报): the reviewer recuses themselves (回避)
from the item, with the unit and the reason kept in the audit log.

The platform already refuses a reviewer who belongs to an applying unit; a declaration covers
what it cannot see (a recent collaboration, a former employer). It is refused once the reviewer
has handed in a score sheet for the item, since that sheet already counts in the ranking."""

from __future__ import annotations

from sqlmodel import Session, col, select

from jiebang.auth.models import User
from jiebang.challenge_lists.models import Application, ChallengeItem
from jiebang.core import domain_events
from jiebang.core.errors import Conflict, Forbidden, InvalidInput
from jiebang.judging import audit
from jiebang.organisations.models import RoleGrant, ScopedRole, ScopeKind
from jiebang.reviews import service
from jiebang.reviews.models import ConflictIn, ReviewerAssignment, ReviewSheet


def declare(*, db: Session, item: ChallengeItem, reviewer: User, body: ConflictIn) -> None:
    """Recuse the reviewer from the item: assignment, item role and draft sheets removed, audited."""
    item_id = item.id or 0
    if not service.is_assigned(db=db, item_id=item_id, reviewer_id=reviewer.id or 0):
        raise Forbidden("not_assigned_reviewer")
    applying = {
        a.id: a.applicant_org_id
        for a in db.exec(select(Application).where(Application.item_id == item_id))
    }
    if body.organisation_id is not None and body.organisation_id not in applying.values():
        raise InvalidInput("organisation_id", "not_an_applying_unit")
    sheets = db.exec(
        select(ReviewSheet).where(
            ReviewSheet.reviewer_id == reviewer.id, col(ReviewSheet.application_id).in_(applying)
        )
    ).all()
    if any(s.submitted_at is not None for s in sheets):
        raise Conflict("review", key="conflict_after_scoring")
    for sheet in sheets:
        db.delete(sheet)
    for row in db.exec(
        select(ReviewerAssignment).where(
            ReviewerAssignment.item_id == item_id, ReviewerAssignment.reviewer_id == reviewer.id
        )
    ):
        db.delete(row)
    for grant in db.exec(
        select(RoleGrant).where(
            RoleGrant.user_id == reviewer.id,
            RoleGrant.role == ScopedRole.reviewer,
            RoleGrant.scope_kind == ScopeKind.challenge_item,
            RoleGrant.scope_id == item_id,
        )
    ):
        db.delete(grant)
    audit.record(
        db=db,
        user=reviewer,
        action="reviewer.recused",
        reason=body.reason,
        details={"item_id": item_id, "organisation_id": body.organisation_id},
    )
    domain_events.announce(
        db,
        "reviewer.recused",
        item_id=item_id,
        reviewer_id=reviewer.id,
        organisation_id=body.organisation_id,
    )
    db.commit()
