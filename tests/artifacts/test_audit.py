"""Organiser actions of issue 15 land in the one audit log: uploads, edits (fields before
and after), contest publish, with the organiser's name."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from tests.artifacts.support import scorer_manifest, zip_bytes
from tests.submissions.helpers import setup_phase


def test_uploads_edits_and_publish_are_audited(
    client: TestClient, organiser: dict[str, str]
) -> None:
    manifest = scorer_manifest(key="audited", runtime={"kind": "platform"})
    upload = client.post(
        "/api/v1/scoring-programs",
        files={
            "archive": (
                "a.zip",
                zip_bytes({"scorer.json": json.dumps(manifest)}),
                "application/zip",
            )
        },
        headers=organiser,
    )
    assert upload.status_code == 201, upload.text
    ids = setup_phase(client, organiser)
    edited = client.patch(
        f"/api/v1/tracks/{ids['track']}", json={"title_en": "Lines (v2)"}, headers=organiser
    )
    assert edited.status_code == 200, edited.text
    phase = client.patch(
        f"/api/v1/phases/{ids['phase']}", json={"daily_quota": 9}, headers=organiser
    )
    assert phase.status_code == 200, phase.text
    log = client.get("/api/v1/judge/audit", headers=organiser)
    assert log.status_code == 200, log.text
    by_action = {entry["action"]: entry for entry in log.json()}
    assert by_action["scoring_program.upload"]["details"]["sha256"] == upload.json()["sha256"]
    assert by_action["track.edit"]["details"]["changes"] == {
        "title_en": {"before": "Lines", "after": "Lines (v2)"}
    }
    assert by_action["phase.edit"]["details"]["changes"] == {
        "daily_quota": {"before": 5, "after": 9}
    }
    assert "contest.publish" in by_action
    assert all(entry["actor"].startswith("organiser:") for entry in log.json())
