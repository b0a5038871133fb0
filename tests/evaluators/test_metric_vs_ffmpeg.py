"""numpy PSNR / block SSIM and the codec path's parsed logs against ffmpeg's own filters."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from conftest import decode_to_raw, encode_hevc, run_ffmpeg, write_test_clip
from jiebang_eval.media.rawvideo import RawVideoFormat, iter_frames
from jiebang_eval.metrics.ffmpeg_probe import demuxer_input_args
from jiebang_eval.metrics.ffmpeg_quality import QualityOptions, measure_quality, raw_input_args
from jiebang_eval.metrics.psnr import mean_squared_error, psnr_global_mse
from jiebang_eval.metrics.ssim_block import ssim_block

FRAMES = 4
TOLERANCE = 1e-6


def _ffmpeg_reference_values(dist: Path, ref: Path, fmt: RawVideoFormat, tmp: Path):
    """Stand-alone psnr and ssim filter runs: summary PSNR (double) and per-frame SSIM."""
    stats = tmp / "ssim_alone.log"
    completed = run_ffmpeg(
        *raw_input_args(dist, fmt),
        *raw_input_args(ref, fmt),
        "-lavfi",
        f"[0:v][1:v]psnr;[0:v][1:v]ssim=stats_file={stats}",
        "-f",
        "null",
        "-",
    )
    summary = re.search(r"PSNR y:(\S+) u:(\S+) v:(\S+) average:(\S+)", completed.stderr)
    assert summary is not None, completed.stderr
    psnr_summary = dict(zip("yuv", map(float, summary.groups()[:3]), strict=True))
    ssim_frames = {c: [] for c in "YUV"}
    for line in stats.read_text().splitlines():
        for key, value in re.findall(r"([YUV]):([0-9.]+)", line):
            ssim_frames[key].append(float(value))
    return psnr_summary, ssim_frames


@pytest.fixture(params=["yuv420p", "yuv420p10le"], scope="module")
def clip_pair(request, tmp_path_factory):
    tmp = tmp_path_factory.mktemp(request.param)
    fmt = RawVideoFormat(176, 144, request.param)
    ref, bitstream, dist = tmp / "ref.yuv", tmp / "dist.hevc", tmp / "dist.yuv"
    write_test_clip(ref, fmt, FRAMES)
    encode_hevc(ref, fmt, bitstream, qp=38)
    decode_to_raw(bitstream, fmt, dist)
    return fmt, ref, bitstream, dist, tmp


def test_numpy_psnr_and_block_ssim_equal_ffmpeg_filters(clip_pair):
    fmt, ref, _, dist, tmp = clip_pair
    psnr_summary, ssim_frames = _ffmpeg_reference_values(dist, ref, fmt, tmp)
    frame_mse = {c: [] for c in "yuv"}
    for n, (ref_planes, dist_planes) in enumerate(
        zip(iter_frames(ref, fmt), iter_frames(dist, fmt), strict=True)
    ):
        for c, plane_ref, plane_dist, ffmpeg_ssim in zip(
            "yuv", ref_planes, dist_planes, (ssim_frames[k][n] for k in "YUV"), strict=True
        ):
            frame_mse[c].append(mean_squared_error(plane_ref, plane_dist))
            ours = ssim_block(plane_ref, plane_dist, data_range=fmt.peak)
            assert abs(ours - ffmpeg_ssim) < TOLERANCE
    assert len(frame_mse["y"]) == FRAMES == len(ssim_frames["Y"])
    for c in "yuv":
        assert abs(psnr_global_mse(frame_mse[c], peak=fmt.peak) - psnr_summary[c]) < TOLERANCE


def test_codec_path_logs_equal_ffmpeg_filters(clip_pair):
    fmt, ref, bitstream, dist, tmp = clip_pair
    psnr_summary, ssim_frames = _ffmpeg_reference_values(dist, ref, fmt, tmp)
    log = measure_quality(
        distorted_input=demuxer_input_args(bitstream, "hevc"),
        reference=ref,
        fmt=fmt,
        options=QualityOptions(ms_ssim=False, vmaf_models=()),
        log_dir=tmp / "graph_logs",
    )
    assert log.frame_count == FRAMES
    for c in "yuv":
        assert abs(psnr_global_mse(log.mse[c], peak=fmt.peak) - psnr_summary[c]) < TOLERANCE
        assert np.allclose(log.ssim[c], ssim_frames[c.upper()], rtol=0, atol=TOLERANCE)


def test_parsed_frame_mse_matches_numpy_to_float32_precision(clip_pair):
    fmt, ref, _, dist, tmp = clip_pair
    log = measure_quality(
        distorted_input=raw_input_args(dist, fmt),
        reference=ref,
        fmt=fmt,
        options=QualityOptions(ssim=False, ms_ssim=False, vmaf_models=()),
        log_dir=tmp / "raw_logs",
    )
    numpy_mse = [
        mean_squared_error(r[0], d[0])
        for r, d in zip(iter_frames(ref, fmt), iter_frames(dist, fmt), strict=True)
    ]
    # ffmpeg exports per-frame MSE as float32: compare relatively at that precision.
    assert np.allclose(log.mse["y"], numpy_mse, rtol=1e-6, atol=0)
