"""Codabench's scores files, column keys, computed columns and legacy placeholders."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from jiebang.artifacts.models import ProgramRef
from jiebang.bundles.formats.codabench import rewrite_placeholders
from jiebang.bundles.formats.codabench_read import parse_date
from jiebang.worker import codabench
from jiebang.worker.context import StageFailed


def _program(columns: list[dict]) -> ProgramRef:
    return ProgramRef(
        key="cb_x_t0",
        version="cb-1",
        sha256="0" * 64,
        url="/x",
        kind="command",
        manifest={"contract": "codabench", "codabench": {"columns": columns}},
    )


COLUMNS = [
    {"key": "avg", "index": 0, "computation": "avg", "computation_indexes": [1, 2]},
    {"key": "d1", "index": 1},
    {"key": "d2", "index": 2},
]


def test_scores_txt_is_yaml_and_computed_columns_are_filled(tmp_path: Path) -> None:
    (tmp_path / "scores.txt").write_text("d1: 0.5\nd2: 1.0\nextra: 3\n")
    metrics = codabench.metrics_from_scores(codabench.read_scores(tmp_path), _program(COLUMNS))
    assert metrics == {"d1": 0.5, "d2": 1.0, "avg": 0.75}


def test_scores_json_wins_over_scores_txt(tmp_path: Path) -> None:
    (tmp_path / "scores.json").write_text('{"d1": 0.25, "d2": 0.75}')
    (tmp_path / "scores.txt").write_text("d1: 9\nd2: 9\n")
    metrics = codabench.metrics_from_scores(codabench.read_scores(tmp_path), _program(COLUMNS))
    assert metrics["avg"] == 0.5


def test_keys_that_match_no_column_name_the_found_and_the_expected(tmp_path: Path) -> None:
    (tmp_path / "scores.json").write_text('{"accuracy": 0.9}')
    with pytest.raises(StageFailed) as caught:
        codabench.metrics_from_scores(codabench.read_scores(tmp_path), _program(COLUMNS))
    assert "found accuracy; expected avg, d1, d2" in str(caught.value)


def test_detailed_page_falls_back_to_the_first_html(tmp_path: Path) -> None:
    (tmp_path / "b.html").write_text("<p>b</p>")
    (tmp_path / "a.html").write_text("<p>a</p>")
    assert codabench.detailed_page(tmp_path) == "<p>a</p>"
    (tmp_path / "detailed_results.html").write_text("<p>d</p>")
    assert codabench.detailed_page(tmp_path) == "<p>d</p>"


def test_legacy_placeholders_and_dates() -> None:
    assert rewrite_placeholders("python $program/score.py $input $output $hidden") == (
        "python /app/program/score.py /app/input /app/output /app/input/ref"
    )
    assert rewrite_placeholders("run $submission_program $predictions $shared") == (
        "run /app/ingested_program /app/input/res /app/shared"
    )
    assert parse_date("9-04-2024") == datetime(2024, 9, 4, tzinfo=UTC)
    assert parse_date("1-1-2024") == datetime(2024, 1, 1, tzinfo=UTC)
    assert parse_date("2024-02-03T04:05:00") == datetime(2024, 2, 3, 4, 5, tzinfo=UTC)
    assert parse_date("soon") is None
