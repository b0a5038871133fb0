"""The run and score stages: what each program sees, and the fallback without bwrap."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pytest

from jiebang.sandbox import (
    SandboxLimits,
    SandboxUnavailable,
    UnsafeOutputError,
    require_isolation,
    stages,
    status,
)
from jiebang.sandbox import mounts as sandbox_mounts
from jiebang.sandbox import runner as sandbox_runner
from jiebang.sandbox.mounts import runtime_python
from tests.sandbox.support import needs_bwrap

FAKE_EVALUATOR = """
import argparse, json, os, pathlib
p = argparse.ArgumentParser()
for name in ("evaluator", "submission", "reference", "config", "output"):
    p.add_argument("--" + name)
a = p.parse_args()
try:
    open(os.path.join(a.reference, "tamper"), "w")
    reference_writable = True
except OSError:
    reference_writable = False
pathlib.Path(a.output).write_text(json.dumps({
    "submission": sorted(os.listdir(a.submission)),
    "reference": sorted(os.listdir(a.reference)),
    "config": json.load(open(a.config)),
    "reference_writable": reference_writable,
    "uid": os.getuid(),
}))
"""


@pytest.fixture
def score_dirs(tmp_path: Path, monkeypatch) -> dict[str, Path]:
    evaluators_root = tmp_path / "evaluators"
    (evaluators_root / "jiebang_eval").mkdir(parents=True)
    (evaluators_root / "jiebang_eval" / "__init__.py").write_text("")
    (evaluators_root / "jiebang_eval" / "run.py").write_text(FAKE_EVALUATOR)
    monkeypatch.setattr(
        stages,
        "platform_runtime_mounts",
        lambda: sandbox_mounts.platform_runtime_mounts(evaluators_root=evaluators_root),
    )
    dirs = {name: tmp_path / name for name in ("evaluator", "submission", "reference", "out")}
    for name in ("evaluator", "submission", "reference"):
        dirs[name].mkdir()
    (dirs["submission"] / "decoded.yuv").write_bytes(b"\0" * 16)
    (dirs["reference"] / "original.yuv").write_bytes(b"\1" * 16)
    dirs["config"] = tmp_path / "config.json"
    dirs["config"].write_text('{"metric": "psnr"}')
    return dirs


@needs_bwrap
def test_score_stage_sees_submission_reference_and_config(
    score_dirs: dict[str, Path], limits: SandboxLimits
) -> None:
    result = stages.score_stage(
        evaluator_dir=score_dirs["evaluator"],
        submission_dir=score_dirs["submission"],
        reference_dir=score_dirs["reference"],
        config_path=score_dirs["config"],
        output_dir=score_dirs["out"],
        limits=limits,
    )
    assert result.succeeded, result.stderr_tail
    report = json.loads((score_dirs["out"] / "result.json").read_text())
    assert report["submission"] == ["decoded.yuv"]
    assert report["reference"] == ["original.yuv"]
    assert report["config"] == {"metric": "psnr"}
    assert report["reference_writable"] is False
    assert report["uid"] != 0


def test_score_stage_refuses_symlinks_in_the_submission(
    score_dirs: dict[str, Path], limits: SandboxLimits
) -> None:
    (score_dirs["submission"] / "decoded.yuv").unlink()
    (score_dirs["submission"] / "decoded.yuv").symlink_to("/reference/original.yuv")
    with pytest.raises(UnsafeOutputError, match="symlink"):
        stages.score_stage(
            evaluator_dir=score_dirs["evaluator"],
            submission_dir=score_dirs["submission"],
            reference_dir=score_dirs["reference"],
            config_path=score_dirs["config"],
            output_dir=score_dirs["out"],
            limits=limits,
        )


@needs_bwrap
def test_run_stage_mounts(tmp_path: Path, limits: SandboxLimits) -> None:
    for name in ("program", "inputs"):
        (tmp_path / name).mkdir()
    (tmp_path / "inputs" / "clip.y4m").write_text("frames")
    (tmp_path / "program" / "decode.py").write_text(
        "import os, shutil\nshutil.copy('/inputs/clip.y4m', '/output/clip.out')\n"
        "print(os.getcwd(), sorted(os.listdir('/')))"
    )
    result = stages.run_stage(
        program_dir=tmp_path / "program",
        entrypoint_argv=[runtime_python(), "decode.py"],
        inputs_dir=tmp_path / "inputs",
        output_dir=tmp_path / "output",
        limits=limits,
    )
    assert result.succeeded, result.stderr_tail
    assert (tmp_path / "output" / "clip.out").read_text() == "frames"
    assert result.stdout_tail.startswith("/submission ")
    assert "'reference'" not in result.stdout_tail


def test_without_bwrap_code_tracks_refuse_and_result_tracks_still_run(
    monkeypatch, tmp_path: Path, limits: SandboxLimits
) -> None:
    monkeypatch.setattr(status, "_bwrap_problem", lambda: "bwrap is not installed")
    monkeypatch.setattr(sandbox_runner, "bubblewrap_available", lambda: False)
    with pytest.raises(SandboxUnavailable, match="bwrap is not installed"):
        require_isolation()
    with pytest.raises(SandboxUnavailable):
        stages.run_stage(
            program_dir=tmp_path,
            entrypoint_argv=["true"],
            inputs_dir=tmp_path,
            output_dir=tmp_path / "out",
            limits=limits,
        )
    # Without bwrap nothing is bound: the data must be reachable by the sandbox uid.
    data = Path(tempfile.mkdtemp(prefix="jiebang-fallback-"))
    data.chmod(0o755)
    (data / "hello.txt").write_text("hi")
    # The fallback runs as the unprivileged uid without bwrap's mount staging, so it
    # needs an interpreter that uid can reach (this host's pyenv lives under /root).
    python = "/usr/bin/python3"
    result = sandbox_runner.run_sandboxed(
        [python, "-c", "import sys; print(open(sys.argv[1]).read())", "/data/hello.txt"],
        limits=limits,
        mounts=[sandbox_mounts.Mount(data, "/data")],
        env={"PATH": "/usr/bin:/bin"},
    )
    assert result.isolated is False
    assert result.succeeded, result.stderr_tail
    assert result.stdout_tail.strip() == "hi"
    shutil.rmtree(data)
    spin = sandbox_runner.run_sandboxed(
        [python, "-c", "while True: pass"], limits=limits, mounts=[]
    )
    assert spin.cpu_limit_hit and spin.signal == "SIGXCPU"
    assert spin.reason("en") == "used more than 1 s CPU time"
