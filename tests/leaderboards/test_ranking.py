"""Pure ranking rules: direction, secondary tie-breaks, submission time, rules, selection."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from jiebang.leaderboards import ranking

SPEC: dict[str, Any] = {
    "metrics": [
        {
            "key": "psnr",
            "label_zh": "峰值信噪比",
            "label_en": "PSNR",
            "direction": "higher",
            "precision": 2,
        },
        {
            "key": "ssim",
            "label_zh": "结构相似度",
            "label_en": "SSIM",
            "direction": "higher",
            "precision": 4,
        },
        {
            "key": "bd_rate",
            "label_zh": "BD 码率",
            "label_en": "BD-rate",
            "direction": "lower",
            "precision": 2,
        },
    ],
    "primary_metric": "psnr",
}
T0 = datetime(2024, 5, 1, tzinfo=UTC)


def entry(
    sid: int,
    team: int,
    minutes: int,
    selected: bool = False,
    public: dict[str, float] | None = None,
    **metrics: float,
) -> ranking.Entry:
    return ranking.Entry(
        submission_id=sid,
        team_id=team,
        submitted_at=T0 + timedelta(minutes=minutes),
        metrics=metrics,
        selected=selected,
        public_metrics=public,
    )


def ranked(
    entries: list[ranking.Entry],
    config: dict[str, Any] | None = None,
    rule: str = "best",
    final: bool = False,
    max_selected: int = 2,
) -> list[int]:
    columns, primary, secondary = ranking.columns_for(SPEC, config or {})
    rows = ranking.rank(
        entries,
        columns=columns,
        primary=primary,
        secondary=secondary,
        rule=rule,
        final=final,
        max_selected=max_selected,
    )
    return [r.entry.submission_id for r in rows]


def test_direction_and_one_row_per_team() -> None:
    rows = ranked([entry(1, 1, 0, psnr=30.0), entry(2, 1, 1, psnr=35.0), entry(3, 2, 2, psnr=33.0)])
    assert rows == [2, 3]


def test_ties_at_the_shown_precision_go_to_secondary_then_time() -> None:
    config = {"secondary": ["ssim"]}
    # 30.001 and 30.004 both show as 30.00: a tie, broken by SSIM.
    assert ranked(
        [entry(1, 1, 0, psnr=30.004, ssim=0.90), entry(2, 2, 5, psnr=30.001, ssim=0.95)], config
    ) == [2, 1]
    # Equal on every column: the earlier submission wins, whatever its id.
    assert ranked(
        [entry(7, 1, 9, psnr=30.0, ssim=0.9), entry(8, 2, 3, psnr=30.0, ssim=0.9)], config
    ) == [8, 7]
    # A lower-is-better secondary.
    assert ranked(
        [entry(1, 1, 0, psnr=30.0, bd_rate=-5.0), entry(2, 2, 0, psnr=30.0, bd_rate=-7.5)],
        {"secondary": ["bd_rate"]},
    ) == [2, 1]


def test_missing_primary_is_left_off_and_missing_secondary_sorts_last() -> None:
    rows = ranked(
        [entry(1, 1, 0, ssim=0.99), entry(2, 2, 0, psnr=30.0), entry(3, 3, 1, psnr=30.0, ssim=0.5)],
        {"secondary": ["ssim"]},
    )
    assert rows == [3, 2]
    assert ranked([entry(1, 1, 0, psnr=float("nan")), entry(2, 2, 0, psnr=20.0)]) == [2]


def test_latest_rule_uses_the_latest_scored_submission() -> None:
    rows = ranked(
        [entry(1, 1, 0, psnr=40.0), entry(2, 1, 10, psnr=20.0), entry(3, 2, 5, psnr=30.0)],
        rule="latest",
    )
    assert rows == [3, 2]


def test_selected_rule_uses_the_selection_on_the_final_board() -> None:
    entries = [
        entry(1, 1, 0, selected=False, public={"psnr": 40.0}, psnr=45.0),
        entry(2, 1, 1, selected=True, public={"psnr": 30.0}, psnr=31.0),
        entry(3, 2, 2, public={"psnr": 35.0}, psnr=32.0),
    ]
    assert ranked(entries, rule="selected", final=True) == [
        3,
        2,
    ]  # team 1's unselected 45.0 does not count
    assert ranked(entries, rule="selected", final=False) == [
        1,
        3,
    ]  # the public board uses every submission


def test_no_selection_means_best_n_by_public_score() -> None:
    entries = [
        entry(1, 1, 0, public={"psnr": 39.0}, psnr=20.0),
        entry(2, 1, 1, public={"psnr": 38.0}, psnr=25.0),
        entry(
            3, 1, 2, public={"psnr": 10.0}, psnr=50.0
        ),  # best private, but not in the public top 2
    ]
    rows = ranking.rank(
        entries,
        columns=ranking.columns_for(SPEC, {})[0],
        primary="psnr",
        secondary=[],
        rule="selected",
        final=True,
        max_selected=2,
    )
    assert [r.entry.submission_id for r in rows] == [2]
    assert rows[0].values["psnr"] == 25.0
    assert ranked(entries, rule="selected", final=True, max_selected=3) == [3]


def test_computed_columns_and_precision() -> None:
    config = {
        "columns": [
            {
                "key": "psnr_min",
                "metric": "psnr",
                "aggregate": "min",
                "label_en": "Worst PSNR",
                "precision": 1,
            },
            "psnr",
        ],
        "precision": {"psnr": 3},
    }
    columns, primary, _ = ranking.columns_for(SPEC, config)
    assert [c.key for c in columns] == ["psnr_min", "psnr"] and primary == "psnr"
    items = [
        {"id": "a", "metrics": {"psnr": 31.26}},
        {"id": "b", "metrics": {"psnr": 29.94}},
        {"id": "c", "metrics": {"psnr": "x"}},
    ]
    values = ranking.values_of(columns, {"psnr": 30.12345}, items)
    assert values == {"psnr_min": 29.9, "psnr": 30.123}
    assert columns[0].label_en == "Worst PSNR" and columns[0].label_zh == "峰值信噪比"


@pytest.mark.parametrize(
    "config",
    [
        {"secondary": ["nope"]},
        {"columns": ["unknown_metric"]},
        {"columns": [{"key": "x", "metric": "psnr", "aggregate": "__import__('os')"}]},
        {"columns": [{"key": "x", "metric": "psnr", "direction": "sideways"}]},
    ],
)
def test_bad_configs_are_refused(config: dict[str, Any]) -> None:
    with pytest.raises(ranking.BoardConfigError):
        ranking.columns_for(SPEC, config)
