"""SROCC / KROCC / PLCC / RMSE against scipy.stats, SI-SDR and SNR, and the logistic fit."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from jiebang_eval.metrics.audio import si_sdr, snr
from jiebang_eval.metrics.correlation import average_ranks, krocc, plcc, rmse, srocc
from jiebang_eval.metrics.logistic import fit_logistic_4, logistic_4


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("with_ties", [False, True])
def test_correlations_agree_with_scipy(seed, with_ties):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=300)
    y = x + rng.normal(scale=0.7, size=300)
    if with_ties:
        x, y = np.round(x, 1), np.round(y, 0)
    assert srocc(x, y) == pytest.approx(stats.spearmanr(x, y).statistic, abs=1e-12)
    assert krocc(x, y, block=64) == pytest.approx(stats.kendalltau(x, y).statistic, abs=1e-12)
    assert plcc(x, y) == pytest.approx(stats.pearsonr(x, y).statistic, abs=1e-12)
    np.testing.assert_allclose(average_ranks(x), stats.rankdata(x))
    assert rmse(x, y) == pytest.approx(math.sqrt(np.mean((x - y) ** 2)))


def test_logistic_fit_recovers_a_known_curve():
    x = np.linspace(0, 10, 200)
    mos = logistic_4(x, 5.0, 1.0, 4.0, 1.5)
    fitted = fit_logistic_4(x, mos)
    assert rmse(fitted, mos) < 1e-6
    assert plcc(fitted, mos) == pytest.approx(1.0)


def test_logistic_fit_handles_decreasing_predictors():
    rng = np.random.default_rng(1)
    x = rng.uniform(0, 1, 100)
    mos = 5 - 4 * x + rng.normal(0, 0.1, 100)
    assert plcc(fit_logistic_4(x, mos), mos) > 0.95


def test_si_sdr_known_value():
    assert si_sdr([3, -0.5, 2, 7], [2.5, 0, 2, 8]) == pytest.approx(18.4030, abs=5e-5)


def test_si_sdr_is_scale_invariant_but_snr_is_not():
    rng = np.random.default_rng(0)
    s = rng.normal(size=1000)
    est = s + 0.1 * rng.normal(size=1000)
    assert si_sdr(s, 3 * est) == pytest.approx(si_sdr(s, est))
    noise = est - s
    assert snr(s, est) == pytest.approx(10 * math.log10((s @ s) / (noise @ noise)))
    assert snr(s, 3 * est) < snr(s, est)


EPS = float(np.finfo(np.float64).eps)


def test_silent_estimate_scores_zero_not_the_maximum():
    # Gaming vector: si_sdr(s, zeros) was +inf (stored as 200 dB) and topped the board.
    s = np.random.default_rng(2).normal(size=4000)
    assert si_sdr(s, np.zeros_like(s)) == pytest.approx(0.0, abs=1e-9)
    assert snr(s, np.zeros_like(s)) == pytest.approx(0.0, abs=1e-9)
    assert si_sdr(s, s + 0.5 * np.random.default_rng(3).normal(size=4000)) > 0


def test_degenerate_cases_follow_the_epsilon_form():
    s = np.array([1.0, -2.0, 3.0, 0.5])
    energy = float(s @ s)
    # identical signals: finite, (‖s‖² + ε) / ε
    assert si_sdr(s, s) == pytest.approx(10 * math.log10((energy + EPS) / EPS), rel=1e-12)
    assert snr(s, s) == pytest.approx(10 * math.log10((energy + EPS) / EPS), rel=1e-12)
    # silent reference, audible estimate: ε / (‖ŝ‖² + ε), far below any real estimate
    assert si_sdr(np.zeros(4), s) == pytest.approx(10 * math.log10(EPS / (energy + EPS)))
    assert si_sdr(np.zeros(4), s) < -150
    # both silent: 0 dB
    assert si_sdr(np.zeros(4), np.zeros(4)) == 0.0
    assert snr(np.zeros(4), np.zeros(4)) == 0.0
    for value in (si_sdr(s, s), si_sdr(np.zeros(4), s), snr(np.zeros(4), s)):
        assert math.isfinite(value)


def test_epsilon_form_equals_the_plain_definition_on_real_signals():
    rng = np.random.default_rng(4)
    s = rng.normal(size=2000)
    est = 0.7 * s + 0.2 * rng.normal(size=2000)
    alpha = (est @ s) / (s @ s)
    plain = 10 * math.log10(((alpha * s) @ (alpha * s)) / ((alpha * s - est) @ (alpha * s - est)))
    assert si_sdr(s, est) == pytest.approx(plain, abs=1e-9)


def test_non_finite_or_mismatched_input_is_rejected():
    with pytest.raises(ValueError, match="NaN"):
        si_sdr(np.array([1.0, np.nan]), np.ones(2))
    with pytest.raises(ValueError, match="shape"):
        snr(np.ones(3), np.ones(4))
