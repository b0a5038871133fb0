"""The production stack's email consumer: docker-compose.yml runs the Celery worker of
jiebang.notifications.tasks on the queue the API wakes (`<celery_queue>-email`); run here with
that very command against the real RabbitMQ, it delivers to the loopback SMTP server. And the
health page hears of the email queue through a probe notifications registers, so evaluation/
imports nothing of notifications."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient
from kombu import Connection, Queue

from jiebang.config import get_settings
from jiebang.notifications import mailer
from jiebang.worker.celery_app import celery_app
from tests.notifications.conftest import SmtpServer
from tests.notifications.test_notifications import Headers, me, team_of_two

ROOT = Path(__file__).resolve().parents[2]
SECRETS = ("POSTGRES_PASSWORD", "MINIO_ROOT_USER", "MINIO_ROOT_PASSWORD", "RABBITMQ_PASSWORD")


def _compose() -> dict[str, Any]:
    """docker-compose.yml as compose renders it (variables filled), or as written."""
    env = os.environ | {
        name: "x" for name in (*SECRETS, "JIEBANG_SECRET_KEY", "JIEBANG_WORKER_TOKEN")
    }
    env.pop("JIEBANG_CELERY_QUEUE", None)
    if shutil.which("docker-compose"):
        done = subprocess.run(
            ["docker-compose", "-f", str(ROOT / "docker-compose.yml"), "config"],
            capture_output=True, text=True, env=env, check=True,
        )  # fmt: skip
        return dict(yaml.safe_load(done.stdout))
    return dict(yaml.safe_load((ROOT / "docker-compose.yml").read_text()))


def test_compose_runs_the_email_consumer_on_the_queue_the_api_wakes() -> None:
    services = _compose()["services"]
    email = services["email"]
    command = email["command"]
    assert command[:4] == ["celery", "-A", "jiebang.notifications.tasks", "worker"]
    queue = command[command.index("--queues") + 1]
    assert queue == f"{type(get_settings()).model_fields['celery_queue'].default}-email"
    for service in ("api", "email"):  # both read the same database and SMTP settings
        env = services[service]["environment"]
        assert env["JIEBANG_DATABASE_URL"].startswith("postgresql+psycopg://")
        assert "JIEBANG_SMTP_HOST" in env and env["JIEBANG_QUEUE"] == "celery"
    assert (
        services["api"]["environment"]["JIEBANG_CELERY_QUEUE"]
        == (email["environment"]["JIEBANG_CELERY_QUEUE"])
    )
    assert email["image"] == services["api"]["image"]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_compose_command_delivers_what_the_api_queues(
    client: TestClient,
    published_contest: dict[str, int],
    make_user: Callable[..., Headers],
    smtp: SmtpServer,
    monkeypatch: pytest.MonkeyPatch,
    database_url: str,
) -> None:
    name = f"test-{uuid.uuid4().hex[:8]}"
    monkeypatch.setenv("JIEBANG_QUEUE", "celery")
    monkeypatch.setenv("JIEBANG_CELERY_QUEUE", name)
    get_settings.cache_clear()
    celery_app.cache_clear()
    command = _compose()["services"]["email"]["command"]
    command[command.index("--queues") + 1] = mailer.email_queue()
    command[command.index("--hostname") + 1] = f"{name}@%h"
    celery = Path(sys.executable).with_name("celery")
    consumer = subprocess.Popen(  # what the email service runs, pointed at this test's world
        [str(celery), *command[1:], "--pool", "solo"],
        env=os.environ | {"JIEBANG_DATABASE_URL": database_url, "JIEBANG_LOG_FORMAT": "text"},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        captain, _, _ = team_of_two(client, published_contest["contest"], make_user)
        address = me(client, captain)["email"]
        deadline = time.monotonic() + 60
        while not smtp.received.to(address) and time.monotonic() < deadline:
            assert consumer.poll() is None, consumer.communicate()[0]
            time.sleep(0.5)
        assert [m["Subject"] for m in smtp.received.to(address)] == ["A member joined your team"]
    finally:
        consumer.terminate()
        output = consumer.communicate(timeout=30)[0]
        with Connection(get_settings().broker_url) as conn:  # the test's queue, not left behind
            Queue(mailer.email_queue()).bind(conn.default_channel).delete()
        celery_app.cache_clear()
    assert "deliver_email" in output  # the consumer's own log: it received the task


def test_health_page_hears_of_the_email_queue_through_a_probe(
    client: TestClient, organiser: Headers
) -> None:
    health = client.get("/api/v1/admin/health", headers=organiser)
    assert health.status_code == 200
    assert set(health.json()["email_queue"]) >= {"pending", "retrying", "failed", "last_error"}
    for path in (ROOT / "backend" / "jiebang" / "evaluation").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = (
                [a.name for a in node.names] if isinstance(node, ast.Import)
                else [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            )  # fmt: skip
            assert not any(n.startswith("jiebang.notifications") for n in names), path
