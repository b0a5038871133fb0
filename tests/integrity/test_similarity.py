"""Copied entries flagged to judges: the same upload, the same file inside an archive, the
same per-item metrics from different files; never readable by a team."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from fastapi.testclient import TestClient

from ..submissions.helpers import drain, setup_phase, submit, tar_bytes, team_headers

ANSWERS = b"a 1.5\nb 2\nc 3\nd 4.25\n"
REORDERED = b"d 4.25\nc 3\nb 2\na 1.5\n"  # another file, the same value for every item
NOTES = b"# method\nA median filter over the previous three frames, then a sharpen.\n"


def _pairs(client: TestClient, judge: dict[str, str], phase: int) -> dict[frozenset, dict]:
    response = client.get(f"/api/v1/judge/phases/{phase}/similar", headers=judge)
    assert response.status_code == 200, response.text
    return {frozenset((p["a"]["team_name"], p["b"]["team_name"])): p for p in response.json()}


def test_copies_across_teams_are_flagged_to_judges_only(
    client: TestClient, organiser, judge, make_user, tmp_path: Path
) -> None:
    ids = setup_phase(client, organiser)
    teams = {n: team_headers(client, make_user, ids["contest"], n) for n in "ABCDE"}
    for name, data, filename in [
        ("A", ANSWERS, "scores.txt"),
        ("B", ANSWERS, "scores.txt"),  # the same upload as A
        ("C", REORDERED, "scores.txt"),  # same metrics as A and B, different bytes
        ("D", tar_bytes({"scores.txt": b"a 9\nb 2\nc 3\nd 4\n", "NOTES.md": NOTES}), "d.tar"),
        ("E", tar_bytes({"scores.txt": b"a 1\nb 7\nc 2\nd 4\n", "NOTES.md": NOTES}), "e.tar"),
    ]:
        response = submit(client, teams[name], ids["phase"], data, filename)
        assert response.status_code == 200, response.text
    assert drain(client, tmp_path) == 5

    pairs = _pairs(client, judge, ids["phase"])
    assert set(pairs) == {
        frozenset("AB"),
        frozenset("AC"),
        frozenset("BC"),
        frozenset("DE"),
    }
    kinds = {key: {m["kind"] for m in pair["matches"]} for key, pair in pairs.items()}
    assert kinds[frozenset("AB")] == {"upload", "metrics"}  # under 32 bytes: no file print
    assert kinds[frozenset("AC")] == kinds[frozenset("BC")] == {"metrics"}
    assert kinds[frozenset("DE")] == {"file"}
    notes = pairs[frozenset("DE")]
    assert notes["files_matched"] == 1
    assert notes["matches"][0]["label_a"] == notes["matches"][0]["label_b"] == "NOTES.md"
    assert {notes["a"]["filename"], notes["b"]["filename"]} == {"d.tar", "e.tar"}

    # a team's own page never shows it, and a team cannot read the judges' list
    refused = client.get(f"/api/v1/judge/phases/{ids['phase']}/similar", headers=teams["A"])
    assert refused.status_code == 403
    mine = client.get(f"/api/v1/phases/{ids['phase']}/submissions/mine", headers=teams["A"])
    assert mine.status_code == 200
    assert "file_hashes" not in mine.text and "similar" not in mine.text


PREDICT = b"""
import pathlib
ids = pathlib.Path("/inputs/ids.txt").read_text().split()
pathlib.Path("/output/scores.txt").write_text("".join(f"{i} {n + 1}\\n" for n, i in enumerate(ids)))
"""


def test_code_tracks_compare_the_program_files(
    client: TestClient, organiser, judge, make_user, tmp_path: Path
) -> None:
    reference = {"truth.txt": b"a 1\nb 2\nc 3\nd 4\n", "inputs/ids.txt": b"a b c d\n"}
    ids = setup_phase(
        client, organiser, track_overrides={"submission_kind": "code"}, reference=reference
    )
    program = tar_bytes(
        {
            "jiebang.json": json.dumps({"entrypoint": ["python3", "predict.py"]}).encode(),
            "predict.py": PREDICT,
        }
    )
    for name, data, filename in [
        ("P", program, "p.tar"),
        ("Q", gzip.compress(program, mtime=0), "q.tar.gz"),  # another upload, the same files
    ]:
        headers = team_headers(client, make_user, ids["contest"], name)
        response = submit(client, headers, ids["phase"], data, filename)
        assert response.status_code == 200, response.text
    assert drain(client, tmp_path) == 2

    (pair,) = _pairs(client, judge, ids["phase"]).values()
    kinds = {m["kind"] for m in pair["matches"]}
    assert "program" in kinds and "upload" not in kinds
