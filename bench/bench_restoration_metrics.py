"""Frames per second of our numpy PSNR + SSIM vs scikit-image on 1080p luma frames.

Run by hand: ``.venv/bin/python bench/bench_restoration_metrics.py [--frames N]``.
Both sides score the same frames in the same process; the printed ratios are
measured in this run. Targets: ≥ 10× for PSNR + SSIM.

Rows:
* ``block``: our PSNR + ffmpeg-definition block SSIM (8×8 windows on a 4-px grid)
  vs skimage PSNR + skimage SSIM with Wang's Gaussian window (the quality an
  organiser would otherwise compute with skimage).
* ``gaussian``: what the restoration evaluator runs by default (Wang-Gaussian SSIM,
  no mask): one ``mse_and_ssim_gaussian`` pass giving the MSE (→ PSNR) and the
  SSIM, vs the same skimage calls (same definitions on both sides; SSIM agrees to
  1e-7, the MSE exactly). Our pass spreads row strips over up to 4 threads of
  this process (scikit-image runs on one core); ``gauss 1T`` pins it to one
  thread to show the per-core speed-up.
* ``gauss f64``: the ``gaussian`` row on float64 copies of the frames: what the
  evaluator passes for luma computed from RGB PNGs (8-bit Y planes of YUV clips and
  RGB/grey PNGs reach the metric as integers, as in the ``gaussian`` row).
* ``unfused``: our separate ``psnr`` + ``ssim_gaussian`` calls (two passes over
  the frame, as a caller of the two public functions gets), for transparency.

Other processes on the machine skew the threaded rows most: run it on an idle
machine, and ``--repeat`` takes each side's best pass over the same frames.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import numpy as np
from skimage.metrics import peak_signal_noise_ratio, structural_similarity

from jiebang_eval.metrics import _gaussian_strips as strips_module
from jiebang_eval.metrics.psnr import psnr, psnr_from_mse
from jiebang_eval.metrics.ssim_block import ssim_block
from jiebang_eval.metrics.ssim_gaussian import mse_and_ssim_gaussian, ssim_gaussian

Frame = tuple[np.ndarray, np.ndarray]


def make_frames(count: int, seed: int = 0) -> list[Frame]:
    """Smooth 1080p luma frames and noisy versions of them (uint8)."""
    rng = np.random.default_rng(seed)
    frames = []
    for _ in range(count):
        base = np.cumsum(np.cumsum(rng.normal(size=(1080, 1920)), 0), 1)
        ref = ((base - base.min()) / np.ptp(base) * 255).astype(np.uint8)
        noisy = np.clip(ref + rng.normal(0, 6, ref.shape), 0, 255).astype(np.uint8)
        frames.append((ref, noisy))
    return frames


def frames_per_second(
    score: Callable[[np.ndarray, np.ndarray], float], frames: list[Frame], repeat: int = 1
) -> float:
    score(*frames[0])  # warm-up
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for ref, dist in frames:
            score(ref, dist)
        best = min(best, time.perf_counter() - start)
    return len(frames) / best


def ours_block(ref: np.ndarray, dist: np.ndarray) -> float:
    return psnr(ref, dist, peak=255) + ssim_block(ref, dist, data_range=255)


def ours_gaussian(ref: np.ndarray, dist: np.ndarray) -> float:
    mse, ssim = mse_and_ssim_gaussian(ref, dist, data_range=255)
    return psnr_from_mse(mse, peak=255) + ssim


def ours_gaussian_unfused(ref: np.ndarray, dist: np.ndarray) -> float:
    return psnr(ref, dist, peak=255) + ssim_gaussian(ref, dist, data_range=255)


def ours_gaussian_one_thread(ref: np.ndarray, dist: np.ndarray) -> float:
    saved = strips_module._MAX_THREADS
    strips_module._MAX_THREADS = 1
    try:
        return ours_gaussian(ref, dist)
    finally:
        strips_module._MAX_THREADS = saved


def skimage_wang(ref: np.ndarray, dist: np.ndarray) -> float:
    ssim = structural_similarity(
        ref,
        dist,
        data_range=255,
        gaussian_weights=True,
        sigma=1.5,
        use_sample_covariance=False,
    )
    return float(peak_signal_noise_ratio(ref, dist, data_range=255) + ssim)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--frames", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=1, help="best of this many passes")
    args = parser.parse_args()
    frames = make_frames(args.frames)
    reference_fps = frames_per_second(skimage_wang, frames, args.repeat)
    print(f"scikit-image PSNR + Wang SSIM : {reference_fps:8.2f} frames/s (1920×1080 luma)")
    # the restoration evaluator hands the metrics float64 planes (frames.py converts them)
    float_frames = [(ref.astype(np.float64), dist.astype(np.float64)) for ref, dist in frames]
    rows = (
        ("block", ours_block, frames),
        ("gaussian", ours_gaussian, frames),
        ("gauss 1T", ours_gaussian_one_thread, frames),
        ("gauss f64", ours_gaussian, float_frames),
        ("unfused", ours_gaussian_unfused, frames),
    )
    for label, scorer, inputs in rows:
        fps = frames_per_second(scorer, inputs, args.repeat)
        print(
            f"ours PSNR + {label:9s} SSIM  : {fps:8.2f} frames/s  ratio {fps / reference_fps:6.2f}×"
        )


if __name__ == "__main__":
    main()
