"""The email queue: rows in ``notification_email`` are the truth; a wake-up starts delivery.

embedded: a one-thread pool in the API process delivers, so a request never waits on SMTP.
celery:   a message on ``<celery_queue>-email`` wakes a consumer with database access
          (``celery -A jiebang.notifications.tasks worker -Q jiebang-email``).
Either way the housekeeper delivers whatever is due, so a lost wake-up or a server that was
down only delays an email. A failed delivery waits ``backoff * 2**(attempts-1)`` seconds.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from email.message import EmailMessage as MimeMessage
from email.utils import make_msgid
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, func, select

from jiebang.config import get_settings
from jiebang.core import health_probes
from jiebang.db import get_engine, utcnow
from jiebang.notifications.config import NotificationSettings, get_notification_settings
from jiebang.notifications.models import EmailMessage, EmailStatus

log = logging.getLogger(__name__)
TASK = "jiebang.deliver_email"
CLAIM_SECONDS = 120  # a claimed email is not picked again meanwhile by another deliverer
BATCH = 50
_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="email")


def email_queue() -> str:
    return f"{get_settings().celery_queue}-email"


def wake() -> None:
    """Start delivering due emails without waiting for them; never raises."""
    if not get_notification_settings().smtp_host:
        return
    try:
        if get_settings().queue == "celery":
            from jiebang.worker.celery_app import celery_app

            celery_app().send_task(
                TASK, queue=email_queue(), retry=True, retry_policy={"max_retries": 1}
            )
        else:
            _pool.submit(_deliver_logged)
    except Exception as exc:  # broker down: the housekeeper delivers them later
        log.warning("could not wake the email queue: %s", exc)


def flush() -> None:
    """Wait until the delivery rounds already handed to the embedded pool have run."""
    _pool.submit(lambda: None).result()


def _remind_logged() -> None:
    from jiebang.notifications import reminders  # reminders -> service; keep mailer below both

    try:
        with Session(get_engine(), expire_on_commit=False) as db:
            reminders.send_due(db)
    except Exception:
        log.exception("sending reminders failed")


def _deliver_logged() -> None:
    try:
        deliver_due()
    except Exception:
        log.exception("email delivery round failed")


def deliver_due(limit: int = BATCH) -> int:
    """Send the emails that are due, one claim at a time; returns how many were sent."""
    settings = get_notification_settings()
    if not settings.smtp_host:
        return 0
    sent = 0
    with Session(get_engine(), expire_on_commit=False) as db:
        due = db.exec(
            select(EmailMessage.id)
            .where(
                EmailMessage.status == EmailStatus.pending,
                col(EmailMessage.next_attempt_at) <= utcnow(),
            )
            .order_by(col(EmailMessage.id))
            .limit(limit)
        ).all()
        for email_id in due:
            email = _claim(db, email_id or 0)
            if email is not None and _attempt(db, email, settings):
                sent += 1
    return sent


def _claim(db: Session, email_id: int) -> EmailMessage | None:
    now = utcnow()
    claimed = db.execute(
        update(EmailMessage)
        .where(
            col(EmailMessage.id) == email_id,
            col(EmailMessage.status) == EmailStatus.pending,
            col(EmailMessage.next_attempt_at) <= now,
        )
        .values(next_attempt_at=now + timedelta(seconds=CLAIM_SECONDS))
    )
    db.commit()
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return None
    return db.get(EmailMessage, email_id)


def _attempt(db: Session, email: EmailMessage, settings: NotificationSettings) -> bool:
    email.attempts += 1
    try:
        send(email, settings)
    except (OSError, smtplib.SMTPException) as exc:
        email.last_error = f"{type(exc).__name__}: {exc}"[:1000]
        if email.attempts >= settings.email_max_attempts:
            email.status = EmailStatus.failed
        else:
            delay = settings.email_backoff_seconds * 2 ** (email.attempts - 1)
            email.next_attempt_at = utcnow() + timedelta(seconds=delay)
        log.warning("email %s not sent (attempt %s): %s", email.id, email.attempts, exc)
        ok = False
    else:
        email.status = EmailStatus.sent
        email.sent_at = utcnow()
        ok = True
    db.add(email)
    db.commit()
    return ok


def send(email: EmailMessage, settings: NotificationSettings) -> None:
    """Hand one email to the SMTP server (raises on any failure)."""
    message = MimeMessage()
    message["From"] = settings.smtp_sender
    message["To"] = email.recipient
    message["Subject"] = email.subject
    message["Message-ID"] = make_msgid(domain="jiebang")
    message.set_content(email.body)
    timeout = settings.smtp_timeout_seconds
    smtp: smtplib.SMTP
    if settings.smtp_security == "tls":
        context = ssl.create_default_context()
        smtp = smtplib.SMTP_SSL(
            settings.smtp_host, settings.smtp_port, timeout=timeout, context=context
        )
    else:
        smtp = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=timeout)
    with smtp:
        if settings.smtp_security == "starttls":
            smtp.starttls(context=ssl.create_default_context())
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password)
        smtp.send_message(message)


def queue_health(db: Session, audience: health_probes.Audience) -> dict[str, Any]:
    """The email queue for the organiser's health page: pending, failed, the last error (its
    e-mail addresses masked for an organiser of one unit, contest or list: the whole queue's
    counts, nobody's address)."""
    counts = dict(
        db.exec(select(EmailMessage.status, func.count()).group_by(EmailMessage.status)).all()
    )
    last = db.exec(
        select(EmailMessage)
        .where(EmailMessage.last_error != "")
        .order_by(col(EmailMessage.id).desc())
        .limit(1)
    ).first()
    retrying = db.exec(
        select(func.count()).where(
            EmailMessage.status == EmailStatus.pending, EmailMessage.attempts > 0
        )
    ).one()
    return {
        "configured": bool(get_notification_settings().smtp_host),
        "pending": counts.get(EmailStatus.pending, 0),
        "retrying": int(retrying),
        "failed": counts.get(EmailStatus.failed, 0),
        "sent": counts.get(EmailStatus.sent, 0),
        "last_error": _error_for(last.last_error if last else "", audience),
    }


def _error_for(text: str, audience: health_probes.Audience) -> str:
    return text if audience.personal else health_probes.without_addresses(text)


health_probes.register("email_queue", queue_health)  # the organiser's health page shows it


class EmailRetrier:
    """A housekeeping duty: send due reminders, deliver due emails (retries, lost wake-ups)."""

    def __init__(self, interval_seconds: float = 5) -> None:
        self.interval = interval_seconds
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True, name="email-retrier")

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            _remind_logged()
            _deliver_logged()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)
