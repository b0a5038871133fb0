"""Rubric, reviewer, score-sheet and ranking endpoints."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from jiebang.auth.dependencies import CurrentUser, SessionDep
from jiebang.auth.models import User
from jiebang.challenge_lists import service as list_service
from jiebang.challenge_lists.models import Application
from jiebang.core.errors import NotFound
from jiebang.organisations import people, permissions
from jiebang.organisations.models import ScopedRole
from jiebang.organisations.permissions import Permission
from jiebang.reviews import conflicts, service
from jiebang.reviews.models import (
    AssignmentIn,
    AssignmentPublic,
    ConflictIn,
    RankingRow,
    RubricIn,
    RubricPublic,
    SheetIn,
    SheetPublic,
)

router = APIRouter(tags=["reviews"])
ScopedOrganiser = Annotated[User, Depends(Permission(ScopedRole.organiser))]
ScopedReviewer = Annotated[User, Depends(Permission(ScopedRole.reviewer))]
ReviewStaff = Annotated[User, Depends(Permission(ScopedRole.organiser, ScopedRole.reviewer))]


def _application(db: SessionDep, application_id: int) -> Application:
    found = db.get(Application, application_id)
    if found is None:
        raise NotFound("application")
    return found


@router.put("/challenge-lists/{list_id}/rubric", response_model=RubricPublic)
def set_rubric(list_id: int, body: RubricIn, _: ScopedOrganiser, db: SessionDep) -> RubricPublic:
    """The list's criteria (weights summing to 100 %), aggregation and spread threshold."""
    list_service.get_list(db=db, list_id=list_id, include_drafts=True)
    rubric = service.set_rubric(db=db, list_id=list_id, rubric_in=body)
    return service.rubric_public(db=db, rubric=rubric)


@router.get("/challenge-lists/{list_id}/rubric", response_model=RubricPublic)
def read_rubric(list_id: int, _: CurrentUser, db: SessionDep) -> RubricPublic:
    """The published criteria applications are scored on."""
    return service.rubric_public(db=db, rubric=service.get_rubric(db=db, list_id=list_id))


@router.post(
    "/challenge-items/{item_id}/reviewers", response_model=list[AssignmentPublic], status_code=201
)
def assign_reviewer(
    item_id: int, body: AssignmentIn, organiser: ScopedOrganiser, db: SessionDep
) -> list[AssignmentPublic]:
    """Assign an expert, named by e-mail (or user_id); refused, naming the unit, for a reviewer
    of an applying unit."""
    item = list_service.get_item(db=db, item_id=item_id, include_drafts=True)
    reviewer = people.named_user(db=db, person=body)
    service.assign(db=db, item=item, reviewer_id=reviewer.id or 0, by=organiser)
    return service.assignments(db=db, item_id=item_id)


@router.get("/challenge-items/{item_id}/reviewers", response_model=list[AssignmentPublic])
def list_reviewers(item_id: int, _: ReviewStaff, db: SessionDep) -> list[AssignmentPublic]:
    """The item's experts."""
    return service.assignments(db=db, item_id=item_id)


@router.post("/challenge-items/{item_id}/conflict-declarations", status_code=204)
def declare_conflict(
    item_id: int, body: ConflictIn, reviewer: ScopedReviewer, db: SessionDep
) -> None:
    """Declare a conflict of interest and recuse yourself from the item (audited)."""
    item = list_service.get_item(db=db, item_id=item_id, include_drafts=True)
    conflicts.declare(db=db, item=item, reviewer=reviewer, body=body)


@router.put("/applications/{application_id}/my-review", response_model=SheetPublic)
def save_my_review(
    application_id: int, body: SheetIn, reviewer: ScopedReviewer, db: SessionDep
) -> SheetPublic:
    """Score each criterion with a comment; submit hands the sheet in for good."""
    return service.score(
        db=db, app=_application(db, application_id), reviewer=reviewer, sheet_in=body
    )


@router.get("/applications/{application_id}/reviews", response_model=list[SheetPublic])
def read_reviews(application_id: int, user: ReviewStaff, db: SessionDep) -> list[SheetPublic]:
    """Score sheets: organisers see all; a reviewer sees others' only after submitting."""
    app = _application(db, application_id)
    scopes = permissions.scopes_from_path(db, {"application_id": application_id})
    staff = permissions.may(db, user, [ScopedRole.organiser], scopes)
    return service.visible_sheets(db=db, app=app, user=user, staff=staff)


@router.get("/challenge-items/{item_id}/ranking", response_model=list[RankingRow])
def read_ranking(item_id: int, _: ScopedOrganiser, db: SessionDep) -> list[RankingRow]:
    """Applications by aggregate score, each criterion, the spread, and a flag beyond it."""
    item = list_service.get_item(db=db, item_id=item_id, include_drafts=True)
    return service.ranking(db=db, item=item)
