"""Challenge lists, items with structured targets, and the applications teams make."""

from __future__ import annotations

from datetime import datetime
from typing import BinaryIO
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from jiebang.auth.models import User
from jiebang.challenge_lists.models import (
    Application,
    ApplicationPublic,
    ApplicationReview,
    ApplicationStatus,
    ChallengeItem,
    ChallengeItemCreate,
    ChallengeItemPublic,
    ChallengeItemUpdate,
    ChallengeList,
    ChallengeListCreate,
    ChallengeListUpdate,
    ChallengeTarget,
    ListStatus,
    TargetIn,
    TargetPublic,
)
from jiebang.contests.models import Contest, Track
from jiebang.core import domain_events, row_lock
from jiebang.core.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound
from jiebang.db import save, utcnow
from jiebang.organisations import service as org_service
from jiebang.storage import service as storage_service
from jiebang.storage.backend import ObjectStore
from jiebang.storage.models import StoredObject
from jiebang.teams import service as team_service
from jiebang.teams.models import Team

LIST_TRANSITIONS = {
    ListStatus.draft: {ListStatus.published},
    ListStatus.published: {ListStatus.closed, ListStatus.draft},
    ListStatus.closed: {ListStatus.published},
}
APPLICATION_TRANSITIONS = {
    ApplicationStatus.submitted: {ApplicationStatus.shortlisted, ApplicationStatus.rejected},
    ApplicationStatus.shortlisted: {ApplicationStatus.awarded, ApplicationStatus.rejected},
    ApplicationStatus.returned: {ApplicationStatus.rejected},  # the applicant resubmits
    ApplicationStatus.complete: {ApplicationStatus.shortlisted, ApplicationStatus.rejected},
    ApplicationStatus.awarded: set(),
    ApplicationStatus.rejected: set(),
}
MAX_PROPOSAL_BYTES = 50 * 1024 * 1024


# ---------------------------------------------------------------- lists
def list_lists(*, db: Session, include_drafts: bool) -> list[ChallengeList]:
    """Challenge lists, newest year first."""
    query = select(ChallengeList).order_by(col(ChallengeList.year).desc())
    if not include_drafts:
        query = query.where(ChallengeList.status != ListStatus.draft)
    return list(db.exec(query))


def get_list(*, db: Session, list_id: int, include_drafts: bool) -> ChallengeList:
    """The list, or 404 (drafts are invisible to non-staff)."""
    found = db.get(ChallengeList, list_id)
    if found is None or (found.status == ListStatus.draft and not include_drafts):
        raise NotFound("challenge list")
    return found


def create_list(*, db: Session, list_in: ChallengeListCreate) -> ChallengeList:
    """A new draft list; 409 if that year already has one."""
    found = ChallengeList.model_validate(list_in)
    db.add(found)
    try:
        db.commit()
    except IntegrityError as exc:
        db.rollback()
        raise Conflict("challenge list") from exc
    db.refresh(found)
    return found


def update_list(
    *, db: Session, found: ChallengeList, list_in: ChallengeListUpdate
) -> ChallengeList:
    """Apply the given fields; the time zone changes only while the list is a draft (409 once
    published, when its deadlines have been announced in the old zone)."""
    changes = list_in.model_dump(exclude_unset=True, exclude_none=True)
    if "timezone" in changes:  # read under the row lock: a publish at once comes first or after
        held = row_lock.hold(db, ChallengeList, found.id)
        if held is None:
            raise NotFound("challenge list")
        found = held
    moves_zone = changes.get("timezone", found.timezone) != found.timezone
    if moves_zone and found.status != ListStatus.draft:
        raise Conflict("challenge list", key="list_timezone_fixed", zone=found.timezone)
    found.sqlmodel_update(changes)
    return save(db, found)


def set_list_status(*, db: Session, found: ChallengeList, status: ListStatus) -> ChallengeList:
    """Move draft → published → closed (and back where allowed), from the list's current
    status under its row lock (a time-zone edit or another move at the same moment waits)."""
    held = row_lock.hold(db, ChallengeList, found.id)
    if held is None:
        raise NotFound("challenge list")
    found = held
    if status not in LIST_TRANSITIONS[found.status]:
        raise DomainError(
            "bad_status_transition", thing="challenge list", current=found.status, target=status
        )
    found.status = status
    if status == ListStatus.published and found.published_at is None:
        found.published_at = utcnow()
    return save(db, found)


# ---------------------------------------------------------------- items
def targets_of(*, db: Session, item_id: int) -> list[ChallengeTarget]:
    return list(
        db.exec(
            select(ChallengeTarget)
            .where(ChallengeTarget.item_id == item_id)
            .order_by(col(ChallengeTarget.position))
        )
    )


def item_public(*, db: Session, item: ChallengeItem) -> ChallengeItemPublic:
    targets = [TargetPublic.model_validate(t) for t in targets_of(db=db, item_id=item.id or 0)]
    found = db.get(ChallengeList, item.list_id)
    zone = found.timezone if found else "Asia/Shanghai"
    deadline = item.application_deadline.astimezone(ZoneInfo(zone))
    return ChallengeItemPublic.model_validate(
        item,
        update={"targets": targets, "deadline_timezone": zone, "application_deadline": deadline},
    )


def in_list_zone(*, value: datetime, found: ChallengeList) -> datetime:
    """A deadline given without an offset is read in the list's time zone."""
    return value.replace(tzinfo=ZoneInfo(found.timezone)) if value.tzinfo is None else value


def refuse_after_deadline(*, db: Session, item: ChallengeItem) -> None:
    """403 once the item's deadline has passed, stating it in the list's time zone."""
    if utcnow() > item.application_deadline:
        found = db.get(ChallengeList, item.list_id)
        zone = found.timezone if found else "UTC"
        local = item.application_deadline.astimezone(ZoneInfo(zone))
        raise Forbidden("deadline_passed_at", deadline=f"{local:%Y-%m-%d %H:%M}", timezone=zone)


def list_items(*, db: Session, list_id: int) -> list[ChallengeItem]:
    return list(
        db.exec(
            select(ChallengeItem)
            .where(ChallengeItem.list_id == list_id)
            .order_by(col(ChallengeItem.code))
        )
    )


def get_item(*, db: Session, item_id: int, include_drafts: bool) -> ChallengeItem:
    """The item, or 404 if its list is not visible: the same 404 as for a missing item, so
    that a draft item's existence does not show."""
    item = db.get(ChallengeItem, item_id)
    if item is None:
        raise NotFound("challenge item")
    try:
        get_list(db=db, list_id=item.list_id, include_drafts=include_drafts)
    except NotFound:
        raise NotFound("challenge item") from None
    return item


def _replace_targets(*, db: Session, item: ChallengeItem, targets: list[TargetIn]) -> None:
    for index, target in enumerate(targets):
        if target.track_id is not None and db.get(Track, target.track_id) is None:
            raise InvalidInput(f"targets.{index}.track_id", "not_found", thing="track")
    for old in targets_of(db=db, item_id=item.id or 0):
        db.delete(old)
    for position, target in enumerate(targets):
        db.add(
            ChallengeTarget.model_validate(
                target, update={"item_id": item.id, "position": position}
            )
        )


def create_item(
    *, db: Session, found: ChallengeList, item_in: ChallengeItemCreate
) -> ChallengeItem:
    """A new item with its structured targets; 409 if the code is taken in this list."""
    item = ChallengeItem.model_validate(
        item_in.model_dump(exclude={"targets"}),
        update={
            "list_id": found.id,
            "application_deadline": in_list_zone(value=item_in.application_deadline, found=found),
        },
    )
    db.add(item)
    try:
        db.flush()
    except IntegrityError as exc:
        db.rollback()
        raise Conflict("challenge item") from exc
    _replace_targets(db=db, item=item, targets=item_in.targets)
    db.commit()
    db.refresh(item)
    return item


def update_item(*, db: Session, item: ChallengeItem, item_in: ChallengeItemUpdate) -> ChallengeItem:
    """Apply the given fields; a given target list replaces the old one."""
    changes = item_in.model_dump(exclude_unset=True, exclude_none=True, exclude={"targets"})
    found = db.get(ChallengeList, item.list_id)
    if item_in.application_deadline is not None and found is not None:
        changes["application_deadline"] = in_list_zone(
            value=item_in.application_deadline, found=found
        )
    item.sqlmodel_update(changes)
    db.add(item)
    if item_in.targets is not None:
        _replace_targets(db=db, item=item, targets=item_in.targets)
    db.commit()
    db.refresh(item)
    return item


# ---------------------------------------------------------------- applications
def _item_contest_ids(*, db: Session, item_id: int) -> set[int]:
    track_ids = [t.track_id for t in targets_of(db=db, item_id=item_id) if t.track_id]
    if not track_ids:
        return set()
    return {t.contest_id for t in db.exec(select(Track).where(col(Track.id).in_(track_ids)))}


def application_public(*, db: Session, app: Application) -> ApplicationPublic:
    team = db.get(Team, app.team_id) if app.team_id is not None else None
    proposal = db.get(StoredObject, app.proposal_object_id)
    assert proposal is not None
    return ApplicationPublic.model_validate(
        app,
        update={
            "team_name": team.name if team else "",
            "has_commitment": app.commitment_object_id is not None,
            "proposal_filename": proposal.filename,
            "proposal_sha256": proposal.sha256,
            "proposal_size": proposal.size,
        },
    )


def apply(
    *,
    db: Session,
    store: ObjectStore,
    item: ChallengeItem,
    team: Team,
    user: User,
    summary: str,
    filename: str,
    stream: BinaryIO,
) -> Application:
    """A team takes up an item (揭榜) with a PDF proposal kept in storage."""
    found = db.get(ChallengeList, item.list_id)
    if found is None or found.status != ListStatus.published:
        raise Forbidden("not_published", thing="challenge list")
    refuse_after_deadline(db=db, item=item)
    contest_ids = _item_contest_ids(db=db, item_id=item.id or 0)
    if contest_ids and team.contest_id not in contest_ids:
        contest = db.get(Contest, min(contest_ids))
        raise InvalidInput(
            "team_id", "team_not_in_contest", contest=contest.slug if contest else "?"
        )
    if not stream.read(5).startswith(b"%PDF-"):
        raise InvalidInput("proposal", "proposal_not_pdf")
    stream.seek(0)
    existing = db.exec(
        select(Application).where(Application.item_id == item.id, Application.team_id == team.id)
    ).first()
    if existing is not None:
        raise Conflict("application")
    try:
        proposal = storage_service.save_stream(
            db=db,
            store=store,
            stream=stream,
            filename=filename,
            prefix="proposals",
            owner_id=user.id,
            content_type="application/pdf",
            max_bytes=MAX_PROPOSAL_BYTES,
        )
    except storage_service.FileTooLarge as exc:
        raise InvalidInput("proposal", "file_too_large", limit="50 MiB") from exc
    app = Application(
        item_id=item.id or 0,
        team_id=team.id or 0,
        applicant_id=user.id or 0,
        summary=summary,
        proposal_object_id=proposal.id or 0,
    )
    db.add(app)
    try:
        db.commit()
    except IntegrityError as exc:
        db.rollback()
        store.delete(proposal.key)
        raise Conflict("application") from exc
    db.refresh(app)
    return app


def applications_for_item(*, db: Session, item_id: int) -> list[Application]:
    return list(
        db.exec(
            select(Application).where(Application.item_id == item_id).order_by(col(Application.id))
        )
    )


def applications_of_user(*, db: Session, user: User) -> list[Application]:
    team_ids = [t.id for t in team_service.teams_of_user(db=db, user_id=user.id or 0)]
    if not team_ids:
        return []
    return list(db.exec(select(Application).where(col(Application.team_id).in_(team_ids))))


def get_application_for(
    *, db: Session, application_id: int, user: User, staff: bool
) -> Application:
    """The application if the user is staff or in the applying team; 404 otherwise."""
    app = db.get(Application, application_id)
    if app is None:
        raise NotFound("application")
    if not staff and app.applicant_id != user.id:
        team = db.get(Team, app.team_id) if app.team_id is not None else None
        in_unit = app.applicant_org_id is not None and org_service.is_member(
            db=db, organisation_id=app.applicant_org_id, user_id=user.id or 0
        )
        if not in_unit and (
            team is None
            or team_service.team_of(db=db, contest_id=team.contest_id, user_id=user.id or 0) != team
        ):
            raise NotFound("application")
    return app


def review(
    *, db: Session, app: Application, reviewer: User, review_in: ApplicationReview
) -> Application:
    """Shortlist, award (挂帅) or reject, recording who decided and when."""
    if review_in.status not in APPLICATION_TRANSITIONS[app.status]:
        raise DomainError(
            "bad_status_transition",
            thing="application",
            current=app.status,
            target=review_in.status,
        )
    if review_in.status == ApplicationStatus.rejected and not review_in.reviewer_notes.strip():
        raise InvalidInput("reviewer_notes", "reject_reason_required")
    app.status = review_in.status
    app.reviewer_notes = review_in.reviewer_notes
    app.decided_by = reviewer.id
    app.decided_at = utcnow()
    domain_events.announce(
        db,
        f"application.{app.status}",
        application_id=app.id,
        item_id=app.item_id,
        applicant_id=app.applicant_id,
    )
    return save(db, app)
