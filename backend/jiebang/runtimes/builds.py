"""Runtime builds as the platform sees them: the workers' reports joined with this machine's
own cache (the embedded worker's and "build now"'s builds).

Combined: ready where at least one worker has it ready; otherwise building where a build
is under way (its elapsed time and log); otherwise failed with the latest failure's
messages; otherwise absent.
"""

from __future__ import annotations

import logging
import socket
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from jiebang.db import get_engine, utcnow
from jiebang.runtimes.config import RuntimeSettings
from jiebang.runtimes.models import RuntimeBuild, RuntimeBuildReport, WorkerRuntimeState
from jiebang.runtimes.service import RuntimeState, runtime_state
from jiebang.runtimes.spec import OciRuntime, PlatformRuntime, PythonRuntime

log = logging.getLogger(__name__)

# A build reports every few seconds; one silent for this long lost its worker.
BUILDING_SILENT_AFTER = timedelta(minutes=2)


def record(*, db: Session, report: RuntimeBuildReport) -> RuntimeBuild:
    """Keep what ``report.worker`` says about its build of the runtime (the caller commits)."""
    now = utcnow()
    for attempt in range(2):  # two first reports of one build may race to insert
        row = db.get(RuntimeBuild, (report.kind, report.content_key, report.worker))
        if row is None:
            row = RuntimeBuild(
                kind=report.kind,
                content_key=report.content_key,
                worker=report.worker,
                status=report.status,
            )
        row.status, row.updated_at = report.status, now
        building = report.status == "building"
        elapsed = report.elapsed_seconds or 0.0
        row.started_at = now - timedelta(seconds=elapsed) if building else None
        row.log_tail = report.log_tail if building else ""
        failed = report.status == "failed"
        row.message = report.message if failed else ""
        row.message_zh = report.message_zh if failed else ""
        db.add(row)
        try:
            db.flush()
            return row
        except IntegrityError:
            db.rollback()
            if attempt:
                raise
    raise AssertionError("unreachable")


def record_here(news: dict[str, Any]) -> None:
    """Record a build that ran in this API process (``build now``), in its own session."""
    report = RuntimeBuildReport.model_validate(news | {"worker": api_worker_name()})
    try:
        with Session(get_engine()) as db:
            record(db=db, report=report)
            db.commit()
    except Exception:  # the local cache still answers for this machine
        log.warning("could not record runtime %s", report.content_key, exc_info=True)


def api_worker_name() -> str:
    """How the builds of this API machine are named among the workers'."""
    return f"api:{socket.gethostname()}"[:80]


def reports(*, db: Session, kind: str, content_key: str) -> list[RuntimeBuild]:
    """Every worker's last word on one runtime, newest first."""
    query = (
        select(RuntimeBuild)
        .where(RuntimeBuild.kind == kind, RuntimeBuild.content_key == content_key)
        .order_by(col(RuntimeBuild.updated_at).desc(), col(RuntimeBuild.worker))
    )
    return list(db.exec(query))


def combined_state(
    *,
    db: Session,
    spec: PlatformRuntime | PythonRuntime | OciRuntime,
    settings: RuntimeSettings | None = None,
) -> RuntimeState:
    """The runtime's state across the workers that reported it and this machine's cache."""
    local = runtime_state(spec, settings=settings)
    if isinstance(spec, PlatformRuntime):
        return local
    now = utcnow()
    rows = reports(db=db, kind=spec.kind, content_key=spec.content_key)
    live = [row for row in rows if not _silent(row, now)]
    workers = tuple(
        WorkerRuntimeState(worker=row.worker, status=row.status, updated_at=row.updated_at)
        for row in live
    )
    if local.status == "ready" or any(row.status == "ready" for row in live):
        return RuntimeState("ready", workers=workers, resolved=local.resolved)
    if local.status == "building":
        return RuntimeState(
            "building",
            elapsed_seconds=local.elapsed_seconds,
            log_tail=local.log_tail,
            workers=workers,
        )
    building = [row for row in live if row.status == "building"]
    if building:
        row = building[0]  # the freshest news
        started = row.started_at or row.updated_at
        elapsed = max(0.0, (now - started).total_seconds())
        return RuntimeState(
            "building", elapsed_seconds=elapsed, log_tail=row.log_tail, workers=workers
        )
    failed = [row for row in live if row.status == "failed"]
    if failed:
        row = failed[0]
        return RuntimeState("failed", row.message, row.message_zh, workers=workers)
    return RuntimeState(local.status, local.message, local.message_zh, workers=workers)


def _silent(row: RuntimeBuild, now: datetime) -> bool:
    return row.status == "building" and now - row.updated_at > BUILDING_SILENT_AFTER
