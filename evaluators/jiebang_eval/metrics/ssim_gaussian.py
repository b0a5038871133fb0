"""SSIM with Wang et al.'s 11×11 Gaussian window (σ = 1.5).

Matches ``skimage.metrics.structural_similarity(gaussian_weights=True,
sigma=1.5, use_sample_covariance=False, data_range=L)``: Gaussian filter
truncated at 3.5σ with reflective edges, population (co)variances, and the
mean taken after dropping the 5-pixel rim where the window leaves the image.

Per pixel, with ``μ = G∗x``, ``σ² = G∗x² − μ²`` and ``σ₁₂ = G∗xy − μ₁μ₂``::

    SSIM = (2μ₁μ₂ + C₁)(2σ₁₂ + C₂) / ((μ₁² + μ₂² + C₁)(σ₁² + σ₂² + C₂)),
    C₁ = (0.01·L)², C₂ = (0.03·L)².

How it is computed (numpy only, float64 throughout, so it agrees with
scikit-image to ~1e-15): every pixel of the averaged region lies at least one
window radius inside the image, so only the *valid* part of each filter is
needed and no padding is done. The four maps ``x``, ``y``, ``x² + y²`` and
``xy`` are built for a strip of rows at a time and filtered by two BLAS matrix
products with banded Gaussian matrices (vertical pass, then horizontal pass
over overlapping column tiles), then the SSIM formula runs on the same strip
while it is in cache. Strips are shared between threads; each matrix product is
kept small enough that OpenBLAS runs it on the calling thread (its
``M·N·K ≤ 2¹⁸`` rule), so the threads and BLAS don't oversubscribe the cores.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
from numpy.lib.stride_tricks import as_strided
from numpy.typing import ArrayLike, NDArray

from jiebang_eval.metrics._checks import as_float64_pair, cropped, positive, validated_mask

_TRUNCATE = 3.5
_STRIP_ROWS = 12  # output rows per strip: the strip's maps stay in L2 cache (measured best)
_TILE = 16  # output columns per horizontal matrix product (measured best)
_SINGLE_THREAD_MNK = 1 << 18  # OpenBLAS does a GEMM on the caller's thread up to this size
_MAX_THREADS = 4


def _gaussian_kernel(sigma: float) -> NDArray[np.float64]:
    radius = int(_TRUNCATE * sigma + 0.5)
    x = np.arange(-radius, radius + 1, dtype=np.float64)
    kernel = np.exp(-0.5 * (x / sigma) ** 2)
    result: NDArray[np.float64] = kernel / kernel.sum()
    return result


def _band(kernel: NDArray[np.float64], n: int) -> NDArray[np.float64]:
    """``(n + k − 1, n)`` matrix: column ``j`` holds the kernel at rows ``j … j + k − 1``.

    ``row @ band`` is the valid correlation of ``row`` (length ``n + k − 1``) with the kernel.
    """
    k = kernel.size
    band = np.zeros((n + k - 1, n))
    for j in range(n):
        band[j : j + k, j] = kernel
    return band


class _Plan:
    """Strip and tile sizes, padded buffer widths and the banded matrices for one plane size."""

    def __init__(self, height: int, width: int, kernel: NDArray[np.float64]) -> None:
        pad = kernel.size - 1
        self.height, self.width, self.pad = height, width, pad
        self.out_h, self.out_w = height - pad, width - pad
        self.rows = rows = min(_STRIP_ROWS, self.out_h)
        self.tile = tile = min(_TILE, self.out_w)
        self.tiles = -(-self.out_w // tile)
        self.tiled_w = self.tiles * tile  # width of the filtered maps (≥ out_w)
        # vertical pass: column chunks of every map, each product single-threaded
        chunk = max(1, min(self.tiled_w + pad, _SINGLE_THREAD_MNK // (rows * (rows + pad))))
        self.chunks = -(-(self.tiled_w + pad) // chunk)
        self.chunk = chunk
        self.padded_w = self.chunks * chunk  # row length of the unfiltered maps
        vertical = np.ascontiguousarray(_band(kernel, rows).T)  # (rows, rows + pad)
        # the xy map is filtered with doubled weights: it yields 2·G∗xy directly
        scale = np.array([1.0, 1.0, 1.0, 2.0])[:, None, None, None]
        self.vertical = scale * np.broadcast_to(vertical, (4, self.chunks, *vertical.shape))
        self.horizontal = _band(kernel, tile)  # (tile + pad, tile)


def _strip_sum(
    plan: _Plan,
    reference: NDArray[Any],
    distorted: NDArray[Any],
    starts: list[int],
    constants: tuple[float, float],
    mask: NDArray[np.bool_] | None,
    out: NDArray[np.float64] | None,
) -> float:
    """Sum of the SSIM map over the strips beginning at output rows ``starts``.

    With ``mask`` (shape of the valid map) only masked pixels are summed; with
    ``out`` (shape of the valid map) the SSIM map is also stored there.
    """
    rows, pad, width = plan.rows, plan.pad, plan.width
    padded_w, tiled_w, chunk, tile = plan.padded_w, plan.tiled_w, plan.chunk, plan.tile
    c1, c2 = constants
    maps = np.zeros((4, rows + pad, padded_w))  # x, y, x² + y², xy
    smoothed = np.empty((4, rows, padded_w))  # after the vertical pass
    filtered = np.empty((4, rows, tiled_w))  # μ₁, μ₂, G∗(x² + y²), 2·G∗xy
    num = np.empty((rows, tiled_w))
    f8 = maps.itemsize
    maps_chunks = as_strided(
        maps, (4, plan.chunks, rows + pad, chunk), (maps.strides[0], chunk * f8, padded_w * f8, f8)
    )
    smoothed_chunks = as_strided(
        smoothed,
        (4, plan.chunks, rows, chunk),
        (smoothed.strides[0], chunk * f8, padded_w * f8, f8),
    )
    smoothed_tiles = as_strided(
        smoothed, (plan.tiles, 4 * rows, tile + pad), (tile * f8, padded_w * f8, f8)
    )
    filtered_tiles = as_strided(
        filtered, (plan.tiles, 4 * rows, tile), (tile * f8, tiled_w * f8, f8)
    )
    x, y, squares, products = maps
    mu1, mu2, sum_sq, cross = filtered
    total = 0.0
    for top in starts:
        in_rows = min(rows + pad, plan.height - top)
        if in_rows < rows + pad:
            maps[:, in_rows:] = 0.0
        np.copyto(x[:in_rows, :width], reference[top : top + in_rows], casting="unsafe")
        np.copyto(y[:in_rows, :width], distorted[top : top + in_rows], casting="unsafe")
        np.multiply(x, x, out=squares)
        np.multiply(y, y, out=products)
        squares += products
        np.multiply(x, y, out=products)
        np.matmul(plan.vertical, maps_chunks, out=smoothed_chunks)
        np.matmul(smoothed_tiles, plan.horizontal, out=filtered_tiles)
        # num = A₁·A₂ with A₁ = 2μ₁μ₂ + C₁, A₂ = 2σ₁₂ + C₂ = 2·G∗xy − A₁ + C₁ + C₂;
        # den = B₁·B₂ with B₁ = A₁ + (μ₁ − μ₂)², B₂ = σ₁² + σ₂² + C₂ = G∗(x² + y²) − B₁ + C₁ + C₂
        np.multiply(mu1, mu2, out=num)
        num *= 2.0
        num += c1
        np.subtract(mu1, mu2, out=mu1)
        np.multiply(mu1, mu1, out=mu1)
        mu1 += num
        np.subtract(cross, num, out=cross)
        cross += c1 + c2
        np.subtract(sum_sq, mu1, out=sum_sq)
        sum_sq += c1 + c2
        np.multiply(num, cross, out=num)
        np.multiply(mu1, sum_sq, out=mu1)
        np.divide(num, mu1, out=num)
        out_rows = in_rows - pad
        ssim = num[:out_rows, : plan.out_w]
        if out is not None:
            out[top : top + out_rows] = ssim
        if mask is None:
            total += float(ssim.sum())
        else:
            total += float(ssim[mask[top : top + out_rows]].sum())
    return total


def _thread_count(strips: int) -> int:
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, _MAX_THREADS, strips // 4))


def _valid_ssim_sum(
    reference: NDArray[Any],
    distorted: NDArray[Any],
    kernel: NDArray[np.float64],
    constants: tuple[float, float],
    mask: NDArray[np.bool_] | None = None,
    out: NDArray[np.float64] | None = None,
) -> float:
    """Sum of the SSIM map over the valid region of one 2-D plane (the map is rim-free)."""
    plan = _Plan(reference.shape[0], reference.shape[1], kernel)
    starts = list(range(0, plan.out_h, plan.rows))
    threads = _thread_count(len(starts))
    if threads == 1:
        return _strip_sum(plan, reference, distorted, starts, constants, mask, out)
    with ThreadPoolExecutor(threads) as pool:
        parts = pool.map(
            lambda part: _strip_sum(plan, reference, distorted, part, constants, mask, out),
            [starts[i::threads] for i in range(threads)],
        )
        return float(sum(parts))


def _constants(data_range: float, k1: float, k2: float) -> tuple[float, float]:
    return (k1 * data_range) ** 2, (k2 * data_range) ** 2


def ssim_gaussian_map(
    reference: NDArray[np.float64],
    distorted: NDArray[np.float64],
    *,
    data_range: float,
    sigma: float = 1.5,
    k1: float = 0.01,
    k2: float = 0.03,
) -> NDArray[np.float64]:
    """Per-pixel SSIM map of one validated 2-D plane (rim not removed).

    The filter reflects at the edges (``d c b a | a b c d``, scipy's ``reflect``),
    as scikit-image does; :func:`ssim_gaussian` never needs the rim values.
    """
    kernel = _gaussian_kernel(sigma)
    radius = kernel.size // 2
    ref = np.pad(reference, radius, mode="symmetric")
    dist = np.pad(distorted, radius, mode="symmetric")
    result = np.empty(reference.shape)
    _valid_ssim_sum(ref, dist, kernel, _constants(data_range, k1, k2), out=result)
    return result


def _as_pair(reference: ArrayLike, distorted: ArrayLike) -> tuple[NDArray[Any], NDArray[Any]]:
    """Integer pairs are used as they are (converted strip by strip); others as float64."""
    ref, dist = np.asarray(reference), np.asarray(distorted)
    if np.issubdtype(ref.dtype, np.integer) and np.issubdtype(dist.dtype, np.integer):
        if ref.shape != dist.shape:
            raise ValueError(f"shape mismatch: reference {ref.shape} vs distorted {dist.shape}")
        if ref.size == 0:
            raise ValueError("inputs are empty")
        return ref, dist
    return as_float64_pair(ref, dist)


def ssim_gaussian(
    reference: ArrayLike,
    distorted: ArrayLike,
    *,
    data_range: float,
    sigma: float = 1.5,
    mask: ArrayLike | None = None,
    border: int = 0,
) -> float:
    """Mean SSIM with a Gaussian-weighted window (Wang et al. 2004).

    Parameters
    ----------
    reference, distorted : array_like
        Images of identical shape ``(H, W)`` or ``(H, W, C)``; channels are
        averaged with equal weight.
    data_range : float
        Dynamic range ``L`` (255 for 8-bit images, 1.0 for images in [0, 1]).
    sigma : float, optional
        Standard deviation of the Gaussian window; the window radius is
        ``int(3.5·σ + 0.5)`` (5 for σ = 1.5, i.e. 11×11).
    mask : array_like of bool, optional
        ``(H, W)`` region of interest: the SSIM map is averaged over masked
        pixels only (after the rim is removed).
    border : int, optional
        Pixels removed from every side before filtering.

    Returns
    -------
    float
        Mean SSIM.

    References
    ----------
    .. [1] Z. Wang, A. C. Bovik, H. R. Sheikh and E. P. Simoncelli, "Image quality
       assessment: from error visibility to structural similarity", IEEE Trans.
       Image Processing 13(4), 600-612, 2004. DOI:10.1109/TIP.2003.819861
    """
    ref, dist = _as_pair(reference, distorted)
    ref, dist = cropped(ref, border), cropped(dist, border)
    m = validated_mask(cropped(np.asarray(mask), border) if mask is not None else None, ref.shape)
    rng = positive(data_range, "data_range")
    sig = positive(sigma, "sigma")
    if ref.ndim == 2:
        ref, dist = ref[..., None], dist[..., None]
    if ref.ndim != 3:
        raise ValueError(f"expected (H, W) or (H, W, C) images, got shape {ref.shape}")
    kernel = _gaussian_kernel(sig)
    pad = kernel.size // 2
    if ref.shape[0] <= 2 * pad or ref.shape[1] <= 2 * pad:
        raise ValueError(f"image {ref.shape[:2]} is too small for a {2 * pad + 1}-pixel window")
    inner = (slice(pad, -pad), slice(pad, -pad))
    mask_inner = None
    count = (ref.shape[0] - 2 * pad) * (ref.shape[1] - 2 * pad)
    if m is not None:
        mask2d: NDArray[np.bool_] = m if m.ndim == 2 else np.all(m, axis=2)
        mask_inner = mask2d[inner]
        count = int(np.count_nonzero(mask_inner))
        if count == 0:
            raise ValueError("mask selects no pixel away from the image rim")
    constants = _constants(rng, 0.01, 0.03)
    scores = [
        _valid_ssim_sum(ref[..., c], dist[..., c], kernel, constants, mask_inner) / count
        for c in range(ref.shape[2])
    ]
    return float(np.mean(scores))
