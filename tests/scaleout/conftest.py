"""A live platform on PostgreSQL with Celery workers on the machine's RabbitMQ."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text

from jiebang.config import REPO_ROOT

from ..conftest import PG_SERVER
from ..submissions.helpers import FIXTURE_EVALUATORS
from .live import BIN, free_port, kill_tree, purge_queue, start, wait_http

pytestmark = [pytest.mark.postgres, pytest.mark.rabbitmq, pytest.mark.slow]


@dataclass
class Platform:
    url: str
    env: dict[str, str]
    logs: Path
    workers: list[Any] = field(default_factory=list)

    def add_worker(self) -> None:
        env = self.env | {
            # workers get no database credentials at all: only the broker and the API
            "JIEBANG_DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none",
        }
        argv = [
            str(BIN / "jiebang"),
            "worker",
            "--api",
            self.url,
            "--concurrency",
            "1",
            "--scratch",
            str(self.logs / f"scratch-{len(self.workers)}"),
            "--cache",
            str(self.logs / "cache"),
        ]
        self.workers.append(start(argv, env, self.logs / f"worker-{len(self.workers)}.log"))


@pytest.fixture
def platform(tmp_path: Path) -> Iterator[Platform]:
    name = f"jiebang_live_{uuid.uuid4().hex[:8]}"
    admin = create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    queue = f"jiebang-test-{uuid.uuid4().hex[:8]}"
    port = free_port()
    env = dict(os.environ) | {
        "JIEBANG_ENVIRONMENT": "test",
        "JIEBANG_DATABASE_URL": f"{PG_SERVER}/{name}",
        "JIEBANG_VAR_DIR": str(tmp_path / "var"),
        "JIEBANG_QUEUE": "celery",
        "JIEBANG_CELERY_QUEUE": queue,
        "JIEBANG_EMBEDDED_WORKERS": "0",
        "JIEBANG_HOUSEKEEPING_SECONDS": "1",
        "JIEBANG_LEASE_SECONDS": "6",
        "JIEBANG_MAX_ATTEMPTS": "20",
        "JIEBANG_EVALUATORS_DIRS": json.dumps(
            [str(REPO_ROOT / "evaluators"), str(FIXTURE_EVALUATORS)]
        ),
        "JIEBANG_FRONTEND_DIST": str(tmp_path / "none"),
    }
    server = start([str(BIN / "jiebang"), "serve", "--port", str(port)], env, tmp_path / "api.log")
    platform = Platform(url=f"http://127.0.0.1:{port}", env=env, logs=tmp_path)
    try:
        wait_http(f"{platform.url}/healthz")
        yield platform
    finally:
        for proc in [*platform.workers, server]:
            kill_tree(proc)
        purge_queue(queue)
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def api(platform: Platform, token: str | None = None) -> httpx.Client:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.Client(base_url=platform.url, headers=headers, timeout=60)
