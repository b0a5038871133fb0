"""`jiebang submit` as a team runs it: progress, an interrupted upload resumed, the score."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import zipfile
from pathlib import Path

import httpx
import pytest

from .live import BIN, Live


def _result_zip(path: Path, padding_mib: int) -> None:
    """scores.txt plus incompressible padding, stored as is, so the file is big."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("scores.txt", "a 1.0\nb 2.0\nc 3.0\nd 4.0\n")
        with archive.open("padding.bin", "w", force_zip64=True) as out:
            block = os.urandom(1024 * 1024)
            for _ in range(padding_mib):
                out.write(block)


def _received(live: Live, team: dict[str, str], home: Path) -> tuple[int, int]:
    """(parts received, parts in all) of the upload the CLI recorded in its state file."""
    states = list((home / ".cache" / "jiebang" / "uploads").glob("*.json"))
    if not states:
        return 0, 1
    sub = json.loads(states[0].read_text())["submission"]
    plan = httpx.get(f"{live.url}/api/v1/submissions/{sub}/upload", headers=team).json()
    return len(plan.get("parts_received", [])), len(plan.get("parts", [1]))


@pytest.mark.timeout(300)
def test_interrupted_cli_upload_resumes_and_is_scored_once(tmp_path: Path) -> None:
    live = Live(tmp_path / "live", JIEBANG_EMBEDDED_WORKERS="1")
    try:
        ids, team = live.phase_with_team(daily_quota=5, total_quota=10, concurrent_quota=2)
        big = tmp_path / "result.zip"
        _result_zip(big, padding_mib=400)
        home = tmp_path / "home"
        env = live.env | {"HOME": str(home), "JIEBANG_TOKEN": team["Authorization"][7:]}
        argv = [str(BIN / "jiebang"), "submit", str(big), "--track", str(ids["track"])]
        argv += ["--api", live.url, "--parallel", "1"]

        first = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 120
        while _received(live, team, home)[0] < 3 and time.monotonic() < deadline:
            time.sleep(0.02)
        first.send_signal(signal.SIGKILL)  # the laptop lid closes mid-upload
        first.wait(timeout=30)
        received, total = _received(live, team, home)
        assert 3 <= received < total, (received, total)

        second = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=240)
        assert second.returncode == 0, second.stderr
        assert f"{received} part(s) already uploaded" in second.stderr
        assert "upload" in second.stderr and "MB" in second.stderr  # the progress bar
        assert "status: scored" in second.stderr

        subs = httpx.get(
            f"{live.url}/api/v1/phases/{ids['phase']}/submissions/mine", headers=team
        ).json()
        assert [s["status"] for s in subs] == ["scored"]
        quota = httpx.get(f"{live.url}/api/v1/phases/{ids['phase']}/quota", headers=team).json()
        assert (quota["remaining_today"], quota["remaining_total"]) == (4, 9)
    finally:
        live.stop()
