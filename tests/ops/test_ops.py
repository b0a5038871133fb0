"""/readyz, /metrics, JSON logs, the configuration reference and the compose file."""

from __future__ import annotations

import json
import logging
import os
import shutil
import socket
import subprocess
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from jiebang.config import REPO_ROOT, get_settings
from jiebang.db import get_engine
from jiebang.ops.configref import reference_markdown
from jiebang.ops.logging import JsonFormatter, request_id_var


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_readyz_ok(client: TestClient) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200, response.text
    assert response.json()["checks"] == {"database": "ok", "storage": "ok"}


def test_readyz_fails_without_postgres(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(
        "JIEBANG_DATABASE_URL", f"postgresql+psycopg://postgres@127.0.0.1:{_closed_port()}/x"
    )
    get_settings.cache_clear()
    get_engine.cache_clear()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] != "ok"
    assert response.json()["checks"]["storage"] == "ok"


@pytest.mark.rabbitmq
def test_readyz_checks_the_broker_with_celery(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JIEBANG_QUEUE", "celery")
    get_settings.cache_clear()
    assert client.get("/readyz").json()["checks"]["broker"] == "ok"  # the RabbitMQ on 5672
    monkeypatch.setenv("JIEBANG_BROKER_URL", f"amqp://guest:guest@127.0.0.1:{_closed_port()}//")
    get_settings.cache_clear()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["broker"] != "ok"


@pytest.fixture
def metrics_token(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    from jiebang.ops.config import get_ops_settings

    monkeypatch.setenv("JIEBANG_METRICS_TOKEN", "scrape-" + "m" * 32)
    get_ops_settings.cache_clear()
    yield {"Authorization": "Bearer scrape-" + "m" * 32}
    get_ops_settings.cache_clear()


def test_metrics_are_refused_without_a_configured_token(client: TestClient) -> None:
    response = client.get("/metrics")
    assert response.status_code == 403
    assert "JIEBANG_METRICS_TOKEN" in response.json()["detail"]
    assert "jiebang_" not in response.text


def test_metrics_need_the_token(client: TestClient, metrics_token: dict[str, str]) -> None:
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic x"}):
        response = client.get("/metrics", headers=headers)
        assert response.status_code == 401 and "jiebang_" not in response.text
    assert client.get("/metrics", headers=metrics_token).status_code == 200


def test_metrics_exposed(client: TestClient, metrics_token: dict[str, str]) -> None:
    client.get("/healthz")
    text = client.get("/metrics", headers=metrics_token).text
    assert (
        'jiebang_http_request_duration_seconds_count{method="GET",route="/healthz",status="200"}'
        in text
    )
    for family in (
        "jiebang_queue_depth",
        "jiebang_evaluations",
        "jiebang_sandbox_kills",
        "jiebang_upload_bytes",
    ):
        assert family in text
    assert 'jiebang_sandbox_kills{reason="memory"} 0.0' in text


def test_request_id_is_echoed_or_generated(client: TestClient) -> None:
    echoed = client.get("/healthz", headers={"X-Request-ID": "trace-42"})
    assert echoed.headers["X-Request-ID"] == "trace-42"
    generated = client.get("/api/v1/no-such-thing")
    assert generated.status_code == 404
    assert len(generated.headers["X-Request-ID"]) == 16
    assert generated.headers["X-Request-ID"] != client.get("/healthz").headers["X-Request-ID"]


def test_access_log_has_route_status_and_duration(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="jiebang.access"):
        client.get("/healthz", headers={"X-Request-ID": "log-7"})
    (record,) = [r for r in caplog.records if r.name == "jiebang.access"]
    assert (record.method, record.path, record.status) == ("GET", "/healthz", 200)  # type: ignore[attr-defined]
    assert record.duration_ms >= 0  # type: ignore[attr-defined]


def test_json_log_line_carries_request_id() -> None:
    token = request_id_var.set("abc123")
    try:
        record = logging.LogRecord(
            "jiebang.access", logging.INFO, __file__, 1, "GET %s", ("/x",), None
        )
        entry = json.loads(JsonFormatter().format(record))
    finally:
        request_id_var.reset(token)
    assert entry["request_id"] == "abc123"
    assert entry["message"] == "GET /x"
    assert entry["level"] == "info"


def test_configuration_doc_is_current() -> None:
    committed = (REPO_ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    assert committed == reference_markdown(), (
        "run: jiebang config-reference --output docs/configuration.md"
    )
    assert "`JIEBANG_LOG_FORMAT`" in committed


@pytest.mark.skipif(
    shutil.which("docker-compose") is None, reason="docker-compose is not installed"
)
def test_compose_file_validates() -> None:
    env = os.environ | {
        name: "x"
        for name in ("POSTGRES_PASSWORD", "MINIO_ROOT_USER", "MINIO_ROOT_PASSWORD",
                     "RABBITMQ_PASSWORD", "JIEBANG_SECRET_KEY", "JIEBANG_WORKER_TOKEN")
    }  # fmt: skip
    done = subprocess.run(
        ["docker-compose", "-f", str(REPO_ROOT / "docker-compose.yml"), "config", "-q"],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    services = subprocess.run(
        ["docker-compose", "-f", str(REPO_ROOT / "docker-compose.yml"), "config", "--services"],
        capture_output=True, text=True, env=env, check=True,
    ).stdout.split()  # fmt: skip
    assert {"postgres", "minio", "minio-init", "rabbitmq", "api", "worker"} <= set(services)
