"""Shared by the queue and upload benchmarks: a real `jiebang serve` and helpers to drive it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.scaleout.live import BIN, free_port, kill_tree, start, wait_http  # noqa: E402
from tests.submissions.helpers import FIXTURE_EVALUATORS, setup_phase, submit  # noqa: E402

PASSWORD = "benchmark-password"
__all__ = ["BIN", "Live", "free_port", "kill_tree", "start", "submit"]


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
