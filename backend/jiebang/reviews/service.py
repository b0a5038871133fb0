"""Rubrics, reviewer assignments with conflict checks, blind score sheets, and the ranking."""

from __future__ import annotations

from dataclasses import dataclass
from statistics import mean

from sqlmodel import Session, col, select

from jiebang.auth.models import User
from jiebang.challenge_lists.models import Application, ApplicationStatus, ChallengeItem
from jiebang.core import domain_events
from jiebang.core.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound
from jiebang.core.i18n import current_locale
from jiebang.db import save, utcnow
from jiebang.organisations import service as org_service
from jiebang.organisations.models import RoleGrant, ScopedRole, ScopeKind
from jiebang.reviews.models import (
    Aggregation,
    AssignmentPublic,
    Criterion,
    CriterionPublic,
    CriterionResult,
    RankingRow,
    ReviewerAssignment,
    ReviewSheet,
    Rubric,
    RubricIn,
    RubricPublic,
    ScoreIn,
    SheetIn,
    SheetPublic,
)

REVIEWABLE = {ApplicationStatus.complete, ApplicationStatus.shortlisted, ApplicationStatus.awarded}


@dataclass(frozen=True)
class Bilingual:
    """A name in both languages, written in the locale of the message it ends up in."""

    zh: str
    en: str

    def __format__(self, spec: str) -> str:
        return format(self.zh if current_locale.get() == "zh-CN" else self.en, spec)


class ReviewerConflict(Conflict):
    def __init__(self, reviewer: str, unit: Bilingual) -> None:
        super().__init__("reviewer", key="reviewer_conflict", reviewer=reviewer, unit=unit)


# ---------------------------------------------------------------- rubric
def criteria_of(*, db: Session, rubric_id: int) -> list[Criterion]:
    return list(
        db.exec(
            select(Criterion)
            .where(Criterion.rubric_id == rubric_id)
            .order_by(col(Criterion.position))
        )
    )


def get_rubric(*, db: Session, list_id: int) -> Rubric:
    """The list's rubric, or 404."""
    found = db.exec(select(Rubric).where(Rubric.list_id == list_id)).first()
    if found is None:
        raise NotFound("rubric")
    return found


def rubric_public(*, db: Session, rubric: Rubric) -> RubricPublic:
    criteria = [
        CriterionPublic.model_validate(c) for c in criteria_of(db=db, rubric_id=rubric.id or 0)
    ]
    return RubricPublic(
        list_id=rubric.list_id,
        aggregation=rubric.aggregation,
        spread_threshold=rubric.spread_threshold,
        criteria=criteria,
    )


def set_rubric(*, db: Session, list_id: int, rubric_in: RubricIn) -> Rubric:
    """Create or replace the list's rubric; the weights must sum to 100 %."""
    total = sum(c.weight for c in rubric_in.criteria)
    if abs(total - 100) > 1e-6:
        raise InvalidInput("criteria", "weights_not_100", total=f"{total:g}")
    rubric = db.exec(select(Rubric).where(Rubric.list_id == list_id)).first() or Rubric(
        list_id=list_id
    )
    rubric.aggregation = rubric_in.aggregation
    rubric.spread_threshold = rubric_in.spread_threshold
    db.add(rubric)
    db.flush()
    current = criteria_of(db=db, rubric_id=rubric.id or 0)
    same = [(c.name_zh, c.name_en, c.weight, c.max_score) for c in current] == [
        (c.name_zh, c.name_en, c.weight, c.max_score) for c in rubric_in.criteria
    ]
    if same:  # only the aggregation or the threshold changed: scores stay valid
        db.commit()
        db.refresh(rubric)
        return rubric
    if _scored(db=db, list_id=list_id):
        db.rollback()
        raise Conflict("rubric", key="rubric_in_use")
    for old in current:
        db.delete(old)
    for position, c in enumerate(rubric_in.criteria):
        db.add(Criterion.model_validate(c, update={"rubric_id": rubric.id, "position": position}))
    db.commit()
    db.refresh(rubric)
    return rubric


def _scored(*, db: Session, list_id: int) -> bool:
    """Whether any application of the list has a score sheet (its criteria are then fixed)."""
    return (
        db.exec(
            select(ReviewSheet.id)
            .join(Application, col(Application.id) == col(ReviewSheet.application_id))
            .join(ChallengeItem, col(ChallengeItem.id) == col(Application.item_id))
            .where(ChallengeItem.list_id == list_id)
        ).first()
        is not None
    )


# ---------------------------------------------------------------- assignments
def conflicting_unit(*, db: Session, reviewer_id: int, item_id: int) -> Bilingual | None:
    """The name of an applying unit the reviewer belongs to, if any."""
    units = {o.id: o for o in org_service.organisations_of(db=db, user_id=reviewer_id)}
    applying = db.exec(
        select(Application.applicant_org_id).where(Application.item_id == item_id)
    ).all()
    for unit_id in applying:
        if unit_id in units:
            return Bilingual(units[unit_id].name_zh, units[unit_id].name_en)
    return None


def assign(*, db: Session, item: ChallengeItem, reviewer_id: int, by: User) -> ReviewerAssignment:
    """Assign an expert to an item; refused, naming the unit, when they belong to an applicant."""
    reviewer = db.get(User, reviewer_id)
    if reviewer is None:
        raise NotFound("user")
    unit = conflicting_unit(db=db, reviewer_id=reviewer_id, item_id=item.id or 0)
    if unit is not None:
        raise ReviewerConflict(reviewer.display_name, unit)
    existing = db.exec(
        select(ReviewerAssignment).where(
            ReviewerAssignment.item_id == item.id, ReviewerAssignment.reviewer_id == reviewer_id
        )
    ).first()
    if existing is not None:
        return existing
    found = ReviewerAssignment(item_id=item.id or 0, reviewer_id=reviewer_id, assigned_by=by.id)
    db.add(found)
    db.add(
        RoleGrant(
            user_id=reviewer_id,
            role=ScopedRole.reviewer,
            scope_kind=ScopeKind.challenge_item,
            scope_id=item.id or 0,
            granted_by=by.id,
        )
    )
    domain_events.announce(db, "reviewer.assigned", item_id=item.id, reviewer_id=reviewer_id)
    return save(db, found)


def assignments(*, db: Session, item_id: int) -> list[AssignmentPublic]:
    rows = db.exec(
        select(ReviewerAssignment, User)
        .join(User, col(User.id) == col(ReviewerAssignment.reviewer_id))
        .where(ReviewerAssignment.item_id == item_id)
        .order_by(col(ReviewerAssignment.id))
    ).all()
    return [
        AssignmentPublic(item_id=a.item_id, reviewer_id=a.reviewer_id, display_name=u.display_name)
        for a, u in rows
    ]


def is_assigned(*, db: Session, item_id: int, reviewer_id: int) -> bool:
    return (
        db.exec(
            select(ReviewerAssignment.id).where(
                ReviewerAssignment.item_id == item_id, ReviewerAssignment.reviewer_id == reviewer_id
            )
        ).first()
        is not None
    )


# ---------------------------------------------------------------- score sheets
def _rubric_for_app(*, db: Session, app: Application) -> tuple[Rubric, list[Criterion]]:
    item = db.get(ChallengeItem, app.item_id)
    assert item is not None
    rubric = db.exec(select(Rubric).where(Rubric.list_id == item.list_id)).first()
    if rubric is None:
        raise DomainError("no_rubric")
    return rubric, criteria_of(db=db, rubric_id=rubric.id or 0)


def weighted_total(scores: dict[str, dict[str, object]], criteria: list[Criterion]) -> float | None:
    """The 0–100 total of a complete sheet: each score on its scale, by its weight."""
    if any(str(c.id) not in scores for c in criteria):
        return None
    return sum(float(str(scores[str(c.id)]["score"])) / c.max_score * c.weight for c in criteria)


def sheet_public(*, sheet: ReviewSheet, criteria: list[Criterion]) -> SheetPublic:
    return SheetPublic(
        application_id=sheet.application_id,
        reviewer_id=sheet.reviewer_id,
        scores=[
            ScoreIn(criterion_id=int(k), score=float(v["score"]), comment=str(v.get("comment", "")))
            for k, v in sheet.scores.items()
        ],
        total=weighted_total(sheet.scores, criteria),
        submitted=sheet.submitted_at is not None,
    )


def sheets_of(*, db: Session, application_id: int) -> list[ReviewSheet]:
    return list(
        db.exec(
            select(ReviewSheet)
            .where(ReviewSheet.application_id == application_id)
            .order_by(col(ReviewSheet.id))
        )
    )


def my_sheet(*, db: Session, application_id: int, reviewer_id: int) -> ReviewSheet | None:
    return db.exec(
        select(ReviewSheet).where(
            ReviewSheet.application_id == application_id, ReviewSheet.reviewer_id == reviewer_id
        )
    ).first()


def score(*, db: Session, app: Application, reviewer: User, sheet_in: SheetIn) -> SheetPublic:
    """Save (and with submit, hand in) the reviewer's scores; every score on its scale."""
    if not is_assigned(db=db, item_id=app.item_id, reviewer_id=reviewer.id or 0):
        raise Forbidden("not_assigned_reviewer")
    if app.status not in REVIEWABLE:
        raise DomainError("not_reviewable")
    unit = conflicting_unit(db=db, reviewer_id=reviewer.id or 0, item_id=app.item_id)
    if unit is not None:
        raise ReviewerConflict(reviewer.display_name, unit)
    _, criteria = _rubric_for_app(db=db, app=app)
    by_id = {c.id: c for c in criteria}
    sheet = my_sheet(db=db, application_id=app.id or 0, reviewer_id=reviewer.id or 0)
    if sheet is not None and sheet.submitted_at is not None:
        raise Conflict("review", key="scores_submitted")
    scores = dict(sheet.scores) if sheet else {}
    for index, given in enumerate(sheet_in.scores):
        criterion = by_id.get(given.criterion_id)
        if criterion is None:
            raise InvalidInput(f"scores.{index}.criterion_id", "not_found", thing="criterion")
        if not 0 <= given.score <= criterion.max_score:
            raise InvalidInput(
                f"scores.{index}.score",
                "score_out_of_scale",
                score=f"{given.score:g}",
                criterion=Bilingual(criterion.name_zh, criterion.name_en),
                maximum=criterion.max_score,
            )
        scores[str(criterion.id)] = {"score": given.score, "comment": given.comment}
    missing = [c for c in criteria if str(c.id) not in scores]
    if sheet_in.submit and missing:
        raise InvalidInput("scores", "scores_incomplete", missing=len(missing))
    sheet = sheet or ReviewSheet(application_id=app.id or 0, reviewer_id=reviewer.id or 0)
    sheet.scores = scores
    sheet.updated_at = utcnow()
    if sheet_in.submit:
        sheet.submitted_at = utcnow()
        domain_events.announce(
            db,
            "application.reviewed",
            application_id=app.id,
            item_id=app.item_id,
            reviewer_id=reviewer.id,
        )
    return sheet_public(sheet=save(db, sheet), criteria=criteria)


def visible_sheets(*, db: Session, app: Application, user: User, staff: bool) -> list[SheetPublic]:
    """Blind review: a reviewer sees only their own sheet until they have submitted it."""
    _, criteria = _rubric_for_app(db=db, app=app)
    sheets = sheets_of(db=db, application_id=app.id or 0)
    if not staff:
        own = [s for s in sheets if s.reviewer_id == user.id]
        if not own or own[0].submitted_at is None:
            sheets = own
        else:
            sheets = [s for s in sheets if s.submitted_at is not None or s.reviewer_id == user.id]
    return [sheet_public(sheet=s, criteria=criteria) for s in sheets]


# ---------------------------------------------------------------- ranking
def aggregate(values: list[float], how: Aggregation) -> float | None:
    """The mean, or the mean without the highest and the lowest (three values or more)."""
    if not values:
        return None
    if how == Aggregation.trimmed_mean and len(values) >= 3:
        values = sorted(values)[1:-1]
    return mean(values)


def ranking(*, db: Session, item: ChallengeItem) -> list[RankingRow]:
    """Each application's submitted sheets aggregated per criterion, best total first."""
    rubric = db.exec(select(Rubric).where(Rubric.list_id == item.list_id)).first()
    if rubric is None:
        raise DomainError("no_rubric")
    criteria = criteria_of(db=db, rubric_id=rubric.id or 0)
    apps = db.exec(
        select(Application)
        .where(Application.item_id == item.id, col(Application.status).in_(list(REVIEWABLE)))
        .order_by(col(Application.id))
    ).all()
    rows: list[RankingRow] = []
    for app in apps:
        sheets = [s for s in sheets_of(db=db, application_id=app.id or 0) if s.submitted_at]
        results = []
        for c in criteria:
            values = [float(s.scores[str(c.id)]["score"]) for s in sheets]
            results.append(
                CriterionResult(
                    criterion_id=c.id or 0,
                    name_zh=c.name_zh,
                    name_en=c.name_en,
                    aggregate=aggregate(values, rubric.aggregation),
                    scores=values,
                )
            )
        totals = [t for s in sheets if (t := weighted_total(s.scores, criteria)) is not None]
        spread = max(totals) - min(totals) if totals else 0.0
        rows.append(
            RankingRow(
                rank=0,
                application_id=app.id or 0,
                applicant_org_id=app.applicant_org_id,
                reviewers=len(sheets),
                total=aggregate(totals, rubric.aggregation),
                criteria=results,
                spread=round(spread, 6),
                flagged=spread > rubric.spread_threshold,
            )
        )
    rows.sort(key=lambda r: (r.total is None, -(r.total or 0), r.application_id))
    for position, row in enumerate(rows, start=1):
        row.rank = position
    return rows
