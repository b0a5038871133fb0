"""Production path: the wake-up travels through the real RabbitMQ to the email queue, and
the consumer's task delivers to the loopback SMTP server."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from kombu import Connection

from jiebang.config import get_settings
from jiebang.notifications import mailer
from jiebang.worker.celery_app import celery_app
from tests.notifications.conftest import SmtpServer
from tests.notifications.test_notifications import Headers, me, team_of_two


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_wake_up_goes_through_rabbitmq_to_the_email_task(
    client: TestClient,
    published_contest: dict[str, int],
    make_user: Callable[..., Headers],
    smtp: SmtpServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("JIEBANG_QUEUE", "celery")
    monkeypatch.setenv("JIEBANG_CELERY_QUEUE", f"test-{uuid.uuid4().hex[:8]}")
    get_settings.cache_clear()
    celery_app.cache_clear()
    with Connection(get_settings().broker_url) as conn:
        queue = conn.SimpleQueue(mailer.email_queue())
        try:
            captain, _, _ = team_of_two(client, published_contest["contest"], make_user)
            message = queue.get(timeout=10)
            assert message.headers["task"] == mailer.TASK
            message.ack()
            from jiebang.notifications.tasks import deliver_email

            assert deliver_email() == 1  # what the Celery consumer runs for that message
        finally:
            queue.close()
            queue.queue.bind(conn.default_channel).delete()
    celery_app.cache_clear()
    assert [m["Subject"] for m in smtp.received.to(me(client, captain)["email"])] == [
        "A member joined your team"
    ]
