"""Real processes for scale-out tests: the API under uvicorn and `jiebang worker`s on RabbitMQ."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from ..submissions.helpers import FIXTURE_EVALUATORS, setup_phase

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(argv: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """Start a process in its own session (so its whole tree can be killed at once)."""
    handle = log.open("ab")
    return subprocess.Popen(
        argv, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
    )


def kill_tree(proc: subprocess.Popen[bytes], sig: int = signal.SIGKILL) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, sig)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=15)


def wait_http(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise TimeoutError(f"{url} did not come up")


def rabbitmq(action: str) -> None:
    """stop_app / start_app on the machine's RabbitMQ (it keeps running as a node)."""
    subprocess.run(["rabbitmqctl", action], check=True, capture_output=True, timeout=120)


def purge_queue(name: str) -> None:
    subprocess.run(
        ["rabbitmqctl", "purge_queue", name], capture_output=True, timeout=60, check=False
    )


PASSWORD = "live-platform-password"
REPO = Path(__file__).resolve().parents[2]


class Live:
    """`jiebang serve` in a fresh var dir, with an organiser and one team on the test track."""

    def __init__(self, root: Path, **env: str) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = (
            dict(os.environ)
            | {
                "JIEBANG_ENVIRONMENT": "development",
                "JIEBANG_VAR_DIR": str(root / "var"),
                "JIEBANG_EVALUATORS_DIRS": json.dumps(
                    [str(REPO / "evaluators"), str(FIXTURE_EVALUATORS)]
                ),
                "JIEBANG_FRONTEND_DIST": str(root / "none"),
                "JIEBANG_ARGON2_TIME_COST": "1",
                "JIEBANG_ARGON2_MEMORY_KIB": "1024",
            }
            | env
        )
        self.server = start(
            [str(BIN / "jiebang"), "serve", "--port", str(self.port)], self.env, root / "api.log"
        )
        wait_http(f"{self.url}/healthz")

    def user(self, email: str, role: str = "participant") -> dict[str, str]:
        subprocess.run(
            [
                str(BIN / "jiebang"),
                "user",
                "create",
                "--email",
                email,
                "--name",
                email.split("@")[0],
                "--password",
                PASSWORD,
                "--role",
                role,
            ],
            env=self.env,
            check=True,
            capture_output=True,
        )
        token = httpx.post(
            f"{self.url}/api/v1/auth/login", json={"email": email, "password": PASSWORD}
        ).json()
        return {"Authorization": f"Bearer {token['access_token']}"}

    def phase_with_team(self, **phase: object) -> tuple[dict[str, int], dict[str, str]]:
        organiser = self.user("org@bench.example.org", "organiser")
        with httpx.Client(base_url=self.url, timeout=120) as client:
            ids = setup_phase(client, organiser, **phase)  # type: ignore[arg-type]
            client.patch(
                f"/api/v1/tracks/{ids['track']}",
                json={"max_submission_bytes": 64 * 1024**3},
                headers=organiser,
            ).raise_for_status()
            team = self.user("team@bench.example.org")
            client.post(
                f"/api/v1/contests/{ids['contest']}/teams", json={"name": "Bench"}, headers=team
            ).raise_for_status()
        return ids, team

    def stop(self) -> None:
        kill_tree(self.server)
