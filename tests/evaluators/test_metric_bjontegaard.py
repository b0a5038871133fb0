"""BD-rate / BD-quality against JCTVC-E137-validated vectors and the bjontegaard package."""

from __future__ import annotations

import bjontegaard
import numpy as np
import pytest

from jiebang_eval.metrics.bjontegaard import (
    NonMonotonicCurve,
    bd_quality,
    bd_rate,
    check_monotone,
    overlap_fraction,
    rd_convex_hull,
)

# Netflix vmaf python/test/bd_rate_calculator_test.py (validated against JCTVC-E137);
# CalcBDRate returns a fraction, ours returns percent.
JCTVC_CASES = [
    (
        [(108048.8736, 43.6471), (61279.976, 40.3953), (33905.6656, 37.247), (18883.6928, 34.2911)],
        [
            (108061.2784, 43.6768),
            (61299.9936, 40.4232),
            (33928.7472, 37.2761),
            (18910.912, 34.3147),
        ],
        -0.00465215420752807,
    ),
    (
        [(40433.8848, 37.5761), (7622.7456, 35.3756), (2394.488, 33.8977), (1017.6184, 32.0603)],
        [(40370.12, 37.5982), (7587.0024, 35.4025), (2390.0944, 33.9194), (1017.0984, 32.0822)],
        -0.018779823450567612,
    ),
]


@pytest.mark.parametrize(("anchor", "test", "expected_fraction"), JCTVC_CASES)
def test_bd_rate_reproduces_jctvc_validated_vectors(anchor, test, expected_fraction):
    (ra, qa), (rt, qt) = zip(*anchor, strict=True), zip(*test, strict=True)
    assert abs(bd_rate(ra, qa, rt, qt) / 100 - expected_fraction) < 1e-9


def _random_curve(rng, n):
    rates = np.sort(rng.uniform(100, 5000, n))
    quality = 30 + 8 * np.log10(rates / 100) + np.cumsum(rng.uniform(0.05, 0.6, n))
    return rates, quality


@pytest.mark.parametrize("method", ["pchip", "cubic", "akima"])
@pytest.mark.parametrize("seed", range(20))
def test_bd_metrics_match_bjontegaard_package(method, seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(4, 7))
    ra, qa = _random_curve(rng, n)
    rt, qt = ra * rng.uniform(0.7, 1.2), qa + rng.uniform(-0.5, 0.5)
    kwargs = {"method": method, "require_matching_points": True, "min_overlap": 0}
    expected_rate = bjontegaard.bd_rate(ra, qa, rt, qt, **kwargs)
    expected_quality = bjontegaard.bd_psnr(ra, qa, rt, qt, **kwargs)
    assert bd_rate(ra, qa, rt, qt, method=method) == pytest.approx(expected_rate, abs=1e-9)
    assert bd_quality(ra, qa, rt, qt, method=method) == pytest.approx(expected_quality, abs=1e-9)


def test_point_order_does_not_matter_and_identical_curves_give_zero():
    ra, qa = [1000.0, 500.0, 250.0, 125.0], [40.0, 37.0, 34.0, 31.0]
    assert bd_rate(ra, qa, ra[::-1], qa[::-1]) == pytest.approx(0.0, abs=1e-12)
    assert bd_rate(ra, qa, [r * 0.5 for r in ra], qa) == pytest.approx(-50.0)


def test_non_overlapping_curves_are_rejected():
    with pytest.raises(ValueError, match="do not overlap"):
        bd_rate([1, 2, 3, 4], [30, 31, 32, 33], [1, 2, 3, 4], [40, 41, 42, 43])


def test_akima_with_two_points_is_linear_as_in_the_package():
    ra, qa, rt, qt = [100.0, 1000.0], [30.0, 40.0], [90.0, 950.0], [30.5, 40.2]
    expected = bjontegaard.bd_rate(ra, qa, rt, qt, method="akima", min_overlap=0)
    assert bd_rate(ra, qa, rt, qt, method="akima") == pytest.approx(expected, abs=1e-9)


def test_a_non_monotonic_curve_is_refused_with_the_points_named():
    # Gaming vector: one badly blurred encode at the top rate used to be dropped below
    # the common interval by the sort on quality and moved a sequence's BD-rate from
    # +3.62 % to -2.76 %. Now the curve is refused, naming the points.
    ra, qa = [250.0, 500.0, 1000.0, 2000.0], [33.0, 36.0, 39.0, 42.0]
    rt, qt = [240.0, 480.0, 950.0, 1900.0], [33.1, 36.1, 39.1, 30.0]
    with pytest.raises(NonMonotonicCurve) as refused:
        bd_rate(ra, qa, rt, qt)
    assert refused.value.name == "test"
    assert refused.value.points == [(950.0, 39.1), (1900.0, 30.0)]
    assert "1900" in str(refused.value)
    with pytest.raises(NonMonotonicCurve):
        bd_quality(ra, qa, rt, qt)
    with pytest.raises(NonMonotonicCurve, match="anchor"):
        check_monotone([1, 2, 3], [30, 30, 31], name="anchor")


def test_convex_hull_drops_dominated_points_and_is_monotone():
    rates = [250.0, 500.0, 700.0, 1000.0, 2000.0]
    quality = [33.0, 36.0, 35.0, 39.0, 30.0]  # 700 kbps is dominated, 2000 kbps is worse
    hull_r, hull_q = rd_convex_hull(rates, quality)
    assert list(hull_r) == [250.0, 500.0, 1000.0]
    assert list(hull_q) == [33.0, 36.0, 39.0]
    check_monotone(hull_r, hull_q, name="hull")
    # a concave curve is its own hull
    r = [100.0, 200.0, 400.0, 800.0]
    q = [30.0, 33.0, 35.5, 37.5]
    assert list(rd_convex_hull(r, q)[0]) == r


def test_overlap_fraction_is_the_packages_measure():
    ra, qa = [100.0, 200.0, 400.0, 800.0], [30.0, 33.0, 36.0, 39.0]
    rt, qt = [100.0, 200.0, 400.0, 800.0], [38.1, 39.0, 40.0, 41.0]
    fraction = overlap_fraction(qa, qt)
    assert fraction == pytest.approx((39.0 - 38.1) / (41.0 - 30.0))
    assert fraction < 0.1
    with pytest.warns(UserWarning, match="Insufficient curve overlap"):
        bjontegaard.bd_rate(ra, qa, rt, qt, method="pchip")
    assert overlap_fraction(qa, [40.0, 41.0]) == 0.0
