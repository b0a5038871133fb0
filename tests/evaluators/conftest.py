"""Shared fixtures: small generated clips and a runner for ``python -m jiebang_eval.run``."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from jiebang_eval.media.rawvideo import RawVideoFormat
from jiebang_eval.metrics.ffmpeg_quality import ffmpeg_executable
from jiebang_eval.run import main as run_main

REPO = Path(__file__).resolve().parents[2]
EVALUATORS = REPO / "evaluators"


def run_ffmpeg(*args: str) -> subprocess.CompletedProcess[str]:
    """Run ffmpeg quietly and fail the test on error."""
    command = [ffmpeg_executable(), "-hide_banner", "-nostdin", "-y", *args]
    completed = subprocess.run(command, capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr[-2000:]
    return completed


def write_test_clip(
    path: Path, fmt: RawVideoFormat, frames: int, *, pattern: str = "testsrc2"
) -> None:
    """A synthetic raw clip from one of ffmpeg's test sources."""
    source = f"{pattern}=size={fmt.width}x{fmt.height}:rate=25"
    run_ffmpeg(
        "-f",
        "lavfi",
        "-i",
        source,
        "-frames:v",
        str(frames),
        "-pix_fmt",
        fmt.pix_fmt,
        "-f",
        "rawvideo",
        str(path),
    )


def encode_hevc(reference: Path, fmt: RawVideoFormat, out: Path, *, qp: int) -> None:
    """Encode a raw clip to an HEVC elementary stream at a fixed QP with libx265."""
    run_ffmpeg(
        *_raw_in(reference, fmt),
        "-c:v",
        "libx265",
        "-preset",
        "ultrafast",
        "-x265-params",
        f"qp={qp}:log-level=error",
        "-f",
        "hevc",
        str(out),
    )


def decode_to_raw(bitstream: Path, fmt: RawVideoFormat, out: Path) -> None:
    run_ffmpeg("-i", str(bitstream), "-pix_fmt", fmt.pix_fmt, "-f", "rawvideo", str(out))


def _raw_in(path: Path, fmt: RawVideoFormat) -> list[str]:
    return [
        "-f",
        "rawvideo",
        "-pix_fmt",
        fmt.pix_fmt,
        "-s",
        f"{fmt.width}x{fmt.height}",
        "-r",
        "25",
        "-i",
        str(path),
    ]


def noisy_copy(source: Path, fmt: RawVideoFormat, out: Path, *, sigma: float, seed: int) -> None:
    """Write ``source`` plus Gaussian noise, clipped to the sample range."""
    rng = np.random.default_rng(seed)
    samples = np.fromfile(source, dtype=np.dtype(fmt.sample_dtype).newbyteorder("<"))
    noisy = samples.astype(np.float64) + rng.normal(0, sigma, samples.shape)
    np.clip(np.rint(noisy), 0, fmt.peak).astype(samples.dtype).tofile(out)


RunEvaluator = Callable[..., tuple[subprocess.CompletedProcess[str], dict[str, Any] | None]]


@pytest.fixture
def run_evaluator(tmp_path: Path) -> RunEvaluator:
    """Run an evaluator through the CLI in a subprocess; return (process, result or None)."""

    def run(
        key: str,
        submission: Path,
        reference: Path,
        config: dict[str, Any],
        *,
        in_process: bool = False,
    ):
        """``in_process`` calls ``jiebang_eval.run.main`` directly (same code, no interpreter
        start-up) for the many small negative cases; the default is a real subprocess."""
        config_path = tmp_path / f"config_{key}.json"
        config_path.write_text(json.dumps(config))
        output = tmp_path / f"result_{key}.json"
        output.unlink(missing_ok=True)
        args = [
            "--evaluator",
            str(EVALUATORS / key),
            "--submission",
            str(submission),
            "--reference",
            str(reference),
            "--config",
            str(config_path),
            "--output",
            str(output),
        ]
        if in_process:
            completed = subprocess.CompletedProcess(args, run_main(args), "", "")
        else:
            completed = subprocess.run(
                [sys.executable, "-m", "jiebang_eval.run", *args],
                capture_output=True,
                text=True,
                timeout=300,
            )
        result = json.loads(output.read_text()) if output.exists() else None
        return completed, result

    return run
