"""A command scorer on an ``oci`` runtime: the organiser uploads the image (busybox-static,
an OCI layout assembled from files) and the scorer; the worker fetches the image by
digest, unpacks it, and the scorer runs with the image as ``/``."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from jiebang.runtimes.config import get_runtime_settings
from tests.artifacts.support import scorer_manifest, zip_bytes
from tests.runtimes.support import busybox_available, busybox_layer, oci_archive
from tests.sandbox.support import needs_bwrap
from tests.submissions.helpers import drain, setup_phase, submit, team_headers

pytestmark = [
    needs_bwrap,
    pytest.mark.skipif(not busybox_available(), reason="busybox-static or umoci missing"),
]

SCORE = b"""n=$(cat /submission/* | wc -l)
test -e /usr/bin/python3 && n=999
m="{\\"lines\\": $n}"
echo "{\\"metrics\\": $m, \\"splits\\": {\\"public\\": $m, \\"private\\": $m}}" > /out/scores.json
"""


@pytest.fixture(autouse=True)
def runtime_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("JIEBANG_RUNTIME_CACHE_DIR", str(tmp_path / "runtimes"))
    get_runtime_settings.cache_clear()
    yield
    get_runtime_settings.cache_clear()


def test_a_scorer_on_an_uploaded_oci_image_scores(
    client: TestClient,
    organiser: dict[str, str],
    make_user: Callable[..., dict[str, str]],
    tmp_path: Path,
) -> None:
    archive, digest = oci_archive(tmp_path / "image.tar", [busybox_layer()])
    image = client.post(
        "/api/v1/runtime-images",
        files={"archive": ("image.tar", archive.read_bytes(), "application/x-tar")},
        headers=organiser,
    )
    assert image.status_code == 201 and image.json()["digest"] == digest, image.text
    manifest = scorer_manifest(
        key="oci_lines",
        command=["/bin/sh", "score.sh"],
        runtime={"kind": "oci", "archive_digest": digest},
        metrics=[{"key": "lines", "direction": "higher", "label_zh": "行", "label_en": "Lines"}],
    )
    program = client.post(
        "/api/v1/scoring-programs",
        files={
            "archive": (
                "p.zip",
                zip_bytes({"scorer.json": json.dumps(manifest), "score.sh": SCORE}),
                "application/zip",
            )
        },
        headers=organiser,
    )
    assert program.status_code == 201, program.text
    ids = setup_phase(
        client, organiser, track_overrides={"evaluator_key": "oci_lines", "evaluator_version": "1"}
    )
    team = team_headers(client, make_user, ids["contest"])
    done = submit(client, team, ids["phase"], b"a 1\nb 2\nc 3\n")
    assert done.status_code == 200, done.text
    assert drain(client, tmp_path) == 1
    sub = client.get(f"/api/v1/submissions/{done.json()['id']}", headers=team).json()
    assert sub["status"] == "scored", sub
    assert sub["scores"] == {"lines": 3}  # 999 would mean the host system, not the image
