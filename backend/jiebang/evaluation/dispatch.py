"""Waking workers up. The database holds the queue; this only announces that work exists.

embedded: a threading.Event shared with the in-process pool.
celery:   one message per job on RabbitMQ; a lost message is harmless because the
          housekeeper re-announces jobs that stay queued.
"""

from __future__ import annotations

import logging
import threading

from sqlmodel import Session

from jiebang.config import get_settings
from jiebang.db import get_engine
from jiebang.evaluation import queue

log = logging.getLogger(__name__)
work_available = threading.Event()


def announce(job_ids: list[int], db: Session | None = None) -> None:
    """Tell workers about these queued jobs; never raises (the housekeeper retries).

    Jobs whose message reached the broker are marked announced; the others stay
    unannounced and the housekeeper tries them again on its next round.
    """
    if not job_ids:
        return
    if get_settings().queue == "embedded":
        work_available.set()
        _mark(db, job_ids)
        return
    sent: list[int] = []
    try:
        from jiebang.worker.celery_app import send_evaluate

        needing = _gpu_jobs(db, job_ids)
        for job_id in job_ids:
            send_evaluate(job_id, gpus=needing.get(job_id, 0))
            sent.append(job_id)
    except Exception as exc:  # broker down: the jobs stay queued in the database
        log.warning("could not announce jobs %s: %s", job_ids[len(sent) :], exc)
    _mark(db, sent)


def _gpu_jobs(db: Session | None, job_ids: list[int]) -> dict[int, int]:
    if db is not None:
        return queue.gpus_of(db, job_ids)
    with Session(get_engine()) as own:
        return queue.gpus_of(own, job_ids)


def _mark(db: Session | None, job_ids: list[int]) -> None:
    if db is not None:
        queue.mark_announced(db, job_ids)
        return
    with Session(get_engine()) as own:
        queue.mark_announced(own, job_ids)


def announce_pending(db: Session) -> None:
    """Announce jobs that were never announced, or whose message may have been lost."""
    announce(
        queue.unannounced_job_ids(db, stale_after_seconds=get_settings().reannounce_seconds), db
    )
