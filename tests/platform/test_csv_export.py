"""Every CSV cell a person can type is neutralised against spreadsheet formulas."""

from __future__ import annotations

import csv
import io

import pytest

from jiebang.core.csv_export import safe_cell, to_csv
from jiebang.leaderboards import publication
from jiebang.leaderboards.models import ResultVersion

PAYLOADS = [
    "=1+1",
    '=HYPERLINK("http://evil.example","click")',
    "+1+1",
    "-1+1",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",
    "|calc",
    "=cmd|' /C calc'!A0",
    "%0A=1",
    "＝1+1",  # full-width equals sign
    "  =1+1",  # leading spaces
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_each_trigger_is_neutralised(payload: str) -> None:
    assert safe_cell(payload) == "'" + payload


@pytest.mark.parametrize("value", ["Team Alpha", "揭榜队", "a=b", "1st prize", "", "e-mail"])
def test_ordinary_text_is_unchanged(value: str) -> None:
    assert safe_cell(value) == value


def test_numbers_stay_numbers() -> None:
    text = to_csv(["bd_rate"], [[-3.25], [0], [12]])
    assert list(csv.reader(io.StringIO(text))) == [["bd_rate"], ["-3.25"], ["0"], ["12"]]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_results_export_neutralises_every_typed_cell(payload: str) -> None:
    version = ResultVersion(
        phase_id=1,
        version=1,
        board={
            "columns": [{"key": payload}],
            "rows": [
                {
                    "rank": 1,
                    "team_id": 7,
                    "team_name": payload,
                    "submission_id": 9,
                    "award_zh": payload,
                    "award_en": payload,
                    "award_prize": payload,
                    "scores": {payload: -3.25},
                    "submitted_at": "2024-05-01T00:00:00+08:00",
                }
            ],
        },
    )
    header, row = list(csv.reader(io.StringIO(publication.to_csv(version), newline="")))
    assert header[7] == "'" + payload
    assert row[2] == row[4] == row[5] == row[6] == "'" + payload
    assert row[7] == "-3.25" and row[0] == "1"
