"""Scoring programs: refusals at upload naming the file, deterministic hashes, built-ins in
the registry, and a command scorer's faults failing the submission as the program's (the
team's quota refunded, its stderr kept for organisers)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from jiebang.artifacts.models import ScoringProgram
from jiebang.artifacts.packing import pack
from jiebang.db import get_engine
from jiebang.evaluation.models import EvaluationJob
from tests.artifacts.support import scorer_manifest, zip_bytes
from tests.sandbox.support import needs_bwrap
from tests.submissions.helpers import drain, setup_phase, submit, team_headers

PLATFORM = {"kind": "platform"}


def _upload(client: TestClient, headers: dict[str, str], files: dict[str, str | bytes], **extra):
    return client.post(
        "/api/v1/scoring-programs",
        files={"archive": ("program.zip", zip_bytes(files), "application/zip")},
        headers=headers | extra,
    )


def test_refusals_name_the_file_and_the_problem(
    client: TestClient, organiser: dict[str, str]
) -> None:
    missing = _upload(client, organiser, {"README.md": "hello"})
    assert missing.status_code == 422
    assert missing.json()["file"] == "scorer.yaml" and "missing" in missing.json()["problem_en"]

    bad = scorer_manifest(runtime=PLATFORM)
    del bad["metrics"]
    invalid = _upload(client, organiser, {"scorer.json": json.dumps(bad), "score.py": ""})
    assert invalid.status_code == 422
    assert invalid.json()["file"] == "scorer.json" and "metrics" in invalid.json()["problem_en"]

    unpinned = scorer_manifest(
        runtime={"kind": "python", "version": "3.11", "requirements": ["numpy"]}
    )
    refused = _upload(client, organiser, {"scorer.json": json.dumps(unpinned)})
    assert refused.status_code == 422 and "not pinned" in refused.json()["problem_en"]

    no_spec = _upload(client, organiser, {"evaluator.py": "def evaluate(ctx):\n    return None\n"})
    assert no_spec.status_code == 422, no_spec.text
    assert no_spec.json()["file"] == "evaluator.py"
    assert "SPEC" in no_spec.json()["problem_en"]
    zh = _upload(
        client,
        organiser,
        {"evaluator.py": "SPEC = None\n"},
        **{"Accept-Language": "zh-CN"},
    )
    assert zh.status_code == 422 and zh.json()["detail"].startswith("评分程序被拒绝：evaluator.py")
    with Session(get_engine()) as db:
        assert not db.exec(select(ScoringProgram).where(ScoringProgram.builtin == False)).all()  # noqa: E712


def test_the_archive_is_deterministic(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    for folder, stamp in ((one, 1_000_000), (two, 2_000_000)):
        (folder / "lib").mkdir(parents=True)
        (folder / "lib" / "b.py").write_text("B = 1\n")
        (folder / "a.py").write_text("A = 1\n")
        (folder / "__pycache__").mkdir()
        (folder / "__pycache__" / "a.cpython-311.pyc").write_bytes(b"junk")
        for path in folder.rglob("*"):
            import os

            os.utime(path, (stamp, stamp))
    (two / "a.py").chmod(0o600)
    assert pack(one, tmp_path / "1.tar") == pack(two, tmp_path / "2.tar")
    (two / "a.py").write_text("A = 2\n")
    assert pack(one, tmp_path / "1.tar") != pack(two, tmp_path / "3.tar")


def test_installed_evaluators_are_in_the_registry(
    client: TestClient, organiser: dict[str, str]
) -> None:
    listed = client.get("/api/v1/scoring-programs", headers=organiser)
    assert listed.status_code == 200
    builtin = {p["key"]: p for p in listed.json() if p["builtin"]}
    assert {"restoration", "line_scores", "video_codec_rd"} <= set(builtin)
    assert builtin["line_scores"]["spec"]["version"] == "1.0.0"
    assert builtin["line_scores"]["kind"] == "evaluator"
    with TestClient(client.app):  # a second start publishes nothing new
        again = client.get("/api/v1/scoring-programs", headers=organiser).json()
    assert [p["sha256"] for p in again] == [p["sha256"] for p in listed.json()]


FAULTS = {
    "undeclared": (
        "json.dump({'metrics': {'auc': 1, 'f1': 2}}, open('/out/scores.json', 'w'))",
        "'f1'",
    ),
    "non_finite": (
        "json.dump({'metrics': {'auc': float('nan')}}, open('/out/scores.json', 'w'))",
        "not a finite number",
    ),
    "crash": ("raise SystemExit('boom: the scorer fell over')", "failed"),
    "no_scores": ("print('nothing written')", "wrote no scores.json"),
}


@needs_bwrap
@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_command_scorer_faults_are_the_programs(
    fault: str,
    client: TestClient,
    organiser: dict[str, str],
    make_user: Callable[..., dict[str, str]],
    tmp_path: Path,
) -> None:
    script, problem = FAULTS[fault]
    manifest = scorer_manifest(key="faulty", runtime=PLATFORM, command=["python", "score.py"])
    program = _upload(
        client,
        organiser,
        {
            "scorer.json": json.dumps(manifest),
            "score.py": f"import json, sys\nprint('stderr of the scorer', file=sys.stderr)\n{script}\n",
        },
    )
    assert program.status_code == 201, program.text
    ids = setup_phase(
        client, organiser, track_overrides={"evaluator_key": "faulty", "evaluator_version": "1"}
    )
    team = team_headers(client, make_user, ids["contest"])
    done = submit(client, team, ids["phase"], b"a 1\n")
    assert done.status_code == 200, done.text
    assert drain(client, tmp_path) == 1
    sub = client.get(f"/api/v1/submissions/{done.json()['id']}", headers=team).json()
    assert sub["status"] == "failed" and sub["failure_category"] == "evaluator"
    with Session(get_engine()) as db:
        [job] = db.exec(select(EvaluationJob).where(EvaluationJob.submission_id == sub["id"]))
        assert problem in (job.last_error or "")
        assert "stderr of the scorer" in job.logs["score_stderr_tail"]
    quota = client.get(f"/api/v1/phases/{ids['phase']}/quota", headers=team)
    assert quota.status_code == 200, quota.text
    assert quota.json()["used_today"] == 0, quota.json()  # the program's fault costs nothing


def test_a_bundle_brings_its_own_scoring_program(
    client: TestClient, organiser: dict[str, str], tmp_path: Path
) -> None:
    from tests.bundles.test_bundles import CONTEST, write_bundle
    from tests.bundles.test_console_import import _zip

    contest = CONTEST.replace(
        "{key: quality_assessment, version: 1.0.0, config: {fit: none}}",
        "{key: bundled_auc, version: 1.0.0}",
    ).replace("{columns: [srocc, plcc], sort_by: srocc}", "{columns: [auc], sort_by: auc}")
    root = write_bundle(tmp_path / "b", contest=contest)
    program = root / "scoring_programs" / "auc"
    program.mkdir(parents=True)
    manifest = scorer_manifest(key="bundled_auc", version="1.0.0", runtime=PLATFORM)
    srocc = {"key": "srocc", "direction": "higher", "label_zh": "SROCC", "label_en": "SROCC"}
    manifest["metrics"] = [*manifest["metrics"], srocc]  # the list's target names srocc
    (program / "scorer.json").write_text(json.dumps(manifest))
    files = {"bundle": ("bundle.zip", _zip(root), "application/zip")}
    imported = client.post("/api/v1/admin/bundles", files=files, headers=organiser)
    assert imported.status_code == 200, imported.text
    versions = client.get("/api/v1/scoring-programs/bundled_auc/versions", headers=organiser)
    assert [v["version"] for v in versions.json()] == ["1.0.0"]
