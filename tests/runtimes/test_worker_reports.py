"""Runtime state seen from any API process: workers build in caches of their own (another
machine's disk) and report building / ready / failed through the worker API; the organiser's
state and the publishing check combine those reports with the API machine's own cache."""

from __future__ import annotations

import fcntl
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from jiebang.config import get_settings
from jiebang.db import get_engine, utcnow
from jiebang.runtimes import PythonRuntime, RuntimeBuildFailed, parse_runtime_spec
from jiebang.runtimes import builds as runtime_builds
from jiebang.runtimes.cache import building_file, log_file
from jiebang.runtimes.config import RuntimeSettings, get_runtime_settings
from jiebang.runtimes.models import RuntimeBuild
from jiebang.runtimes.reporting import building_report, news_of, prepare_reported
from tests.artifacts.support import VERSION, scorer_manifest, zip_bytes
from tests.runtimes.support import build_wheel
from tests.sandbox.support import needs_bwrap
from tests.submissions.helpers import drain, setup_phase, submit, team_headers, worker_api

SCORER = 'import json\njson.dump({"metrics": {"auc": 0.5}}, open("/out/scores.json", "w"))\n'
STATE = "/api/v1/scoring-programs/{key}/versions/1/runtime"


@pytest.fixture
def caches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Path]]:
    """The worker's runtime cache and the API machine's: two folders, as on two machines."""
    folders = {"worker": tmp_path / "worker-runtimes", "api": tmp_path / "api-runtimes"}
    wheelhouse = tmp_path / "wheelhouse"
    build_wheel(wheelhouse, "jiebang-wheeled", "1.0.0", "X = 1\n")
    monkeypatch.setenv("JIEBANG_RUNTIME_FIND_LINKS", str(wheelhouse))
    monkeypatch.setenv("JIEBANG_RUNTIME_OFFLINE", "true")
    yield folders
    get_runtime_settings.cache_clear()


def _use_cache(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    monkeypatch.setenv("JIEBANG_RUNTIME_CACHE_DIR", str(folder))
    get_runtime_settings.cache_clear()


def _track_on(client: TestClient, organiser: dict[str, str], key: str, requirements: list[str]):
    manifest = scorer_manifest(
        key=key,
        command=["python", "score.py"],
        runtime={"kind": "python", "version": VERSION, "requirements": requirements},
    )
    archive = zip_bytes({"scorer.json": json.dumps(manifest), "score.py": SCORER})
    upload = client.post(
        "/api/v1/scoring-programs",
        files={"archive": ("s.zip", archive, "application/zip")},
        headers=organiser,
    )
    assert upload.status_code == 201, upload.text
    return setup_phase(
        client, organiser, track_overrides={"evaluator_key": key, "evaluator_version": "1"}
    )


def _worker_evaluates_one(
    client: TestClient, make_user: Callable[..., dict[str, str]], ids: dict, tmp_path: Path
) -> None:
    team = team_headers(client, make_user, ids["contest"])
    done = submit(client, team, ids["phase"], b"a 1\nb 2\nc 3\nd 4\n")
    assert done.status_code == 200, done.text
    (tmp_path / "worker-scratch").mkdir()
    assert drain(client, tmp_path / "worker-scratch") == 1


@needs_bwrap
def test_a_failure_on_a_worker_elsewhere_is_shown_and_blocks_publishing(
    client: TestClient,
    organiser: dict[str, str],
    make_user: Callable[..., dict[str, str]],
    caches: dict[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _use_cache(monkeypatch, caches["worker"])  # the worker machine's disk
    ids = _track_on(client, organiser, "unresolvable", ["jiebang-nowhere==1.0"])
    _worker_evaluates_one(client, make_user, ids, tmp_path)
    _use_cache(monkeypatch, caches["api"])  # the API machine never built anything
    state = client.get(STATE.format(key="unresolvable"), headers=organiser).json()
    assert state["status"] == "failed", state
    assert "jiebang-nowhere" in state["message"] and state["message_zh"]
    assert [(w["worker"], w["status"]) for w in state["workers"]] == [
        (socket.gethostname(), "failed")
    ]
    assert not any(caches["api"].glob("python/.*.failed.json"))  # read from the database
    monkeypatch.setenv("JIEBANG_READINESS_REQUIRED", "true")
    readiness = client.get(f"/api/v1/contests/{ids['contest']}/readiness", headers=organiser)
    runtime = [m for m in readiness.json()["missing"] if m["code"] == "runtime"]
    assert runtime and "jiebang-nowhere" in runtime[0]["message_en"], readiness.json()
    refused = client.post(f"/api/v1/contests/{ids['contest']}/publish", headers=organiser)
    assert refused.status_code == 409
    assert "runtime" in {m["code"] for m in refused.json()["missing"]}


@needs_bwrap
def test_ready_on_one_worker_is_ready_from_any_api_process(
    client: TestClient,
    organiser: dict[str, str],
    make_user: Callable[..., dict[str, str]],
    caches: dict[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _use_cache(monkeypatch, caches["worker"])
    ids = _track_on(client, organiser, "wheeled", ["jiebang-wheeled==1.0.0"])
    url = STATE.format(key="wheeled")
    assert client.get(url, headers=organiser).json()["status"] == "absent"
    _worker_evaluates_one(client, make_user, ids, tmp_path)
    _use_cache(monkeypatch, caches["api"])
    # another worker could not build it (say, it lacks this Python): still ready somewhere
    other = worker_api(client, "other")
    other.machine = "gpu-box-2"
    # the spec as stored, with its upload time stamped (exclude_newer)
    program = client.get("/api/v1/scoring-programs/wheeled/versions/1", headers=organiser)
    spec = parse_runtime_spec(program.json()["runtime"])
    other.report_runtime_build(
        {
            "kind": "python",
            "content_key": spec.content_key,
            "status": "failed",
            "message": "Python 3.99 is not installed on this worker",
            "message_zh": "本评测机未安装 Python 3.99",
        }
    )
    state = client.get(url, headers=organiser).json()
    assert state["status"] == "ready", state
    assert {(w["worker"], w["status"]) for w in state["workers"]} == {
        (socket.gethostname(), "ready"),
        ("gpu-box-2", "failed"),
    }
    assert not (caches["api"] / "python").exists()
    # "build now" finds it ready on a worker and starts nothing here
    again = client.post(f"{url}/build", headers=organiser)
    assert again.status_code == 202 and again.json()["status"] == "ready"
    assert not (caches["api"] / "python").exists()


def test_a_build_under_way_on_a_worker_shows_its_progress_until_it_falls_silent(
    client: TestClient,
    organiser: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _use_cache(monkeypatch, tmp_path / "api-runtimes")
    manifest = scorer_manifest(
        key="slow_build",
        runtime={"kind": "python", "version": VERSION, "requirements": ["jiebang-big==2.0"]},
    )
    upload = client.post(
        "/api/v1/scoring-programs",
        files={"archive": ("s.zip", zip_bytes({"scorer.json": json.dumps(manifest)}))},
        headers=organiser,
    )
    assert upload.status_code == 201, upload.text
    spec = parse_runtime_spec(upload.json()["runtime"])  # stamped with its upload time
    assert isinstance(spec, PythonRuntime) and spec.exclude_newer
    worker_cache = tmp_path / "worker-runtimes"
    parent = worker_cache / "python"
    parent.mkdir(parents=True)
    key = spec.content_key
    # what build_slot leaves on the worker's disk while uv runs
    with open(parent / f".{key}.lock", "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        building_file(parent, key).write_text(json.dumps({"started_at": time.time() - 30}))
        log_file(parent, key).write_text("$ uv pip install\nDownloading jiebang-big (812MiB)\n")
        news = building_report(spec, worker_cache)
    assert news is not None
    worker_api(client).report_runtime_build(news)
    url = STATE.format(key="slow_build")
    state = client.get(url, headers=organiser).json()
    assert state["status"] == "building", state
    assert state["elapsed_seconds"] >= 29 and "Downloading jiebang-big" in state["log_tail"]
    # the worker died mid-build: its last word goes stale and the state reads absent again
    with Session(get_engine()) as db:
        row = db.get(RuntimeBuild, ("python", key, socket.gethostname()))
        assert row is not None
        row.updated_at = utcnow() - runtime_builds.BUILDING_SILENT_AFTER - timedelta(seconds=1)
        db.add(row)
        db.commit()
    assert client.get(url, headers=organiser).json()["status"] == "absent"


def test_the_worker_endpoint_wants_the_worker_token(client: TestClient) -> None:
    body = {"worker": "w", "kind": "python", "content_key": "ab", "status": "ready"}
    refused = client.post("/api/v1/worker/runtime-builds", json=body)
    assert refused.status_code == 401
    token = {"Authorization": f"Worker {get_settings().effective_worker_token}"}
    odd = client.post("/api/v1/worker/runtime-builds", json=body | {"status": "odd"}, headers=token)
    assert odd.status_code == 422
    ok = client.post("/api/v1/worker/runtime-builds", json=body, headers=token)
    assert ok.status_code == 204, ok.text


def test_a_worker_waiting_on_a_build_reports_progress_then_its_outcome(tmp_path: Path) -> None:
    wheelhouse = tmp_path / "wheelhouse"
    build_wheel(wheelhouse, "jiebang-wheeled", "1.0.0", "X = 1\n")
    settings = RuntimeSettings(cache_dir=tmp_path / "runtimes", find_links=wheelhouse, offline=True)
    spec = PythonRuntime(version=VERSION, requirements=("jiebang-wheeled==1.0.0",))
    parent = settings.resolved_cache_dir() / "python"
    parent.mkdir(parents=True)
    heard: list[dict[str, Any]] = []
    progress = threading.Event()

    def report(news: dict[str, Any]) -> None:
        heard.append(news)
        if news["status"] == "building":
            progress.set()

    key = spec.content_key
    with open(parent / f".{key}.lock", "a+") as lock:  # another process of this machine builds
        fcntl.flock(lock, fcntl.LOCK_EX)
        building_file(parent, key).write_text(json.dumps({"started_at": time.time()}))
        log_file(parent, key).write_text("Resolved 1 package\n")
        waiting = threading.Thread(
            target=prepare_reported,
            args=(spec,),
            kwargs={"report": report, "settings": settings, "progress_seconds": 0.05},
        )
        waiting.start()
        assert progress.wait(60), heard
        building_file(parent, key).unlink()  # that builder dies: ours takes over and builds
    waiting.join(120)
    assert not waiting.is_alive()
    assert heard[0]["status"] == "building" and "Resolved 1 package" in heard[0]["log_tail"]
    assert heard[-1] == {"kind": "python", "content_key": key, "status": "ready"}
    # a runtime this process already reported ready is not announced on every job
    count = len(heard)
    prepare_reported(spec, report=report, settings=settings)
    assert len(heard) == count
    # a failure goes out with the builder's own words, and the job still sees it raised
    broken = PythonRuntime(version=VERSION, requirements=("jiebang-nowhere==1.0",))
    with pytest.raises(RuntimeBuildFailed) as caught:
        prepare_reported(broken, report=report, settings=settings)
    assert heard[-1]["status"] == "failed" and heard[-1]["message"] == caught.value.message


def test_a_long_failure_is_cut_to_what_the_platform_accepts(client: TestClient) -> None:
    spec = PythonRuntime(version=VERSION, requirements=("jiebang-nowhere==1.0",))
    news = news_of(spec, "failed", message="x" * 50_000, message_zh="无" * 50_000)
    assert len(news["message"]) == 20_000 and news["message"].endswith("…")
    api = worker_api(client)
    api.report_runtime_build(news)
    with Session(get_engine()) as db:
        row = db.get(RuntimeBuild, ("python", spec.content_key, api.machine))
        assert row is not None and row.status == "failed" and len(row.message_zh) == 20_000


@needs_bwrap
def test_a_check_built_on_one_api_machine_is_ready_from_another(
    client: TestClient,
    organiser: dict[str, str],
    caches: dict[str, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _use_cache(monkeypatch, caches["api"])  # the API machine that runs the check
    ids = _track_on(client, organiser, "checked", ["jiebang-wheeled==1.0.0"])
    sample = client.put(
        f"/api/v1/tracks/{ids['track']}/sample",
        files={"file": ("scores.txt", b"a 1\n", "text/plain")},
        headers=organiser,
    )
    assert sample.status_code == 200, sample.text
    check = client.post(f"/api/v1/tracks/{ids['track']}/check", headers=organiser).json()
    assert check["status"] == "passed", check
    _use_cache(monkeypatch, caches["worker"])  # another API machine: nothing on its disk
    state = client.get(STATE.format(key="checked"), headers=organiser).json()
    assert state["status"] == "ready", state
    assert [(w["worker"], w["status"]) for w in state["workers"]] == [
        (runtime_builds.api_worker_name(), "ready")
    ]
    assert not (caches["worker"] / "python").exists()
