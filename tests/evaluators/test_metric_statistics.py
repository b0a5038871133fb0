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


def test_silent_reference_is_rejected():
    with pytest.raises(ValueError, match="silent"):
        si_sdr(np.zeros(10), np.ones(10))
