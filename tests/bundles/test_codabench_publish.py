"""A contest imported from a Codabench bundle can be published where readiness is required:
its programs score whole submissions (worker/codabench.py), so its phases need no
public/private item split; everything else (reference data, a passing check) still does."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.sandbox.support import needs_bwrap

from . import codabench_support as cb

pytestmark = needs_bwrap


def test_a_checked_codabench_contest_publishes_without_an_item_split(
    client: TestClient,
    organiser: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("JIEBANG_READINESS_REQUIRED", "true")
    bundle = cb.v15_bundle(tmp_path / "bundle")
    files = {"bundle": ("competition.zip", cb.zipped(bundle), "application/zip")}
    imported = client.post("/api/v1/admin/bundles", files=files, headers=organiser)
    assert imported.status_code == 200, imported.text
    [contest] = [
        c
        for c in client.get("/api/v1/contests", headers=organiser).json()
        if c["slug"] == "tiny-codalab-quiz"
    ]
    [track] = client.get(f"/api/v1/contests/{contest['id']}/tracks", headers=organiser).json()
    publish = f"/api/v1/contests/{contest['id']}/publish"
    refused = client.post(publish, headers=organiser)
    assert refused.status_code == 409, refused.text
    assert {m["code"] for m in refused.json()["missing"]} == {"check"}  # no "split"
    sample = client.put(
        f"/api/v1/tracks/{track['id']}/sample",
        files={"file": ("answers.txt", cb.ANSWERS.encode(), "text/plain")},
        headers=organiser,
    )
    assert sample.status_code == 200, sample.text
    check = client.post(f"/api/v1/tracks/{track['id']}/check", headers=organiser)
    assert check.status_code == 200 and check.json()["status"] == "passed", check.text
    published = client.post(publish, headers=organiser)
    assert published.status_code == 200, published.text
