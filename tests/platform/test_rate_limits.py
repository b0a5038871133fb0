"""Login and join limits: per client address a client cannot choose, shared through Redis."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import redis
from fastapi.testclient import TestClient
from limits import parse

from jiebang.auth import ratelimit
from jiebang.main import create_app

REDIS_URL = "redis://127.0.0.1:6379/0"


def _attempt(client: TestClient | httpx.Client, n: int, **headers: str) -> int:
    body = {"email": f"nobody{n}-{uuid.uuid4().hex[:6]}@example.org", "password": "wrong-pw"}
    return client.post("/api/v1/auth/login", json=body, headers=headers).status_code


def test_forwarded_for_from_an_untrusted_peer_is_ignored(platform_env: None) -> None:
    # every attempt names another email and another forwarded address: only the peer counts
    with TestClient(create_app(), client=("127.0.0.1", 40000)) as client:
        codes = [_attempt(client, n, **{"X-Forwarded-For": f"203.0.113.{n}"}) for n in range(12)]
    assert codes == [401] * 10 + [429, 429]


def test_forwarded_for_is_believed_only_from_a_trusted_proxy(
    platform_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JIEBANG_TRUSTED_PROXIES", '["10.0.0.0/8"]')
    ratelimit.get_settings.cache_clear()
    ratelimit.reset_login_limits()
    with TestClient(create_app(), client=("10.1.2.3", 40000)) as client:
        # distinct clients behind the proxy each get their own count ...
        codes = [_attempt(client, n, **{"X-Forwarded-For": f"198.51.100.{n}"}) for n in range(12)]
        assert codes == [401] * 12
        # ... the right-most untrusted hop is the client: a forged left part changes nothing
        forged = [
            _attempt(client, n, **{"X-Forwarded-For": f"192.0.2.{n}, 198.51.100.77, 10.9.9.9"})
            for n in range(12)
        ]
        assert forged == [401] * 10 + [429, 429]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def served(database_url: str, tmp_path: Path) -> Iterator[httpx.Client]:
    """`jiebang serve` itself, as deployed, on a free port."""
    port = _free_port()
    env = os.environ | {
        "JIEBANG_DATABASE_URL": database_url,
        "JIEBANG_VAR_DIR": str(tmp_path / "var"),
        "JIEBANG_STORAGE_URL": "",
        "JIEBANG_FRONTEND_DIST": str(tmp_path / "no-frontend"),
        "JIEBANG_EMBEDDED_WORKERS": "0",
        "JIEBANG_HOUSEKEEPING_SECONDS": "0",
    }
    jiebang = shutil.which("jiebang", path=str(Path(sys.executable).parent)) or "jiebang"
    process = subprocess.Popen(
        [jiebang, "serve", "--no-migrate", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            for _ in range(300):
                try:
                    if client.get("/healthz").status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            else:
                raise AssertionError("jiebang serve did not start")
            yield client
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_rotating_forwarded_for_from_loopback_no_longer_bypasses_the_limit(
    served: httpx.Client,
) -> None:
    # the served process connects from 127.0.0.1, which uvicorn trusted by default
    codes = [_attempt(served, n, **{"X-Forwarded-For": f"203.0.113.{n}"}) for n in range(12)]
    assert codes == [401] * 10 + [429, 429]


def test_joining_a_team_is_rate_limited(client: TestClient, participant: dict[str, str]) -> None:
    codes = [
        client.post(
            "/api/v1/teams/join", json={"invite_code": f"NOPE{n:06d}"}, headers=participant
        ).status_code
        for n in range(12)
    ]
    assert codes == [404] * 10 + [429, 429]
    refused = client.post("/api/v1/teams/join", json={"invite_code": "NOPE000000"},
                          headers=participant)  # fmt: skip
    assert refused.json()["code"] == "join_rate_limited" and "队伍" in refused.json()["detail"]


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    prefix = f"jiebang-test-{uuid.uuid4().hex[:8]}"
    yield prefix
    connection = redis.Redis.from_url(REDIS_URL)
    for key in connection.scan_iter(f"{prefix}*"):
        connection.delete(key)
    connection.close()


def test_two_limiters_on_one_redis_share_the_count(redis_prefix: str) -> None:
    first = ratelimit.make_limiter(REDIS_URL, key_prefix=redis_prefix)
    second = ratelimit.make_limiter(REDIS_URL, key_prefix=redis_prefix)
    item = parse("5/minute")
    assert [first.hit(item, "login", "client:x") for _ in range(3)] == [True] * 3
    assert [second.hit(item, "login", "client:x") for _ in range(3)] == [True, True, False]
    assert not first.hit(item, "login", "client:x")
    assert ratelimit.make_limiter().hit(item, "login", "client:x")  # memory: its own count


def test_two_app_instances_share_login_counts_through_redis(
    platform_env: None, monkeypatch: pytest.MonkeyPatch, redis_prefix: str
) -> None:
    monkeypatch.setenv("JIEBANG_REDIS_URL", REDIS_URL)
    monkeypatch.setattr(ratelimit, "REDIS_KEY_PREFIX", redis_prefix)
    ratelimit.get_settings.cache_clear()
    ratelimit.reset_login_limits()
    with TestClient(create_app()) as first:
        assert [_attempt(first, n) for n in range(6)] == [401] * 6
    ratelimit.reset_login_limits()  # as if another process: a new limiter object
    with TestClient(create_app()) as second:
        assert [_attempt(second, n) for n in range(6)] == [401] * 4 + [429, 429]
    connection = redis.Redis.from_url(REDIS_URL)
    assert any(connection.scan_iter(f"{redis_prefix}*"))
    connection.close()
