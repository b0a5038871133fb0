"""The judge console: review actions, full submission detail, and organiser re-scoring."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from jiebang.auth.models import User
from jiebang.contests.models import Phase, Track
from jiebang.core.errors import Conflict, InvalidInput, NotFound
from jiebang.db import utcnow
from jiebang.evaluation import queue, registry
from jiebang.evaluation.models import EvaluationJob, Score
from jiebang.judging import audit
from jiebang.judging.models import (
    AuditEntryPublic,
    JobRecord,
    JudgeSubmissionDetail,
    JudgeSubmissionRow,
    RescoreRequest,
    RescoreResult,
    ReviewAction,
    ReviewState,
    ScoreVersion,
    SubmissionReview,
)
from jiebang.submissions import lifecycle, views
from jiebang.submissions.models import ACTIVE, Submission, SubmissionStatus
from jiebang.teams.models import Team

RESCORABLE = {SubmissionStatus.scored, SubmissionStatus.failed}


def get_submission(*, db: Session, submission_id: int) -> Submission:
    """Any submission, withdrawn ones included; 404 if there is none."""
    sub = db.get(Submission, submission_id)
    if sub is None:
        raise NotFound("submission")
    return sub


def review_of(*, db: Session, submission_id: int) -> ReviewState:
    """The submission's judging state (all false when never reviewed)."""
    found = db.get(SubmissionReview, submission_id)
    if found is None:
        return ReviewState()
    return ReviewState(
        flagged=found.flagged,
        verified=found.verified,
        disqualified=found.disqualified,
        reason=found.reason,
    )


def act(
    *, db: Session, sub: Submission, user: User, action: ReviewAction, reason: str
) -> ReviewState:
    """Flag, unflag, verify, disqualify or reinstate, with the reason in the audit log.
    Only a scored submission can be verified: there is nothing to check on a failed one."""
    if action == ReviewAction.verify and sub.status != SubmissionStatus.scored:
        raise Conflict("submission", key="only_scored_verifiable")
    review = db.get(SubmissionReview, sub.id) or SubmissionReview(
        submission_id=sub.id or 0, phase_id=sub.phase_id
    )
    before = ReviewState(
        flagged=review.flagged, verified=review.verified, disqualified=review.disqualified
    )
    if action == ReviewAction.flag:
        review.flagged = True
    elif action == ReviewAction.unflag:
        review.flagged = False
    elif action == ReviewAction.verify:
        review.verified, review.flagged, review.disqualified = True, False, False
    elif action == ReviewAction.disqualify:
        review.disqualified, review.verified = True, False
    elif action == ReviewAction.reinstate:
        review.disqualified = False
    review.reason = reason
    review.updated_by = user.id
    review.updated_at = utcnow()
    db.add(review)
    after = ReviewState(
        flagged=review.flagged, verified=review.verified, disqualified=review.disqualified
    )
    audit.record(
        db=db,
        user=user,
        action=str(action),
        phase_id=sub.phase_id,
        submission_id=sub.id,
        reason=reason,
        details={
            "before": before.model_dump(exclude={"reason"}),
            "after": after.model_dump(exclude={"reason"}),
        },
    )
    db.commit()
    return review_of(db=db, submission_id=sub.id or 0)


def list_for_phase(*, db: Session, phase: Phase) -> list[JudgeSubmissionRow]:
    """Every submission of the phase with both splits' current scores, newest first."""
    subs = list(
        db.exec(
            select(Submission)
            .where(Submission.phase_id == phase.id)
            .order_by(col(Submission.id).desc())
        )
    )
    ids = [s.id or 0 for s in subs]
    scores = {
        s.submission_id: s
        for s in db.exec(
            select(Score).where(col(Score.submission_id).in_(ids), col(Score.is_current))
        )
    }
    reviews = {
        r.submission_id: r
        for r in db.exec(select(SubmissionReview).where(SubmissionReview.phase_id == phase.id))
    }
    names = {
        t.id: t.name
        for t in db.exec(select(Team).where(col(Team.id).in_({s.team_id for s in subs})))
    }
    rows = []
    for sub in subs:
        score, review = scores.get(sub.id or 0), reviews.get(sub.id or 0)
        by_split = score.metrics_by_split if score else {}
        rows.append(
            JudgeSubmissionRow(
                id=sub.id or 0,
                team_id=sub.team_id,
                team_name=names.get(sub.team_id, ""),
                status=sub.status,
                created_at=sub.created_at,
                withdrawn=sub.withdrawn_at is not None,
                selected=sub.selected,
                public_scores=dict(by_split.get("public", score.metrics if score else {})),
                private_scores=dict(by_split.get("private", {})),
                review=ReviewState(
                    flagged=review.flagged,
                    verified=review.verified,
                    disqualified=review.disqualified,
                    reason=review.reason,
                )
                if review
                else ReviewState(),
            )
        )
    return rows


def detail(*, db: Session, sub: Submission) -> JudgeSubmissionDetail:
    """Everything about one submission: all splits, plots, logs, scores, jobs, audit trail."""
    score = views.current_score(db, sub.id or 0)
    team = db.get(Team, sub.team_id)
    history = lifecycle.history(db, sub.id or 0)
    all_scores = db.exec(
        select(Score).where(Score.submission_id == sub.id).order_by(col(Score.id))
    ).all()
    jobs = db.exec(
        select(EvaluationJob)
        .where(EvaluationJob.submission_id == sub.id)
        .order_by(col(EvaluationJob.id))
    ).all()
    base = views.to_public(sub).model_dump()
    extra: dict[str, Any] = {
        "team_name": team.name if team else "",
        "withdrawn_at": sub.withdrawn_at,
        "history": history,
        "rescore_history": [h for h in history if "rescore" in h.note],
        "review": review_of(db=db, submission_id=sub.id or 0),
        "score_history": [ScoreVersion.model_validate(s, from_attributes=True) for s in all_scores],
        "jobs": [JobRecord.model_validate(j, from_attributes=True) for j in jobs],
        "audit": [
            AuditEntryPublic.model_validate(a, from_attributes=True)
            for a in audit.entries(db=db, submission_id=sub.id)
        ],
        "logs": views.latest_logs(db, sub.id or 0, score),
    }
    if score is not None:
        extra |= {
            "scores": dict(score.metrics),
            "metrics_by_split": dict(score.metrics_by_split),
            "items": list(score.items),
            "plots": dict(score.plots),
            "warnings": list(score.warnings),
            "evaluator_version": score.evaluator_version,
        }
    return JudgeSubmissionDetail.model_validate(base | extra)


def rescore(
    *, db: Session, phase: Phase, user: User, body: RescoreRequest, max_attempts: int
) -> RescoreResult:
    """Queue "rescore" jobs with a pinned evaluator version; old scores stay as history."""
    track = db.get(Track, phase.track_id)
    assert track is not None
    version = body.evaluator_version or track.evaluator_version
    installed = (registry.describe(track.evaluator_key) or {}).get("version")
    # any published version of the scoring program may be pinned: workers fetch it by hash
    if registry.describe(track.evaluator_key, version) is None:
        raise InvalidInput(
            "evaluator_version",
            "evaluator_version_unknown",
            evaluator=track.evaluator_key,
            version=version,
            installed=installed or "-",
        )
    query = select(Submission).where(Submission.phase_id == phase.id).order_by(col(Submission.id))
    if body.submission_ids is not None:
        query = query.where(col(Submission.id).in_(body.submission_ids))
    subs = list(db.exec(query))
    if body.submission_ids is not None and len(subs) != len(set(body.submission_ids)):
        raise NotFound("submission")
    queued, skipped, job_ids = [], [], []
    for sub in subs:
        if sub.status not in RESCORABLE or sub.object_id is None or sub.status in ACTIVE:
            skipped.append(sub.id or 0)
            continue
        lifecycle.move(
            db,
            sub,
            SubmissionStatus.queued,
            actor=f"user:{user.id}",
            note=f"rescore with {track.evaluator_key} {version}",
        )
        job = queue.enqueue(
            db,
            sub,
            evaluator_key=track.evaluator_key,
            evaluator_version=version,
            purpose="rescore",
            max_attempts=max_attempts,
        )
        queued.append(sub.id or 0)
        job_ids.append(job.id or 0)
    audit.record(
        db=db,
        user=user,
        action="rescore",
        phase_id=phase.id,
        submission_id=queued[0] if len(queued) == 1 and body.submission_ids is not None else None,
        reason=body.reason,
        details={
            "evaluator_version": version,
            "submissions": queued,
            "skipped": skipped,
            "jobs": job_ids,
        },
    )
    db.commit()
    return RescoreResult(
        job_ids=job_ids, submission_ids=queued, skipped=skipped, evaluator_version=version
    )
