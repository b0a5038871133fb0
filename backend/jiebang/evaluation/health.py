"""The organiser's view of the evaluation system: queue depth, workers, sandbox, self-test.

Every organiser of something that runs reads the page (a contest, a list or an item, the
platform, a unit that runs a contest or issues an item: organisations/running.py): the queue
and the workers are shared, and their state says nothing of anyone. A unit that only applies
makes its registrant an organiser of nothing that runs: they get 403, and no link in the nav.
What names people (an SMTP error's recipient) is for platform organisers only; the probes
mask it for the others (core/health_probes.py). The sandbox self-test runs on the platform's
machine for a minute, so it stays with platform organisers."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from sqlmodel import col, func, select

from jiebang.auth.dependencies import SessionDep
from jiebang.auth.models import User
from jiebang.core import health_probes
from jiebang.db import utcnow
from jiebang.evaluation.models import EvaluationJob, JobStatus, WorkerHeartbeat
from jiebang.organisations.models import ScopedRole
from jiebang.organisations.permissions import PLATFORM, Permission, may
from jiebang.organisations.running import RunningOrganiser
from jiebang.sandbox import sandbox_status
from jiebang.sandbox.selftest import run_selftest

router = APIRouter(prefix="/admin", tags=["operations"])
# no scope in the path: only a platform-wide organiser (global role or platform grant) passes
PlatformOrganiser = Annotated[User, Depends(Permission(ScopedRole.organiser))]
WORKER_SEEN_WITHIN = timedelta(minutes=5)


@router.get("/health")
def system_health(user: RunningOrganiser, db: SessionDep) -> dict[str, Any]:
    """Queue depth by status, workers seen recently, and how submissions are sandboxed here;
    for an organiser of one running unit, contest or list, without anyone's personal data."""
    platform = may(db, user, [ScopedRole.organiser], [PLATFORM])
    audience = health_probes.PLATFORM_AUDIENCE if platform else health_probes.SCOPED_AUDIENCE
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
        **health_probes.report(db, audience),
    }


@router.post("/sandbox/selftest")
def sandbox_selftest(_: PlatformOrganiser) -> list[dict[str, Any]]:
    """Run the hostile-submission suite against this machine (takes about a minute)."""
    return [
        {"attack": o.name, "contained": o.contained, "reason": o.reason} for o in run_selftest()
    ]
