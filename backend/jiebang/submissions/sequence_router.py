"""Per-sequence codec results of a submission, as JSON for the page and as CSV.

A team reads the split it may see (the public one while a phase has a private split, as on
its submission page); judges and organisers read every split.
"""

from __future__ import annotations

from fastapi import APIRouter, Response
from sqlmodel import Session

from jiebang.auth.dependencies import CurrentUser, SessionDep
from jiebang.contests.models import Phase
from jiebang.core import csv_export
from jiebang.core.errors import NotFound
from jiebang.evaluation.models import Score
from jiebang.judging import service as judging_service
from jiebang.organisations.permissions import ContestStaff
from jiebang.submissions import sequence_results, service, views
from jiebang.submissions.models import Submission
from jiebang.submissions.sequence_results import SequenceResults

router = APIRouter(tags=["submissions"])


def _score(db: Session, sub: Submission) -> Score:
    score = views.current_score(db, sub.id or 0)
    if score is None:
        raise NotFound("score")
    return score


def _for_team(db: Session, sub: Submission) -> SequenceResults:
    phase = db.get(Phase, sub.phase_id)
    assert phase is not None
    return sequence_results.build(views.public_items(_score(db, sub), phase))


def _for_judge(db: Session, sub: Submission) -> SequenceResults:
    return sequence_results.build(list(_score(db, sub).items))


def _csv(results: SequenceResults, submission_id: int, scope: str) -> Response:
    header, rows = sequence_results.csv_rows(results)
    name = f"submission-{submission_id}-sequences-{scope}.csv"
    return Response(
        csv_export.to_csv(header, rows),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "private, no-store",
        },
    )


@router.get("/submissions/{submission_id}/sequences", response_model=SequenceResults)
def read_team_sequences(submission_id: int, user: CurrentUser, db: SessionDep) -> SequenceResults:
    """Per-sequence BD-rates (each anchor, VMAF), decoding times, RD points and class means of
    your submission, on the split you may see; 404 until it has a score."""
    sub = service.get_for_member(db=db, submission_id=submission_id, user=user)
    return _for_team(db, sub)


@router.get("/submissions/{submission_id}/sequences.csv")
def export_team_sequences(submission_id: int, user: CurrentUser, db: SessionDep) -> Response:
    """The same as CSV (cells a spreadsheet would evaluate are neutralised)."""
    sub = service.get_for_member(db=db, submission_id=submission_id, user=user)
    return _csv(_for_team(db, sub), submission_id, "public")


@router.get("/judge/submissions/{submission_id}/sequences", response_model=SequenceResults)
def read_judge_sequences(submission_id: int, _: ContestStaff, db: SessionDep) -> SequenceResults:
    """Per-sequence results of any submission, every split (judges and organisers)."""
    sub = judging_service.get_submission(db=db, submission_id=submission_id)
    return _for_judge(db, sub)


@router.get("/judge/submissions/{submission_id}/sequences.csv")
def export_judge_sequences(submission_id: int, _: ContestStaff, db: SessionDep) -> Response:
    """Every split's per-sequence results as CSV, with a split column."""
    sub = judging_service.get_submission(db=db, submission_id=submission_id)
    return _csv(_for_judge(db, sub), submission_id, "all")
