"""Through the API: a scoring program's python runtime is stamped with its upload time
(unless it names one), and its state shows what the build installed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from jiebang.runtimes.config import get_runtime_settings
from tests.artifacts.support import VERSION, scorer_manifest, zip_bytes
from tests.runtimes.support import build_wheel
from tests.sandbox.support import needs_bwrap

PROGRAMS = "/api/v1/scoring-programs"


@pytest.fixture
def wheelhouse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    wheels = tmp_path / "wheels"
    build_wheel(wheels, "jiebang-xn-dep", "1.0", "VERSION = '1.0'\n")
    monkeypatch.setenv("JIEBANG_RUNTIME_CACHE_DIR", str(tmp_path / "runtimes"))
    monkeypatch.setenv("JIEBANG_RUNTIME_OFFLINE", "true")
    monkeypatch.setenv("JIEBANG_RUNTIME_FIND_LINKS", str(wheels))
    get_runtime_settings.cache_clear()
    yield wheels
    get_runtime_settings.cache_clear()


def _upload(
    client: TestClient, headers: dict[str, str], key: str, script: str = "print(1)\n", **runtime
):
    spec = {"kind": "python", "version": VERSION, "requirements": ["jiebang-xn-dep==1.0"]}
    manifest = scorer_manifest(key=key, runtime=spec | runtime)
    archive = zip_bytes({"scorer.json": json.dumps(manifest), "score.py": script})
    return client.post(
        PROGRAMS, files={"archive": ("p.zip", archive, "application/zip")}, headers=headers
    )


@needs_bwrap
def test_an_uploaded_runtime_is_stamped_and_its_resolved_set_shown(
    client: TestClient, organiser: dict[str, str], wheelhouse: Path
) -> None:
    before = datetime.now(UTC).replace(microsecond=0)
    upload = _upload(client, organiser, "xn_stamped")
    assert upload.status_code == 201, upload.text
    stamp = upload.json()["runtime"]["exclude_newer"]
    assert stamp.endswith("Z")
    assert before <= datetime.fromisoformat(stamp) <= datetime.now(UTC) + timedelta(seconds=1)

    state_url = f"{PROGRAMS}/xn_stamped/versions/1/runtime"
    absent = client.get(state_url, headers=organiser).json()
    assert (absent["status"], absent["resolved"]) == ("absent", [])
    assert absent["exclude_newer"] == stamp
    built = client.post(f"{state_url}/build", headers=organiser)
    assert built.status_code == 202, built.text
    ready = client.get(state_url, headers=organiser).json()
    assert ready["status"] == "ready", ready
    assert ready["resolved"] == ["jiebang-xn-dep==1.0"]


def test_an_organisers_own_exclude_newer_is_kept_or_refused(
    client: TestClient, organiser: dict[str, str], wheelhouse: Path
) -> None:
    given = _upload(client, organiser, "xn_given", exclude_newer="2025-06-01T08:00:00+08:00")
    assert given.status_code == 201, given.text
    assert given.json()["runtime"]["exclude_newer"] == "2025-06-01T00:00:00Z"
    naive = _upload(client, organiser, "xn_naive", exclude_newer="2025-06-01T08:00:00")
    assert naive.status_code == 422
    assert "exclude_newer" in naive.json()["problem_en"]


def test_a_new_version_with_the_same_requirements_keeps_the_earlier_moment(
    client: TestClient, organiser: dict[str, str], wheelhouse: Path
) -> None:
    first = _upload(client, organiser, "xn_fixed", exclude_newer="2025-06-01T00:00:00Z")
    assert first.status_code == 201, first.text
    # the scorer fixed, its environment unchanged: the same moment, so the same environment
    fixed = _upload(client, organiser, "xn_fixed", script="print(2)\n")
    assert (fixed.status_code, fixed.json()["version"]) == (201, "2"), fixed.text
    assert fixed.json()["runtime"]["exclude_newer"] == "2025-06-01T00:00:00Z"
    # other requirements are another environment: read as of this upload
    other = _upload(
        client, organiser, "xn_fixed", script="print(3)\n", requirements=["jiebang-xn-dep==2.0"]
    )
    assert other.status_code == 201, other.text
    assert other.json()["runtime"]["exclude_newer"].startswith(str(datetime.now(UTC).year))
    assert other.json()["runtime"]["exclude_newer"] != "2025-06-01T00:00:00Z"
