"""The judge console and organiser re-scoring."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, Query

from jiebang.auth.dependencies import SessionDep
from jiebang.auth.models import User
from jiebang.config import get_settings
from jiebang.contests import service as contest_service
from jiebang.evaluation import dispatch
from jiebang.judging import audit, service, targets
from jiebang.judging.models import (
    ActionRequest,
    AuditEntryPublic,
    JudgeSubmissionDetail,
    JudgeSubmissionRow,
    RescoreRequest,
    RescoreResult,
    ReviewState,
)
from jiebang.leaderboards.models import TargetResult
from jiebang.organisations.models import ScopedRole
from jiebang.organisations.permissions import ContestOrganiser, ContestStaff, Permission

router = APIRouter(tags=["judging"])
# the whole log for platform staff; one phase's or one submission's for its contest's staff
AuditReader = Annotated[
    User,
    Depends(
        Permission(ScopedRole.organiser, ScopedRole.judge, query=("phase_id", "submission_id"))
    ),
]
public_router = APIRouter(tags=["judging"])


@router.get("/judge/phases/{phase_id}/submissions", response_model=list[JudgeSubmissionRow])
def list_phase_submissions(phase_id: int, _: ContestStaff, db: SessionDep) -> object:
    """Every submission of the phase (withdrawn and failed ones too) with both splits' scores."""
    phase = contest_service.get_phase(db=db, phase_id=phase_id, include_drafts=True)
    return service.list_for_phase(db=db, phase=phase)


@router.get("/judge/submissions/{submission_id}", response_model=JudgeSubmissionDetail)
def read_submission(submission_id: int, _: ContestStaff, db: SessionDep) -> object:
    """Per-item metrics, plots, logs, every score and job (with versions), and the audit trail."""
    return service.detail(db=db, sub=service.get_submission(db=db, submission_id=submission_id))


@router.post("/judge/submissions/{submission_id}/actions", response_model=ReviewState)
def act_on_submission(
    submission_id: int, body: ActionRequest, judge: ContestStaff, db: SessionDep
) -> object:
    """Flag, unflag, verify, disqualify or reinstate a submission, with a reason (audited)."""
    sub = service.get_submission(db=db, submission_id=submission_id)
    return service.act(db=db, sub=sub, user=judge, action=body.action, reason=body.reason)


@router.post("/judge/submissions/{submission_id}/rescore", response_model=RescoreResult)
def rescore_submission(
    submission_id: int,
    organiser: ContestOrganiser,
    db: SessionDep,
    body: Annotated[RescoreRequest | None, Body()] = None,
) -> object:
    """Re-score one submission, optionally with a pinned evaluator version."""
    sub = service.get_submission(db=db, submission_id=submission_id)
    phase = contest_service.get_phase(db=db, phase_id=sub.phase_id, include_drafts=True)
    request = (body or RescoreRequest()).model_copy(update={"submission_ids": [submission_id]})
    result = service.rescore(
        db=db, phase=phase, user=organiser, body=request, max_attempts=get_settings().max_attempts
    )
    dispatch.announce(result.job_ids)
    return result


@router.post("/phases/{phase_id}/rescore", response_model=RescoreResult)
def rescore_phase(
    phase_id: int,
    organiser: ContestOrganiser,
    db: SessionDep,
    body: Annotated[RescoreRequest | None, Body()] = None,
) -> object:
    """Re-score the phase's submissions (or the listed ones); earlier scores remain as history."""
    phase = contest_service.get_phase(db=db, phase_id=phase_id, include_drafts=True)
    result = service.rescore(
        db=db,
        phase=phase,
        user=organiser,
        body=body or RescoreRequest(),
        max_attempts=get_settings().max_attempts,
    )
    dispatch.announce(result.job_ids)
    return result


@router.get("/judge/audit", response_model=list[AuditEntryPublic])
def read_audit(
    _: AuditReader,
    db: SessionDep,
    phase_id: int | None = None,
    submission_id: int | None = None,
    before_id: int | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> object:
    """The audit log, newest first (page with before_id)."""
    return audit.entries(
        db=db, phase_id=phase_id, submission_id=submission_id, limit=limit, before_id=before_id
    )


@public_router.get("/challenge-items/{item_id}/targets-met", response_model=list[TargetResult])
def read_targets_met(item_id: int, db: SessionDep) -> object:
    """For each applicant team and target: met or not, by which verified submission, by how much."""
    return targets.targets_met(db=db, item=targets.get_public_item(db=db, item_id=item_id))
