"""Signal-level separation measures: SI-SDR and SNR, epsilon-regularised.

Both follow the epsilon-regularised form of torchmetrics
(``torchmetrics.functional.audio.scale_invariant_signal_distortion_ratio`` and
``signal_noise_ratio``), with ``ε`` the float64 machine epsilon, so that every
degenerate input has a defined, finite value and none can top a board:

===========================  =========================================
input                        value
===========================  =========================================
silent estimate (all zeros)  0 dB: nothing of the target was recovered
silent reference             ``10·log10(ε / (‖ŝ‖² + ε))`` (≈ −150 dB or less)
both silent                  0 dB
identical signals            ``10·log10((‖s‖² + ε) / ε)`` (finite, ≈ +150 dB
                             or more, depending on the energy)
===========================  =========================================

For any signal pair whose energies are far above ``ε`` the values equal the
unregularised definitions to within ``1e-9`` dB.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from jiebang_eval.metrics._checks import as_float64_pair

EPS = float(np.finfo(np.float64).eps)


def si_sdr(reference: ArrayLike, estimate: ArrayLike, *, zero_mean: bool = False) -> float:
    """Scale-invariant signal-to-distortion ratio of one channel, in dB.

    ``α = (<ŝ, s> + ε) / (‖s‖² + ε)``, ``SI-SDR = 10·log10((‖α s‖² + ε) / (‖α s − ŝ‖² + ε))``.
    The degenerate cases are listed in this module's docstring.

    Parameters
    ----------
    reference, estimate : array_like
        1-D signals of equal length.
    zero_mean : bool, optional
        Subtract each signal's mean first (as in the paper's experiments).

    Raises
    ------
    ValueError
        Not one channel, mismatched lengths or non-finite samples.

    References
    ----------
    .. [1] J. Le Roux, S. Wisdom, H. Erdogan and J. R. Hershey, "SDR – half-baked
       or well done?", ICASSP 2019. DOI:10.1109/ICASSP.2019.8683855
    .. [2] torchmetrics, ``scale_invariant_signal_distortion_ratio`` (the ε form).
    """
    s, s_hat = as_float64_pair(reference, estimate)
    if s.ndim != 1:
        raise ValueError("si_sdr takes one channel (1-D arrays)")
    if zero_mean:
        s, s_hat = s - s.mean(), s_hat - s_hat.mean()
    alpha = (float(s_hat @ s) + EPS) / (float(s @ s) + EPS)
    target = alpha * s
    noise = target - s_hat
    return 10.0 * math.log10((float(target @ target) + EPS) / (float(noise @ noise) + EPS))


def snr(reference: ArrayLike, estimate: ArrayLike, *, zero_mean: bool = False) -> float:
    """Signal-to-noise ratio ``10·log10((‖s‖² + ε) / (‖s − ŝ‖² + ε))`` in dB (no rescaling).

    A silent estimate scores 0 dB; identical signals a finite maximum.

    References
    ----------
    .. [1] E. Vincent, R. Gribonval and C. Févotte, "Performance measurement in
       blind audio source separation", IEEE TASLP 14(4), 2006. DOI:10.1109/TSA.2005.858005
    .. [2] torchmetrics, ``signal_noise_ratio`` (the ε form).
    """
    s, s_hat = as_float64_pair(reference, estimate)
    if zero_mean:
        s, s_hat = s - s.mean(), s_hat - s_hat.mean()
    error = s - s_hat
    return 10.0 * math.log10((float((s * s).sum()) + EPS) / (float((error * error).sum()) + EPS))
