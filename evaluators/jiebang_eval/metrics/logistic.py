"""VQEG 4-parameter logistic mapping of objective scores onto the MOS scale."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray


def logistic_4(
    x: ArrayLike, beta1: float, beta2: float, beta3: float, beta4: float
) -> NDArray[np.float64]:
    """``(β1 − β2) / (1 + exp(−(x − β3) / |β4|)) + β2``."""
    z = -(np.asarray(x, dtype=np.float64) - beta3) / max(abs(beta4), 1e-12)
    result: NDArray[np.float64] = (beta1 - beta2) / (1.0 + np.exp(np.clip(z, -700, 700))) + beta2
    return result


def fit_logistic_4(scores: ArrayLike, mos: ArrayLike) -> NDArray[np.float64]:
    """Fit :func:`logistic_4` from ``scores`` to ``mos`` (least squares); return mapped scores.

    Starts from β1 = max(MOS), β2 = min(MOS), β3 = mean(score),
    β4 = std(score) (sign follows the correlation so a decreasing fit is
    possible). If the optimiser fails, the starting curve is used.

    References
    ----------
    .. [1] VQEG, "Final report from the Video Quality Experts Group on the
       validation of objective models of video quality assessment, Phase II", 2003.
    .. [2] H. R. Sheikh, M. F. Sabir and A. C. Bovik, "A statistical evaluation of
       recent full reference image quality assessment algorithms", IEEE Trans.
       Image Processing 15(11), 2006. DOI:10.1109/TIP.2006.881959
    """
    from scipy.optimize import curve_fit  # deferred: importing scipy.optimize costs seconds

    x = np.asarray(scores, dtype=np.float64).ravel()
    y = np.asarray(mos, dtype=np.float64).ravel()
    spread = float(x.std()) or 1.0
    increasing = np.corrcoef(x, y)[0, 1] >= 0 if x.std() > 0 and y.std() > 0 else True
    high, low = float(y.max()), float(y.min())
    start = (
        [high, low, float(x.mean()), spread] if increasing else [low, high, float(x.mean()), spread]
    )
    try:
        params, _ = curve_fit(logistic_4, x, y, p0=start, maxfev=20000)
    except RuntimeError:
        params = np.asarray(start)
    return logistic_4(x, *params)
