"""Runtimes: warm-start overhead of ``python`` and ``oci`` runtimes against ``platform``.

Run as root on a machine where bubblewrap works (busybox-static and umoci installed):

    .venv/bin/python bench/bench_runtimes.py [--runs 30] [--cold]

Each round prepares the runtime from its warm cache and runs one trivial program in
the sandbox, alternating with the same program on the platform runtime so both see
the same machine load; the overhead is the difference of the medians (target: at most
0.1 s per evaluation). The image carries ``--image-mb`` (default 200) of incompressible
files beside busybox; its first unpack is timed against the anchor of plain ``tar``
extracting the same layer blobs in the same run. ``--cold`` also times a first build of
numpy + scikit-learn + pandas from the configured package index (network), in the build
sandbox whose only network is the index.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.runtimes.support import Entry, build_wheel, busybox_layer, oci_archive  # noqa: E402

from jiebang.runtimes import (  # noqa: E402
    OciRuntime,
    PlatformRuntime,
    PreparedRuntime,
    PythonRuntime,
    prepare,
)
from jiebang.runtimes.config import RuntimeSettings  # noqa: E402
from jiebang.sandbox import RUN_STAGE_DEFAULTS, run_sandboxed, sandbox_status  # noqa: E402

VERSION = f"{sys.version_info.major}.{sys.version_info.minor}"
COLD_REQUIREMENTS = ("numpy==2.2.6", "scikit-learn==1.6.1", "pandas==2.2.3")
LIMITS = RUN_STAGE_DEFAULTS.with_overrides(cpu_seconds=60, wall_seconds=120)


def run_in(runtime: PreparedRuntime, argv: list[str]) -> None:
    result = run_sandboxed(
        argv,
        limits=LIMITS,
        mounts=list(runtime.mounts),
        env=dict(runtime.env),
        cwd=runtime.workdir,
        root=runtime.root,
    )
    if not result.succeeded:
        raise SystemExit(f"{argv} failed: {result.reason('en')}: {result.stderr_tail}")


def timed(step: Callable[[], None]) -> float:
    start = time.perf_counter()
    step()
    return time.perf_counter() - start


def compare(runs: int, warm: Callable[[], None], platform: Callable[[], None]) -> dict[str, float]:
    warm(), platform()  # first runs fill page caches
    ours, base = [], []
    for _ in range(runs):
        ours.append(timed(warm))
        base.append(timed(platform))
    return {
        "runtime_median_s": statistics.median(ours),
        "platform_median_s": statistics.median(base),
        "overhead_s": statistics.median(ours) - statistics.median(base),
    }


def bulk_layer(megabytes: int) -> list[Entry]:
    """``megabytes`` of random (incompressible) data in files of about 10 MB under /opt."""
    if megabytes <= 0:
        return []
    count = max(1, megabytes // 10)
    size = megabytes * 1024**2 // count
    entries = [Entry("opt", "dir", mode=0o755), Entry("opt/bulk", "dir", mode=0o755)]
    return entries + [
        Entry(f"opt/bulk/part-{i:03d}.bin", data=os.urandom(size)) for i in range(count)
    ]


def plain_tar_unpack(archive: Path, into: Path) -> float:
    """The anchor: ``tar`` extracting the image archive, then each layer blob, no checks."""
    started = time.perf_counter()
    blobs = into / "blobs"
    blobs.mkdir(parents=True)
    subprocess.run(["tar", "-xf", str(archive), "-C", str(blobs)], check=True)
    index = json.loads((blobs / "index.json").read_text())
    digest = index["manifests"][0]["digest"].removeprefix("sha256:")
    manifest = json.loads((blobs / "blobs" / "sha256" / digest).read_text())
    rootfs = into / "rootfs"
    rootfs.mkdir()
    for layer in manifest["layers"]:
        blob = blobs / "blobs" / "sha256" / layer["digest"].removeprefix("sha256:")
        subprocess.run(["tar", "-xzf", str(blob), "-C", str(rootfs)], check=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument(
        "--cold", action="store_true", help="also time a numpy+sklearn+pandas build"
    )
    parser.add_argument("--image-mb", type=int, default=200, help="bulk data in the image")
    args = parser.parse_args()
    status = sandbox_status()
    print(f"sandbox: {status.mechanism}, cgroup {status.cgroup}, bwrap {status.bwrap_version}")
    with tempfile.TemporaryDirectory(prefix="jiebang-bench-runtimes-") as tmp:
        root = Path(tmp)
        build_wheel(root / "wheels", "jiebang-tiny", "1.0.0", "ANSWER = 42\n")
        settings = RuntimeSettings(
            cache_dir=root / "cache", find_links=root / "wheels", offline=True
        )
        python_spec = PythonRuntime(version=VERSION, requirements=("jiebang-tiny==1.0.0",))
        layers = [busybox_layer(), bulk_layer(args.image_mb)]
        archive, digest = oci_archive(root / "image.tar", [layer for layer in layers if layer])
        image_mb = archive.stat().st_size / 1024**2
        oci_spec = OciRuntime(archive_digest=digest)
        started = time.perf_counter()
        prepare(python_spec, settings=settings)
        python_build = time.perf_counter() - started
        started = time.perf_counter()
        prepare(oci_spec, archive=archive, settings=settings)
        oci_unpack = time.perf_counter() - started
        anchor_unpack = plain_tar_unpack(archive, root / "anchor")

        def platform_python() -> None:
            runtime = prepare(PlatformRuntime(), settings=settings)
            run_in(runtime, [runtime.python or "python3", "-c", "pass"])

        def warm_python() -> None:
            runtime = prepare(python_spec, settings=settings)
            run_in(runtime, [runtime.python or "python3", "-c", "pass"])

        def platform_true() -> None:
            run_in(prepare(PlatformRuntime(), settings=settings), ["/bin/true"])

        def warm_oci() -> None:
            run_in(prepare(oci_spec, settings=settings), ["/bin/sh", "-c", "true"])

        report: dict[str, object] = {
            "python_first_build_s (tiny wheel, offline)": python_build,
            f"oci_first_unpack_s ({image_mb:.0f} MB image)": oci_unpack,
            "anchor_plain_tar_unpack_s": anchor_unpack,
            "oci_first_unpack_ratio (ours / plain tar)": oci_unpack / anchor_unpack,
            "python_warm": compare(args.runs, warm_python, platform_python),
            "oci_warm": compare(args.runs, warm_oci, platform_true),
        }
        if args.cold:
            cold = RuntimeSettings(cache_dir=root / "cold")
            started = time.perf_counter()
            prepare(PythonRuntime(version=VERSION, requirements=COLD_REQUIREMENTS), settings=cold)
            report["python_cold_build_s (numpy+scikit-learn+pandas)"] = (
                time.perf_counter() - started
            )
    for name, value in report.items():
        if isinstance(value, dict):
            verdict = "ok" if value["overhead_s"] <= 0.1 else "OVER the 0.1 s target"
            print(
                f"{name:>10}: {value['runtime_median_s'] * 1000:7.1f} ms vs platform "
                f"{value['platform_median_s'] * 1000:7.1f} ms -> overhead "
                f"{value['overhead_s'] * 1000:+7.1f} ms ({verdict})"
            )
        else:
            print(f"{name}: {value:.2f}" + ("" if "ratio" in name else " s"))
    print(json.dumps(report))


if __name__ == "__main__":
    main()
