"""Sandbox overhead: start-up cost per run, and ffmpeg decode throughput inside vs outside.

Run as root on a machine where bubblewrap works:

    .venv/bin/python bench/bench_sandbox_overhead.py [--runs 40] [--decodes 5]

Prints a table and a JSON line. The decode ratio is throughput inside / outside,
measured alternately in the same process so both see the same machine load.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import imageio_ffmpeg

from jiebang.sandbox import (
    RUN_STAGE_DEFAULTS,
    Mount,
    platform_runtime_mounts,
    run_sandboxed,
    runtime_env,
    sandbox_status,
)
from jiebang.sandbox.mounts import FFMPEG_TARGET

BENCH_LIMITS = RUN_STAGE_DEFAULTS.with_overrides(
    cpu_seconds=600, wall_seconds=600, memory_bytes=2 * 2**30
)


def make_clip(directory: Path, *, seconds: int, size: str) -> Path:
    """Encode a testsrc clip with libx264 and return its path."""
    clip = directory / "testsrc.mp4"
    subprocess.run(
        [
            imageio_ffmpeg.get_ffmpeg_exe(),
            "-hide_banner",
            "-loglevel",
            "error",
            "-f",
            "lavfi",
            "-i",
            f"testsrc=size={size}:rate=30:duration={seconds}",
            "-c:v",
            "libx264",
            "-preset",
            "veryfast",
            "-pix_fmt",
            "yuv420p",
            str(clip),
        ],
        check=True,
    )
    clip.chmod(0o644)
    return clip


def median_startup(runs: int) -> tuple[float, float]:
    """Return median seconds for `true` outside and inside the sandbox."""
    outside, inside = [], []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(["/bin/true"], check=True)
        outside.append(time.perf_counter() - started)
        started = time.perf_counter()
        result = run_sandboxed(["/bin/true"], limits=BENCH_LIMITS, mounts=[])
        inside.append(time.perf_counter() - started)
        assert result.succeeded, result.reason()
    return statistics.median(outside), statistics.median(inside)


def decode_times(clip: Path, decodes: int) -> tuple[float, float]:
    """Return median seconds to decode ``clip`` to null, outside and inside."""
    decode = ["-hide_banner", "-loglevel", "error", "-threads", "1", "-i"]
    sink = ["-f", "null", "-"]
    mounts = [*platform_runtime_mounts(), Mount(clip.parent, "/data")]
    outside, inside = [], []
    for _ in range(decodes):
        started = time.perf_counter()
        subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), *decode, str(clip), *sink], check=True)
        outside.append(time.perf_counter() - started)
        started = time.perf_counter()
        result = run_sandboxed(
            [FFMPEG_TARGET, *decode, f"/data/{clip.name}", *sink],
            limits=BENCH_LIMITS,
            mounts=mounts,
            env=runtime_env(),
        )
        inside.append(time.perf_counter() - started)
        assert result.succeeded, result.stderr_tail
    return statistics.median(outside), statistics.median(inside)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--decodes", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--size", default="1280x720")
    args = parser.parse_args()
    status = sandbox_status()
    print(f"mechanism={status.mechanism} bwrap={status.bwrap_version} cgroup={status.cgroup}")
    true_out, true_in = median_startup(args.runs)
    with tempfile.TemporaryDirectory(prefix="jiebang-bench-") as tmp:
        Path(tmp).chmod(0o755)
        clip = make_clip(Path(tmp), seconds=args.seconds, size=args.size)
        decode_out, decode_in = decode_times(clip, args.decodes)
    frames = args.seconds * 30
    report = {
        "startup_outside_ms": round(true_out * 1000, 2),
        "startup_inside_ms": round(true_in * 1000, 2),
        "startup_overhead_ms": round((true_in - true_out) * 1000, 2),
        "decode_outside_fps": round(frames / decode_out, 1),
        "decode_inside_fps": round(frames / decode_in, 1),
        "decode_throughput_ratio": round(decode_out / decode_in, 3),
    }
    width = max(map(len, report))
    for key, value in report.items():
        print(f"{key.ljust(width)}  {value}")
    print(json.dumps(report))


if __name__ == "__main__":
    main()
