"""Wall time of the video_codec_rd evaluator vs bare ffmpeg quality commands.

Run by hand: ``.venv/bin/python bench/bench_codec_evaluator.py [--frames 60]``.

Setup (not timed): a 1920×1080 yuv420p clip of ``--frames`` frames from
ffmpeg's testsrc2, the anchor (``python -m jiebang_eval.anchors``, libx265
ultrafast at QP 27/32/37/42) and a submission encoded at the same QPs.

Timed, in the same run:
1. the evaluator (PSNR + SSIM + VMAF, MS-SSIM off) through
   ``python -m jiebang_eval.run`` — inside ``jiebang.sandbox.stages.score_stage``
   when that sandbox is importable and usable, else as a plain subprocess;
2. the bare ``ffmpeg -i r<k>.265 -i ref.yuv -lavfi libvmaf`` commands (VMAF only);
3. the bare commands with the same three filters (psnr, ssim, libvmaf).
Target: (1) / (2) ≤ 1.15.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from jiebang_eval.metrics.ffmpeg_quality import ffmpeg_executable

QPS = [42, 37, 32, 27]
SIZE = "1920x1080"
RAW = ["-f", "rawvideo", "-pix_fmt", "yuv420p", "-s", SIZE]


def ffmpeg(*args: str) -> None:
    command = [ffmpeg_executable(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y", *args]
    subprocess.run(command, check=True)


def prepare(root: Path, frames: int) -> tuple[Path, Path]:
    reference, submission = root / "reference", root / "submission" / "clip"
    reference.mkdir()
    submission.mkdir(parents=True)
    ffmpeg(
        "-f",
        "lavfi",
        "-i",
        f"testsrc2=size={SIZE}:rate=30",
        "-frames:v",
        str(frames),
        "-pix_fmt",
        "yuv420p",
        "-f",
        "rawvideo",
        str(reference / "clip.yuv"),
    )
    listing = {
        "sequences": [
            {
                "name": "clip",
                "width": 1920,
                "height": 1080,
                "fps": 30,
                "frames": frames,
                "pix_fmt": "yuv420p",
            }
        ]
    }
    (reference / "sequences.json").write_text(json.dumps(listing))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "jiebang_eval.anchors",
            "--reference",
            str(reference),
            "--preset",
            "ultrafast",
            "--qp",
            *map(str, QPS),
            "--no-ms-ssim",
        ],
        check=True,
    )
    for k, qp in enumerate(QPS, start=1):
        ffmpeg(
            *RAW,
            "-i",
            str(reference / "clip.yuv"),
            "-c:v",
            "libx265",
            "-preset",
            "ultrafast",
            "-x265-params",
            f"qp={qp}:log-level=error",
            "-f",
            "hevc",
            str(submission / f"r{k}.265"),
        )
    return reference, submission.parent


def run_evaluator(root: Path, reference: Path, submission: Path) -> tuple[float, str]:
    config = root / "config.json"
    config.write_text(json.dumps({"compute_ms_ssim": False, "n_threads": 2}))
    evaluator = Path(__file__).resolve().parents[1] / "evaluators" / "video_codec_rd"
    out = root / "out"
    try:
        from jiebang.sandbox.limits import SCORE_STAGE_DEFAULTS
        from jiebang.sandbox.stages import score_stage

        start = time.perf_counter()
        result = score_stage(
            evaluator_dir=evaluator,
            submission_dir=submission,
            reference_dir=reference,
            config_path=config,
            output_dir=out,
            limits=SCORE_STAGE_DEFAULTS,
        )
        elapsed = time.perf_counter() - start
        if result.exit_code == 0:
            return elapsed, f"in jiebang.sandbox (isolated={result.isolated})"
        print("sandboxed run failed, falling back:", result.stderr_tail[-500:])
    except Exception as exc:  # the sandbox may be missing or unusable on this host
        print(f"sandbox not used ({type(exc).__name__}: {exc})")
    out.mkdir(exist_ok=True)
    start = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "jiebang_eval.run",
            "--evaluator",
            str(evaluator),
            "--submission",
            str(submission),
            "--reference",
            str(reference),
            "--config",
            str(config),
            "--output",
            str(out / "result.json"),
        ],
        check=True,
    )
    return time.perf_counter() - start, "plain subprocess (no sandbox)"


def run_bare(reference: Path, submission: Path, graph: str) -> float:
    start = time.perf_counter()
    for k in range(1, len(QPS) + 1):
        ffmpeg(
            "-i",
            str(submission / "clip" / f"r{k}.265"),
            *RAW,
            "-i",
            str(reference / "clip.yuv"),
            "-lavfi",
            graph,
            "-f",
            "null",
            "-",
        )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--frames", type=int, default=60)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench_codec_") as work:
        root = Path(work)
        reference, submission = prepare(root, args.frames)
        vmaf_only = "[0:v][1:v]libvmaf=n_threads=2"
        three = (
            "[0:v]split=3[d0][d1][d2];[1:v]split=3[r0][r1][r2];[d0][r0]psnr,nullsink;"
            "[d1][r1]ssim,nullsink;[d2][r2]libvmaf=n_threads=2"
        )
        bare_vmaf = run_bare(reference, submission, vmaf_only)
        bare_three = run_bare(reference, submission, three)
        evaluator_s, how = run_evaluator(root, reference, submission)
    print(f"1080p × {args.frames} frames × {len(QPS)} rate points")
    print(f"bare ffmpeg -lavfi libvmaf       : {bare_vmaf:7.2f} s")
    print(f"bare ffmpeg psnr+ssim+libvmaf    : {bare_three:7.2f} s")
    print(f"evaluator ({how}): {evaluator_s:7.2f} s")
    print(f"ratio evaluator / bare libvmaf            : {evaluator_s / bare_vmaf:5.2f}×")
    print(f"ratio evaluator / bare psnr+ssim+libvmaf  : {evaluator_s / bare_three:5.2f}×")


if __name__ == "__main__":
    main()
