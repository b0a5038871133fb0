"""Signal-level separation measures: SI-SDR and SNR."""

from __future__ import annotations

import math

from numpy.typing import ArrayLike

from jiebang_eval.metrics._checks import as_float64_pair


def si_sdr(reference: ArrayLike, estimate: ArrayLike, *, zero_mean: bool = False) -> float:
    """Scale-invariant signal-to-distortion ratio of one channel, in dB.

    ``α = <ŝ, s> / ‖s‖²``, ``SI-SDR = 10·log10(‖α s‖² / ‖α s − ŝ‖²)``.

    Parameters
    ----------
    reference, estimate : array_like
        1-D signals of equal length.
    zero_mean : bool, optional
        Subtract each signal's mean first (as in the paper's experiments).

    Raises
    ------
    ValueError
        Silent reference (SI-SDR undefined) or mismatched lengths.

    References
    ----------
    .. [1] J. Le Roux, S. Wisdom, H. Erdogan and J. R. Hershey, "SDR – half-baked
       or well done?", ICASSP 2019. DOI:10.1109/ICASSP.2019.8683855
    """
    s, s_hat = as_float64_pair(reference, estimate)
    if s.ndim != 1:
        raise ValueError("si_sdr takes one channel (1-D arrays)")
    if zero_mean:
        s, s_hat = s - s.mean(), s_hat - s_hat.mean()
    energy = float(s @ s)
    if energy == 0:
        raise ValueError("reference is silent")
    target = (float(s_hat @ s) / energy) * s
    noise = s_hat - target
    noise_energy = float(noise @ noise)
    target_energy = float(target @ target)
    if noise_energy == 0:
        return math.inf
    if target_energy == 0:
        return -math.inf
    return 10.0 * math.log10(target_energy / noise_energy)


def snr(reference: ArrayLike, estimate: ArrayLike) -> float:
    """Signal-to-noise ratio ``10·log10(‖s‖² / ‖s − ŝ‖²)`` in dB (no rescaling).

    References
    ----------
    .. [1] E. Vincent, R. Gribonval and C. Févotte, "Performance measurement in
       blind audio source separation", IEEE TASLP 14(4), 2006. DOI:10.1109/TSA.2005.858005
    """
    s, s_hat = as_float64_pair(reference, estimate)
    energy = float((s * s).sum())
    if energy == 0:
        raise ValueError("reference is silent")
    error = float(((s - s_hat) ** 2).sum())
    if error == 0:
        return math.inf
    return 10.0 * math.log10(energy / error)
