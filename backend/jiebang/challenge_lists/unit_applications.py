"""Applications by units (揭榜单位): lead person, team, proposal and commitment letter, budget;
the formal check (形式审查) that completes or returns them, and the applicant's resubmission."""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO

from sqlmodel import Session, col, or_, select

from jiebang.auth.models import User
from jiebang.challenge_lists.models import (
    Application,
    ApplicationStatus,
    ChallengeItem,
    ChallengeList,
    FormalCheck,
    ListStatus,
    TeamMemberIn,
)
from jiebang.challenge_lists.service import (
    MAX_PROPOSAL_BYTES,
    _item_contest_ids,
    refuse_after_deadline,
)
from jiebang.core import domain_events
from jiebang.core.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound
from jiebang.db import save, utcnow
from jiebang.organisations import service as org_service
from jiebang.storage import service as storage_service
from jiebang.storage.backend import ObjectStore
from jiebang.storage.models import StoredObject
from jiebang.teams import service as team_service


@dataclass(frozen=True)
class Upload:
    field: str  # "proposal" or "commitment"
    filename: str
    stream: BinaryIO


@dataclass(frozen=True)
class UnitApplicationIn:
    organisation_id: int
    lead_name: str
    lead_email: str
    members: list[TeamMemberIn]
    budget_cny: int | None
    team_id: int | None
    summary: str


def _store_pdf(*, db: Session, store: ObjectStore, upload: Upload, user: User) -> StoredObject:
    if not upload.stream.read(5).startswith(b"%PDF-"):
        raise InvalidInput(upload.field, "document_not_pdf")
    upload.stream.seek(0)
    try:
        return storage_service.save_stream(
            db=db,
            store=store,
            stream=upload.stream,
            filename=upload.filename,
            prefix="proposals",
            owner_id=user.id,
            content_type="application/pdf",
            max_bytes=MAX_PROPOSAL_BYTES,
        )
    except storage_service.FileTooLarge as exc:
        raise InvalidInput(upload.field, "file_too_large", limit="50 MiB") from exc


def _check_team(*, db: Session, item: ChallengeItem, team_id: int | None, user: User) -> None:
    contest_ids = _item_contest_ids(db=db, item_id=item.id or 0)
    if team_id is None:
        if contest_ids:  # the item is scored on tracks: name the team that will be scored
            raise InvalidInput("team_id", "team_required")
        return
    team = team_service.get_member_team(db=db, team_id=team_id, user=user)
    if contest_ids and team.contest_id not in contest_ids:
        raise InvalidInput("team_id", "team_not_in_contest", contest=str(min(contest_ids)))


def apply(
    *,
    db: Session,
    store: ObjectStore,
    item: ChallengeItem,
    user: User,
    body: UnitApplicationIn,
    proposal: Upload,
    commitment: Upload,
) -> Application:
    """A unit takes up an item, before its deadline, with both PDFs kept in storage."""
    found = db.get(ChallengeList, item.list_id)
    if found is None or found.status != ListStatus.published:
        raise Forbidden("not_published", thing="challenge list")
    refuse_after_deadline(db=db, item=item)
    org_service.get(db=db, organisation_id=body.organisation_id)
    if not org_service.is_member(db=db, organisation_id=body.organisation_id, user_id=user.id or 0):
        raise InvalidInput("organisation_id", "not_a_member")
    _check_team(db=db, item=item, team_id=body.team_id, user=user)
    taken = db.exec(
        select(Application.id).where(
            Application.item_id == item.id, Application.applicant_org_id == body.organisation_id
        )
    ).first()
    if taken is not None:
        raise Conflict("application")
    proposal_obj = _store_pdf(db=db, store=store, upload=proposal, user=user)
    commitment_obj = _store_pdf(db=db, store=store, upload=commitment, user=user)
    app = Application(
        item_id=item.id or 0,
        team_id=body.team_id,
        applicant_id=user.id or 0,
        applicant_org_id=body.organisation_id,
        summary=body.summary,
        lead_name=body.lead_name,
        lead_email=body.lead_email,
        members=[m.model_dump() for m in body.members],
        budget_cny=body.budget_cny,
        proposal_object_id=proposal_obj.id or 0,
        commitment_object_id=commitment_obj.id,
    )
    db.add(app)
    db.flush()
    domain_events.announce(db, "application.submitted", application_id=app.id, item_id=app.item_id)
    db.commit()
    db.refresh(app)
    return app


def formal_check(
    *, db: Session, app: Application, checker: User, check: FormalCheck
) -> Application:
    """Mark complete, or return with the missing items listed (at least one)."""
    if app.status != ApplicationStatus.submitted:
        raise DomainError(
            "bad_status_transition",
            thing="application",
            current=app.status,
            target="complete" if check.complete else "returned",
        )
    missing = [m.strip() for m in check.missing_items if m.strip()]
    if not check.complete and not missing:
        raise InvalidInput("missing_items", "missing_items_required")
    app.status = ApplicationStatus.complete if check.complete else ApplicationStatus.returned
    app.missing_items = [] if check.complete else missing
    app.reviewer_notes = check.notes
    app.checked_by = checker.id
    app.checked_at = utcnow()
    domain_events.announce(
        db,
        f"application.{app.status}",
        application_id=app.id,
        item_id=app.item_id,
        applicant_id=app.applicant_id,
        missing_items=tuple(app.missing_items),
    )
    return save(db, app)


def may_amend(*, db: Session, app: Application, user: User) -> bool:
    """The applicant, or a member of the applying unit."""
    if app.applicant_id == user.id:
        return True
    return app.applicant_org_id is not None and org_service.is_member(
        db=db, organisation_id=app.applicant_org_id, user_id=user.id or 0
    )


def resubmit(
    *,
    db: Session,
    store: ObjectStore,
    app: Application,
    user: User,
    uploads: list[Upload],
    summary: str | None,
    budget_cny: int | None,
) -> Application:
    """A returned application amended and sent again, before the deadline."""
    if not may_amend(db=db, app=app, user=user):
        raise NotFound("application")
    if app.status != ApplicationStatus.returned:
        raise DomainError(
            "bad_status_transition", thing="application", current=app.status, target="submitted"
        )
    item = db.get(ChallengeItem, app.item_id)
    assert item is not None
    refuse_after_deadline(db=db, item=item)
    for upload in uploads:
        stored = _store_pdf(db=db, store=store, upload=upload, user=user)
        if upload.field == "proposal":
            app.proposal_object_id = stored.id or 0
        else:
            app.commitment_object_id = stored.id
    if summary is not None:
        app.summary = summary
    if budget_cny is not None:
        app.budget_cny = budget_cny
    app.status = ApplicationStatus.submitted
    app.resubmitted_at = utcnow()
    domain_events.announce(
        db, "application.resubmitted", application_id=app.id, item_id=app.item_id
    )
    return save(db, app)


def applications_of_units(*, db: Session, user: User) -> list[Application]:
    """Applications the user made or that their units made."""
    unit_ids = [o.id for o in org_service.organisations_of(db=db, user_id=user.id or 0)]
    query = select(Application).where(
        or_(Application.applicant_id == user.id, col(Application.applicant_org_id).in_(unit_ids))
    )
    return list(db.exec(query.order_by(col(Application.id))))
