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
from jiebang.evaluation import queue

log = logging.getLogger(__name__)
work_available = threading.Event()


def announce(job_ids: list[int]) -> None:
    """Tell workers about these queued jobs; never raises (the housekeeper retries)."""
    if not job_ids:
        return
    if get_settings().queue == "embedded":
        work_available.set()
        return
    try:
        from jiebang.worker.celery_app import send_evaluate

        for job_id in job_ids:
            send_evaluate(job_id)
    except Exception as exc:  # broker down: the job stays queued in the database
        log.warning("could not announce jobs %s: %s", job_ids, exc)


def announce_queued(db: Session, *, older_than_seconds: float = 0) -> None:
    announce(queue.queued_job_ids(db, older_than_seconds=older_than_seconds))
