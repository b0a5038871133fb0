"""Bjøntegaard delta rate and delta quality.

Three interpolations are offered:

* ``"pchip"`` (default): piecewise cubic Hermite interpolation with
  Fritsch-Carlson/Butland monotone slopes, integrated exactly per segment, as
  in the JCTVC-E137 / JVET CTC reporting sheet.
* ``"cubic"``: one least-squares cubic polynomial through all points
  (VCEG-M33, the original Bjøntegaard formulation).
* ``"akima"``: Akima's spline (scipy's ``Akima1DInterpolator``, linear for two
  points), integrated exactly, as the ``bjontegaard`` package offers it.

Curves must be monotone: quality must strictly increase with rate on both
curves, else :class:`NonMonotonicCurve` names the points that break it
(``bjontegaard`` refuses such curves, and Netflix's ``bd_rate.py`` checks the
same). Sorting by quality would silently drop a bad point below the common
interval and could *improve* the result. A track may instead opt in to the
documented :func:`rd_convex_hull` of the points, applied by the caller.
:func:`overlap_fraction` gives the overlap measure the ``bjontegaard`` package
warns on (below 75 % by default).

Rates are used as ``log10(rate)``; the average is taken over the overlap of the
two curves' ranges on the integration axis.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import scipy.interpolate
from numpy.typing import ArrayLike, NDArray

Interpolation = Literal["pchip", "cubic", "akima"]


class NonMonotonicCurve(ValueError):
    """Quality does not strictly increase with rate; ``points`` are the (rate, quality) at fault."""

    def __init__(self, name: str, points: list[tuple[float, float]]) -> None:
        self.name = name
        self.points = points
        shown = ", ".join(f"({r:g}, {q:g})" for r, q in points)
        super().__init__(f"{name}: quality does not increase with rate at {shown}")


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


def _akima_integral(x: NDArray[np.float64], y: NDArray[np.float64], lo: float, hi: float) -> float:
    if x.size > 2:
        return float(scipy.interpolate.Akima1DInterpolator(x, y).integrate(lo, hi))
    line = scipy.interpolate.make_interp_spline(x, y, k=1)
    return float(line.integrate(lo, hi))


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
    if method not in _INTEGRALS:
        raise ValueError(f"unknown interpolation {method!r}")
    min_points = 4 if method == "cubic" else 2
    xa, ya = _sorted_curve(anchor_axis, anchor_value, name="anchor", min_points=min_points)
    xt, yt = _sorted_curve(test_axis, test_value, name="test", min_points=min_points)
    lo, hi = max(xa[0], xt[0]), min(xa[-1], xt[-1])
    if hi <= lo:
        raise ValueError("the two curves do not overlap")
    integral = _INTEGRALS[method]
    return (integral(xt, yt, lo, hi) - integral(xa, ya, lo, hi)) / (hi - lo)


_INTEGRALS = {"pchip": _pchip_integral, "cubic": _cubic_integral, "akima": _akima_integral}


def check_monotone(rates: ArrayLike, quality: ArrayLike, *, name: str) -> None:
    """Raise :class:`NonMonotonicCurve` unless quality strictly increases with rate.

    The points are taken in rate order; every point whose quality is not above
    the previous one's is reported together with that previous point.
    """
    r = np.asarray(rates, dtype=np.float64).ravel()
    q = np.asarray(quality, dtype=np.float64).ravel()
    if r.size != q.size:
        raise ValueError(f"{name}: {r.size} rates but {q.size} quality values")
    order = np.argsort(r, kind="stable")
    r, q = r[order], q[order]
    bad: list[tuple[float, float]] = []
    for k in np.flatnonzero(np.diff(q) <= 0):
        for j in (k, k + 1):
            point = (float(r[j]), float(q[j]))
            if point not in bad:
                bad.append(point)
    if bad:
        raise NonMonotonicCurve(name, bad)


def rd_convex_hull(
    rates: ArrayLike, quality: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The RD points on the upper convex hull in (log10 rate, quality), in rate order.

    Points below the hull (dominated encodes) are dropped, and so are hull
    points past the highest quality, so the result is strictly increasing. This
    is the operational RD curve of the points (Ortega & Ramchandran, "Rate-
    distortion methods for image and video compression", IEEE SPM 15(6), 1998).
    """
    r = np.asarray(rates, dtype=np.float64).ravel()
    q = np.asarray(quality, dtype=np.float64).ravel()
    order = np.lexsort((-q, r))
    x, y = np.log10(_positive_rates(r[order], "hull")), q[order]
    hull: list[int] = []
    for k in range(x.size):
        if hull and x[k] == x[hull[-1]]:
            continue  # same rate, lower quality (sorted by -q within a rate)
        while len(hull) >= 2:
            a, b = hull[-2], hull[-1]
            cross = (x[b] - x[a]) * (y[k] - y[a]) - (y[b] - y[a]) * (x[k] - x[a])
            if cross <= 0:  # a right turn, or collinear: b stays on the hull
                break
            hull.pop()
        hull.append(k)
    top = int(np.argmax(y[hull]))
    kept = np.array(hull[: top + 1])
    return r[order][kept], q[order][kept]


def overlap_fraction(anchor_quality: ArrayLike, test_quality: ArrayLike) -> float:
    """Length of the common range over the length of the union of both ranges, in [0, 1].

    The measure of the ``bjontegaard`` package, which warns below 0.75.
    """
    a = np.asarray(anchor_quality, dtype=np.float64)
    t = np.asarray(test_quality, dtype=np.float64)
    union = max(a.max(), t.max()) - min(a.min(), t.min())
    if union <= 0:
        return 0.0
    common = min(a.max(), t.max()) - max(a.min(), t.min())
    return float(max(common, 0.0) / union)


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
    require_monotonic: bool = True,
) -> float:
    """Bjøntegaard delta rate in percent (negative = the test saves bitrate).

    ``100·(10^{mean Δlog10(rate)} − 1)``, where the mean difference of
    ``log10(rate)`` as a function of quality is taken over the quality interval
    both curves cover.

    Parameters
    ----------
    anchor_rates, anchor_quality, test_rates, test_quality : array_like
        RD points of each curve (any order).
    method : {"pchip", "cubic", "akima"}
        Interpolation of log-rate over quality (see module docstring).
    require_monotonic : bool
        Refuse a curve whose quality does not strictly increase with rate
        (default). Turn off only for curves already made monotone.

    Raises
    ------
    NonMonotonicCurve
        A curve's quality does not increase with rate.
    ValueError
        Too few points, duplicate quality values, or no overlap.

    References
    ----------
    .. [1] G. Bjøntegaard, "Calculation of average PSNR differences between
       RD-curves", ITU-T SG16 Q.6, VCEG-M33, Austin, 2001.
    .. [2] F. Bossen, "Common test conditions and software reference
       configurations", JCTVC-E137 (piecewise cubic sheet), 2011.
    """
    if require_monotonic:
        check_monotone(anchor_rates, anchor_quality, name="anchor")
        check_monotone(test_rates, test_quality, name="test")
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
    require_monotonic: bool = True,
) -> float:
    """Bjøntegaard delta quality (BD-PSNR, BD-VMAF, ...) in the quality's unit.

    Mean difference of quality as a function of ``log10(rate)`` over the rate
    interval both curves cover (positive = the test is better).

    References
    ----------
    .. [1] G. Bjøntegaard, "Calculation of average PSNR differences between
       RD-curves", ITU-T SG16 Q.6, VCEG-M33, Austin, 2001.
    """
    if require_monotonic:
        check_monotone(anchor_rates, anchor_quality, name="anchor")
        check_monotone(test_rates, test_quality, name="test")
    log_anchor = np.log10(_positive_rates(anchor_rates, "anchor"))
    log_test = np.log10(_positive_rates(test_rates, "test"))
    return float(_bd_average(log_anchor, anchor_quality, log_test, test_quality, method))
