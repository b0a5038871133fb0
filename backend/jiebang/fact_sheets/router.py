"""Fact sheet endpoints: the questions of a phase's track, a submission's answers."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from sqlmodel import Field, SQLModel

from jiebang.auth.dependencies import CurrentUser, SessionDep
from jiebang.contests.models import Phase, Track
from jiebang.core.errors import NotFound
from jiebang.fact_sheets import service
from jiebang.organisations.permissions import is_contest_staff
from jiebang.submissions import service as submission_service
from jiebang.submissions.models import Submission, SubmissionStatus

router = APIRouter(tags=["fact sheets"])


class FactSheetQuestion(SQLModel):
    key: str
    title: str
    type: str  # text | checkbox | select
    options: list[str] = Field(default_factory=list)
    required: bool = False
    on_leaderboard: bool = False


class FactSheet(SQLModel):
    questions: list[FactSheetQuestion]


class FactSheetAnswersIn(SQLModel):
    answers: dict[str, Any] = Field(default_factory=dict)


class FactSheetAnswersOut(SQLModel):
    submission_id: int
    questions: list[FactSheetQuestion]
    answers: dict[str, Any]


def _track_of_phase(db: SessionDep, phase_id: int) -> Track:
    phase = db.get(Phase, phase_id)
    track = db.get(Track, phase.track_id) if phase else None
    if track is None:
        raise NotFound("phase")
    return track


def _asked(track: Track) -> list[FactSheetQuestion]:
    return [FactSheetQuestion.model_validate(q) for q in service.questions(track)]


@router.get("/phases/{phase_id}/fact-sheet", response_model=FactSheet)
def read_fact_sheet(phase_id: int, user: CurrentUser, db: SessionDep) -> FactSheet:
    """The questions asked with every submission to this phase (often none)."""
    return FactSheet(questions=_asked(_track_of_phase(db, phase_id)))


@router.put("/submissions/{submission_id}/fact-sheet", response_model=FactSheetAnswersOut)
def answer_fact_sheet(
    submission_id: int, body: FactSheetAnswersIn, user: CurrentUser, db: SessionDep
) -> FactSheetAnswersOut:
    """The team's answers, given while the upload is under way (before it completes)."""
    sub = submission_service.get_for_member(db=db, submission_id=submission_id, user=user)
    if sub.status != SubmissionStatus.uploading:
        raise service.FactSheetClosed()
    track = _track_of_phase(db, sub.phase_id)
    answers = service.clean(service.questions(track), body.answers)
    service.save(db=db, submission=sub, answers=answers)
    return FactSheetAnswersOut(
        submission_id=submission_id, questions=_asked(track), answers=answers
    )


@router.get("/submissions/{submission_id}/fact-sheet", response_model=FactSheetAnswersOut)
def read_answers(submission_id: int, user: CurrentUser, db: SessionDep) -> FactSheetAnswersOut:
    """The submission's answers, for its team and the contest's staff (judges)."""
    sub = db.get(Submission, submission_id)
    if sub is None:
        raise NotFound("submission")
    if not is_contest_staff(db, user, {"submission_id": submission_id}):
        submission_service.get_for_member(db=db, submission_id=submission_id, user=user)
    track = _track_of_phase(db, sub.phase_id)
    answers = service.answers_of(db=db, submission_ids=[submission_id]).get(submission_id, {})
    return FactSheetAnswersOut(
        submission_id=submission_id, questions=_asked(track), answers=answers
    )
