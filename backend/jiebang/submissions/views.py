"""What a team sees of its submissions: only public-split scores, never private ones."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from jiebang.contests.models import Phase
from jiebang.core.i18n import MESSAGES, Locale, translate
from jiebang.evaluation.models import EvaluationJob, Score
from jiebang.judging.models import SubmissionReview
from jiebang.submissions import lifecycle, sequence_results
from jiebang.submissions.models import Submission, SubmissionDetail, SubmissionPublic

PUBLIC_SPLIT = "public"


def to_public(
    sub: Submission, review: SubmissionReview | None = None, locale: Locale = "en"
) -> SubmissionPublic:
    """The submission as its team sees it. Of the judges' review only a disqualification
    shows (it already shows on the board by the entry's absence); flags and verifications
    stay hidden until publication, since verifying the top K would hint at the private order."""
    update: dict[str, Any] = {"size": sub.declared_size, "sha256": sub.declared_sha256}
    update |= failure_texts(sub, locale)
    if review is not None and review.disqualified:
        update |= {"disqualified": True, "disqualification_reason": review.reason}
    return SubmissionPublic.model_validate(sub, update=update)


def failure_texts(sub: Submission, locale: Locale) -> dict[str, str | None]:
    """The failure's reason and category label in the reader's language."""
    if sub.failure_category is None:
        return {}
    zh = locale == "zh-CN"
    reason = (sub.failure_message_zh or sub.failure_message) if zh else sub.failure_message
    key = f"failure_{sub.failure_category}"
    label = translate(key, locale) if key in MESSAGES else sub.failure_category
    return {"failure_reason": reason, "failure_category_label": label}


def reviews_of(db: Session, submission_ids: list[int]) -> dict[int, SubmissionReview]:
    if not submission_ids:
        return {}
    query = select(SubmissionReview).where(col(SubmissionReview.submission_id).in_(submission_ids))
    return {r.submission_id: r for r in db.exec(query)}


def current_score(db: Session, submission_id: int) -> Score | None:
    return db.exec(
        select(Score).where(Score.submission_id == submission_id, col(Score.is_current))
    ).first()


def public_items(score: Score, phase: Phase) -> list[dict[str, Any]]:
    """Per-item rows of the public split only (all rows when the phase has no split)."""
    if not phase.private_item_ids:
        return score.items
    private = set(phase.private_item_ids)
    return [
        row
        for row in score.items
        if str(row.get("id")) not in private and row.get("split") != "private"
    ]


def public_scores(score: Score, phase: Phase) -> dict[str, float]:
    if not phase.private_item_ids:
        return dict(score.metrics)
    return dict(score.metrics_by_split.get(PUBLIC_SPLIT, {}))


def public_plots(score: Score, phase: Phase) -> dict[str, Any]:
    if not phase.private_item_ids:
        return score.plots
    private = set(phase.private_item_ids)
    curves = [c for c in score.plots.get("rd_curves", []) if str(c.get("sequence")) not in private]
    shown = {**score.plots, "rd_curves": curves}
    if "class_table" in score.plots:  # the evaluator's means span every split: recompute them
        shown["class_table"] = sequence_results.evaluator_class_table(public_items(score, phase))
    return shown


# what the team's own program printed, and the platform's notes on unpacking its archive;
# the evaluator's stdout, stderr and warnings are staff's
TEAM_LOG_PREFIX = ("run_", "unpack")
TEAM_NOTES = ("unpack",)  # what the worker's unpack says about the team's archive (zh and en)


def detail_for_team(db: Session, sub: Submission, locale: Locale = "en") -> SubmissionDetail:
    """Public scores and rows, and the logs of the team's own program only: the evaluator's
    stdout, stderr and warnings (e.g. a scipy OptimizeWarning) stay with organisers and judges."""
    phase = db.get(Phase, sub.phase_id)
    assert phase is not None
    base = to_public(sub, db.get(SubmissionReview, sub.id), locale).model_dump()
    score = current_score(db, sub.id or 0)
    extra: dict[str, Any] = {"history": lifecycle.history(db, sub.id or 0)}
    if score is not None:
        extra |= {
            "scores": public_scores(score, phase),
            "items": public_items(score, phase),
            "plots": public_plots(score, phase),
            "evaluator_version": score.evaluator_version,
        }
    logs = {
        k: v
        for k, v in latest_logs(db, sub.id or 0, score).items()
        if k.startswith(TEAM_LOG_PREFIX) or k in TEAM_NOTES
    }
    if logs:
        extra["logs"] = logs
    return SubmissionDetail.model_validate(base | extra)


def latest_logs(db: Session, submission_id: int, score: Score | None) -> dict[str, str]:
    if score is not None and score.logs:
        return dict(score.logs)
    job = db.exec(
        select(EvaluationJob)
        .where(EvaluationJob.submission_id == submission_id)
        .order_by(col(EvaluationJob.id).desc())
    ).first()
    return dict(job.logs) if job is not None and job.logs else {}
