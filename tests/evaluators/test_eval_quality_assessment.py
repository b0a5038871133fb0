"""quality_assessment end to end: metrics against scipy.stats, splits, and rejected CSVs."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

IDS = [f"img{i:03d}" for i in range(60)]
SPLITS = {"public": IDS[:30], "private": IDS[30:]}


@pytest.fixture
def dirs(tmp_path):
    rng = np.random.default_rng(0)
    mos = rng.uniform(1, 5, len(IDS))
    reference = tmp_path / "reference"
    reference.mkdir()
    lines = ["id,mos"] + [f"{i},{float(m)!r}" for i, m in zip(IDS, mos, strict=True)]
    (reference / "mos.csv").write_text("\n".join(lines) + "\n")
    submission = tmp_path / "submission"
    submission.mkdir()
    predicted = mos + rng.normal(0, 0.6, len(IDS))
    return reference, submission, mos, predicted


def _write(submission, rows):
    (submission / "scores.csv").write_text("\n".join(["id,score", *rows]) + "\n")


def test_good_submission_metrics_and_splits(dirs, run_evaluator):
    reference, submission, mos, predicted = dirs
    _write(submission, [f"{i},{float(p)!r}" for i, p in zip(IDS, predicted, strict=True)])
    completed, result = run_evaluator(
        "quality_assessment", submission, reference, {"splits": SPLITS}
    )
    assert completed.returncode == 0, completed.stderr
    assert result["status"] == "ok"
    assert result["metrics"]["srocc"] == pytest.approx(stats.spearmanr(predicted, mos).statistic)
    assert result["metrics"]["krocc"] == pytest.approx(stats.kendalltau(predicted, mos).statistic)
    public = result["metrics_by_split"]["public"]
    assert public["srocc"] == pytest.approx(stats.spearmanr(predicted[:30], mos[:30]).statistic)
    assert set(result["metrics_by_split"]) == {"public", "private"}
    # the logistic fit can only improve on a straight line through the raw scores
    linear = np.polyval(np.polyfit(predicted, mos, 1), predicted)
    assert result["metrics"]["rmse"] <= np.sqrt(np.mean((linear - mos) ** 2)) + 1e-9
    assert result["metrics"]["plcc"] >= stats.pearsonr(predicted, mos).statistic - 1e-6


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            lambda p: [f"{i},{v}" for i, v in zip(IDS[1:], p[1:], strict=True)],
            "missing ids: img000",
        ),
        (
            lambda p: [f"{i},{v}" for i, v in zip(IDS, p, strict=True)] + ["img999,1"],
            "unknown ids: img999",
        ),
        (
            lambda p: [f"{i},{v}" for i, v in zip(IDS, p, strict=True)] + ["img005,2"],
            "duplicate ids: img005",
        ),
        (
            lambda p: (
                ["img000,nan", "img001,abc"]
                + [f"{i},{v}" for i, v in zip(IDS[2:], p[2:], strict=True)]
            ),
            "not finite numbers for ids: img000, img001",
        ),
    ],
)
def test_bad_submissions_name_the_ids(dirs, run_evaluator, rows, message):
    reference, submission, _, predicted = dirs
    _write(submission, rows(predicted))
    completed, result = run_evaluator(
        "quality_assessment", submission, reference, {}, in_process=True
    )
    assert completed.returncode == 0, completed.stderr
    assert result["status"] == "invalid_submission"
    assert message in result["error"]
    assert result["error_zh"]


def test_malformed_csv_header(dirs, run_evaluator):
    reference, submission, _, _ = dirs
    (submission / "scores.csv").write_text("name;value\nimg000;1\n")
    _, result = run_evaluator("quality_assessment", submission, reference, {})
    assert result["status"] == "invalid_submission"
    assert "must start with the header 'id,score'" in result["error"]
