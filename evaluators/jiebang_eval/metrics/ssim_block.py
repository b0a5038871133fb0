"""SSIM as ffmpeg's ``ssim`` filter computes it: 8×8 windows on a 4-pixel grid.

libavfilter/vf_ssim.c (after x264) sums 4×4 blocks, forms every 8×8 window
from 2×2 neighbouring blocks (so windows overlap and step by 4 pixels), and
evaluates SSIM on the integer sums with x264's constants
``c1 = round(0.01²·L²·64)`` and ``c2 = round(0.03²·L²·64·63)``. Pixels beyond
the last whole 4×4 block on the right/bottom are ignored. The plane score is
the plain mean over the ``(W//4 − 1)·(H//4 − 1)`` windows.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from jiebang_eval.metrics._checks import cropped, exact_pair, positive, validated_mask


def _block_sums(plane: NDArray[Any], accumulator: type[np.number[Any]]) -> NDArray[np.float64]:
    """Sums of the whole 4×4 blocks (exact for integer planes), returned as float64."""
    h4, w4 = plane.shape[0] // 4, plane.shape[1] // 4
    rows = np.add(plane[0 : 4 * h4 : 4], plane[1 : 4 * h4 : 4], dtype=accumulator)
    rows += plane[2 : 4 * h4 : 4]
    rows += plane[3 : 4 * h4 : 4]
    blocks = rows[:, 0 : 4 * w4 : 4] + rows[:, 1 : 4 * w4 : 4] + rows[:, 2 : 4 * w4 : 4]
    blocks += rows[:, 3 : 4 * w4 : 4]
    return blocks.astype(np.float64)


def _window_sums(blocks: NDArray[np.float64]) -> NDArray[np.float64]:
    return blocks[:-1, :-1] + blocks[1:, :-1] + blocks[:-1, 1:] + blocks[1:, 1:]


def ssim_block_map(
    reference: NDArray[Any],
    distorted: NDArray[Any],
    *,
    data_range: float,
    accumulator: type[np.number[Any]],
) -> NDArray[np.float64]:
    """SSIM of every 8×8 window of one 2-D plane, shape ``(H//4 − 1, W//4 − 1)``.

    Inputs are validated 2-D planes; ``accumulator`` is the exact sum type from
    :func:`~jiebang_eval.metrics._checks.exact_pair` (integer → ffmpeg's rounded constants).
    """
    if reference.shape[0] < 8 or reference.shape[1] < 8:
        raise ValueError(f"plane {reference.shape} is smaller than one 8×8 window")
    acc = accumulator
    s1 = _window_sums(_block_sums(reference, acc))
    s2 = _window_sums(_block_sums(distorted, acc))
    squares = np.multiply(reference, reference, dtype=acc)
    squares += np.multiply(distorted, distorted, dtype=acc)
    ss = _window_sums(_block_sums(squares, acc))
    s12 = _window_sums(_block_sums(np.multiply(reference, distorted, dtype=acc), acc))
    c1 = 0.01 * 0.01 * data_range * data_range * 64
    c2 = 0.03 * 0.03 * data_range * data_range * 64 * 63
    if np.issubdtype(accumulator, np.integer):
        c1, c2 = float(int(c1 + 0.5)), float(int(c2 + 0.5))
    variances = ss * 64 - s1 * s1 - s2 * s2
    covariance = s12 * 64 - s1 * s2
    numerator = (2 * s1 * s2 + c1) * (2 * covariance + c2)
    denominator = (s1 * s1 + s2 * s2 + c1) * (variances + c2)
    result: NDArray[np.float64] = numerator / denominator
    return result


def ssim_block(
    reference: ArrayLike,
    distorted: ArrayLike,
    *,
    data_range: float,
    mask: ArrayLike | None = None,
    border: int = 0,
) -> float:
    """Mean SSIM with ffmpeg's overlapped 8×8 block windows (x264 definition).

    Parameters
    ----------
    reference, distorted : array_like
        Images of identical shape ``(H, W)`` or ``(H, W, C)``; channels are
        scored separately and averaged with equal weight.
    data_range : float
        Dynamic range ``L`` of the samples (255 for 8-bit, 1023 for 10-bit).
    mask : array_like of bool, optional
        ``(H, W)`` region of interest. Each window is weighted by the fraction
        of its 64 pixels inside the mask; windows outside count zero. With no
        mask the result equals ffmpeg's per-plane value.
    border : int, optional
        Pixels removed from every side (of images and mask) before scoring.

    Returns
    -------
    float
        Mean SSIM in [-1, 1].

    Notes
    -----
    When both inputs have an integer dtype the constants are rounded to
    integers exactly as ffmpeg does; float inputs use the exact constants.

    References
    ----------
    .. [1] Z. Wang, A. C. Bovik, H. R. Sheikh and E. P. Simoncelli, "Image quality
       assessment: from error visibility to structural similarity", IEEE Trans.
       Image Processing 13(4), 600-612, 2004. DOI:10.1109/TIP.2003.819861
    .. [2] FFmpeg, libavfilter/vf_ssim.c (Loren Merritt, x264 ``ssim`` code).
    """
    ref, dist, accumulator = exact_pair(reference, distorted)
    ref, dist = cropped(ref, border), cropped(dist, border)
    m = validated_mask(cropped(np.asarray(mask), border) if mask is not None else None, ref.shape)
    rng = positive(data_range, "data_range")
    if ref.ndim == 2:
        ref, dist = ref[..., None], dist[..., None]
    if ref.ndim != 3:
        raise ValueError(f"expected (H, W) or (H, W, C) images, got shape {ref.shape}")
    weights = None
    if m is not None:
        mask2d: NDArray[np.bool_] = m if m.ndim == 2 else np.all(m, axis=2)
        weights = _window_sums(_block_sums(mask2d, np.int32)) / 64.0
        if not weights.any():
            raise ValueError("mask covers no 8×8 window")
    scores = []
    for c in range(ref.shape[2]):
        window_ssim = ssim_block_map(
            ref[..., c], dist[..., c], data_range=rng, accumulator=accumulator
        )
        if weights is None:
            scores.append(float(window_ssim.mean()))
        else:
            scores.append(float((window_ssim * weights).sum() / weights.sum()))
    return float(np.mean(scores))
