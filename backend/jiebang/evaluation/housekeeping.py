"""Periodic duties of the API process: the lease watchdog, re-announcing queued jobs that
no worker picked up (e.g. after a broker outage), removing abandoned uploads (teams'
submissions and organisers' staged uploads), and reclaiming the scratch space of jobs whose
worker was killed."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from sqlmodel import Session, col, select

from jiebang.config import get_settings
from jiebang.db import get_engine, utcnow
from jiebang.evaluation import dispatch, queue
from jiebang.sandbox.leftovers import reclaim_leftovers
from jiebang.staged_uploads import sweep as staged_sweep
from jiebang.staged_uploads.config import get_staged_upload_settings
from jiebang.storage.backend import ObjectMissing, StorageUnavailable
from jiebang.storage.config import get_store
from jiebang.submissions import lifecycle
from jiebang.submissions.models import Submission, SubmissionStatus

log = logging.getLogger(__name__)


def abort_abandoned_uploads(db: Session, *, older_than: timedelta) -> list[int]:
    """Cancel uploads nobody completed in time, and free their parts in storage."""
    cutoff = utcnow() - older_than
    stale = db.exec(
        select(Submission).where(
            Submission.status == SubmissionStatus.uploading, col(Submission.created_at) < cutoff
        )
    ).all()
    store = get_store()
    for sub in stale:
        try:
            store.abort_multipart(sub.upload_key, sub.upload_id)
        except ObjectMissing:
            pass
        except StorageUnavailable:
            continue  # try again next round
        lifecycle.move(
            db, sub, SubmissionStatus.cancelled, actor="system:janitor", note="upload abandoned"
        )
    db.commit()
    return [s.id or 0 for s in stale]


def reclaim_scratch() -> list[str]:
    """Remove what killed jobs left on this machine: the embedded pool's job folders, sandbox
    staging folders and run cgroups whose owning process is gone (see sandbox/leftovers.py)."""
    settings = get_settings()
    work = settings.work_dir or settings.var_dir / "work"
    return reclaim_leftovers([work / "scratch"])


def run_once() -> None:
    settings = get_settings()
    try:
        reclaim_scratch()
    except OSError:  # a file-system hiccup must not stop the lease watchdog below
        log.exception("reclaiming leftovers of killed jobs failed")
    with Session(get_engine(), expire_on_commit=False) as db:
        queue.requeue_expired(db)
        dispatch.announce_pending(db)
        abort_abandoned_uploads(db, older_than=timedelta(hours=settings.upload_expiry_hours))
        staged_ttl = timedelta(hours=get_staged_upload_settings().ttl_hours)
        staged_sweep.sweep_expired(db=db, store=get_store(), older_than=staged_ttl)
        from jiebang.phase_migration import service as migration  # reacts to phase dates

        migration.run_due(db=db)


class Housekeeper:
    def __init__(self, interval_seconds: float = 5) -> None:
        self.interval = interval_seconds
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True, name="housekeeper")

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                run_once()
            except Exception:  # keep running: a database blip must not stop the watchdog
                log.exception("housekeeping round failed")

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)
