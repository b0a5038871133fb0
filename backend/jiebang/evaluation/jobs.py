"""What the API tells workers about a job, and how it records what they report."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from jiebang.artifacts import service as artifact_service
from jiebang.artifacts.models import ProgramRef
from jiebang.contests.models import Phase, Track
from jiebang.core.errors import Conflict
from jiebang.core.i18n import translate
from jiebang.evaluation import queue, registry
from jiebang.evaluation.models import EvaluationJob, JobResult, JobSpec, JobStatus, Score
from jiebang.integrity import service as integrity_service
from jiebang.sandbox import SCORE_STAGE_DEFAULTS
from jiebang.storage.backend import ObjectStore
from jiebang.storage.models import StoredObject
from jiebang.submissions import lifecycle
from jiebang.submissions.archives import ArchivePolicy
from jiebang.submissions.models import FailureCategory, Submission, SubmissionStatus

API = "/api/v1/worker"


def _object_url(store: ObjectStore, obj: StoredObject, api_path: str) -> str:
    return store.presign_get(obj.key, expires_seconds=6 * 3600) or api_path


def splits_of(phase: Phase) -> dict[str, list[str]]:
    if not phase.public_item_ids and not phase.private_item_ids:
        return {}
    return {"public": list(phase.public_item_ids), "private": list(phase.private_item_ids)}


def limits_of(track: Track) -> dict[str, Any]:
    """Per-stage sandbox limits (the track's explicit ones over its time and memory limits),
    and the track's archive limits for the worker's unpack."""
    base = {
        "wall_seconds": track.time_limit_seconds,
        "cpu_seconds": track.time_limit_seconds,
        "memory_bytes": track.memory_limit_bytes,
    }
    stages = track.sandbox_limits if isinstance(track.sandbox_limits, dict) else {}
    limits: dict[str, Any] = {
        stage: base | dict(stages.get(stage, {})) for stage in ("run", "score")
    }
    # the worker unpacks under the same archive policy the arrival check applied
    limits["archive"] = dict(stages.get("archive", {}))
    if isinstance(stages.get("team_runtimes"), list):  # runtime kinds team programs may declare
        limits["team_runtimes"] = list(stages["team_runtimes"])
    if stages.get("complexity"):  # decoder timing on code tracks (worker/complexity.py)
        limits["complexity"] = dict(stages["complexity"])
    files = ArchivePolicy.from_mapping(limits["archive"]).limits.max_files
    read_back = limits["score"].get("max_output_files", SCORE_STAGE_DEFAULTS.max_output_files)
    if isinstance(read_back, int) and read_back < 2 * files:
        # the score sandbox reads the submission back (and, on code tracks, the outputs
        # beside it): as many files as the arrival check let through must pass there too
        limits["score"]["max_output_files"] = 2 * files
    return limits


def decoder_lock_for(db: Session, *, track: Track, sub: Submission) -> list[str] | None:
    """Decoder hashes the team registered in the track's earlier phases (CLIC's rule)."""
    if not track.requires_decoder_lock:
        return None
    other_phases = select(Phase.id).where(Phase.track_id == track.id, Phase.id != sub.phase_id)
    rows = db.exec(
        select(Submission.decoder_hash).where(
            col(Submission.phase_id).in_(other_phases),
            Submission.team_id == sub.team_id,
            col(Submission.decoder_hash).is_not(None),
        )
    ).all()
    return sorted({h for h in rows if h})


def spec_for(db: Session, *, store: ObjectStore, job: EvaluationJob, lease_seconds: int) -> JobSpec:
    sub = db.get(Submission, job.submission_id)
    assert sub is not None and sub.object_id is not None
    phase = db.get(Phase, sub.phase_id)
    assert phase is not None
    track = db.get(Track, phase.track_id)
    assert track is not None
    upload = db.get(StoredObject, sub.object_id)
    assert upload is not None
    reference = (
        db.get(StoredObject, phase.reference_object_id) if phase.reference_object_id else None
    )
    return JobSpec(
        job_id=job.id or 0,
        submission_id=sub.id or 0,
        lease_owner=job.lease_owner or "",
        lease_seconds=lease_seconds,
        evaluator_key=job.evaluator_key,
        evaluator_version=job.evaluator_version,
        evaluator_config=dict(track.evaluator_config),
        splits=splits_of(phase),
        submission_kind=str(track.submission_kind),
        submission_url=_object_url(store, upload, f"{API}/jobs/{job.id}/submission"),
        submission_sha256=upload.sha256,
        submission_filename=sub.filename,
        reference_url=_object_url(store, reference, f"{API}/jobs/{job.id}/reference")
        if reference
        else None,
        reference_sha256=reference.sha256 if reference else None,
        limits=limits_of(track),
        decoder_lock=decoder_lock_for(db, track=track, sub=sub),
        program=program_ref(db, store=store, key=job.evaluator_key, version=job.evaluator_version),
        gpus=job.gpus,
        submitted_at=sub.created_at,
    )


def program_ref(db: Session, *, store: ObjectStore, key: str, version: str) -> ProgramRef | None:
    """The pinned scoring program (an installed evaluator is published on first use)."""
    program = artifact_service.get_version(db=db, key=key, version=version)
    if program is None and registry.describe(key, version) is not None:
        program = artifact_service.get_version(db=db, key=key, version=version)
    return artifact_service.ref_for(db=db, store=store, program=program) if program else None


def record(db: Session, *, job: EvaluationJob, body: JobResult) -> Submission:
    """Apply a worker's report once; a duplicate of an already recorded result is a no-op."""
    sub = db.get(Submission, job.submission_id)
    assert sub is not None
    if not queue.holds_lease(job, body.lease_owner):
        if db.exec(select(Score).where(Score.job_id == job.id)).first() is not None:
            return sub  # delivered twice: the first delivery already counted
        raise Conflict("job", key="lease_lost")
    actor = f"worker:{body.lease_owner}"
    job.logs = {k: v[-20_000:] for k, v in body.logs.items()}
    if body.decoder_hash:
        sub.decoder_hash = body.decoder_hash
    if body.file_hashes is not None:
        sub.file_hashes = dict(body.file_hashes)
    if body.outcome == "scored" and body.result is not None:
        _record_score(db, job=job, sub=sub, result=body.result, actor=actor)
    elif body.outcome == "invalid_submission":
        queue.finish_failed(db, job=job, message=body.message)
        lifecycle.fail(
            db,
            sub,
            FailureCategory.submission,
            body.message,
            actor=actor,
            message_zh=body.message_zh,
        )
    elif body.outcome == "evaluator_error":
        queue.finish_failed(db, job=job, message=body.message)
        lifecycle.fail(
            db,
            sub,
            FailureCategory.evaluator,
            translate("evaluator_failed_refunded", "en"),
            actor=actor,
            message_zh=translate("evaluator_failed_refunded", "zh-CN"),
        )
    else:
        _retry_or_fail(db, job=job, sub=sub, message=body.message, actor=actor)
    db.commit()
    db.refresh(sub)
    return sub


def _record_score(
    db: Session, *, job: EvaluationJob, sub: Submission, result: dict[str, Any], actor: str
) -> None:
    score = Score(
        job_id=job.id or 0,
        submission_id=sub.id or 0,
        evaluator_version=job.evaluator_version,
        metrics=dict(result.get("metrics", {})),
        metrics_by_split=dict(result.get("metrics_by_split", {})),
        items=list(result.get("items", [])),
        plots=dict(result.get("plots", {})),
        warnings=list(result.get("warnings", [])),
        logs=dict(job.logs),
        detailed_results_html=result.get("detailed_results_html"),
    )
    recorded = queue.record_score(db, job=job, score=score)
    integrity_service.record_fingerprints(db, sub=sub, items=recorded.items)
    if sub.status == SubmissionStatus.running:
        lifecycle.move(
            db,
            sub,
            SubmissionStatus.scored,
            actor=actor,
            note=f"{job.purpose} by {job.evaluator_key} {job.evaluator_version}",
        )


def _retry_or_fail(
    db: Session, *, job: EvaluationJob, sub: Submission, message: str, actor: str
) -> None:
    """An infrastructure fault: try again while attempts remain, else fail with a refund."""
    if job.attempts < job.max_attempts:
        job.status = JobStatus.queued
        job.lease_owner = None
        job.announced_at = None
        job.last_error = message[:4000]
        db.add(job)
        if sub.status == SubmissionStatus.running:
            lifecycle.move(
                db, sub, SubmissionStatus.queued, actor=actor, note=f"retry after: {message[:200]}"
            )
        return
    queue.finish_failed(db, job=job, message=message)
    lifecycle.fail(
        db,
        sub,
        FailureCategory.infrastructure,
        translate("platform_failed_refunded", "en", attempts=job.attempts),
        actor=actor,
        message_zh=translate("platform_failed_refunded", "zh-CN", attempts=job.attempts),
    )
