"""CodaLab v1.5 phases that take code (``is_scoring_only: False``): a submission holding a
``metadata`` command is run over the phase's input data, as CodaLab v1.5 ran it, and its
output is scored; a submission without one is scored as results. Both equal the bundle's
programs run directly outside the platform."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from jiebang.core import safe_yaml
from jiebang.db import get_engine
from jiebang.evaluation.models import Score
from tests.sandbox.support import needs_bwrap
from tests.submissions.helpers import drain, submit, tar_bytes, team_headers

from . import codabench_support as cb

pytestmark = needs_bwrap

# the team's program: reads the questions, answers each with the animal it names, except
# that it always says "cat" for "fish" (7 of 8 right against cb.TRUTH)
PREDICT = """\
import os, sys
inp, out = sys.argv[1], sys.argv[2]
words = open(os.path.join(inp, "questions.txt")).read().split()
os.makedirs(out, exist_ok=True)
open(os.path.join(out, "answers.txt"), "w").write(
    " ".join("cat" if w == "fish" else w for w in words))
"""
METADATA = "command: python $program/predict.py $input $output\ndescription: code\n"


def _bundle(root: Path) -> Path:
    bundle = cb.v15_bundle(root)
    text = (bundle / "competition.yaml").read_text()
    text = text.replace(
        "        reference_data: reference.zip\n",
        "        reference_data: reference.zip\n"
        "        input_data: inputs.zip\n"
        "        is_scoring_only: False\n",
    )
    (bundle / "competition.yaml").write_text(text)
    (bundle / "inputs.zip").write_bytes(cb._zip_folder({"questions.txt": cb.TRUTH}))
    return bundle


def _direct(bundle: Path, tmp_path: Path, *, code: bool) -> dict[str, float]:
    program = tmp_path / "program"
    _unzip(bundle / "program.zip", program)
    res = tmp_path / "res"
    if code:
        inputs = _unzip(bundle / "inputs.zip", tmp_path / "inputs")
        (tmp_path / "code").mkdir()
        (tmp_path / "code" / "predict.py").write_text(PREDICT)
        subprocess.run(
            [sys.executable, str(tmp_path / "code" / "predict.py"), str(inputs), str(res)],
            check=True,
        )
    else:
        res.mkdir()
        (res / "answers.txt").write_text(cb.ANSWERS)
    text = cb.run_directly(
        program,
        ref=_unzip(bundle / "reference.zip", tmp_path / "ref"),
        res=res,
        work=tmp_path / "direct",
    )
    scores = safe_yaml.load(text, name="scores.txt")
    return {k: float(scores[k]) for k in ("accuracy", "error")}  # the leaderboard's columns


def _unzip(archive: Path, dest: Path) -> Path:
    import zipfile

    with zipfile.ZipFile(archive) as zf:
        zf.extractall(dest)
    return dest


def test_v15_code_submissions_run_their_metadata_command(
    client: TestClient,
    organiser: dict[str, str],
    make_user: Callable[..., dict[str, str]],
    tmp_path: Path,
) -> None:
    bundle = _bundle(tmp_path / "bundle")
    imported = client.post(
        "/api/v1/admin/bundles",
        files={"bundle": ("b.zip", cb.zipped(bundle), "application/zip")},
        headers=organiser,
    )
    assert imported.status_code == 200, imported.text
    [contest] = [
        c
        for c in client.get("/api/v1/contests", headers=organiser).json()
        if c["slug"] == "tiny-codalab-quiz"
    ]
    [track] = client.get(f"/api/v1/contests/{contest['id']}/tracks", headers=organiser).json()
    assert track["submission_kind"] == "code"
    code = tar_bytes({"metadata": METADATA.encode(), "predict.py": PREDICT.encode()})
    sample = client.put(
        f"/api/v1/tracks/{track['id']}/sample",
        files={"file": ("code.tar", code, "application/x-tar")},
        headers=organiser,
    )
    assert sample.status_code == 200, sample.text
    check = client.post(f"/api/v1/tracks/{track['id']}/check", headers=organiser)
    assert check.json()["status"] == "passed", json.dumps(check.json())[:2000]
    expected = _direct(bundle, tmp_path / "code-run", code=True)
    assert check.json()["result"]["metrics"] == expected
    assert expected["accuracy"] == 0.875

    # a result submission (no metadata) to the same phase is scored as results
    assert client.post(f"/api/v1/contests/{contest['id']}/publish", headers=organiser).is_success
    phases = client.get(f"/api/v1/tracks/{track['id']}/phases", headers=organiser).json()
    dev = max(phases, key=lambda p: p["starts_at"])  # Final, open with no end
    team = team_headers(client, make_user, contest["id"])
    done = submit(client, team, dev["id"], tar_bytes({"answers.txt": cb.ANSWERS.encode()}), "r.tar")
    assert done.status_code == 200, done.text
    assert drain(client, tmp_path) == 1
    with Session(get_engine()) as db:
        score = db.exec(select(Score).where(Score.submission_id == done.json()["id"])).one()
    results = _direct(bundle, tmp_path / "results-run", code=False)
    assert score.metrics == results and results["accuracy"] == 0.75
