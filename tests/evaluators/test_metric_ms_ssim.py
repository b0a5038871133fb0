"""numpy MS-SSIM against libvmaf's own ``float_ms_ssim``, frame by frame, on the same frames."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from conftest import decode_to_raw, encode_hevc, noisy_copy, run_ffmpeg, write_test_clip
from jiebang_eval.media.rawvideo import RawVideoFormat, iter_frames
from jiebang_eval.metrics.ffmpeg_probe import demuxer_input_args
from jiebang_eval.metrics.ffmpeg_quality import QualityOptions, measure_quality, raw_input_args
from jiebang_eval.metrics.ms_ssim import ms_ssim, ms_ssim_scales

FRAMES = 3
TOLERANCE = 1e-6  # libvmaf's JSON log prints 6 decimals, i.e. ±5e-7 of rounding


def libvmaf_ms_ssim(dist: Path, ref: Path, fmt: RawVideoFormat, log: Path) -> list[float]:
    """Per-frame ``float_ms_ssim`` of bare libvmaf on two raw files."""
    run_ffmpeg(
        *raw_input_args(dist, fmt),
        *raw_input_args(ref, fmt),
        "-lavfi",
        f"[0:v][1:v]libvmaf=log_path={log}:log_fmt=json:feature=name=float_ms_ssim",
        "-f",
        "null",
        "-",
    )
    return [float(f["metrics"]["float_ms_ssim"]) for f in json.loads(log.read_text())["frames"]]


def numpy_ms_ssim(dist: Path, ref: Path, fmt: RawVideoFormat) -> list[float]:
    return [
        ms_ssim(r[0], d[0], bit_depth=fmt.bit_depth)
        for r, d in zip(iter_frames(ref, fmt), iter_frames(dist, fmt), strict=True)
    ]


def write_odd_clip(path: Path, fmt: RawVideoFormat, frames: int, seed: int) -> None:
    """Smooth shapes, edges and texture at any size (x265 and testsrc2 dislike odd sizes)."""
    rng = np.random.default_rng(seed)
    with path.open("wb") as handle:
        for n in range(frames):
            planes = []
            for rows, cols in fmt.plane_shapes:
                y, x = np.mgrid[0:rows, 0:cols]
                plane = 0.5 + 0.3 * np.sin((x + 3 * n) / 9.0) * np.cos(y / 13.0)
                plane += 0.15 * ((x // 23 + y // 17 + n) % 2)
                plane += 0.04 * rng.standard_normal((rows, cols))
                planes.append(np.clip(np.rint(plane * fmt.peak), 0, fmt.peak).ravel())
            np.concatenate(planes).astype(np.dtype(fmt.sample_dtype).newbyteorder("<")).tofile(
                handle
            )


@pytest.fixture(
    params=[
        ("yuv420p", 208, 192, "hevc"),
        ("yuv420p10le", 192, 208, "hevc"),
        ("yuv420p", 177, 179, "noise"),
        ("yuv444p10le", 181, 177, "noise"),
    ],
    ids=["8bit-hevc", "10bit-hevc", "8bit-odd", "10bit-odd"],
    scope="module",
)
def clip_pair(request, tmp_path_factory):
    pix_fmt, width, height, distortion = request.param
    tmp = tmp_path_factory.mktemp(f"{pix_fmt}_{width}x{height}")
    fmt = RawVideoFormat(width, height, pix_fmt)
    ref, bitstream, dist = tmp / "ref.yuv", tmp / "dist.hevc", tmp / "dist.yuv"
    if distortion == "hevc":
        write_test_clip(ref, fmt, FRAMES)
        encode_hevc(ref, fmt, bitstream, qp=38)
        decode_to_raw(bitstream, fmt, dist)
    else:
        write_odd_clip(ref, fmt, FRAMES, seed=width)
        noisy_copy(ref, fmt, dist, sigma=0.03 * fmt.peak, seed=height)
    return fmt, ref, dist, tmp


def test_numpy_ms_ssim_equals_libvmaf_per_frame(clip_pair):
    fmt, ref, dist, tmp = clip_pair
    expected = libvmaf_ms_ssim(dist, ref, fmt, tmp / "libvmaf.json")
    ours = numpy_ms_ssim(dist, ref, fmt)
    assert len(ours) == len(expected) == FRAMES
    assert np.max(np.abs(np.array(ours) - expected)) <= TOLERANCE
    assert all(0.5 < value < 1.0 for value in ours)


def test_identical_frames_score_one_and_terms_are_means(clip_pair):
    fmt, ref, _, _ = clip_pair
    plane = next(iter_frames(ref, fmt))[0]
    assert ms_ssim(plane, plane, bit_depth=fmt.bit_depth) == pytest.approx(1.0, abs=1e-7)
    terms = ms_ssim_scales(plane, plane, bit_depth=fmt.bit_depth)
    assert terms.shape == (5, 3)
    assert np.allclose(terms, 1.0, atol=1e-6)


def test_codec_path_ms_ssim_equals_libvmaf_feature_and_keeps_other_logs(clip_pair):
    fmt, ref, dist, tmp = clip_pair
    logs = {}
    for libvmaf in (True, False):
        logs[libvmaf] = measure_quality(
            distorted_input=raw_input_args(dist, fmt),
            reference=ref,
            fmt=fmt,
            options=QualityOptions(ms_ssim_libvmaf=libvmaf),
            log_dir=tmp / f"graph_{libvmaf}",
        )
    by_libvmaf, ours = logs[True], logs[False]
    assert len(ours.ms_ssim) == len(by_libvmaf.ms_ssim) == ours.frame_count == FRAMES
    assert np.max(np.abs(np.array(ours.ms_ssim) - by_libvmaf.ms_ssim)) <= TOLERANCE
    assert (ours.mse, ours.ssim, ours.vmaf) == (by_libvmaf.mse, by_libvmaf.ssim, by_libvmaf.vmaf)


def test_codec_path_decodes_once_with_scaled_vmaf_and_counts_extra_frames(tmp_path):
    fmt = RawVideoFormat(192, 176, "yuv420p")
    ref, bitstream = tmp_path / "ref.yuv", tmp_path / "long.hevc"
    write_test_clip(ref, fmt, FRAMES)
    longer = tmp_path / "longer.yuv"
    write_test_clip(longer, fmt, FRAMES + 2)
    encode_hevc(longer, fmt, bitstream, qp=36)
    logs = {}
    for libvmaf in (True, False):
        logs[libvmaf] = measure_quality(
            distorted_input=demuxer_input_args(bitstream, "hevc"),
            reference=ref,
            fmt=fmt,
            options=QualityOptions(ms_ssim_libvmaf=libvmaf, vmaf_scale=(320, 240)),
            log_dir=tmp_path / f"logs_{libvmaf}",
        )
    by_libvmaf, ours = logs[True], logs[False]
    # one padding frame past the reference: the count says "too many", never "exact"
    assert ours.frame_count == by_libvmaf.frame_count == FRAMES + 1
    assert len(ours.ms_ssim) == FRAMES + 1 and np.isnan(ours.ms_ssim[-1])
    diff = np.abs(np.array(ours.ms_ssim[:FRAMES]) - by_libvmaf.ms_ssim[:FRAMES])
    assert np.max(diff) <= TOLERANCE
    assert ours.vmaf == by_libvmaf.vmaf


def test_too_small_or_mismatched_planes_are_refused():
    plane = np.zeros((176, 175), dtype=np.uint8)
    with pytest.raises(ValueError, match="176"):
        ms_ssim(plane, plane)
    with pytest.raises(ValueError, match="shape mismatch"):
        ms_ssim(np.zeros((176, 176)), np.zeros((176, 177)))
    with pytest.raises(ValueError, match="bit_depth"):
        ms_ssim(np.zeros((176, 176)), np.zeros((176, 176)), bit_depth=4)


def test_reused_buffers_give_each_frame_its_own_value_across_sizes_and_threads():
    """Buffers are kept per thread and per size: interleaving must not leak values."""
    rng = np.random.default_rng(7)
    pairs = []
    for height, width in [(180, 200), (240, 321), (180, 200)]:
        ref = rng.integers(0, 256, (height, width)).astype(np.uint8)
        noisy = ref.astype(np.int32) + rng.integers(-20, 21, ref.shape)
        pairs.append((ref, np.clip(noisy, 0, 255).astype(np.uint8)))
    alone = [ms_ssim(ref, dist) for ref, dist in pairs]
    assert len(set(alone)) == len(alone)  # three different frames, three values
    assert [ms_ssim(ref, dist) for ref, dist in pairs] == alone  # same again, reused buffers
    with ThreadPoolExecutor(max_workers=3) as pool:
        in_threads = list(pool.map(lambda pair: ms_ssim(*pair), pairs * 4))
    assert in_threads == alone * 4


def test_sample_dtype_does_not_change_the_value():
    """uint8 and uint16 are read as they are, other dtypes become float32 first."""
    rng = np.random.default_rng(3)
    ref = rng.integers(0, 256, (190, 177)).astype(np.uint8)
    dist = np.clip(ref + rng.normal(0, 8, ref.shape), 0, 255).astype(np.uint8)
    expected = ms_ssim(ref, dist)
    for dtype in (np.uint16, np.int32, np.float32, np.float64):
        assert ms_ssim(ref.astype(dtype), dist.astype(dtype)) == expected
    assert ms_ssim(ref.astype(np.uint16) * 4, dist.astype(np.uint16) * 4, bit_depth=10) == expected


_CACHE_PROBE = (
    "import numpy as np\n"
    "from jiebang_eval.metrics import _ms_ssim_loops\n"
    "from jiebang_eval.metrics.ms_ssim import ms_ssim\n"
    "plane = np.zeros((176, 176), np.uint8)\n"
    "ms_ssim(plane, plane)\n"
    "print(sum(_ms_ssim_loops.frame_sums.stats.cache_hits.values()))\n"
)


def cache_hits(prefix: list[str], env: dict[str, str]) -> str:
    """Cache hits of the compiled loops in a fresh process run as ``prefix + python``."""
    command = [*prefix, sys.executable, "-c", _CACHE_PROBE]
    return subprocess.run(command, capture_output=True, text=True, check=True, env=env).stdout


def test_compiled_loops_come_from_numba_cache_in_a_new_process(tmp_path):
    """A fresh evaluator process must load the loops, not compile them (~2.5 s CPU)."""
    env = {**os.environ, "HOME": str(tmp_path)}  # numba's fallback cache folder if needed
    cache_hits([], env)
    assert cache_hits([], env).strip() == "1"


def test_compiled_loops_load_from_a_read_only_tree(tmp_path):
    """As in the scoring sandbox: the whole tree read-only, only a fresh /tmp writable."""
    bwrap = shutil.which("bwrap")
    probe = [bwrap or "bwrap", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"]
    probe += ["--tmpfs", "/tmp"]
    checkout = str(Path(__file__).resolve().parents[2])
    if checkout.startswith("/tmp/"):  # a checkout under /tmp stays visible (read-only)
        probe += ["--ro-bind", checkout, checkout]
    if bwrap is None or subprocess.run([*probe, "true"], capture_output=True).returncode:
        pytest.skip("bubblewrap is not usable here")
    env = {**os.environ, "HOME": "/tmp"}
    env.pop("NUMBA_CACHE_DIR", None)
    cache_hits([], env)  # compiled outside, into this tree's __pycache__
    assert cache_hits([*probe, "--setenv", "HOME", "/tmp"], env).strip() == "1"
