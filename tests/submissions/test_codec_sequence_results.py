"""Per-sequence codec results: the team sees its visible split only, judges every split; CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from jiebang.evaluation import queue
from jiebang.evaluation.models import Score
from jiebang.submissions.models import Submission

from ..leaderboards.helpers import constructed_board

FORMULA_CLASS = "=cmd|' /C calc'!A0"


def _item(
    sid: str, split: str, cls: str, bd: float, bd2: float, vmaf: float, dec: float
) -> dict[str, Any]:
    return {
        "id": sid,
        "split": split,
        "metrics": {
            "bd_rate": bd,
            "bd_rate_anchor2": bd2,
            "bd_rate_vmaf": vmaf,
            "bd_rate_vmaf_anchor2": vmaf + 1,
            "bd_quality": 0.5,
            "psnr_yuv": 38.0,
            "dec_time_ratio": dec,
            "dec_cpu_s": dec / 2,
            "dec_wall_s": dec,
        },
        "extra": {
            "bd_metric": "psnr_yuv",
            "class": cls,
            "anchor": {"file": "anchor.json", "encoder": "libx265"},
            "extra_anchors": [{"file": "anchor_svtav1.json", "encoder": "libsvtav1"}],
            "vmaf_model": "vmaf_v0.6.1neg",
            "rate_points": [
                {"kbps": 100.0 + k, "quality": {"psnr_yuv": 30.0 + k, "vmaf": 60.0 + k}}
                for k in range(4)
            ],
        },
    }


# a, b public; c, d private (the constructed board's split)
ITEMS = [
    _item("a", "public", "A", -4.0, -1.0, -6.0, 1.5),
    _item("b", "public", FORMULA_CLASS, 2.0, 5.0, 3.0, 0.5),
    _item("c", "private", "A", -10.0, -7.0, -12.0, 3.0),
    _item("d", "private", "Secret", 8.0, 9.0, 7.0, 2.0),
]


def _codec_score(db: Session, submission_id: int) -> None:
    """A stored video_codec_rd score as the worker records it (class_table over all splits)."""
    sub = db.get(Submission, submission_id)
    assert sub is not None
    job = queue.enqueue(
        db, sub, evaluator_key="line_scores", evaluator_version="1.0.0", purpose="rescore",
        max_attempts=3,
    )  # fmt: skip
    everything = {
        "class": "A",
        "sequences": ["a", "c"],
        "bd_rate": -7.0,
    }
    score = Score(
        job_id=job.id or 0,
        submission_id=submission_id,
        evaluator_version="1.0.0",
        metrics={"bd_rate": -1.0},
        metrics_by_split={"public": {"bd_rate": -1.0}, "private": {"bd_rate": -1.0}},
        items=ITEMS,
        plots={
            "rd_curves": [{"sequence": i["id"], "metric": "psnr_yuv"} for i in ITEMS],
            "class_table": [everything, {"class": "Secret", "sequences": ["d"], "bd_rate": 8.0}],
        },
    )
    queue.record_score(db, job=job, score=score)
    db.commit()


@pytest.fixture
def codec_board(
    client: TestClient, db: Session, organiser: dict[str, str], make_user: Callable[..., Any]
) -> Any:
    board = constructed_board(client, db, organiser, make_user)
    _codec_score(db, board.subs["alpha"])
    return board


def test_team_sees_its_visible_split_only(client: TestClient, db: Session, codec_board) -> None:
    sub, headers = codec_board.subs["alpha"], codec_board.headers["alpha"]
    body = client.get(f"/api/v1/submissions/{sub}/sequences", headers=headers)
    assert body.status_code == 200, body.text
    data = body.json()
    assert [r["sequence"] for r in data["sequences"]] == ["a", "b"]
    assert {r["split"] for r in data["sequences"]} == {"public"}
    assert data["anchors"] == [
        {"number": 1, "file": "anchor.json", "encoder": "libx265"},
        {"number": 2, "file": "anchor_svtav1.json", "encoder": "libsvtav1"},
    ]
    assert data["bd_metric"] == "psnr_yuv" and data["vmaf_model"] == "vmaf_v0.6.1neg"
    assert data["columns"] == [
        "bd_rate", "bd_rate_anchor2", "bd_rate_vmaf", "bd_rate_vmaf_anchor2", "bd_quality",
        "dec_time_ratio", "dec_cpu_s", "dec_wall_s",
    ]  # fmt: skip
    a = data["sequences"][0]
    assert a["sequence_class"] == "A" and a["metrics"]["bd_rate_vmaf"] == -6.0
    assert a["metrics"]["dec_wall_s"] == 1.5 and len(a["rate_points"]) == 4
    # class A on the team's side is seqA alone: the private c does not move its mean
    classes = {c["sequence_class"]: c for c in data["classes"]}
    assert set(classes) == {"A", FORMULA_CLASS}
    assert classes["A"]["sequences"] == ["a"] and classes["A"]["metrics"]["bd_rate"] == -4.0

    # the submission page's plots carry no private class either
    detail = client.get(f"/api/v1/submissions/{sub}", headers=headers).json()
    assert [c["sequence"] for c in detail["plots"]["rd_curves"]] == ["a", "b"]
    table = {row["class"]: row for row in detail["plots"]["class_table"]}
    assert set(table) == {"A", FORMULA_CLASS}
    assert table["A"] == {"class": "A", "sequences": ["a"], **classes["A"]["metrics"]}
    assert table["A"]["bd_rate"] == -4.0
    assert "Secret" not in repr(detail["plots"]) and "'c'" not in repr(detail["plots"])

    # another team cannot read it at all
    other = client.get(f"/api/v1/submissions/{sub}/sequences", headers=codec_board.headers["beta"])
    assert other.status_code in (403, 404)
    assert (
        client.get(f"/api/v1/judge/submissions/{sub}/sequences", headers=headers).status_code == 403
    )


def test_judges_see_every_split_and_class_means_over_all(
    client: TestClient, codec_board, judge: dict[str, str]
) -> None:
    sub = codec_board.subs["alpha"]
    data = client.get(f"/api/v1/judge/submissions/{sub}/sequences", headers=judge).json()
    assert [(r["sequence"], r["split"]) for r in data["sequences"]] == [
        ("a", "public"), ("b", "public"), ("c", "private"), ("d", "private"),
    ]  # fmt: skip
    classes = {c["sequence_class"]: c for c in data["classes"]}
    assert classes["A"]["sequences"] == ["a", "c"]
    assert classes["A"]["metrics"]["bd_rate"] == pytest.approx(-7.0)  # the evaluator's value
    assert classes["A"]["metrics"]["bd_rate_vmaf_anchor2"] == pytest.approx(-8.0)
    assert classes["A"]["metrics"]["dec_time_ratio"] == pytest.approx(2.25)
    assert classes["Secret"]["metrics"]["bd_rate_anchor2"] == 9.0


def _csv(client: TestClient, url: str, headers: dict[str, str]) -> list[dict[str, str]]:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    return list(csv.DictReader(io.StringIO(response.text)))


def test_csv_exports_are_formula_safe_and_split_aware(
    client: TestClient, codec_board, judge: dict[str, str]
) -> None:
    sub = codec_board.subs["alpha"]
    team = _csv(client, f"/api/v1/submissions/{sub}/sequences.csv", codec_board.headers["alpha"])
    sequences = [r for r in team if r["row"] == "sequence"]
    assert [r["sequence"] for r in sequences] == ["a", "b"]
    assert sequences[1]["class"] == "'" + FORMULA_CLASS  # shown as text, never run
    assert float(sequences[0]["bd_rate_anchor2"]) == -1.0
    assert float(sequences[0]["bd_rate_vmaf"]) == -6.0  # a negative number stays a number
    assert float(sequences[0]["dec_wall_s"]) == 1.5
    assert float(sequences[0]["r4_kbps"]) == 103.0 and float(sequences[0]["r4_vmaf"]) == 63.0
    means = {r["class"]: r for r in team if r["row"] == "class_mean"}
    assert set(means) == {"A", "'" + FORMULA_CLASS} and float(means["A"]["bd_rate"]) == -4.0
    assert "Secret" not in str(team)

    everything = _csv(client, f"/api/v1/judge/submissions/{sub}/sequences.csv", judge)
    assert [r["sequence"] for r in everything if r["row"] == "sequence"] == ["a", "b", "c", "d"]
    assert {r["split"] for r in everything if r["row"] == "sequence"} == {"public", "private"}
    judge_means = {r["class"]: r for r in everything if r["row"] == "class_mean"}
    assert float(judge_means["A"]["bd_rate"]) == -7.0 and judge_means["A"]["sequence"] == "a; c"


def test_a_submission_without_score_or_codec_items(
    client: TestClient, codec_board, judge: dict[str, str]
) -> None:
    # beta's score is the line_scores evaluator's: no rate points, so no tables
    sub = codec_board.subs["beta"]
    data = client.get(f"/api/v1/submissions/{sub}/sequences", headers=codec_board.headers["beta"])
    assert data.status_code == 200 and data.json()["sequences"] == []
    assert data.json()["columns"] == [] and data.json()["classes"] == []
    assert (
        client.get("/api/v1/judge/submissions/999999/sequences", headers=judge).status_code == 404
    )
