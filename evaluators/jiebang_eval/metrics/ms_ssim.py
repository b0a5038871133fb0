"""Multi-scale SSIM exactly as libvmaf's ``float_ms_ssim`` feature computes it.

Per scale ``k = 0 … 4`` (luma only, samples as float32: 8-bit as they are, ``b``-bit
divided by ``2^(b−8)``, so that ``L = 255`` at every bit depth)::

    μ = G∗x,  σ² = max(G∗x² − μ², 0),  σ₁₂ = G∗xy − μ₁μ₂,  √ = √(σ₁²σ₂²)
    l = (2μ₁μ₂ + C₁) / (μ₁² + μ₂² + C₁)
    c = (2√ + C₂) / (σ₁² + σ₂² + C₂)
    s = (σ₁₂ + C₃) / (√ + C₃)    (σ₁₂ < 0 with √ = 0 counts as σ₁₂ = 0)
    C₁ = (0.01·255)², C₂ = (0.03·255)², C₃ = C₂ / 2

``G`` is libvmaf's 11-tap Gaussian window (σ ≈ 1.5, 6-decimal float32 taps),
applied separably (rows, then columns) over the *valid* region only, so scale ``k``
averages ``(w_k − 10)·(h_k − 10)`` pixels. Scale ``k + 1`` is scale ``k`` filtered by
libvmaf's 9×9 low-pass kernel with symmetric edges and sampled at even positions
(``w_{k+1} = ⌈w_k / 2⌉``). Then::

    MS-SSIM = l̄₄^0.1333 · Π_k c̄_k^β_k · s̄_k^β_k,   β = (0.0448, 0.2856, 0.3001, 0.2363, 0.1333)

Every step keeps libvmaf's precision: filter taps are float32 products summed in
double and stored as float32; the moments and ``s`` are float32 arithmetic; the
numerators of ``l`` and ``c``, the divisions, the means and the powers are double.
So the value agrees with libvmaf's to the last digit it prints. Images are refused,
as libvmaf refuses them, when a halving (rounded down) of either side before any of
the five scales is below 11 pixels: both sides need ≥ 176 pixels.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

from jiebang_eval.metrics._ms_ssim_kernels import (
    GAUSSIAN,
    SCALES,
    frame_sums,
    scale_shapes,
    workspace,
)

_ALPHAS = np.array([0.0, 0.0, 0.0, 0.0, 0.1333], dtype=np.float32)
_BETAS = np.array([0.0448, 0.2856, 0.3001, 0.2363, 0.1333], dtype=np.float32)
_GAMMAS = _BETAS
_K1, _K2, _L = np.float32(0.01), np.float32(0.03), np.float32(255)
C1 = np.float32(_K1 * _L) * np.float32(_K1 * _L)
C2 = np.float32(_K2 * _L) * np.float32(_K2 * _L)
C3 = np.float32(C2 / np.float32(2.0))
MIN_SIDE = GAUSSIAN.size * 2 ** (SCALES - 1)  # 176
_CONSTANTS = np.array([C1, C2, C3], dtype=np.float32)


_NATIVE_DTYPES = (np.dtype(np.uint8), np.dtype(np.uint16), np.dtype(np.float32))


def _samples(plane: NDArray[np.generic]) -> NDArray[np.generic]:
    """The plane as the compiled loops read it: 8/16-bit or float32 samples, C order.

    Other dtypes become float32 first, the value libvmaf's ``picture_copy`` takes.
    """
    if plane.dtype not in _NATIVE_DTYPES:
        plane = plane.astype(np.float32)
    return np.ascontiguousarray(plane)


def _validated(reference: ArrayLike, distorted: ArrayLike, bit_depth: int) -> tuple[NDArray, ...]:
    ref, dist = np.asarray(reference), np.asarray(distorted)
    if ref.shape != dist.shape:
        raise ValueError(f"shape mismatch: reference {ref.shape} vs distorted {dist.shape}")
    if ref.ndim != 2:
        raise ValueError(f"expected one (H, W) luma plane, got shape {ref.shape}")
    if bit_depth < 8 or bit_depth > 16:
        raise ValueError(f"bit_depth must be 8 to 16, got {bit_depth}")
    height, width = ref.shape
    if min(height, width) // 2 ** (SCALES - 1) < GAUSSIAN.size:
        raise ValueError(
            f"image {width}×{height} is too small for {SCALES}-scale MS-SSIM "
            f"(libvmaf needs ≥ {MIN_SIDE} pixels on each side)"
        )
    integers = np.issubdtype(ref.dtype, np.integer) and np.issubdtype(dist.dtype, np.integer)
    if not integers and not (np.isfinite(ref).all() and np.isfinite(dist).all()):
        raise ValueError("inputs contain NaN or infinity")
    return _samples(ref), _samples(dist)


def ms_ssim_scales(
    reference: ArrayLike, distorted: ArrayLike, *, bit_depth: int = 8
) -> NDArray[np.float64]:
    """Mean luminance, contrast and structure terms per scale, shape ``(5, 3)``.

    The values are libvmaf's ``float_ms_ssim_{l,c,s}_scale{k}`` (its ``enable_lcs``
    output): float32 means of the per-pixel terms, see :func:`ms_ssim`.
    """
    ref, dist = _validated(reference, distorted, bit_depth)
    # 8-bit samples as they are, deeper ones divided by 2^(b-8) (an exact power of two)
    scale = 1.0 / (1 << (bit_depth - 8))
    sums = frame_sums(ref, dist, scale, _CONSTANTS, workspace(*ref.shape))
    means = np.empty((SCALES, 3))
    for k, (height, width) in enumerate(scale_shapes(*ref.shape)):
        count = float((height - GAUSSIAN.size + 1) * (width - GAUSSIAN.size + 1))
        means[k] = np.asarray(sums[k] / count, dtype=np.float32)
    return means


def ms_ssim(reference: ArrayLike, distorted: ArrayLike, *, bit_depth: int = 8) -> float:
    """MS-SSIM of one luma plane pair, equal to libvmaf's ``float_ms_ssim``.

    Parameters
    ----------
    reference, distorted : array_like
        Luma planes of identical shape ``(H, W)``, both sides ≥ 176 pixels, holding
        integer sample values (any numeric dtype).
    bit_depth : int, optional
        Bit depth of the samples (8 to 16); deeper samples are divided by
        ``2^(bit_depth − 8)``, as libvmaf does, so the dynamic range is 255.

    Returns
    -------
    float
        ``Π_k l̄_k^α_k · c̄_k^β_k · s̄_k^γ_k`` over the 5 scales (formula and
        precision in the module docstring); 1.0 for identical planes.

    References
    ----------
    .. [1] Z. Wang, E. P. Simoncelli and A. C. Bovik, "Multiscale structural
       similarity for image quality assessment", Proc. 37th Asilomar Conference on
       Signals, Systems and Computers, 2003, pp. 1398-1402.
       DOI:10.1109/ACSSC.2003.1292216
    .. [2] Netflix, libvmaf: ``libvmaf/src/feature/float_ms_ssim.c``, ``ms_ssim.c``
       and ``iqa/`` (``_iqa_ssim``, ``_iqa_convolve``, ``_iqa_decimate``),
       https://github.com/Netflix/vmaf
    """
    means = ms_ssim_scales(reference, distorted, bit_depth=bit_depth)
    score = 1.0
    for k in range(SCALES):
        lum, con, struct = (float(v) for v in means[k])
        score *= (
            math.pow(lum, float(_ALPHAS[k]))
            * math.pow(con, float(_BETAS[k]))
            * math.pow(struct, float(_GAMMAS[k]))
        )
    return score
