"""With the readiness gate off (tests, e2e), a contest never checked still publishes, but one
whose track's last check failed is refused, naming the failure, until a check passes (here
after a fixed version of the scoring program is pinned)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient

from tests.artifacts.support import auc_scorer_zip
from tests.sandbox.support import needs_bwrap
from tests.submissions.helpers import tar_bytes

pytestmark = needs_bwrap

CRASHING = "import sys\nprint('the labels file has no column prob', file=sys.stderr)\nsys.exit(3)\n"
CONSTANT = "import json\njson.dump({'metrics': {'auc': 0.5}}, open('/out/scores.json', 'w'))\n"
PLATFORM = {"kind": "platform"}


def _upload(client: TestClient, organiser: dict[str, str], script: str) -> dict[str, str]:
    archive = auc_scorer_zip(script, key="flaky_auc", runtime=PLATFORM)
    upload = client.post(
        "/api/v1/scoring-programs",
        files={"archive": ("auc.zip", archive, "application/zip")},
        headers=organiser,
    )
    assert upload.status_code == 201, upload.text
    return dict(upload.json())


def _draft(client: TestClient, organiser: dict[str, str], version: str) -> dict[str, int]:
    contest = client.post(
        "/api/v1/contests",
        json={
            "slug": "flaky",
            "title_zh": "检查",
            "title_en": "Check",
            "edition": "1",
            "year": 2025,
        },
        headers=organiser,
    ).json()
    track = client.post(
        f"/api/v1/contests/{contest['id']}/tracks",
        json={
            "slug": "detect",
            "title_zh": "检测",
            "title_en": "Detection",
            "evaluator_key": "flaky_auc",
            "evaluator_version": version,
        },
        headers=organiser,
    ).json()
    now = datetime.now(UTC)
    phase = client.post(
        f"/api/v1/tracks/{track['id']}/phases",
        json={
            "slug": "final",
            "title_zh": "决赛",
            "title_en": "Final",
            "starts_at": (now - timedelta(days=1)).isoformat(),
            "ends_at": (now + timedelta(days=10)).isoformat(),
            "public_item_ids": ["a"],
            "private_item_ids": ["b"],
        },
        headers=organiser,
    ).json()
    reference = tar_bytes({"labels.csv": b"id,label\na,1\nb,0\n"})
    client.put(
        f"/api/v1/phases/{phase['id']}/reference",
        files={"archive": ("ref.tar", reference, "application/x-tar")},
        headers=organiser,
    )
    client.put(
        f"/api/v1/tracks/{track['id']}/sample",
        files={"file": ("s.csv", b"id,score\na,0.9\nb,0.1\n", "text/csv")},
        headers=organiser,
    )
    return {"contest": contest["id"], "track": track["id"]}


def test_a_failed_check_blocks_publishing_until_a_check_passes(
    client: TestClient, organiser: dict[str, str]
) -> None:
    broken = _upload(client, organiser, CRASHING)
    ids = _draft(client, organiser, broken["version"])
    check = client.post(f"/api/v1/tracks/{ids['track']}/check", headers=organiser).json()
    assert check["status"] == "failed", check
    assert "no column prob" in check["logs"]["score_stderr_tail"]
    assert check["message"].startswith("the scoring program failed: ")
    assert check["message_zh"].startswith("评分程序运行失败："), check  # the reader's language
    publish = f"/api/v1/contests/{ids['contest']}/publish"
    refused = client.post(publish, headers=organiser)
    assert refused.status_code == 409, refused.text
    [item] = refused.json()["missing"]
    assert item["code"] == "check" and "last check failed" in item["message_en"]
    assert item["message_en"].endswith("— the labels file has no column prob")
    assert item["message_zh"].startswith("最近一次检查未通过：评分程序运行失败：")
    contest = client.get(f"/api/v1/contests/{ids['contest']}", headers=organiser).json()
    assert contest["status"] == "draft"

    fixed = _upload(client, organiser, CONSTANT)
    assert fixed["version"] != broken["version"]
    pinned = client.patch(
        f"/api/v1/tracks/{ids['track']}",
        json={"evaluator_version": fixed["version"]},
        headers=organiser,
    )
    assert pinned.status_code == 200, pinned.text
    assert client.post(publish, headers=organiser).status_code == 409  # still unchecked
    check = client.post(f"/api/v1/tracks/{ids['track']}/check", headers=organiser).json()
    assert check["status"] == "passed", check
    assert client.post(publish, headers=organiser).status_code == 200
