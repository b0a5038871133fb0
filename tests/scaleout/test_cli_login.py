"""`jiebang login`, `tracks` and `submit contest/track FILE` against a real `jiebang serve`:
the token kept in the config folder (mode 0600), a failure exits non-zero with its reason,
and a lost connection ends in one line, not a traceback."""

from __future__ import annotations

import os
import stat
import subprocess
import zipfile
from pathlib import Path

import pytest

from .live import BIN, PASSWORD, Live, free_port


def _zip(path: Path, files: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return path


def _jiebang(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "jiebang"), *args], env=env, input=stdin, capture_output=True, text=True,
        timeout=240,
    )  # fmt: skip


@pytest.mark.timeout(400)
def test_login_tracks_submit_by_slug_and_failures(tmp_path: Path) -> None:
    live = Live(tmp_path / "live", JIEBANG_EMBEDDED_WORKERS="1")
    try:
        ids, _ = live.phase_with_team(daily_quota=5, total_quota=10, concurrent_quota=2)
        home = tmp_path / "home"
        env = {k: v for k, v in live.env.items() if k not in ("JIEBANG_TOKEN", "JIEBANG_API_URL")}
        env |= {"HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"), "LANG": "C.UTF-8"}

        bad_login = _jiebang(env, "login", "--api", live.url, stdin="team@bench.example.org\nno\n")
        assert bad_login.returncode == 1 and "login failed" in bad_login.stderr
        login = _jiebang(
            env, "login", "--api", live.url, stdin=f"team@bench.example.org\n{PASSWORD}\n"
        )
        assert login.returncode == 0, login.stderr
        credentials = home / ".config" / "jiebang" / "credentials.json"
        assert stat.S_IMODE(credentials.stat().st_mode) == 0o600
        assert str(credentials) in login.stderr

        listing = _jiebang(env, "tracks")  # the stored login names the API
        assert listing.returncode == 0, listing.stderr
        assert "queue-test/lines" in listing.stdout and str(ids["track"]) in listing.stdout
        assert "dev (until" in listing.stdout

        good = _zip(tmp_path / "good.zip", {"scores.txt": "a 1.0\nb 2.0\nc 3.0\nd 4.0\n"})
        scored = _jiebang(env, "submit", "queue-test/lines", str(good))
        assert scored.returncode == 0, scored.stderr
        assert "status: scored" in scored.stderr and "resets" in scored.stderr
        assert "(UTC)" in scored.stderr or "(Asia/Shanghai)" in scored.stderr  # contest zone

        wrong = _zip(tmp_path / "wrong.zip", {"other.txt": "x"})
        failed = _jiebang(env | {"LANG": "zh_CN.UTF-8"}, "submit", str(ids["track"]), str(wrong))
        assert failed.returncode == 1, failed.stderr
        assert "status: failed" in failed.stderr and "缺少 scores.txt" in failed.stderr

        assert _jiebang(env, "logout").returncode == 0 and not credentials.exists()
        signed_out = _jiebang(env, "submit", "queue-test/lines", str(good), "--api", live.url)
        assert signed_out.returncode == 1 and "jiebang login" in signed_out.stderr
    finally:
        live.stop()


def test_lost_connection_is_one_line(tmp_path: Path) -> None:
    good = _zip(tmp_path / "good.zip", {"scores.txt": "a 1\n"})
    env = dict(os.environ) | {"HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / ".config")}
    dead = f"http://127.0.0.1:{free_port()}"
    run = _jiebang(env, "submit", "queue-test/lines", str(good), "--api", dead, "--token", "t")
    assert run.returncode == 3, run.stderr
    assert "Traceback" not in run.stderr and "run the same command again to resume" in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1
