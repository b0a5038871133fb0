"""Fact-sheet answers in the published results: a version freezes the answers to the questions
marked for the board (Codabench ``is_on_leaderboard``) into its snapshot, the public final board
serves them from there, and the results CSV carries them as ``fact_sheet.<key>`` columns,
formula-safe. Questions not on the board appear nowhere; private scores stay the staff's until
publication, as before."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from jiebang.contests.models import Track
from jiebang.fact_sheets.models import FactSheetAnswers

from .helpers import PRIVATE_VALUES, board, constructed_board, end_phase, order
from .test_fact_sheet_columns import QUESTIONS, SHOWN

ANSWERS = {
    "alpha": {"method": '=HYPERLINK("http://evil.example","x")', "gpu": True},
    "beta": {"method": "Linear model", "gpu": False},
}  # gamma answered nothing


def _ask(db: Session, track_id: int, questions: list[dict[str, Any]] = QUESTIONS) -> None:
    track = db.get(Track, track_id)
    assert track is not None
    track.leaderboard = {**(track.leaderboard or {}), "codabench": {"fact_sheet": questions}}
    db.add(track)
    db.commit()


def _results_csv(client: TestClient, phase_id: int, **params: int) -> list[dict[str, str]]:
    exported = client.get(f"/api/v1/phases/{phase_id}/results", params={"format": "csv", **params})
    assert exported.status_code == 200, exported.text
    assert "gpu" not in exported.text  # the question not on the board
    return list(csv.DictReader(io.StringIO(exported.text)))


def test_a_published_version_freezes_the_shown_answers_and_the_csv_carries_them(
    client: TestClient,
    db: Session,
    organiser: dict[str, str],
    make_user: Callable[..., dict[str, str]],
) -> None:
    b = constructed_board(client, db, organiser, make_user)
    phase_id = b.ids["phase"]
    _ask(db, b.ids["track"])
    for name, answers in ANSWERS.items():
        db.add(FactSheetAnswers(submission_id=b.subs[name], answers=answers))
    db.commit()

    # before publication: no results to export, the private board (and its answers) is hidden
    assert client.get(f"/api/v1/phases/{phase_id}/results?format=csv").status_code == 404
    hidden = client.get(
        f"/api/v1/phases/{phase_id}/leaderboard?split=private", headers=b.headers["beta"]
    )
    assert hidden.status_code == 403 and "Linear model" not in hidden.text
    public = client.get(f"/api/v1/phases/{phase_id}/leaderboard").text
    assert not any(str(v) in public for v in PRIVATE_VALUES)

    end_phase(client, organiser, phase_id)
    published = client.post(f"/api/v1/phases/{phase_id}/publish", headers=organiser)
    assert published.status_code == 200, published.text
    snapshot = published.json()["board"]
    assert snapshot["fact_sheet_columns"] == SHOWN
    frozen = {r["submission_id"]: r["fact_sheet"] for r in snapshot["rows"]}
    assert frozen == {
        b.subs["alpha"]: {"method": ANSWERS["alpha"]["method"]},
        b.subs["beta"]: {"method": "Linear model"},
        b.subs["gamma"]: {},
    }
    assert "gpu" not in str(snapshot)

    rows = _results_csv(client, phase_id)
    assert [r["team_name"] for r in rows] == ["beta", "gamma", "alpha"]  # the private order
    by_team = {r["team_name"]: r for r in rows}
    assert by_team["beta"]["fact_sheet.method"] == "Linear model"
    assert by_team["gamma"]["fact_sheet.method"] == ""
    # a typed answer that a spreadsheet would run is written as text
    assert by_team["alpha"]["fact_sheet.method"] == "'" + ANSWERS["alpha"]["method"]
    assert by_team["beta"]["mae"] == "0.2246"

    # a retried publication publishes nothing twice; the index carries the same snapshot
    again = client.post(f"/api/v1/phases/{phase_id}/publish", headers=organiser)
    assert again.status_code == 200 and again.json()["version"] == 1
    index = client.get(f"/api/v1/phases/{phase_id}/results").json()
    assert index["versions"][0]["board"]["fact_sheet_columns"] == SHOWN
    assert _results_csv(client, phase_id, version=1) == rows

    # the public final board serves the version's answers, whatever the table holds later
    row = db.get(FactSheetAnswers, b.subs["beta"])
    assert row is not None
    row.answers = {"method": "Rewritten later", "gpu": True}
    db.add(row)
    db.commit()
    for who in ({}, b.headers["alpha"]):
        final = board(client, phase_id, who, split="private")
        assert final["published"] is True and final["version"] == 1
        assert order(final, b.teams) == ["beta", "gamma", "alpha"]
        assert final["fact_sheet_columns"] == SHOWN
        answers = {r["submission_id"]: r["fact_sheet"] for r in final["rows"]}
        assert answers[b.subs["beta"]] == {"method": "Linear model"}
        assert "Rewritten later" not in str(final) and "gpu" not in str(final)
    assert _results_csv(client, phase_id) == rows


def test_a_track_without_board_questions_exports_no_answer_columns(
    client: TestClient,
    db: Session,
    organiser: dict[str, str],
    make_user: Callable[..., dict[str, str]],
) -> None:
    b = constructed_board(client, db, organiser, make_user)
    phase_id = b.ids["phase"]
    hidden_only = [{**q, "on_leaderboard": False} for q in QUESTIONS]
    _ask(db, b.ids["track"], hidden_only)
    for name, answers in ANSWERS.items():
        db.add(FactSheetAnswers(submission_id=b.subs[name], answers=answers))
    db.commit()
    end_phase(client, organiser, phase_id)
    published = client.post(f"/api/v1/phases/{phase_id}/publish", headers=organiser)
    assert published.status_code == 200, published.text
    snapshot = published.json()["board"]
    assert snapshot["fact_sheet_columns"] == []
    assert all("fact_sheet" not in r for r in snapshot["rows"])  # the snapshot as it always was
    rows = _results_csv(client, phase_id)
    assert not any(k.startswith("fact_sheet") for k in rows[0])
    assert "Linear model" not in client.get(f"/api/v1/phases/{phase_id}/results").text
    final = board(client, phase_id, b.headers["alpha"], split="private")
    assert final["fact_sheet_columns"] == [] and all(r["fact_sheet"] == {} for r in final["rows"])
