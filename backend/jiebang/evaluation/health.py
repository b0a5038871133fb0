"""The organiser's view of the evaluation system: queue depth, workers, sandbox, self-test."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import APIRouter
from sqlmodel import col, func, select

from jiebang.auth.dependencies import Organiser, SessionDep
from jiebang.core import health_probes
from jiebang.db import utcnow
from jiebang.evaluation.models import EvaluationJob, JobStatus, WorkerHeartbeat
from jiebang.sandbox import sandbox_status
from jiebang.sandbox.selftest import run_selftest

router = APIRouter(prefix="/admin", tags=["operations"])
WORKER_SEEN_WITHIN = timedelta(minutes=5)


@router.get("/health")
def system_health(_: Organiser, db: SessionDep) -> dict[str, Any]:
    """Queue depth by status, workers seen recently, and how submissions are sandboxed here."""
    counts = dict(
        db.exec(select(EvaluationJob.status, func.count()).group_by(EvaluationJob.status)).all()
    )
    workers = db.exec(
        select(WorkerHeartbeat)
        .where(col(WorkerHeartbeat.seen_at) >= utcnow() - WORKER_SEEN_WITHIN)
        .order_by(col(WorkerHeartbeat.name))
    ).all()
    status = sandbox_status()
    return {
        "queue_depth": counts.get(JobStatus.queued, 0),
        "running": counts.get(JobStatus.running, 0),
        "jobs_by_status": counts,
        "workers": [w.model_dump(mode="json") for w in workers],
        "sandbox": {
            "mechanism": status.mechanism,
            "isolated": status.isolated,
            "bubblewrap": status.bwrap_version,
            "cgroup": status.cgroup,
            "warnings": list(status.warnings),
        },
        # what the rooms above register: the email queue (pending, retrying, failed, last error)
        **health_probes.report(db),
    }


@router.post("/sandbox/selftest")
def sandbox_selftest(_: Organiser) -> list[dict[str, Any]]:
    """Run the hostile-submission suite against this machine (takes about a minute)."""
    return [
        {"attack": o.name, "contained": o.contained, "reason": o.reason} for o in run_selftest()
    ]
