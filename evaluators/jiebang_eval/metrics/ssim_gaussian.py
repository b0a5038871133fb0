"""SSIM with Wang et al.'s 11×11 Gaussian window (σ = 1.5).

Matches ``skimage.metrics.structural_similarity(gaussian_weights=True,
sigma=1.5, use_sample_covariance=False, data_range=L)``: Gaussian filter
truncated at 3.5σ with reflective edges, population (co)variances, and the
mean taken after dropping the 5-pixel rim where the window leaves the image.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import ndimage

from jiebang_eval.metrics._checks import as_float64_pair, cropped, positive, validated_mask

_TRUNCATE = 3.5


def _gaussian_kernel(sigma: float) -> NDArray[np.float64]:
    radius = int(_TRUNCATE * sigma + 0.5)
    x = np.arange(-radius, radius + 1, dtype=np.float64)
    kernel = np.exp(-0.5 * (x / sigma) ** 2)
    result: NDArray[np.float64] = kernel / kernel.sum()
    return result


def _blur(image: NDArray[np.float64], kernel: NDArray[np.float64]) -> NDArray[np.float64]:
    rows = ndimage.correlate1d(image, kernel, axis=0, mode="reflect")
    result: NDArray[np.float64] = ndimage.correlate1d(rows, kernel, axis=1, mode="reflect")
    return result


def ssim_gaussian_map(
    reference: NDArray[np.float64],
    distorted: NDArray[np.float64],
    *,
    data_range: float,
    sigma: float = 1.5,
    k1: float = 0.01,
    k2: float = 0.03,
) -> NDArray[np.float64]:
    """Per-pixel SSIM map of one validated float64 2-D plane (rim not removed)."""
    kernel = _gaussian_kernel(sigma)
    mu1, mu2 = _blur(reference, kernel), _blur(distorted, kernel)
    mu1_sq, mu2_sq = mu1 * mu1, mu2 * mu2
    # σ1² + σ2² from one blur of (x² + y²): four filter passes instead of five
    variances = _blur(reference * reference + distorted * distorted, kernel) - mu1_sq - mu2_sq
    cov = _blur(reference * distorted, kernel) - mu1 * mu2
    c1 = (k1 * data_range) ** 2
    c2 = (k2 * data_range) ** 2
    numerator = (2 * mu1 * mu2 + c1) * (2 * cov + c2)
    denominator = (mu1_sq + mu2_sq + c1) * (variances + c2)
    result: NDArray[np.float64] = numerator / denominator
    return result


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
    ref, dist = as_float64_pair(reference, distorted)
    ref, dist = cropped(ref, border), cropped(dist, border)
    m = validated_mask(cropped(np.asarray(mask), border) if mask is not None else None, ref.shape)
    rng = positive(data_range, "data_range")
    sig = positive(sigma, "sigma")
    if ref.ndim == 2:
        ref, dist = ref[..., None], dist[..., None]
    if ref.ndim != 3:
        raise ValueError(f"expected (H, W) or (H, W, C) images, got shape {ref.shape}")
    pad = int(_TRUNCATE * sig + 0.5)
    if ref.shape[0] <= 2 * pad or ref.shape[1] <= 2 * pad:
        raise ValueError(f"image {ref.shape[:2]} is too small for a {2 * pad + 1}-pixel window")
    inner = (slice(pad, -pad), slice(pad, -pad))
    mask_inner = None
    if m is not None:
        mask2d: NDArray[np.bool_] = m if m.ndim == 2 else np.all(m, axis=2)
        mask_inner = mask2d[inner]
        if not mask_inner.any():
            raise ValueError("mask selects no pixel away from the image rim")
    scores = []
    for c in range(ref.shape[2]):
        ssim_map = ssim_gaussian_map(ref[..., c], dist[..., c], data_range=rng, sigma=sig)[inner]
        scores.append(float(ssim_map.mean() if mask_inner is None else ssim_map[mask_inner].mean()))
    return float(np.mean(scores))
