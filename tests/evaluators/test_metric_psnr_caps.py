"""PSNR caps follow libvmaf (6·bitdepth + 12 dB) in every pooling, checked against libvmaf itself."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from conftest import run_ffmpeg, write_test_clip
from jiebang_eval.codec_rd import QualityDefinition, pool_quality
from jiebang_eval.media.rawvideo import RawVideoFormat
from jiebang_eval.metrics.ffmpeg_quality import FrameQualityLog, raw_input_args
from jiebang_eval.metrics.psnr import psnr_cap_db, psnr_from_mse, psnr_global_mse


def test_cap_values_are_libvmafs():
    assert psnr_cap_db(8) == 60.0
    assert psnr_cap_db(10) == 72.0
    assert psnr_cap_db(12) == 84.0
    with pytest.raises(ValueError):
        psnr_cap_db(0)


@pytest.mark.parametrize(("pix_fmt", "cap"), [("yuv420p", 60.0), ("yuv420p10le", 72.0)])
def test_identical_frames_read_the_same_cap_as_libvmaf(tmp_path, pix_fmt, cap):
    fmt = RawVideoFormat(64, 48, pix_fmt)
    clip = tmp_path / "clip.yuv"
    write_test_clip(clip, fmt, 2)
    log = tmp_path / "vmaf.json"
    run_ffmpeg(
        *raw_input_args(clip, fmt),
        *raw_input_args(clip, fmt),
        "-lavfi",
        f"[0:v][1:v]libvmaf=feature=name=psnr:log_path={log}:log_fmt=json:model=version=vmaf_v0.6.1",
        "-f",
        "null",
        "-",
    )
    frames = json.loads(log.read_text())["frames"]
    assert {f["metrics"]["psnr_y"] for f in frames} == {cap}
    assert psnr_from_mse(0.0, peak=fmt.peak, max_db=psnr_cap_db(fmt.bit_depth)) == cap


def _log(y: list[float], uv: list[float]) -> FrameQualityLog:
    n = len(y)
    mse = {
        "y": y,
        "u": uv,
        "v": uv,
        "avg": [(4 * a + 2 * b) / 6 for a, b in zip(y, uv, strict=True)],
    }
    return FrameQualityLog(mse=mse, ssim={"y": [0.9] * n, "all": [0.9] * n}, ms_ssim=[], vmaf={})


@pytest.mark.parametrize("pooling", ["mean_frame_db", "global_mse"])
def test_flat_chroma_is_capped_at_60_db_in_every_pooling(pooling):
    # Gaming vector: identical chroma read as 100 dB per plane and lifted PSNR-YUV (6:1:1)
    # from a PSNR-Y of 12.95 dB to 34.71 dB.
    fmt = RawVideoFormat(64, 48, "yuv420p")
    mse_y = 255.0**2 / 10 ** (12.95 / 10)
    definition = QualityDefinition(psnr_pooling=pooling, compute_vmaf=False)
    quality = pool_quality(_log([mse_y, mse_y], [0.0, 0.0]), fmt, definition)
    assert quality["psnr_u"] == quality["psnr_v"] == 60.0
    assert quality["psnr_y"] == pytest.approx(12.95)
    assert quality["psnr_yuv"] == pytest.approx((6 * 12.95 + 120) / 8)


def test_one_lossless_frame_moves_the_mean_by_at_most_the_cap():
    fmt = RawVideoFormat(64, 48, "yuv420p")
    definition = QualityDefinition(compute_vmaf=False)
    worst = 255.0**2  # 0 dB
    quality = pool_quality(_log([worst, 0.0], [worst, 0.0]), fmt, definition)
    assert quality["psnr_y"] == pytest.approx(30.0)  # (0 + 60) / 2, was (0 + 100) / 2
    assert psnr_global_mse([0.0, 0.0], peak=255, max_db=60.0) == 60.0
    assert math.isinf(psnr_global_mse([0.0], peak=255))  # uncapped only when asked
    assert np.isclose(psnr_global_mse([worst, 0.0], peak=255, max_db=60.0), 10 * math.log10(2))
