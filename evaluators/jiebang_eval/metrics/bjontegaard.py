"""Bjøntegaard delta rate and delta quality.

Two interpolations are offered:

* ``"pchip"`` (default): piecewise cubic Hermite interpolation with
  Fritsch-Carlson/Butland monotone slopes, integrated exactly per segment, as
  in the JCTVC-E137 / JVET CTC reporting sheet.
* ``"cubic"``: one least-squares cubic polynomial through all points
  (VCEG-M33, the original Bjøntegaard formulation).

Rates are used as ``log10(rate)``; the average is taken over the overlap of the
two curves' ranges on the integration axis.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

Interpolation = Literal["pchip", "cubic"]


def _pchip_slopes(x: NDArray[np.float64], y: NDArray[np.float64]) -> NDArray[np.float64]:
    h = np.diff(x)
    delta = np.diff(y) / h
    n = x.size
    if n == 2:
        return np.array([delta[0], delta[0]])
    d = np.zeros(n)
    for k in range(1, n - 1):
        if delta[k - 1] * delta[k] > 0:
            w1 = 2 * h[k] + h[k - 1]
            w2 = h[k] + 2 * h[k - 1]
            d[k] = (w1 + w2) / (w1 / delta[k - 1] + w2 / delta[k])
    d[0] = _pchip_end_slope(h[0], h[1], delta[0], delta[1])
    d[-1] = _pchip_end_slope(h[-1], h[-2], delta[-1], delta[-2])
    return d


def _pchip_end_slope(h0: float, h1: float, m0: float, m1: float) -> float:
    d = ((2 * h0 + h1) * m0 - h0 * m1) / (h0 + h1)
    if np.sign(d) != np.sign(m0):
        return 0.0
    if np.sign(m0) != np.sign(m1) and abs(d) > abs(3 * m0):
        return 3 * m0
    return float(d)


def _pchip_integral(x: NDArray[np.float64], y: NDArray[np.float64], lo: float, hi: float) -> float:
    """Exact integral over [lo, hi] (inside [x0, xn]) of the PCHIP through (x, y)."""
    d = _pchip_slopes(x, y)
    total = 0.0
    for k in range(x.size - 1):
        a, b = max(lo, x[k]), min(hi, x[k + 1])
        if b <= a:
            continue
        h = x[k + 1] - x[k]
        m = (y[k + 1] - y[k]) / h
        c2 = (3 * m - 2 * d[k] - d[k + 1]) / h
        c3 = (d[k] + d[k + 1] - 2 * m) / (h * h)
        coeffs = (c3 / 4, c2 / 3, d[k] / 2, y[k], 0.0)
        total += float(np.polyval(coeffs, b - x[k]) - np.polyval(coeffs, a - x[k]))
    return float(total)


def _cubic_integral(x: NDArray[np.float64], y: NDArray[np.float64], lo: float, hi: float) -> float:
    antiderivative = np.polyint(np.polyfit(x, y, 3))
    return float(np.polyval(antiderivative, hi) - np.polyval(antiderivative, lo))


def _sorted_curve(
    axis: ArrayLike, value: ArrayLike, *, name: str, min_points: int
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    a = np.asarray(axis, dtype=np.float64).ravel()
    v = np.asarray(value, dtype=np.float64).ravel()
    if a.size != v.size:
        raise ValueError(f"{name}: {a.size} rates but {v.size} quality values")
    if a.size < min_points:
        raise ValueError(f"{name}: need at least {min_points} points, got {a.size}")
    if not (np.isfinite(a).all() and np.isfinite(v).all()):
        raise ValueError(f"{name}: values must be finite")
    order = np.argsort(a)
    a, v = a[order], v[order]
    if np.any(np.diff(a) <= 0):
        raise ValueError(f"{name}: values on the integration axis must be distinct")
    return a, v


def _bd_average(
    anchor_axis: ArrayLike,
    anchor_value: ArrayLike,
    test_axis: ArrayLike,
    test_value: ArrayLike,
    method: Interpolation,
) -> float:
    if method not in ("pchip", "cubic"):
        raise ValueError(f"unknown interpolation {method!r}")
    min_points = 4 if method == "cubic" else 2
    xa, ya = _sorted_curve(anchor_axis, anchor_value, name="anchor", min_points=min_points)
    xt, yt = _sorted_curve(test_axis, test_value, name="test", min_points=min_points)
    lo, hi = max(xa[0], xt[0]), min(xa[-1], xt[-1])
    if hi <= lo:
        raise ValueError("the two curves do not overlap")
    integral = _pchip_integral if method == "pchip" else _cubic_integral
    return (integral(xt, yt, lo, hi) - integral(xa, ya, lo, hi)) / (hi - lo)


def _positive_rates(rates: ArrayLike, name: str) -> NDArray[np.float64]:
    r = np.asarray(rates, dtype=np.float64)
    if np.any(~np.isfinite(r)) or np.any(r <= 0):
        raise ValueError(f"{name} rates must be positive and finite")
    return r


def bd_rate(
    anchor_rates: ArrayLike,
    anchor_quality: ArrayLike,
    test_rates: ArrayLike,
    test_quality: ArrayLike,
    *,
    method: Interpolation = "pchip",
) -> float:
    """Bjøntegaard delta rate in percent (negative = the test saves bitrate).

    ``100·(10^{mean Δlog10(rate)} − 1)``, where the mean difference of
    ``log10(rate)`` as a function of quality is taken over the quality interval
    both curves cover.

    Parameters
    ----------
    anchor_rates, anchor_quality, test_rates, test_quality : array_like
        RD points of each curve (any order). Quality must be strictly monotone
        in rate for the result to be meaningful; values must be distinct.
    method : {"pchip", "cubic"}
        Interpolation of log-rate over quality (see module docstring).

    Raises
    ------
    ValueError
        Too few points, duplicate quality values, or no overlap.

    References
    ----------
    .. [1] G. Bjøntegaard, "Calculation of average PSNR differences between
       RD-curves", ITU-T SG16 Q.6, VCEG-M33, Austin, 2001.
    .. [2] F. Bossen, "Common test conditions and software reference
       configurations", JCTVC-E137 (piecewise cubic sheet), 2011.
    """
    log_anchor = np.log10(_positive_rates(anchor_rates, "anchor"))
    log_test = np.log10(_positive_rates(test_rates, "test"))
    mean_log_diff = _bd_average(anchor_quality, log_anchor, test_quality, log_test, method)
    return float((10.0**mean_log_diff - 1.0) * 100.0)


def bd_quality(
    anchor_rates: ArrayLike,
    anchor_quality: ArrayLike,
    test_rates: ArrayLike,
    test_quality: ArrayLike,
    *,
    method: Interpolation = "pchip",
) -> float:
    """Bjøntegaard delta quality (BD-PSNR, BD-VMAF, ...) in the quality's unit.

    Mean difference of quality as a function of ``log10(rate)`` over the rate
    interval both curves cover (positive = the test is better).

    References
    ----------
    .. [1] G. Bjøntegaard, "Calculation of average PSNR differences between
       RD-curves", ITU-T SG16 Q.6, VCEG-M33, Austin, 2001.
    """
    log_anchor = np.log10(_positive_rates(anchor_rates, "anchor"))
    log_test = np.log10(_positive_rates(test_rates, "test"))
    return float(_bd_average(log_anchor, anchor_quality, log_test, test_quality, method))
