"""Peak signal-to-noise ratio, with its two sequence poolings named apart.

* :func:`psnr_global_mse` pools the squared error over all frames first and
  converts once (ffmpeg's ``psnr`` filter summary ``average``).
* :func:`psnr_mean_of_frame_db` converts each frame to dB and averages the dB
  values (HM / JVET CTC reports, libvmaf's ``psnr`` feature).

Caps. An identical frame has infinite PSNR, so every pooling needs a cap, and
the same cap must apply in every pooling. The platform's rule is libvmaf's:
:func:`psnr_cap_db` = ``6·bitdepth + 12`` dB (60 dB at 8-bit, 72 dB at 10-bit),
applied to each frame's value and to a pooled global-MSE value alike.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

from jiebang_eval.metrics._checks import cropped, exact_pair, positive, validated_mask


def mean_squared_error(
    reference: ArrayLike,
    distorted: ArrayLike,
    *,
    mask: ArrayLike | None = None,
    border: int = 0,
) -> float:
    """Mean squared error between two images.

    Parameters
    ----------
    reference, distorted : array_like
        Images of identical shape, ``(H, W)`` or ``(H, W, C)``.
    mask : array_like of bool, optional
        ``(H, W)`` or full-shape mask; only ``True`` pixels are averaged.
    border : int, optional
        Pixels dropped from each side before anything else (also from ``mask``).

    Returns
    -------
    float
        ``mean((reference - distorted) ** 2)`` over the selected samples, in float64.

    References
    ----------
    .. [1] Z. Wang and A. C. Bovik, "Mean squared error: Love it or leave it?",
       IEEE Signal Processing Magazine 26(1), 2009. DOI:10.1109/MSP.2008.930649
    """
    ref, dist, accumulator = exact_pair(reference, distorted)
    ref, dist = cropped(ref, border), cropped(dist, border)
    diff = np.subtract(ref, dist, dtype=accumulator)
    if mask is None and accumulator is np.int32:  # |diff| < 2048: squares fit in int32
        return float(np.square(diff).sum(dtype=np.int64)) / diff.size
    sq = diff.astype(np.float64) ** 2
    m = validated_mask(cropped(np.asarray(mask), border) if mask is not None else None, sq.shape)
    if m is None:
        return float(sq.mean())
    if m.shape != sq.shape:
        m = np.broadcast_to(m.reshape(m.shape + (1,) * (sq.ndim - m.ndim)), sq.shape)
    return float(sq[m].mean())


def psnr_cap_db(bit_depth: int) -> float:
    """libvmaf's PSNR cap for a bit depth: ``6·bitdepth + 12`` dB.

    60 dB at 8-bit, 72 dB at 10-bit, 84 dB at 12-bit: a bound a little above
    the PSNR of rounding noise alone (``≈ 6.02·bitdepth + 10.8`` dB).

    References
    ----------
    .. [1] Netflix libvmaf, ``libvmaf/src/feature/integer_psnr.c`` (``psnr_max``).
    """
    if bit_depth < 1:
        raise ValueError(f"bit depth must be positive, got {bit_depth}")
    return 6.0 * bit_depth + 12.0


def psnr_from_mse(mse: float, *, peak: float, max_db: float = math.inf) -> float:
    """Convert a mean squared error to PSNR in dB: ``10·log10(peak² / mse)``, capped at ``max_db``.

    ``mse == 0`` returns ``max_db`` (``inf`` unless a cap is given).

    References
    ----------
    .. [1] ITU-T J.340 (2010), Annex: PSNR definition.
    """
    p = positive(peak, "peak")
    if mse < 0 or not math.isfinite(mse):
        raise ValueError(f"mse must be finite and >= 0, got {mse!r}")
    if mse == 0:
        return max_db
    return min(10.0 * math.log10(p * p / mse), max_db)


def psnr(
    reference: ArrayLike,
    distorted: ArrayLike,
    *,
    peak: float,
    mask: ArrayLike | None = None,
    border: int = 0,
    max_db: float = math.inf,
) -> float:
    """PSNR of one image in dB, ``10·log10(peak² / MSE)``.

    Parameters
    ----------
    reference, distorted : array_like
        Images of identical shape.
    peak : float
        Largest possible sample value, e.g. 255 for 8-bit or 1023 for 10-bit.
    mask, border
        See :func:`mean_squared_error`.
    max_db : float, optional
        Value returned for identical images, and cap for any result.

    References
    ----------
    .. [1] ITU-T J.340 (2010), Annex: PSNR definition.
    """
    mse = mean_squared_error(reference, distorted, mask=mask, border=border)
    return psnr_from_mse(mse, peak=peak, max_db=max_db)


def psnr_global_mse(frame_mses: Sequence[float], *, peak: float, max_db: float = math.inf) -> float:
    """Sequence PSNR from the mean of the per-frame MSEs (ffmpeg ``psnr`` ``average``).

    ``10·log10(peak² / mean_f MSE_f)``. Frames must all have the same size.
    """
    values = np.asarray(frame_mses, dtype=np.float64)
    if values.size == 0:
        raise ValueError("no frame")
    return psnr_from_mse(float(values.mean()), peak=peak, max_db=max_db)


def psnr_mean_of_frame_db(frame_mses: Sequence[float], *, peak: float, max_db: float) -> float:
    """Sequence PSNR as the mean of per-frame dB values (HM / JVET CTC style).

    ``mean_f min(10·log10(peak² / MSE_f), max_db)``; the cap keeps identical
    frames from making the mean infinite.
    """
    if len(frame_mses) == 0:
        raise ValueError("no frame")
    return float(np.mean([psnr_from_mse(float(m), peak=peak, max_db=max_db) for m in frame_mses]))
