"""Auto-migration (Codabench ``auto_migrate_to_this_phase``): when the phase opens, each
team's submission ranked on the phase before it is re-run on it, through the real queue,
worker and sandbox, uncharged, once."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from jiebang.db import get_engine
from jiebang.evaluation.models import Score
from jiebang.phase_migration import service as migration
from jiebang.phase_migration.models import PhaseMigration
from jiebang.submissions.models import Submission
from tests.bundles import codabench_support as cb
from tests.sandbox.support import needs_bwrap
from tests.submissions.helpers import drain, submit, tar_bytes, team_headers

pytestmark = needs_bwrap
BETTER = cb.TRUTH  # 8 of 8 right; cb.ANSWERS is 6 of 8


def test_final_phase_reruns_each_teams_best_development_submission(
    client: TestClient,
    organiser: dict[str, str],
    make_user: Callable[..., dict[str, str]],
    tmp_path: Path,
) -> None:
    imported = client.post(
        "/api/v1/admin/bundles",
        files={"bundle": ("b.zip", cb.zipped(cb.v2_bundle(tmp_path / "b")), "application/zip")},
        headers=organiser,
    )
    assert imported.status_code == 200, imported.text
    migrating = [line for line in imported.json()["changes"] if "migrates" in line]
    assert migrating == [
        "phase tiny-codabench-quiz/labels/final: migrates labels/development's ranked "
        "submissions when it opens",
        "phase tiny-codabench-quiz/parity/final: migrates parity/development's ranked "
        "submissions when it opens",
    ]
    [contest] = [
        c
        for c in client.get("/api/v1/contests", headers=organiser).json()
        if c["slug"] == "tiny-codabench-quiz"
    ]
    tracks = {
        t["slug"]: t
        for t in client.get(f"/api/v1/contests/{contest['id']}/tracks", headers=organiser).json()
    }
    phases = {
        p["slug"]: p
        for p in client.get(
            f"/api/v1/tracks/{tracks['labels']['id']}/phases", headers=organiser
        ).json()
    }
    dev, final = phases["development"], phases["final"]
    with Session(get_engine()) as db:
        row = db.get(PhaseMigration, final["id"])
        assert row is not None and row.source_phase_id == dev["id"] and row.migrated_at is None
    assert client.post(f"/api/v1/contests/{contest['id']}/publish", headers=organiser).is_success

    alpha = team_headers(client, make_user, contest["id"], name="Alpha")
    beta = team_headers(client, make_user, contest["id"], name="Beta")
    sent = {}
    for who, name, answers in [
        (alpha, "alpha-good", BETTER),
        (alpha, "alpha-worse", cb.ANSWERS),  # later but worse: Force_Best keeps the first
        (beta, "beta", cb.ANSWERS),
    ]:
        done = submit(
            client, who, dev["id"], tar_bytes({"answers.txt": answers.encode()}), f"{name}.tar"
        )
        assert done.status_code == 200, done.text
        sent[name] = done.json()["id"]
    assert drain(client, tmp_path) == 3

    with Session(get_engine()) as db:
        before = migration.run_due(
            db=db, now=datetime.fromisoformat(final["starts_at"]) - timedelta(seconds=1)
        )
        assert before == {}  # not open yet
        opened = datetime.fromisoformat(final["starts_at"]) + timedelta(seconds=1)
        done = migration.run_due(db=db, now=opened)
    assert set(done) == {final["id"], _final_of(client, organiser, tracks["parity"]["id"])}
    assert done[_final_of(client, organiser, tracks["parity"]["id"])] == []  # nothing scored
    copies = done[final["id"]]
    assert len(copies) == 2
    assert drain(client, tmp_path) == 2

    with Session(get_engine()) as db:
        origins = {migration.origin_of(db=db, submission_id=c): c for c in copies}
        assert set(origins) == {sent["alpha-good"], sent["beta"]}
        for original_id, copy_id in origins.items():
            copy = db.get(Submission, copy_id)
            original = db.get(Submission, original_id)
            assert copy is not None and original is not None
            assert (copy.phase_id, copy.team_id, copy.object_id) == (
                final["id"],
                original.team_id,
                original.object_id,
            )
            assert copy.status == "scored" and copy.charged is False
            [score] = db.exec(select(Score).where(Score.submission_id == copy_id)).all()
            [first] = db.exec(select(Score).where(Score.submission_id == original_id)).all()
            assert score.metrics == first.metrics  # the same reference data in both phases
        assert migration.run_due(db=db, now=opened + timedelta(days=1)) == {}  # runs once
        assert db.get(PhaseMigration, final["id"]).migrated_count == 2  # type: ignore[union-attr]

    board = client.get(f"/api/v1/phases/{final['id']}/leaderboard", headers=organiser)
    assert board.status_code == 200, board.text
    rows = board.json()["rows"]
    assert [r["team_name"] for r in rows] == ["Alpha", "Beta"], json.dumps(rows)[:500]
    assert rows[0]["scores"]["accuracy"] == 1.0 and rows[1]["scores"]["accuracy"] == 0.75
    quota = client.get(f"/api/v1/phases/{final['id']}/quota", headers=alpha)
    assert quota.status_code == 200, quota.text
    assert quota.json()["used_total"] == 0  # the copies are not charged to the team


def _final_of(client: TestClient, organiser: dict[str, str], track_id: int) -> int:
    phases = client.get(f"/api/v1/tracks/{track_id}/phases", headers=organiser).json()
    return next(p["id"] for p in phases if p["slug"] == "final")


def test_the_housekeeper_runs_due_migrations_and_skips_future_ones(
    client: TestClient, organiser: dict[str, str], tmp_path: Path
) -> None:
    from jiebang.evaluation import housekeeping

    now = datetime.now(UTC)
    text = cb.COMPETITION_V2.replace("start: 2030-09-05T00:00:00", f"start: {now.isoformat()}")
    text = text.replace("end: 9-04-2030", f"end: {(now - timedelta(seconds=1)).isoformat()}")
    imported = client.post(
        "/api/v1/admin/bundles",
        files={
            "bundle": ("b.zip", cb.zipped(cb.v2_bundle(tmp_path / "b", text)), "application/zip")
        },
        headers=organiser,
    )
    assert imported.status_code == 200, imported.text
    housekeeping.run_once()
    with Session(get_engine()) as db:
        rows = db.exec(select(PhaseMigration)).all()
        assert len(rows) == 2 and all(r.migrated_at is not None for r in rows)
        assert all(r.migrated_count == 0 for r in rows)  # no team submitted
