"""The Celery consumer of email wake-ups (production): runs where the database is reachable."""

from __future__ import annotations

from jiebang.notifications import mailer
from jiebang.worker.celery_app import celery_app

app = celery_app()


@app.task(name=mailer.TASK, ignore_result=True)
def deliver_email() -> int:
    """Deliver every due email (the message carries no data: the database is the queue)."""
    return mailer.deliver_due()
