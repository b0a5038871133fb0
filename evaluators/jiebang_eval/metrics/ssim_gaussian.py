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
products with banded Gaussian matrices: a vertical pass in blocks of a few
output rows (each block reads only its own rows, so the band carries few
zeros), then a horizontal pass over overlapping narrow column tiles; then the
SSIM formula runs on the same strip while it is in cache, and the strip's sum
is taken as row dot products. :func:`mse_and_ssim_gaussian` also sums the
squared error of each row once while the strip is converted, so the PSNR needs
no pass of its own. Strips are shared between threads; each matrix product and
dot product is kept small enough that OpenBLAS runs it on the calling thread
(its ``M·N·K ≤ 2¹⁸`` rule for GEMM, ``n ≤ 10⁴`` for dot), so the threads and
BLAS don't oversubscribe the cores.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from jiebang_eval.metrics._checks import as_float64_pair, cropped, positive, validated_mask
from jiebang_eval.metrics._gaussian_strips import _gaussian_kernel, _valid_sums


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
    _valid_sums(ref, dist, kernel, _constants(data_range, k1, k2), out=result)
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
    return _mse_and_ssim(reference, distorted, data_range, sigma, mask, border, with_mse=False)[1]


def mse_and_ssim_gaussian(
    reference: ArrayLike,
    distorted: ArrayLike,
    *,
    data_range: float,
    sigma: float = 1.5,
    mask: ArrayLike | None = None,
    border: int = 0,
) -> tuple[float, float]:
    """``(mean squared error, mean Gaussian SSIM)`` of one image, in one pass over it.

    The SSIM is :func:`ssim_gaussian`'s; the MSE is
    :func:`jiebang_eval.metrics.psnr.mean_squared_error`'s (over all samples of
    the image, or of ``mask``, after ``border`` is removed), summed strip by
    strip while the samples are already converted for the SSIM filters. For
    integer-valued images (integer or float64 dtype) the two MSEs are identical
    while the total squared error stays below 2⁵³ (every partial sum is then an
    exact integer; e.g. any 8- to 12-bit image up to 8K); beyond that, and for
    non-integer images, they differ only by rounding (~1e-16 relative).
    """
    return _mse_and_ssim(reference, distorted, data_range, sigma, mask, border, with_mse=True)


def _mse_and_ssim(
    reference: ArrayLike,
    distorted: ArrayLike,
    data_range: float,
    sigma: float,
    mask: ArrayLike | None,
    border: int,
    *,
    with_mse: bool,
) -> tuple[float, float]:
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
    channels = ref.shape[2]
    mse_masks: list[NDArray[np.bool_] | None] = [None] * channels
    mse_count = ref.size
    if m is not None and with_mse:  # mean_squared_error's mask: (H, W) or per sample
        per_sample = np.broadcast_to(m if m.ndim == 3 else m[..., None], ref.shape)
        mse_masks = [per_sample[..., c] for c in range(channels)]
        mse_count = int(np.count_nonzero(per_sample))
    constants = _constants(rng, 0.01, 0.03)
    sums = [
        _valid_sums(
            ref[..., c], dist[..., c], kernel, constants, mask_inner, None, with_mse, mse_masks[c]
        )
        for c in range(channels)
    ]
    ssim = float(np.mean([s / count for s, _ in sums]))
    mse = sum(q for _, q in sums) / mse_count
    return mse, ssim
