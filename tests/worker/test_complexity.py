"""The complexity rule as data, the gate's message in both languages, and the merge into a
result (the sandboxed path is tests/submissions/test_code_complexity.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from jiebang.worker.complexity import (
    ComplexityConfigError,
    ComplexityRule,
    SequenceTiming,
    complexity_metrics,
    gate_messages,
    merge_into_result,
    program_bytes,
)


def test_rule_is_data_and_refuses_mistakes() -> None:
    assert ComplexityRule.from_mapping(None) is None
    assert ComplexityRule.from_mapping({"max_time_ratio": 2}) == ComplexityRule(
        "anchor_bitstreams", 2.0, "wall"
    )
    for bad in (
        {"max_time_ratio": 0},
        {"clock": "gpu"},
        {"anchor_dir": "../elsewhere"},
        {"limit": 2},
    ):
        with pytest.raises(ComplexityConfigError):
            ComplexityRule.from_mapping(bad)


def test_gate_states_both_times_in_both_languages() -> None:
    rule = ComplexityRule(max_time_ratio=2.0, clock="cpu")
    slow = SequenceTiming(
        "seqA", team_cpu_s=3.0, team_wall_s=3.2, anchor_cpu_s=0.5, anchor_wall_s=0.6
    )
    en, zh = gate_messages(slow, rule) or ("", "")
    assert "3.000 s (CPU time), 6.00× the anchor decoder's 0.500 s" in en and "2×" in en
    assert "3.000 秒" in zh and "0.500 秒" in zh and "6.00 倍" in zh
    fair = SequenceTiming("seqA", 0.9, 1.0, 0.5, 0.6)
    assert gate_messages(fair, rule) is None
    assert gate_messages(slow, ComplexityRule()) is None  # no gate: only reported


def test_measurements_join_items_and_means(tmp_path: Path) -> None:
    (tmp_path / "seqA").mkdir()
    (tmp_path / "seqA" / "r1.hevc").write_bytes(b"x" * 100)
    (tmp_path / "decode.sh").write_bytes(b"y" * 7)
    size = program_bytes(tmp_path, ["seqA"])
    assert size == 7
    rule = ComplexityRule(clock="wall")
    timings = [SequenceTiming("seqA", 1, 2, 1, 1), SequenceTiming("seqB", 1, 4, 1, 1)]
    result: dict[str, Any] = {
        "metrics": {"bd_rate": 1.0},
        "metrics_by_split": {"public": {}, "private": {}},
        "items": [
            {"id": "seqA", "split": "public", "metrics": {"bd_rate": 1.0}},
            {"id": "seqB", "split": "private", "metrics": {"bd_rate": 1.0}},
        ],
    }
    merge_into_result(result, complexity_metrics(timings, rule, size))
    assert result["items"][0]["metrics"]["dec_time_ratio"] == 2.0
    assert result["metrics"]["dec_time_ratio"] == 3.0 and result["metrics"]["decoder_bytes"] == 7
    assert result["metrics_by_split"]["private"]["dec_wall_s"] == 4.0
