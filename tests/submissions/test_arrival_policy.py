"""The arrival check and the worker share one archive policy: refused files are refused on
arrival (never charged), accepted files unpack, and the worker blames the team, not the
platform, for an archive it cannot unpack."""

from __future__ import annotations

import io
import warnings
import zipfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from jiebang.evaluation.models import JobSpec
from jiebang.worker.context import JobContext, StageFailed
from jiebang.worker.stages import unpack

from .helpers import drain, setup_phase, submit, team_headers

GOOD = b"a 1.5\nb 2\nc 3\nd 6\n"  # public MAE 0.25


def _zip(entries: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names are the point of some cases
        with zipfile.ZipFile(buffer, "w") as zf:
            for name, data in entries:
                zf.writestr(name, data)
    return buffer.getvalue()


def _english(client: TestClient, headers: dict[str, str]) -> dict[str, str]:
    assert (
        client.patch("/api/v1/auth/me", json={"locale": "en"}, headers=headers).status_code == 200
    )
    return headers


REFUSED = {
    "notzip.zip": (b"this is a text file\n", "is not a zip (or tar) archive", "不是 zip（或 tar）压缩包"),
    "truncated.zip": (_zip([("scores.txt", GOOD * 500)])[:900], "the archive is damaged", "压缩包已损坏"),
    "duplicates.zip": (
        _zip([("scores.txt", GOOD), ("scores.txt", GOOD)]),
        "entry scores.txt appears twice",
        "出现了两次",
    ),
    "dot.zip": (_zip([(".", GOOD)]), "is a file without a usable name", "没有可用名称"),
    "ctrl.zip": (_zip([("scores\x07.txt", GOOD)]), "control character", "控制字符"),
    "..": (GOOD, "is not a usable file name", "不是可用的文件名"),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_refused_on_arrival_and_never_charged(
    client: TestClient, organiser, make_user, name: str
) -> None:
    ids = setup_phase(client, organiser)
    team = team_headers(client, make_user, ids["contest"])
    data, en, zh = REFUSED[name]
    refused = submit(client, team, ids["phase"], data, filename=name)
    assert refused.status_code == 422, refused.text
    assert zh in refused.json()["detail"][0]["msg"]  # accounts read zh-CN unless they choose
    again = submit(client, _english(client, team), ids["phase"], data, filename=name)
    assert en in again.json()["detail"][0]["msg"]
    quota = client.get(f"/api/v1/phases/{ids['phase']}/quota", headers=team).json()
    assert quota["used_total"] == 0 and quota["used_today"] == 0


def test_the_tracks_archive_limits_reach_the_worker(
    client: TestClient, organiser, make_user, tmp_path: Path
) -> None:
    ids = setup_phase(
        client, organiser, track_overrides={"sandbox_limits": {"archive": {"max_files": 20_000}}}
    )
    team = _english(client, team_headers(client, make_user, ids["contest"]))
    entries = [("scores.txt", GOOD)] + [(f"frames/{i:05d}.txt", b"") for i in range(15_000)]
    completed = submit(client, team, ids["phase"], _zip(entries), filename="many.zip")
    assert completed.status_code == 200, completed.text
    assert drain(client, tmp_path) == 1
    detail = client.get(f"/api/v1/submissions/{completed.json()['id']}", headers=team).json()
    assert detail["status"] == "scored", detail["failure_message"]


def test_one_wrapping_folder_is_unwrapped_and_said(
    client: TestClient, organiser, make_user, tmp_path: Path
) -> None:
    ids = setup_phase(client, organiser)
    team = _english(client, team_headers(client, make_user, ids["contest"]))
    data = _zip([("my_results/", b""), ("my_results/scores.txt", GOOD)])
    completed = submit(client, team, ids["phase"], data, filename="my_results.zip")
    assert completed.status_code == 200, completed.text
    drain(client, tmp_path)
    detail = client.get(f"/api/v1/submissions/{completed.json()['id']}", headers=team).json()
    assert detail["status"] == "scored" and detail["scores"] == {"mae": 0.25}
    assert "one folder my_results/ around the expected layout" in detail["logs"]["unpack"]
    assert "多了一层文件夹 my_results/" in detail["logs"]["unpack"]


def _spec(filename: str) -> JobSpec:
    return JobSpec(
        job_id=1,
        submission_id=1,
        lease_owner="w",
        lease_seconds=60,
        evaluator_key="line_scores",
        evaluator_version="1.0.0",
        evaluator_config={},
        splits={},
        submission_kind="result",
        submission_url="",
        submission_sha256="",
        submission_filename=filename,
        reference_url=None,
        reference_sha256=None,
        limits={},
    )


@pytest.mark.parametrize("name", ["duplicates.zip", "dot.zip", "truncated.zip"])
def test_the_worker_blames_the_team_for_an_archive_it_cannot_unpack(
    tmp_path: Path, name: str
) -> None:
    """An upload that reached a worker without the arrival check (e.g. queued before it)."""
    upload = tmp_path / "upload.bin"
    upload.write_bytes(REFUSED[name][0])
    reference = tmp_path / "reference"
    reference.mkdir()
    ctx = JobContext(
        spec=_spec(name),
        api=None,
        workdir=tmp_path,
        cache_dir=tmp_path / "cache",  # type: ignore[arg-type]
    )
    ctx.upload, ctx.reference_dir = upload, reference
    with pytest.raises(StageFailed) as failed:
        unpack(ctx)
    assert failed.value.outcome == "invalid_submission"  # the team's: charged, never retried
    assert REFUSED[name][1] in failed.value.message and failed.value.message_zh


def test_the_score_sandbox_reads_back_what_the_archive_policy_let_through() -> None:
    from jiebang.contests.models import Track
    from jiebang.evaluation.jobs import limits_of

    track = Track(
        contest_id=1,
        slug="t",
        title_zh="t",
        title_en="t",
        evaluator_key="line_scores",
        evaluator_version="1.0.0",
        sandbox_limits={"archive": {"max_files": 150_000}},
    )
    limits = limits_of(track)
    assert limits["archive"] == {"max_files": 150_000}
    assert limits["score"]["max_output_files"] >= 150_000
