"""Wall time of the video_codec_rd evaluator vs bare ffmpeg quality commands.

Run by hand: ``.venv/bin/python bench/bench_codec_evaluator.py [--frames 60]``.

Setup (not timed): a 1920×1080 yuv420p clip of ``--frames`` frames from
ffmpeg's testsrc2, the anchor (``python -m jiebang_eval.anchors``, libx265
ultrafast at QP 27/32/37/42) and a submission encoded at the same QPs.

Timed, in the same run, each bare baseline as 4 sequential ffmpeg commands:
1. ``ffmpeg -i r<k>.265 -i ref.yuv -lavfi libvmaf`` (VMAF only);
2. the same with libvmaf's own ``psnr`` and ``float_ssim`` features (PSNR+SSIM+VMAF);
3. the evaluator's three filters (psnr, ssim, libvmaf) in one graph;
then the evaluator (PSNR + SSIM + VMAF, MS-SSIM off) through
``python -m jiebang_eval.run`` as a plain subprocess with ``parallel_jobs`` 1
(sequential, like the baselines) and 2 (its default), and inside
``jiebang.sandbox.stages.score_stage`` when that sandbox is importable and
usable (else it falls back to a plain subprocess and says so).
Target: evaluator / bare libvmaf ≤ 1.15.

With ``--ms-ssim`` it times instead the evaluator (plain subprocess, or
``--sandboxed``; default ``parallel_jobs``) three ways, interleaved in each of
``--repeats`` runs: PSNR + SSIM + VMAF (MS-SSIM off), plus MS-SSIM by
``jiebang_eval.metrics.ms_ssim`` on the decoded frames (the default, numba loops,
compiled before the timing starts), and plus MS-SSIM by libvmaf's ``float_ms_ssim``
in the VMAF filter's pass (``ms_ssim_libvmaf``; ``--no-libvmaf`` skips it). It
prints the CPU seconds MS-SSIM adds divided by the PSNR + SSIM + VMAF CPU seconds,
per run and from the minima (target: the compiled path adds ≤ 1.0×). CPU time,
not wall time: the ratio must not depend on what else the shared cores run.

The machine may be shared, so every variant runs ``--repeats`` times,
interleaved, and the minimum wall time is kept (and printed with the CPU
seconds of the children, which contention disturbs less).
"""

from __future__ import annotations

import argparse
import json
import resource
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


def run_evaluator(
    root: Path,
    reference: Path,
    submission: Path,
    parallel_jobs: int,
    *,
    sandboxed: bool,
    ms_ssim: str | None = None,
) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds, how it ran) of one evaluator run.

    ``ms_ssim``: None (off), ``"libvmaf"`` or ``"numpy"``.
    """
    config = root / f"config_{parallel_jobs}_{ms_ssim}.json"
    settings = {
        "compute_ms_ssim": ms_ssim is not None,
        "ms_ssim_libvmaf": ms_ssim == "libvmaf",
        "n_threads": 2,
        "parallel_jobs": parallel_jobs,
    }
    config.write_text(json.dumps(settings))
    evaluator = Path(__file__).resolve().parents[1] / "evaluators" / "video_codec_rd"
    out = root / f"out_{parallel_jobs}_{time.monotonic_ns()}"  # the sandbox wants a fresh dir
    if sandboxed:
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
                how = f"jiebang.sandbox (isolated={result.isolated})"
                return elapsed, result.cpu_seconds, how
            print("sandboxed run failed, falling back:", result.stderr_tail[-500:])
        except Exception as exc:  # the sandbox may be missing or unusable on this host
            print(f"sandbox not used ({type(exc).__name__}: {exc})")
    out.mkdir(exist_ok=True)
    command = [sys.executable, "-m", "jiebang_eval.run", "--evaluator", str(evaluator)]
    command += ["--submission", str(submission), "--reference", str(reference)]
    command += ["--config", str(config), "--output", str(out / "result.json")]
    cpu_before = children_cpu_seconds()
    start = time.perf_counter()
    subprocess.run(command, check=True)
    elapsed = time.perf_counter() - start
    return elapsed, children_cpu_seconds() - cpu_before, "plain subprocess"


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


def children_cpu_seconds() -> float:
    """CPU seconds used so far by reaped child processes (ffmpeg, the evaluator)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--frames", type=int, default=60)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--ms-ssim", action="store_true", help="time the MS-SSIM paths only")
    parser.add_argument(
        "--no-libvmaf", action="store_true", help="with --ms-ssim: skip libvmaf's MS-SSIM"
    )
    parser.add_argument(
        "--sandboxed", action="store_true", help="with --ms-ssim: run in jiebang.sandbox"
    )
    args = parser.parse_args()
    if args.ms_ssim:
        bench_ms_ssim(
            args.frames, args.repeats, libvmaf=not args.no_libvmaf, sandboxed=args.sandboxed
        )
        return
    with tempfile.TemporaryDirectory(prefix="bench_codec_") as work:
        root = Path(work)
        reference, submission = prepare(root, args.frames)
        vmaf_only = "[0:v][1:v]libvmaf=n_threads=2"
        three = (
            "[0:v]split=3[d0][d1][d2];[1:v]split=3[r0][r1][r2];[d0][r0]psnr,nullsink;"
            "[d1][r1]ssim,nullsink;[d2][r2]libvmaf=n_threads=2"
        )
        vmaf_features = "[0:v][1:v]libvmaf=n_threads=2:feature=name=psnr|name=float_ssim"

        def bare(graph: str) -> tuple[float, float, str]:
            cpu_before = children_cpu_seconds()
            seconds = run_bare(reference, submission, graph)
            return seconds, children_cpu_seconds() - cpu_before, "ffmpeg"

        variants = {
            "bare ffmpeg -lavfi libvmaf (VMAF only)": lambda: bare(vmaf_only),
            "bare libvmaf + psnr,float_ssim features": lambda: bare(vmaf_features),
            "bare psnr + ssim + libvmaf filters": lambda: bare(three),
            "evaluator plain, parallel_jobs=1": lambda: run_evaluator(
                root, reference, submission, 1, sandboxed=False
            ),
            "evaluator plain, parallel_jobs=2": lambda: run_evaluator(
                root, reference, submission, 2, sandboxed=False
            ),
            "evaluator sandboxed, parallel_jobs=2": lambda: run_evaluator(
                root, reference, submission, 2, sandboxed=True
            ),
        }
        best: dict[str, tuple[float, float, str]] = {}
        for _ in range(args.repeats):
            for label, variant in variants.items():
                outcome = variant()
                if label not in best or outcome[0] < best[label][0]:
                    best[label] = outcome
    print(f"1080p × {args.frames} frames × {len(QPS)} rate points, best of {args.repeats}")
    for label, (seconds, cpu, how) in best.items():
        print(f"{label:42s}: {seconds:7.2f} s wall, {cpu:7.2f} s CPU  [{how}]")
    bases = list(variants)[:3]
    for label in list(variants)[3:]:
        for base in bases:
            wall = best[label][0] / best[base][0]
            cpu = best[label][1] / best[base][1]
            mark = " (target ≤ 1.15)" if base == bases[0] else ""
            print(f"{label} / {base}: wall {wall:5.2f}×, CPU {cpu:5.2f}×{mark}")


def warm_up_ms_ssim() -> None:
    """Compile the MS-SSIM loops (numba's cache) before anything is timed.

    For read-only 8-bit planes, as the evaluator's frames are (``np.frombuffer``).
    """
    code = (
        "import numpy as np; from jiebang_eval.metrics.ms_ssim import ms_ssim; "
        "plane = np.frombuffer(bytes(176 * 176), np.uint8).reshape(176, 176); "
        "ms_ssim(plane, plane)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def bench_ms_ssim(frames: int, repeats: int, *, libvmaf: bool, sandboxed: bool) -> None:
    """The ``--ms-ssim`` mode of the module docstring."""
    variants: dict[str, str | None] = {"PSNR+SSIM+VMAF": None, "+ MS-SSIM compiled": "numpy"}
    if libvmaf:
        variants["+ MS-SSIM libvmaf"] = "libvmaf"
    runs: dict[str, list[tuple[float, float, str]]] = {label: [] for label in variants}
    with tempfile.TemporaryDirectory(prefix="bench_codec_") as work:
        root = Path(work)
        reference, submission = prepare(root, frames)
        warm_up_ms_ssim()
        for _ in range(repeats):
            for label, mode in variants.items():
                outcome = run_evaluator(
                    root, reference, submission, 2, sandboxed=sandboxed, ms_ssim=mode
                )
                runs[label].append(outcome)
    how = runs["PSNR+SSIM+VMAF"][0][2]
    print(f"evaluator ({how}), 1080p × {frames} frames × {len(QPS)} rate points, {repeats} runs")
    for label, outcomes in runs.items():
        walls = " ".join(f"{wall:6.2f}" for wall, _, _ in outcomes)
        cpus = " ".join(f"{cpu:6.2f}" for _, cpu, _ in outcomes)
        print(f"{label:20s}: CPU s {cpus}  |  wall s {walls}")
    base = runs["PSNR+SSIM+VMAF"]
    for label in list(variants)[1:]:
        # each repeat's ratio from its own interleaved runs, and the ratio of the minima
        ratios = [(cpu - b[1]) / b[1] for (_, cpu, _), b in zip(runs[label], base, strict=True)]
        best = min(cpu for _, cpu, _ in runs[label])
        base_best = min(cpu for _, cpu, _ in base)
        each = " ".join(f"{ratio:5.2f}" for ratio in ratios)
        print(
            f"MS-SSIM {label[10:]:8s} CPU / PSNR+SSIM+VMAF CPU: "
            f"{(best - base_best) / base_best:5.2f}× (minima), per run {each}"
            + ("  (target ≤ 1.00×)" if label.endswith("compiled") else "")
        )


if __name__ == "__main__":
    main()
