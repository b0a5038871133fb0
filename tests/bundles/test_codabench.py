"""Codabench bundles (v2 and v1.5, written here) import unchanged, their solutions score
through the real pipeline and sandbox, and every score equals the bundle's own scoring
program run directly outside the platform."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from jiebang.core import safe_yaml
from jiebang.db import get_engine
from jiebang.evaluation.models import Score
from tests.sandbox.support import needs_bwrap
from tests.submissions.helpers import drain, submit, tar_bytes, team_headers

from . import codabench_support as cb

pytestmark = needs_bwrap


def _upload(client: TestClient, organiser: dict[str, str], data: bytes):
    files = {"bundle": ("competition.zip", data, "application/zip")}
    return client.post("/api/v1/admin/bundles", files=files, headers=organiser)


def _contest(client: TestClient, organiser: dict[str, str], slug: str) -> dict:
    [found] = [
        c for c in client.get("/api/v1/contests", headers=organiser).json() if c["slug"] == slug
    ]
    return client.get(f"/api/v1/contests/{found['id']}", headers=organiser).json()


def _tracks(client: TestClient, organiser: dict[str, str], contest_id: int) -> dict[str, dict]:
    listed = client.get(f"/api/v1/contests/{contest_id}/tracks", headers=organiser)
    assert listed.status_code == 200, listed.text
    return {t["slug"]: t for t in listed.json()}


def _check(client: TestClient, organiser: dict[str, str], track_id: int) -> dict:
    check = client.post(f"/api/v1/tracks/{track_id}/check", headers=organiser)
    assert check.status_code == 200, check.text
    assert check.json()["status"] == "passed", json.dumps(check.json())[:3000]
    return check.json()


def test_v2_bundle_imports_scores_and_matches_the_program_run_directly(
    client: TestClient,
    organiser: dict[str, str],
    make_user: Callable[..., dict[str, str]],
    tmp_path: Path,
) -> None:
    bundle = cb.v2_bundle(tmp_path / "bundle")
    imported = _upload(client, organiser, cb.zipped(bundle))
    assert imported.status_code == 200, imported.text
    changes = imported.json()["changes"]
    assert any("example/unknown-image:1" in line and "python" in line for line in changes)
    assert sum("sample submission stored" in line for line in changes) == 2

    contest = _contest(client, organiser, "tiny-codabench-quiz")
    assert contest["title_en"] == "Tiny Codabench Quiz"
    assert (
        "Guess the labels." in contest["description_en"] and "Be nice." in contest["description_en"]
    )
    assert contest["requires_team_approval"] is False
    tracks = _tracks(client, organiser, contest["id"])
    assert set(tracks) == {"labels", "parity"}
    labels, parity = tracks["labels"], tracks["parity"]
    assert (labels["submission_kind"], parity["submission_kind"]) == ("results", "code")
    assert labels["leaderboard"]["columns"] == ["accuracy", "error"]  # secret stays hidden
    assert labels["leaderboard"]["codabench"]["hidden"] == ["secret"]
    program = client.get(
        f"/api/v1/scoring-programs/{labels['evaluator_key']}/versions/{labels['evaluator_version']}",
        headers=organiser,
    ).json()
    metrics = {m["key"]: (m["direction"], m["precision"]) for m in program["spec"]["metrics"]}
    assert metrics == {"accuracy": ("higher", 4), "error": ("lower", 3), "secret": ("higher", 2)}
    assert program["runtime"] == {"kind": "python", "version": "3.11", "requirements": []}

    listed = client.get(f"/api/v1/tracks/{labels['id']}/phases", headers=organiser).json()
    phases = {p["slug"]: p for p in listed}
    dev, final = phases["development"], phases["final"]
    assert datetime.fromisoformat(dev["starts_at"]) == datetime(2024, 1, 1, tzinfo=UTC)
    assert datetime.fromisoformat(dev["ends_at"]) == datetime(2030, 9, 4, tzinfo=UTC)
    assert datetime.fromisoformat(final["starts_at"]) == datetime(2030, 9, 5, tzinfo=UTC)
    assert datetime.fromisoformat(final["ends_at"]).year == 2099  # the last phase has no end
    assert (dev["daily_quota"], dev["total_quota"], final["total_quota"]) == (3, 50, 5)
    assert dev["submission_rule"] == "best"  # Force_Best
    assert labels["leaderboard"]["codabench"]["auto_migrate"] == [1]
    assert labels["time_limit_seconds"] == 600

    # the readiness check runs each track's solution through the real pipeline and sandbox
    # (the unknown image's python runtime is edited to the platform's, as an organiser would)
    with Session(get_engine()) as db:
        from jiebang.artifacts.models import ScoringProgram

        for row in db.exec(select(ScoringProgram).where(ScoringProgram.key.startswith("cb_"))):  # type: ignore[union-attr]
            row.runtime = {"kind": "platform"}
            db.add(row)
        db.commit()
    labels_check = _check(client, organiser, labels["id"])
    parity_check = _check(client, organiser, parity["id"])

    direct = json.loads(
        cb.run_directly(
            _unzipped(bundle / "scoring_results.zip", tmp_path / "p1"),
            ref=bundle / "reference_labels",
            res=bundle / "solution_results",
            work=tmp_path / "direct1",
        )
    )
    assert labels_check["result"]["metrics"] == {
        k: direct[k] for k in ("accuracy", "error", "secret")
    }
    assert labels_check["result"]["metrics"]["accuracy"] == 0.75
    predictions = cb.ingest_directly(
        bundle / "ingestion",
        inputs=bundle / "input_parity",
        code=bundle / "solution_code",
        out=tmp_path / "pred",
    )
    text = cb.run_directly(
        bundle / "scoring_txt",
        ref=bundle / "reference_parity",
        res=predictions,
        work=tmp_path / "d2",
    )
    expected = {k: float(v) for k, v in safe_yaml.load(text, name="scores.txt").items()}
    assert parity_check["result"]["metrics"] == expected
    assert expected["accuracy"] == 0.8

    # a team's submission scores the same, and the detailed results page is kept
    published = client.post(f"/api/v1/contests/{contest['id']}/publish", headers=organiser)
    assert published.status_code == 200, published.text
    team = team_headers(client, make_user, contest["id"])
    done = submit(
        client,
        team,
        dev["id"],
        tar_bytes({"answers.txt": cb.ANSWERS.encode()}),
        filename="answers.tar",
    )
    assert done.status_code == 200, done.text
    assert drain(client, tmp_path) == 1
    with Session(get_engine()) as db:
        score = db.exec(select(Score).where(Score.submission_id == done.json()["id"])).one()
        assert score.metrics == labels_check["result"]["metrics"]
    page = client.get(f"/api/v1/submissions/{done.json()['id']}/detailed-results", headers=team)
    assert page.status_code == 200 and "<h1>Per item</h1>" in page.text
    policy = page.headers["content-security-policy"]
    assert policy.startswith("sandbox;") and "script-src" not in policy
    assert "default-src 'none'" in policy
    judge = client.get(
        f"/api/v1/submissions/{done.json()['id']}/detailed-results", headers=organiser
    )
    assert judge.status_code == 200
    stranger = make_user()
    refused = client.get(
        f"/api/v1/submissions/{done.json()['id']}/detailed-results", headers=stranger
    )
    assert refused.status_code == 404


def _unzipped(archive: Path, dest: Path) -> Path:
    import zipfile

    with zipfile.ZipFile(archive) as zf:
        zf.extractall(dest)
    return dest


def test_v15_bundle_with_anchors_imports_and_scores_scores_txt(
    client: TestClient, organiser: dict[str, str], tmp_path: Path
) -> None:
    bundle = cb.v15_bundle(tmp_path / "bundle")
    (bundle / "solution").mkdir()
    (bundle / "solution" / "answers.txt").write_text(cb.ANSWERS)
    imported = _upload(client, organiser, cb.zipped(bundle))
    assert imported.status_code == 200, imported.text
    contest = _contest(client, organiser, "tiny-codalab-quiz")
    assert "alert" not in contest["description_en"] and "Compute it." in contest["description_en"]
    [track] = _tracks(client, organiser, contest["id"]).values()
    assert track["leaderboard"]["columns"] == ["accuracy", "error"]
    listed = client.get(f"/api/v1/tracks/{track['id']}/phases", headers=organiser).json()
    phases = sorted(listed, key=lambda p: p["starts_at"])
    assert [p["title_en"] for p in phases] == ["Development", "Final"]
    assert phases[0]["ends_at"] == phases[1]["starts_at"]  # v1.5 phases end at the next start
    sample = client.put(
        f"/api/v1/tracks/{track['id']}/sample",
        files={"file": ("answers.txt", cb.ANSWERS.encode(), "text/plain")},
        headers=organiser,
    )
    assert sample.status_code == 200, sample.text
    check = _check(client, organiser, track["id"])
    text = cb.run_directly(
        _unzipped(bundle / "program.zip", tmp_path / "program"),
        ref=_unzipped(bundle / "reference.zip", tmp_path / "ref"),
        res=bundle / "solution",
        work=tmp_path / "direct",
    )
    expected = safe_yaml.load(text, name="scores.txt")
    assert check["result"]["metrics"] == {
        "accuracy": expected["accuracy"],
        "error": expected["error"],
    }
    assert check["result"]["metrics"]["accuracy"] == 0.75
    again = _upload(client, organiser, cb.zipped(bundle))
    assert again.status_code == 200 and again.json()["changes"] == [], again.text


BAD = [
    ("title: [unclosed\n", "not valid YAML"),
    (
        cb.COMPETITION_V2.replace("tasks:\n  - index: 0\n", "tasks: 7\n  - index: 0\n", 1),
        "competition.yaml:",
    ),
    (
        cb.COMPETITION_V2
        + "  - {index: 0, title: Other, key: other, columns: [{index: 0, key: a}]}\n",
        "duplicate leaderboard index 0 (first at line 54)",
    ),
    (
        cb.COMPETITION_V2.replace("{index: 1, title: Error", "{index: 0, title: Error"),
        "duplicate column index 0",
    ),
    (
        cb.COMPETITION_V2.replace("tasks: [0, 1]\n  - index: 1", "tasks: [0, 5]\n  - index: 1"),
        "task 5 does not exist",
    ),
    (
        cb.COMPETITION_V2.replace("scoring_program: scoring_txt/", "scoring_program: missing/"),
        "'missing/' is not in the bundle",
    ),
]


@pytest.mark.parametrize(("competition", "expected"), BAD)
def test_bad_bundles_are_named_with_file_and_line_and_import_nothing(
    client: TestClient, organiser: dict[str, str], tmp_path: Path, competition: str, expected: str
) -> None:
    bundle = cb.v2_bundle(tmp_path / "bundle", competition)
    response = _upload(client, organiser, cb.zipped(bundle))
    assert response.status_code == 422, response.text
    problems = response.json()["detail"]
    text = " ".join(f"{p['loc'][2]}:{p['loc'][3]}: {p['loc'][4]}: {p['msg']}" for p in problems)
    assert expected in text, text
    assert all(p["loc"][2] == "competition.yaml" and p["loc"][3] > 0 for p in problems), problems
    slugs = [c["slug"] for c in client.get("/api/v1/contests", headers=organiser).json()]
    assert "tiny-codabench-quiz" not in slugs


def test_a_zip_escaping_its_folder_is_refused(
    client: TestClient, organiser: dict[str, str], tmp_path: Path
) -> None:
    import io
    import zipfile

    bundle = cb.v2_bundle(tmp_path / "bundle")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("metadata.yaml", "command: python3 score.py\n")
        zf.writestr("../../escape.py", "print('out')\n")
    (bundle / "scoring_results.zip").write_bytes(buffer.getvalue())
    response = _upload(client, organiser, cb.zipped(bundle))
    assert response.status_code == 422, response.text
    [problem] = response.json()["detail"]
    assert problem["loc"][2:5] == ["competition.yaml", 15, "tasks[0].scoring_program"], problem
    assert not (tmp_path / "escape.py").exists()


def test_billion_laughs_is_refused_fast(tmp_path: Path) -> None:
    from jiebang.bundles import formats

    levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        levels.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    text = "\n".join(levels) + "\n"
    assert len(text) < 400
    cb.write(tmp_path, {"competition.yaml": text})
    [problem] = formats.validate(tmp_path, tmp_path / "work")
    assert problem.file == "competition.yaml" and "aliases expand" in problem.message


def test_round_trip_import_export_import_gives_the_same_contest(
    client: TestClient, organiser: dict[str, str], tmp_path: Path
) -> None:
    from jiebang.bundles.formats.codabench_export import export_codabench
    from jiebang.storage.config import get_store

    first = _upload(client, organiser, cb.zipped(cb.v2_bundle(tmp_path / "bundle")))
    assert first.status_code == 200, first.text
    contest = _contest(client, organiser, "tiny-codabench-quiz")
    before = _snapshot(client, organiser, contest["id"])
    with Session(get_engine()) as db:
        export_codabench(
            db=db, store=get_store(), contest_slug="tiny-codabench-quiz", dest=tmp_path / "out"
        )
    again = _upload(client, organiser, cb.zipped(tmp_path / "out"))
    assert again.status_code == 200, again.text
    assert [c for c in again.json()["changes"] if not c.startswith("warning")] == []
    assert _snapshot(client, organiser, contest["id"]) == before


def _snapshot(client: TestClient, organiser: dict[str, str], contest_id: int) -> dict:
    contest = client.get(f"/api/v1/contests/{contest_id}", headers=organiser).json()
    tracks = _tracks(client, organiser, contest_id)
    phases = {
        slug: client.get(f"/api/v1/tracks/{t['id']}/phases", headers=organiser).json()
        for slug, t in tracks.items()
    }
    return {"contest": contest, "tracks": tracks, "phases": phases}
