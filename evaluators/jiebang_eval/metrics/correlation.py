"""Correlation and error measures for quality-assessment challenges.

SROCC and KROCC are computed on the raw predictions (rank statistics are
invariant to the monotone logistic fit). PLCC and RMSE are computed after
mapping the predictions to the MOS scale with the VQEG 4-parameter logistic
(:mod:`jiebang_eval.metrics.logistic`), as recommended by VQEG and ITU-T P.1401.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray


def _paired(x: ArrayLike, y: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    a = np.asarray(x, dtype=np.float64).ravel()
    b = np.asarray(y, dtype=np.float64).ravel()
    if a.size != b.size:
        raise ValueError(f"length mismatch: {a.size} vs {b.size}")
    if a.size < 2:
        raise ValueError("need at least two pairs")
    if not (np.isfinite(a).all() and np.isfinite(b).all()):
        raise ValueError("values must be finite")
    return a, b


def average_ranks(values: ArrayLike) -> NDArray[np.float64]:
    """Ranks 1..n with ties given their average rank (like ``scipy.stats.rankdata``)."""
    v = np.asarray(values, dtype=np.float64).ravel()
    order = np.argsort(v, kind="mergesort")
    sorted_v = v[order]
    starts = np.flatnonzero(np.r_[True, sorted_v[1:] != sorted_v[:-1]])
    ends = np.r_[starts[1:], v.size]
    mean_rank = (starts + ends + 1) / 2.0  # average of 1-based ranks start+1 .. end
    ranks = np.empty(v.size)
    ranks[order] = np.repeat(mean_rank, ends - starts)
    return ranks


def plcc(x: ArrayLike, y: ArrayLike) -> float:
    """Pearson linear correlation coefficient.

    References
    ----------
    .. [1] K. Pearson, "Notes on regression and inheritance in the case of two
       parents", Proc. Royal Society of London 58, 240-242, 1895.
    """
    a, b = _paired(x, y)
    a, b = a - a.mean(), b - b.mean()
    denominator = np.sqrt((a * a).sum() * (b * b).sum())
    if denominator == 0:
        raise ValueError("a constant input has no correlation")
    return float(np.clip((a * b).sum() / denominator, -1.0, 1.0))


def srocc(x: ArrayLike, y: ArrayLike) -> float:
    """Spearman rank-order correlation coefficient (Pearson on average ranks).

    References
    ----------
    .. [1] C. Spearman, "The proof and measurement of association between two
       things", American Journal of Psychology 15(1), 72-101, 1904.
    """
    a, b = _paired(x, y)
    return plcc(average_ranks(a), average_ranks(b))


def krocc(x: ArrayLike, y: ArrayLike, *, block: int = 2048) -> float:
    """Kendall rank-order correlation, tau-b (ties in either variable corrected).

    ``(C − D) / sqrt((n0 − n1)(n0 − n2))`` over all pairs, computed in row
    blocks so memory stays ``O(block·n)``.

    References
    ----------
    .. [1] M. G. Kendall, "The treatment of ties in ranking problems",
       Biometrika 33(3), 239-251, 1945. DOI:10.1093/biomet/33.3.239
    """
    a, b = _paired(x, y)
    n = a.size
    concordance = 0
    ties_a = 0
    ties_b = 0
    for start in range(0, n, block):
        rows = slice(start, min(start + block, n))
        sa = np.sign(a[rows, None] - a[None, :])
        sb = np.sign(b[rows, None] - b[None, :])
        concordance += int((sa * sb).sum())
        ties_a += int((sa == 0).sum()) - (rows.stop - rows.start)
        ties_b += int((sb == 0).sum()) - (rows.stop - rows.start)
    pairs = n * (n - 1) / 2
    denominator = np.sqrt((pairs - ties_a / 2) * (pairs - ties_b / 2))
    if denominator == 0:
        raise ValueError("a constant input has no rank correlation")
    return float(concordance / 2 / denominator)


def rmse(x: ArrayLike, y: ArrayLike) -> float:
    """Root mean squared error ``sqrt(mean((x − y)²))``.

    References
    ----------
    .. [1] ITU-T P.1401 (2020), Methods, metrics and procedures for statistical
       evaluation, qualification and comparison of objective quality prediction models.
    """
    a, b = _paired(x, y)
    return float(np.sqrt(np.mean((a - b) ** 2)))
