"""The public examples of ``codalab/competition-examples``, as an organiser would use them:
the bundle folder zipped unchanged, uploaded, the readiness check run, the contest published,
a team's submission (one the bundle ships) scored; the score is compared with the
bundle's own programs run directly (plain bubblewrap binds at Codabench's ``/app`` paths, the
same Python environment, no platform code).

Opt-in: the examples live in a git snapshot that is never part of the project, and their
``docker_image`` maps to a python runtime that uv builds from the package index. Set
``JIEBANG_CODABENCH_EXAMPLES`` to that snapshot's git folder to run these. The v1.5
Compute_pi bundle is Python 2: with ``JIEBANG_PY27_IMAGE`` naming the archive that
``docker/images/python27_image.py`` builds, it is scored on that image too.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import tarfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from jiebang.config import get_settings
from jiebang.core import safe_yaml, tarsafe
from jiebang.db import get_engine
from jiebang.evaluation.models import Score
from tests.sandbox.support import needs_bwrap
from tests.submissions.helpers import drain, submit, tar_bytes, team_headers

from . import codabench_support as cb

MIRROR = os.environ.get("JIEBANG_CODABENCH_EXAMPLES", "")
PY27_IMAGE = os.environ.get("JIEBANG_PY27_IMAGE", "")
pytestmark = [
    needs_bwrap,
    pytest.mark.skipif(
        not MIRROR or not Path(MIRROR).is_dir(),
        reason="set JIEBANG_CODABENCH_EXAMPLES to a git snapshot of codalab/competition-examples",
    ),
]


@dataclass
class Example:
    path: str
    slug: str
    solution: str  # what the team submits: a folder of the bundle, or a zip in it
    direct: Callable[[Path, Path, Path], dict[str, float]]  # bundle, python, work -> scores


def export_folder(path: str, dest: Path) -> Path:
    """``path`` of the snapshot as plain files (``git archive``), exactly as committed."""
    data = subprocess.run(
        ["git", f"--git-dir={MIRROR}", "archive", "--format=tar", f"HEAD:{path}"],
        check=True,
        capture_output=True,
    ).stdout
    dest.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        tarsafe.extract_data(archive, dest)
    return dest


def run_at_app(python: Path, command: str, binds: dict[str, Path], cwd: str) -> None:
    """``command`` with the folders bound at Codabench's ``/app`` paths (no platform code)."""
    argv = ["bwrap", "--bind", "/", "/", "--tmpfs", "/app"]
    for target, source in binds.items():
        source.mkdir(parents=True, exist_ok=True)
        argv += ["--bind", str(source), target]
    env = {"PATH": f"{python.parent}:/usr/bin:/bin", "HOME": "/tmp"}
    argv += ["--chdir", cwd, "/bin/sh", "-c", command]
    subprocess.run(argv, check=True, env=env, capture_output=True, timeout=900)


def direct_scores(
    bundle: Path,
    python: Path,
    work: Path,
    *,
    scoring: str,
    reference: str,
    ingestion: str | None = None,
    inputs: str | None = None,
    code: str | None = None,
) -> dict[str, float]:
    """The bundle's ingestion (if any) then scoring program, each with its metadata command."""
    res = bundle / code if code else work / "res"
    if ingestion:
        command = safe_yaml.read_document(bundle / ingestion / "metadata.yaml").data["command"]
        run_at_app(
            python,
            command,
            {
                "/app/program": bundle / ingestion,
                "/app/input_data": bundle / str(inputs),
                "/app/ingested_program": bundle / str(code),
                "/app/output": work / "res",
                "/app/shared": work / "shared",
            },
            "/app/program",
        )
        res = work / "res"
    command = safe_yaml.read_document(bundle / scoring / "metadata.yaml").data["command"]
    run_at_app(
        python,
        command,
        {
            "/app/program": bundle / scoring,
            "/app/input/ref": bundle / reference,
            "/app/input/res": res,
            "/app/output": work / "out",
            "/app/shared": work / "shared2",
        },
        "/app/program",
    )
    return json.loads((work / "out" / "scores.json").read_text())


EXAMPLES = [
    Example(
        "codabench/Mini-MNIST/Mini-MNIST-Bundle",
        "mini-mnist-digit-classification",
        "sample_code_submission",
        lambda b, py, w: direct_scores(
            b,
            py,
            w,
            scoring="scoring_program",
            reference="reference_data",
            ingestion="ingestion_program",
            inputs="input_data",
            code="sample_code_submission",
        ),
    ),
    Example(
        "codabench/mini-automl/bundle",
        "mini-automl",
        # the starting kit's k-NN: deterministic, where the solution's unseeded decision tree
        # differs from run to run (0.8589 to 0.8649 average accuracy over four runs)
        "starting_kit/knn.zip",
        lambda b, py, w: direct_scores(
            b,
            py,
            w,
            scoring="scoring_program",
            reference="feedback_phase/reference_data",
            ingestion="ingestion_program",
            inputs="feedback_phase/input_data",
            code="starting_kit/knn",
        ),
    ),
]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.slug)
def test_public_example_scores_as_its_own_program(
    client: TestClient,
    organiser: dict[str, str],
    make_user: Callable[..., dict[str, str]],
    tmp_path: Path,
    example: Example,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("JIEBANG_READINESS_REQUIRED", "true")  # published as on a real platform
    bundle = export_folder(example.path, tmp_path / "bundle")
    imported = client.post(
        "/api/v1/admin/bundles",
        files={"bundle": ("bundle.zip", cb.zipped(bundle), "application/zip")},
        headers=organiser,
    )
    assert imported.status_code == 200, imported.text
    [found] = [
        c
        for c in client.get("/api/v1/contests", headers=organiser).json()
        if c["slug"] == example.slug
    ]
    tracks = client.get(f"/api/v1/contests/{found['id']}/tracks", headers=organiser).json()
    checks = {}
    for track in tracks:
        check = client.post(f"/api/v1/tracks/{track['id']}/check", headers=organiser)
        assert check.status_code == 200, check.text
        assert check.json()["status"] == "passed", check.json()
        checks[track["slug"]] = check.json()["result"]["metrics"]
    published = client.post(f"/api/v1/contests/{found['id']}/publish", headers=organiser)
    assert published.status_code == 200, published.text

    phase = open_phase(client, organiser, tracks)
    team = team_headers(client, make_user, found["id"])
    if example.solution.endswith(".zip"):
        archive = bundle / example.solution
        data, name = archive.read_bytes(), archive.name
        with zipfile.ZipFile(archive) as unzipped:
            unzipped.extractall(archive.with_suffix(""))  # noqa: S202 - the bundle's own kit
    else:
        folder = bundle / example.solution
        files = {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*")}
        data, name = tar_bytes({k: v for k, v in files.items() if (folder / k).is_file()}), "s.tar"
    done = submit(client, team, phase["id"], data, filename=name)
    assert done.status_code == 200, done.text
    assert drain(client, tmp_path) == 1
    with Session(get_engine()) as db:
        score = db.exec(select(Score).where(Score.submission_id == done.json()["id"])).one()
        platform = dict(score.metrics)

    python = next(Path(get_runtime_cache()).glob("python/*/venv/bin/python"))
    direct = example.direct(bundle, python, tmp_path / "direct")
    print(f"\n{example.slug}: check {checks} submission {platform} direct {direct}")
    # every column the program writes is the program's own value; Codabench computes avg
    # columns itself (mini-automl's avg_accuracy), and so does the platform
    compared = {k: v for k, v in platform.items() if k in direct and k != "duration"}
    assert compared and compared == {k: float(direct[k]) for k in compared}, (platform, direct)
    if "avg_accuracy" in platform:
        parts = [float(direct[f"dataset{i}"]) for i in range(1, 5)]
        assert platform["avg_accuracy"] == pytest.approx(sum(parts) / 4, rel=1e-12)


def open_phase(client: TestClient, organiser: dict[str, str], tracks: list[dict]) -> dict:
    """The phase taking submissions now (the examples' dates are real ones). Where none
    does (mini-automl's development phase ended on 30 January 2026 and its final phase
    takes no submissions), the first phase is re-opened by the organiser, the one edit."""
    now = datetime.now(UTC)
    phases = [
        phase
        for track in sorted(tracks, key=lambda t: t["id"])
        for phase in client.get(f"/api/v1/tracks/{track['id']}/phases", headers=organiser).json()
    ]
    for phase in phases:
        starts, ends = (datetime.fromisoformat(phase[k]) for k in ("starts_at", "ends_at"))
        if starts <= now < ends and phase["total_quota"] > 0:
            return phase
    first = min(phases, key=lambda p: p["starts_at"])
    edited = client.patch(
        f"/api/v1/phases/{first['id']}",
        json={"ends_at": (now + timedelta(days=1)).isoformat()},
        headers=organiser,
    )
    assert edited.status_code == 200, edited.text
    print(f"\nno phase open now: re-opened {first['slug']} until tomorrow")
    return edited.json()


def get_runtime_cache() -> Path:
    from jiebang.runtimes.config import get_runtime_settings

    return get_runtime_settings().resolved_cache_dir()


def test_compute_pi_imports_unchanged_and_its_python2_code_is_named(
    client: TestClient, organiser: dict[str, str], tmp_path: Path
) -> None:
    """CodaLab v1.5 Compute_pi: three code phases (``is_scoring_only: False``) import as code
    tracks, but its submission and scoring program are Python 2 (``print "..."``): the check
    fails and shows the interpreter's SyntaxError, never a silent pass."""
    bundle = export_folder("codalab/Compute_pi/compute_pi_competition_bundle", tmp_path / "b")
    imported = client.post(
        "/api/v1/admin/bundles",
        files={"bundle": ("bundle.zip", cb.zipped(bundle), "application/zip")},
        headers=organiser,
    )
    assert imported.status_code == 200, imported.text
    [found] = [
        c
        for c in client.get("/api/v1/contests", headers=organiser).json()
        if c["slug"] == "compute-pi-competition"
    ]
    tracks = client.get(f"/api/v1/contests/{found['id']}/tracks", headers=organiser).json()
    assert {t["submission_kind"] for t in tracks} == {"code"}
    track = min(tracks, key=lambda t: t["id"])
    folder = bundle / "submission"
    code = tar_bytes({p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()})
    sample = client.put(
        f"/api/v1/tracks/{track['id']}/sample",
        files={"file": ("submission.tar", code, "application/x-tar")},
        headers=organiser,
    )
    assert sample.status_code == 200, sample.text
    check = client.post(f"/api/v1/tracks/{track['id']}/check", headers=organiser).json()
    assert check["status"] == "failed", check
    shown = json.dumps(check["logs"]) + check["message"]
    assert "SyntaxError" in shown and "print" in shown, shown[:2000]
    print(f"\ncompute-pi: {check['message']}")


@pytest.mark.skipif(
    not Path(PY27_IMAGE or "/nonexistent").is_file(),
    reason="set JIEBANG_PY27_IMAGE to the archive docker/images/python27_image.py builds",
)
def test_compute_pi_scores_on_a_python27_image_as_its_own_program(
    client: TestClient,
    organiser: dict[str, str],
    make_user: Callable[..., dict[str, str]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """CodaLab v1.5 Compute_pi, its bundle zip as shipped: with CodaLab's old default image
    (``codalab/codalab-legacy:py2``) mapped to an uploaded Python 2.7 image, the readiness
    check and a team's submission of ``compute_pi_sample_submission.zip`` score the
    Difference that ``compute_pi.py`` then ``evaluate.py`` give run directly under the same
    image's python2.7 (bubblewrap over its root folder, no platform code)."""
    monkeypatch.setenv("JIEBANG_READINESS_REQUIRED", "true")  # published as on a real platform
    upload = Path(PY27_IMAGE).read_bytes()
    image = client.post(
        "/api/v1/runtime-images",
        files={"archive": ("python27.tar", upload, "application/x-tar")},
        headers=organiser,
    )
    assert image.status_code in (200, 201), image.text
    digest = image.json()["digest"]
    images = {
        **get_settings().codabench_image_runtimes,
        "codalab/codalab-legacy:py2": {"kind": "oci", "archive_digest": digest},
    }
    monkeypatch.setenv("JIEBANG_CODABENCH_IMAGE_RUNTIMES", json.dumps(images))
    get_settings.cache_clear()

    example = export_folder("codalab/Compute_pi", tmp_path / "example")
    imported = client.post(
        "/api/v1/admin/bundles",
        files={
            "bundle": (
                "compute_pi_competition_bundle.zip",
                (example / "compute_pi_competition_bundle.zip").read_bytes(),
                "application/zip",
            )
        },
        headers=organiser,
    )
    assert imported.status_code == 200, imported.text
    [found] = [
        c
        for c in client.get("/api/v1/contests", headers=organiser).json()
        if c["slug"] == "compute-pi-competition"
    ]
    tracks = client.get(f"/api/v1/contests/{found['id']}/tracks", headers=organiser).json()
    sample = example / "compute_pi_sample_submission.zip"
    checks = {}
    for track in tracks:
        program = client.get(
            f"/api/v1/scoring-programs/{track['evaluator_key']}/versions/"
            f"{track['evaluator_version']}",
            headers=organiser,
        ).json()
        assert program["runtime"] == {"kind": "oci", "archive_digest": digest}, program
        put = client.put(
            f"/api/v1/tracks/{track['id']}/sample",
            files={"file": (sample.name, sample.read_bytes(), "application/zip")},
            headers=organiser,
        )
        assert put.status_code == 200, put.text
        check = client.post(f"/api/v1/tracks/{track['id']}/check", headers=organiser)
        assert check.status_code == 200, check.text
        assert check.json()["status"] == "passed", check.json()
        checks[track["slug"]] = check.json()["result"]["metrics"]
    published = client.post(f"/api/v1/contests/{found['id']}/publish", headers=organiser)
    assert published.status_code == 200, published.text

    phase = open_phase(client, organiser, tracks)
    team = make_user()
    made = client.post(f"/api/v1/contests/{found['id']}/teams", json={"name": "Pi"}, headers=team)
    assert made.status_code == 201, made.text
    approved = client.put(  # has_registration: True, so the organiser approves the team
        f"/api/v1/teams/{made.json()['id']}/approval", json={"approved": True}, headers=organiser
    )
    assert approved.status_code == 200, approved.text
    done = submit(client, team, phase["id"], sample.read_bytes(), filename=sample.name)
    assert done.status_code == 200, done.text
    assert drain(client, tmp_path) == 1
    with Session(get_engine()) as db:
        score = db.exec(select(Score).where(Score.submission_id == done.json()["id"])).one()
        platform = dict(score.metrics)

    [rootfs] = Path(get_runtime_cache()).glob(f"oci/{digest.removeprefix('sha256:')}*/rootfs")
    direct = compute_pi_directly(example, rootfs, tmp_path)
    print(f"\ncompute-pi: check {checks} submission {platform} direct {direct}")
    assert {k: platform[k] for k in direct} == direct
    assert all(metrics == direct for metrics in checks.values()), checks


def compute_pi_directly(example: Path, rootfs: Path, work: Path) -> dict[str, float]:
    """The submission then the scoring program, each under the image's python2.7 as
    CodaLab v1.5 ran them (the scorer's ``$input`` holding ``res/`` and ``ref/``; the
    submission reads no input), from the shipped zips, no platform code."""
    for folder in ("direct/res", "direct/ref", "direct/out"):
        (work / folder).mkdir(parents=True)
    with zipfile.ZipFile(example / "compute_pi_sample_submission.zip") as archive:
        archive.extractall(work / "direct" / "code")  # noqa: S202 - the example's own zip
    with zipfile.ZipFile(example / "compute_pi_competition_bundle.zip") as outer:
        for name in ("reference.zip", "program.zip"):
            with zipfile.ZipFile(io.BytesIO(outer.read(name))) as inner:
                inner.extractall(work / "direct" / name.removesuffix(".zip"))  # noqa: S202
    for member in (work / "direct" / "reference").iterdir():
        member.rename(work / "direct" / "ref" / member.name)

    bwrap = ["bwrap", "--ro-bind", str(rootfs), "/", "--proc", "/proc", "--dev", "/dev"]
    bwrap += ["--tmpfs", "/tmp", "--bind", str(work / "direct"), "/tmp/w", "--clearenv"]
    bwrap += ["--setenv", "PATH", "/usr/bin:/bin", "--chdir", "/tmp/w"]

    def python2(*argv: str) -> None:
        subprocess.run(
            [*bwrap, "python", *argv],
            check=True,
            capture_output=True,
            timeout=300,
        )

    python2("code/compute_pi.py", "/tmp/w/no-input", "/tmp/w/res")
    python2("program/evaluate.py", "/tmp/w", "/tmp/w/out")
    scores = safe_yaml.load((work / "direct" / "out" / "scores.txt").read_bytes(), name="s")
    return {key: float(value) for key, value in scores.items()}
