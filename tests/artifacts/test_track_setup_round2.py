"""An existing track set up again in the browser, through the API it uses: another
evaluator while nothing was submitted (refused after), a phase's split edited (refused once
its results are published), the public devkit uploaded and listed on the Data tab, a
runtime built on request, and OCI images: capped in size, and a digest nobody uploaded
refused in words naming the field (at upload for scorers, as the team's fault for teams)."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from jiebang.contests.models import Phase
from jiebang.db import get_engine, utcnow
from jiebang.judging.models import AuditLog
from jiebang.runtimes.config import get_runtime_settings
from tests.artifacts.support import VERSION, scorer_manifest, zip_bytes
from tests.runtimes.support import busybox_available, busybox_layer, oci_archive
from tests.submissions.helpers import drain, setup_phase, submit, tar_bytes, team_headers

COUNT = "import json; json.dump({'metrics': {'n': 1}}, open('/out/scores.json', 'w'))\n"
UNKNOWN = "sha256:" + "0" * 64


@pytest.fixture(autouse=True)
def runtime_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("JIEBANG_RUNTIME_CACHE_DIR", str(tmp_path / "runtimes"))
    get_runtime_settings.cache_clear()
    yield
    get_runtime_settings.cache_clear()


def _upload(client: TestClient, headers: dict[str, str], manifest: dict[str, object]):
    archive = zip_bytes({"scorer.json": json.dumps(manifest), "score.py": COUNT})
    return client.post(
        "/api/v1/scoring-programs",
        files={"archive": ("p.zip", archive, "application/zip")},
        headers=headers,
    )


def _counter(client: TestClient, organiser: dict[str, str]) -> None:
    manifest = scorer_manifest(
        key="line_count",
        runtime={"kind": "platform"},
        metrics=[{"key": "n", "direction": "higher", "label_zh": "数", "label_en": "N"}],
    )
    assert _upload(client, organiser, manifest).status_code == 201


def test_the_evaluator_changes_only_while_nothing_was_submitted(
    client: TestClient, organiser: dict[str, str], make_user: Callable[..., dict[str, str]]
) -> None:
    _counter(client, organiser)
    ids = setup_phase(client, organiser)
    change = {"evaluator_key": "line_count", "evaluator_version": "1", "evaluator_config": {}}
    moved = client.patch(f"/api/v1/tracks/{ids['track']}", json=change, headers=organiser)
    assert moved.status_code == 200, moved.text
    assert moved.json()["evaluator_key"] == "line_count"
    with Session(get_engine()) as db:
        entry = db.exec(select(AuditLog).where(AuditLog.action == "track.edit")).all()[-1]
    assert "line_count" in json.dumps(entry.details)

    back = {"evaluator_key": "line_scores", "evaluator_version": "1.0.0"}
    assert client.patch(f"/api/v1/tracks/{ids['track']}", json=back, headers=organiser).is_success
    team = team_headers(client, make_user, ids["contest"])
    assert submit(client, team, ids["phase"], b"a 1\nb 2\n").status_code == 200
    refused = client.patch(
        f"/api/v1/tracks/{ids['track']}",
        json=change,
        headers=organiser | {"Accept-Language": "zh-CN"},
    )
    assert refused.status_code == 409, refused.text
    assert refused.json()["code"] == "evaluator_in_use"
    assert "已有提交（1 个）" in refused.json()["detail"]
    # another version of the same evaluator is still allowed
    same = client.patch(
        f"/api/v1/tracks/{ids['track']}", json={"evaluator_version": "1.0.0"}, headers=organiser
    )
    assert same.status_code == 200


def test_a_phases_split_is_edited_until_its_results_are_published(
    client: TestClient, organiser: dict[str, str]
) -> None:
    ids = setup_phase(client, organiser)
    url = f"/api/v1/phases/{ids['phase']}"
    split = {"public_item_ids": ["a", "c", "a"], "private_item_ids": ["b", "d"]}
    edited = client.patch(url, json=split, headers=organiser)
    assert edited.status_code == 200, edited.text
    read = client.get(f"{url}/split", headers=organiser).json()
    assert read == {"public": ["a", "c"], "private": ["b", "d"]}  # duplicates dropped

    both = client.patch(url, json={"private_item_ids": ["a", "b"]}, headers=organiser)
    assert both.status_code == 422, both.text
    assert both.json()["detail"][0]["loc"] == ["body", "private_item_ids"]
    # a title edit leaves the split as it is
    assert client.patch(url, json={"title_en": "Dev 2"}, headers=organiser).is_success
    assert client.get(f"{url}/split", headers=organiser).json()["public"] == ["a", "c"]

    with Session(get_engine()) as db:
        phase = db.get(Phase, ids["phase"])
        assert phase is not None
        phase.published_at = utcnow()
        db.add(phase)
        db.commit()
    late = client.patch(url, json={"public_item_ids": ["a"]}, headers=organiser)
    assert late.status_code == 409 and late.json()["code"] == "split_published", late.text


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_the_devkit_uploaded_in_the_browser_is_listed_on_the_data_tab(
    client: TestClient, organiser: dict[str, str], make_user: Callable[..., dict[str, str]]
) -> None:
    ids = setup_phase(client, organiser)
    url = f"/api/v1/tracks/{ids['track']}/devkit"
    kit = _zip({"README.md": b"# Starting kit\n", "data/train.csv": b"id,label\na,1\n"})
    stored = client.put(url, files={"archive": ("kit.zip", kit)}, headers=organiser)
    assert stored.status_code == 200, stored.text
    assert stored.json()["files"] == 2
    again = client.put(url, files={"archive": ("kit.zip", kit)}, headers=organiser)
    assert again.json()["id"] == stored.json()["id"]  # the same content is stored once

    team = make_user()
    data = client.get(f"/api/v1/tracks/{ids['track']}/data", headers=team).json()
    assert [f["name"] for f in data["files"]] == ["README.md", "data/train.csv"]
    assert data["archive"]["sha256"] == stored.json()["sha256"]
    readme = next(f for f in data["files"] if f["name"] == "README.md")
    assert client.get(readme["url"], headers=team).content == b"# Starting kit\n"
    whole = client.get(url, headers=team)
    assert whole.status_code == 200
    assert hashlib.sha256(whole.content).hexdigest() == stored.json()["sha256"]

    evil = _zip({"../escape.txt": b"x"})
    refused = client.put(
        url,
        files={"archive": ("evil.zip", evil)},
        headers=organiser | {"Accept-Language": "zh-CN"},
    )
    assert refused.status_code == 422, refused.text
    problem = refused.json()["detail"][0]
    assert problem["loc"] == ["body", "archive"] and "escape.txt" in problem["msg"]
    assert not problem["msg"].isascii()  # in the reader's language
    assert client.put(url, files={"archive": ("k.zip", kit)}, headers=team).status_code == 403


def test_a_runtime_is_built_on_request_and_reads_ready(
    client: TestClient, organiser: dict[str, str]
) -> None:
    manifest = scorer_manifest(key="bare_python", runtime={"kind": "python", "version": VERSION})
    manifest["runtime"] = {"kind": "python", "version": VERSION, "requirements": []}
    assert _upload(client, organiser, manifest).status_code == 201
    url = "/api/v1/scoring-programs/bare_python/versions/1/runtime"
    assert client.get(url, headers=organiser).json()["status"] == "absent"
    started = client.post(f"{url}/build", headers=organiser)
    assert started.status_code == 202, started.text
    state = client.get(url, headers=organiser).json()  # the build ran after the answer
    assert state["status"] == "ready" and state["kind"] == "python", state


def test_an_image_larger_than_the_setting_is_refused_with_the_limit(
    client: TestClient, organiser: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JIEBANG_RUNTIME_MAX_IMAGE_UPLOAD_BYTES", str(64 * 1024))
    get_runtime_settings.cache_clear()
    image = tar_bytes({"oci-layout": b"{}", "index.json": b"{}", "blob": b"x" * 100_000})
    for locale, words in (("en", "64 KiB"), ("zh-CN", "（64 KiB）")):
        refused = client.post(
            "/api/v1/runtime-images",
            files={"archive": ("image.tar", image)},
            headers=organiser | {"Accept-Language": locale},
        )
        assert refused.status_code == 422, refused.text
        problem = refused.json()["detail"][0]
        assert problem["loc"] == ["body", "archive"] and words in problem["msg"], problem


def test_a_scorer_naming_an_image_nobody_uploaded_is_refused_naming_the_field(
    client: TestClient, organiser: dict[str, str]
) -> None:
    manifest = scorer_manifest(
        key="ghost_image", runtime={"kind": "oci", "archive_digest": UNKNOWN}
    )
    refused = _upload(client, organiser, manifest)
    assert refused.status_code == 422, refused.text
    assert refused.json()["file"] == "scorer.json"
    assert refused.json()["problem_en"].startswith("runtime.archive_digest: no image")
    assert UNKNOWN in refused.json()["problem_zh"]


def test_a_team_naming_an_image_nobody_uploaded_fails_as_its_own_mistake(
    client: TestClient,
    organiser: dict[str, str],
    make_user: Callable[..., dict[str, str]],
    tmp_path: Path,
) -> None:
    ids = setup_phase(
        client,
        organiser,
        track_overrides={
            "submission_kind": "code",
            "sandbox_limits": {"team_runtimes": ["platform", "oci"]},
        },
        reference={"truth.txt": b"a 1\n", "inputs/ids.txt": b"a\n"},
    )
    team = team_headers(client, make_user, ids["contest"])
    manifest = {
        "entrypoint": ["/bin/sh", "run.sh"],
        "runtime": {"kind": "oci", "archive_digest": UNKNOWN},
    }
    program = tar_bytes({"jiebang.json": json.dumps(manifest).encode(), "run.sh": b"exit 0\n"})
    done = submit(client, team, ids["phase"], program, "p.tar")
    assert done.status_code == 200, done.text
    assert drain(client, tmp_path) == 1
    sub = client.get(f"/api/v1/submissions/{done.json()['id']}", headers=team).json()
    assert sub["status"] == "failed" and sub["failure_category"] == "submission", sub
    assert "runtime.archive_digest" in sub["failure_message"] and UNKNOWN in sub["failure_message"]


@pytest.mark.skipif(not busybox_available(), reason="busybox-static or umoci missing")
def test_an_oci_runtime_is_unpacked_on_request_from_the_uploaded_image(
    client: TestClient, organiser: dict[str, str], tmp_path: Path
) -> None:
    archive, digest = oci_archive(tmp_path / "image.tar", [busybox_layer()])
    image = client.post(
        "/api/v1/runtime-images",
        files={"archive": ("image.tar", archive.read_bytes())},
        headers=organiser,
    )
    assert image.status_code == 201, image.text
    manifest = scorer_manifest(key="oci_build", runtime={"kind": "oci", "archive_digest": digest})
    assert _upload(client, organiser, manifest).status_code == 201
    url = "/api/v1/scoring-programs/oci_build/versions/1/runtime"
    assert client.get(url, headers=organiser).json()["status"] == "absent"
    assert client.post(f"{url}/build", headers=organiser).status_code == 202
    state = client.get(url, headers=organiser).json()
    assert state["status"] == "ready" and state["kind"] == "oci", state
