"""Readiness: what each track still lacks, and "check this track" (the real pipeline run on
the track's sample submission, in the sandbox, with no queue in between)."""

from __future__ import annotations

import hashlib
import json
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from jiebang.artifacts import service as artifact_service
from jiebang.artifacts.models import ScoringProgram
from jiebang.auth.models import User
from jiebang.bundles.trackdata import latest_sample
from jiebang.contests.models import Contest, Phase, Track
from jiebang.core.errors import DomainError
from jiebang.db import utcnow
from jiebang.evaluation import jobs, registry
from jiebang.evaluation.models import JobSpec, WorkerHeartbeat
from jiebang.readiness.config import readiness_required
from jiebang.readiness.models import MissingItem, TrackCheck
from jiebang.readiness.runner import LocalFetcher
from jiebang.runtimes import parse_runtime_spec
from jiebang.runtimes.builds import combined_state
from jiebang.storage.backend import ObjectStore
from jiebang.storage.models import StoredObject
from jiebang.worker.pipeline import evaluate

GPU_WORKER_SEEN_WITHIN = timedelta(minutes=10)


def gpus_needed(track: Track, program: ScoringProgram | None) -> int:
    """GPUs the track's scoring asks for: the program's own, or the track's ``gpus`` limit."""
    limits = track.sandbox_limits if isinstance(track.sandbox_limits, dict) else {}
    asked = limits.get("gpus", 0)
    return max(program.gpus if program else 0, asked if isinstance(asked, int) else 0)


def gpu_workers(db: Session) -> list[WorkerHeartbeat]:
    """Workers with a GPU seen recently."""
    since = utcnow() - GPU_WORKER_SEEN_WITHIN
    query = select(WorkerHeartbeat).where(
        col(WorkerHeartbeat.gpu_count) > 0, col(WorkerHeartbeat.seen_at) >= since
    )
    return list(db.exec(query))


def _item(track: Track, code: str, field: str, en: str, zh: str, phase: Phase | None = None):
    return MissingItem(
        track_id=track.id or 0,
        track_slug=track.slug,
        code=code,
        field=field,
        phase_id=phase.id if phase else None,
        message_en=en,
        message_zh=zh,
    )


def _program(db: Session, track: Track) -> ScoringProgram | None:
    key, version = track.evaluator_key, track.evaluator_version
    program = artifact_service.get_version(db=db, key=key, version=version)
    if program is None and registry.describe(key, version) is not None:
        program = artifact_service.get_version(db=db, key=key, version=version)
    return program


def inputs_digest(db: Session, track: Track) -> str:
    """sha256 of what a check depends on besides the program: the sample submission, the
    checked phase's reference data and split, the track's configuration and limits."""
    contest = db.get(Contest, track.contest_id)
    sample = (
        latest_sample(db, contest_slug=contest.slug, track_slug=track.slug) if contest else None
    )
    phase = _check_phase(db, track)
    reference = db.get(StoredObject, phase.reference_object_id) if phase else None
    document = {
        "sample": sample.sha256 if sample else None,
        "reference": reference.sha256 if reference else None,
        "splits": jobs.splits_of(phase) if phase else None,
        "config": track.evaluator_config,
        "limits": jobs.limits_of(track),
        "kind": str(track.submission_kind),
    }
    return hashlib.sha256(json.dumps(document, sort_keys=True, default=str).encode()).hexdigest()


def missing_for_track(db: Session, track: Track) -> list[MissingItem]:
    """What keeps this track from being published, each naming the field to fix."""
    missing: list[MissingItem] = []
    phases = list(db.exec(select(Phase).where(Phase.track_id == track.id)))
    program = _program(db, track)
    # a Codabench program scores the whole submission (worker/codabench.py): no items to split
    whole = program is not None and (program.manifest or {}).get("contract") == "codabench"
    if not phases:
        missing.append(_item(track, "phase", "phases", "no phase yet", "尚无阶段"))
    for phase in phases:
        if phase.reference_object_id is None:
            en = f"phase {phase.slug} has no hidden reference data"
            zh = f"阶段 {phase.slug} 尚未上传隐藏参考数据"
            missing.append(_item(track, "reference_data", "phase.reference", en, zh, phase))
        if not whole and not phase.public_item_ids and not phase.private_item_ids:
            en = f"phase {phase.slug} has no public/private split"
            zh = f"阶段 {phase.slug} 尚未设置公开/私有划分"
            missing.append(_item(track, "split", "phase.split", en, zh, phase))
    if program is None:
        key = f"{track.evaluator_key} {track.evaluator_version}"
        en, zh = f"the evaluator {key} is not in the registry", f"评测器 {key} 不在注册表中"
        missing.append(_item(track, "evaluator", "evaluator_key", en, zh))
    else:
        spec = parse_runtime_spec(program.runtime or {"kind": "platform"})
        state = combined_state(db=db, spec=spec)  # what the workers reported, and this cache
        if state.status == "failed":
            en = f"the scoring program's runtime failed to build: {state.message}"
            zh = f"评分程序的运行时构建失败：{state.message_zh or state.message}"
            missing.append(_item(track, "runtime", "evaluator_version", en, zh))
    if gpus_needed(track, program) and not gpu_workers(db):
        en = "this track needs a GPU, and no GPU worker is registered"
        zh = "该赛道需要 GPU，但目前没有已注册的 GPU 评测节点"
        missing.append(_item(track, "gpu_worker", "sandbox_limits.gpus", en, zh))
    check = latest_check(db, track_id=track.id or 0)
    current = (
        check is not None
        and program is not None
        and check.program_sha256 == program.sha256
        and check.evaluator_version == track.evaluator_version
    )
    if check is None or not current:
        en, zh = "the track has not been checked yet", "该赛道尚未通过检查"
        missing.append(_item(track, "check", "check", en, zh))
    elif check.inputs_sha256 != inputs_digest(db, track):
        en = "the track changed since its last check (sample, data, split or settings)"
        zh = "该赛道自上次检查后已有变更（示例提交、数据、划分或设置），请重新检查"
        missing.append(_item(track, "check", "check", en, zh))
    elif check.status != "passed":
        why = _last_stderr_line(check)
        en = f"the last check failed: {check.message}{why}"
        zh = f"最近一次检查未通过：{check.message_zh or check.message}{why}"
        missing.append(_item(track, "check", "check", en, zh))
    return missing


def _last_stderr_line(check: TrackCheck) -> str:
    """The scoring program's last words on stderr (" — KeyError: 'prob'"), or ""."""
    logs = check.logs if isinstance(check.logs, dict) else {}
    lines = [line.strip() for line in str(logs.get("score_stderr_tail") or "").splitlines()]
    last = next((line for line in reversed(lines) if line), "")
    return f" — {last[:200]}" if last else ""


def missing_for_contest(db: Session, contest: Contest) -> list[MissingItem]:
    """What each track lacks; a contest without tracks lacks a track (nothing to enter)."""
    query = select(Track).where(Track.contest_id == contest.id).order_by(col(Track.id))
    tracks = list(db.exec(query))
    if not tracks:
        return [NO_TRACKS.model_copy()]
    return [item for track in tracks for item in missing_for_track(db, track)]


# contest-wide, so no track: the UI links it to adding one (field "tracks")
NO_TRACKS = MissingItem(
    track_id=0,
    track_slug="",
    code="tracks",
    field="tracks",
    message_en="no tracks yet",
    message_zh="尚无赛道",
)
# what blocks even with the gate off: a contest nobody could submit to
NOTHING_TO_ENTER = {"tracks", "phase"}


def latest_check(db: Session, *, track_id: int) -> TrackCheck | None:
    query = select(TrackCheck).where(TrackCheck.track_id == track_id)
    return db.exec(query.order_by(col(TrackCheck.id).desc()).limit(1)).first()


def list_checks(db: Session, *, track_id: int) -> list[TrackCheck]:
    query = select(TrackCheck).where(TrackCheck.track_id == track_id)
    return list(db.exec(query.order_by(col(TrackCheck.id).desc()).limit(50)))


def _check_phase(db: Session, track: Track) -> Phase | None:
    phases = db.exec(select(Phase).where(Phase.track_id == track.id).order_by(col(Phase.ends_at)))
    with_reference = [p for p in phases if p.reference_object_id is not None]
    return with_reference[-1] if with_reference else None


def _failed(track: Track, user: User | None, en: str, zh: str, sha: str = "") -> TrackCheck:
    return TrackCheck(
        track_id=track.id or 0,
        status="failed",
        evaluator_key=track.evaluator_key,
        evaluator_version=track.evaluator_version,
        program_sha256=sha,
        outcome="not_run",
        message=en,
        message_zh=zh,
        created_by=user.id if user else None,
    )


def run_check(
    *, db: Session, store: ObjectStore, track: Track, user: User | None, work_root: Path
) -> TrackCheck:
    """Run the pipeline on the track's sample submission and store the outcome (committed)."""
    contest = db.get(Contest, track.contest_id)
    assert contest is not None
    program = _program(db, track)
    sample = latest_sample(db, contest_slug=contest.slug, track_slug=track.slug)
    phase = _check_phase(db, track)
    if program is None:
        check = _failed(track, user, "the evaluator is not in the registry", "评测器不在注册表中")
    elif sample is None:
        check = _failed(
            track, user, "the track has no sample submission", "该赛道尚无示例提交", program.sha256
        )
    elif phase is None:
        check = _failed(
            track, user, "no phase has hidden reference data", "没有阶段上传了隐藏参考数据"
        )
    elif gpus_needed(track, program) and not gpu_workers(db):
        check = _failed(
            track,
            user,
            "this track needs a GPU, and no GPU worker is registered",
            "该赛道需要 GPU，但目前没有已注册的 GPU 评测节点",
            program.sha256,
        )
    else:
        check = _run(db=db, store=store, track=track, phase=phase, sample=sample, work=work_root)
        check.program_sha256 = program.sha256
        check.created_by = user.id if user else None
    check.inputs_sha256 = inputs_digest(db, track)
    db.add(check)
    db.commit()
    db.refresh(check)
    return check


def _run(
    *,
    db: Session,
    store: ObjectStore,
    track: Track,
    phase: Phase,
    sample: StoredObject,
    work: Path,
) -> TrackCheck:
    reference = db.get(StoredObject, phase.reference_object_id)
    assert reference is not None
    ref = jobs.program_ref(
        db, store=store, key=track.evaluator_key, version=track.evaluator_version
    )
    assert ref is not None
    ref = ref.model_copy(update={"url": f"object:{ref.sha256}"})
    spec = JobSpec(
        job_id=0,
        submission_id=0,
        lease_owner="readiness-check",
        lease_seconds=3600,
        evaluator_key=track.evaluator_key,
        evaluator_version=track.evaluator_version,
        evaluator_config=dict(track.evaluator_config),
        splits=jobs.splits_of(phase),
        submission_kind=str(track.submission_kind),
        submission_url=f"object:{sample.sha256}",
        submission_sha256=sample.sha256,
        submission_filename=sample.filename,
        reference_url=f"object:{reference.sha256}",
        reference_sha256=reference.sha256,
        limits=jobs.limits_of(track),
        program=ref,
        submitted_at=sample.created_at,  # the sample's runtime: one stamp, checked again alike
    )
    work.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=work, prefix="check-") as scratch:
        fetcher = LocalFetcher(db=db, store=store)
        report: dict[str, Any] = evaluate(
            spec, api=fetcher, scratch_root=Path(scratch), cache_dir=work / "cache"
        )
    outcome = str(report.get("outcome"))
    passed = outcome == "scored"
    return TrackCheck(
        track_id=track.id or 0,
        status="passed" if passed else "failed",
        evaluator_key=track.evaluator_key,
        evaluator_version=track.evaluator_version,
        outcome=outcome,
        message="the sample submission was scored" if passed else str(report.get("message", "")),
        message_zh="示例提交已成功评分"
        if passed
        else str(report.get("message_zh") or report.get("message", "")),
        result=report.get("result") or {},
        logs={k: v[-20_000:] for k, v in (report.get("logs") or {}).items()},
    )


class ContestNotReady(DomainError):
    """409: publishing refused; ``missing`` lists what each track lacks (machine-readable)."""

    status_code = 409

    def __init__(self, missing: list[MissingItem]) -> None:
        super().__init__("contest_not_ready")
        self.extra = {"missing": [item.model_dump() for item in missing]}


def refuse_unready(db: Session, contest: Contest) -> None:
    """Raise ContestNotReady while any track lacks something. With readiness off, only a
    contest nobody could enter (no track, or a track without a phase) and a track whose last
    check failed are refused: a contest built from scratch and never checked goes through,
    one seen failing does not until a check passes."""
    missing = missing_for_contest(db, contest)
    if not readiness_required():
        failing = {item.track_id for item in missing if _last_check_failed(db, item.track_id)}
        missing = [
            item
            for item in missing
            if item.code in NOTHING_TO_ENTER or (item.code == "check" and item.track_id in failing)
        ]
    if missing:
        raise ContestNotReady(missing)


def _last_check_failed(db: Session, track_id: int) -> bool:
    check = latest_check(db, track_id=track_id)
    return check is not None and check.status != "passed"
