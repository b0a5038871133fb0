"""Wang-Gaussian SSIM against scikit-image, and the mask/border options."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from skimage.metrics import structural_similarity

from jiebang_eval.metrics import _gaussian_strips as strips_module
from jiebang_eval.metrics.psnr import mean_squared_error
from jiebang_eval.metrics.ssim_block import ssim_block
from jiebang_eval.metrics.ssim_gaussian import (
    mse_and_ssim_gaussian,
    ssim_gaussian,
    ssim_gaussian_map,
)

SKIMAGE_WANG = {"gaussian_weights": True, "sigma": 1.5, "use_sample_covariance": False}


def _pair(shape, dtype, peak, seed):
    rng = np.random.default_rng(seed)
    smooth = np.cumsum(np.cumsum(rng.normal(size=shape), axis=0), axis=1)
    smooth = (smooth - smooth.min()) / np.ptp(smooth) * peak
    ref = smooth.astype(dtype) if dtype != np.float64 else smooth
    noisy = np.clip(smooth + rng.normal(0, peak * 0.05, shape), 0, peak)
    dist = np.rint(noisy).astype(dtype) if dtype != np.float64 else noisy
    return ref, dist


@pytest.mark.parametrize(
    ("shape", "dtype", "peak"),
    [((48, 64), np.uint8, 255), ((96, 80), np.uint16, 1023), ((40, 56), np.float64, 1.0)],
)
def test_wang_ssim_matches_skimage(shape, dtype, peak):
    ref, dist = _pair(shape, dtype, peak, seed=shape[0])
    expected = structural_similarity(ref, dist, data_range=peak, **SKIMAGE_WANG)
    assert abs(ssim_gaussian(ref, dist, data_range=peak) - expected) < 1e-7


def test_wang_ssim_rgb_matches_skimage_channel_mean():
    ref, dist = _pair((50, 60, 3), np.uint8, 255, seed=7)
    expected = structural_similarity(ref, dist, data_range=255, channel_axis=2, **SKIMAGE_WANG)
    assert abs(ssim_gaussian(ref, dist, data_range=255) - expected) < 1e-7


def test_border_crop_equals_scoring_the_cropped_image():
    ref, dist = _pair((64, 64), np.uint8, 255, seed=3)
    for metric in (ssim_gaussian, ssim_block):
        cropped = metric(ref[4:-4, 4:-4], dist[4:-4, 4:-4], data_range=255)
        assert metric(ref, dist, data_range=255, border=4) == pytest.approx(cropped, abs=1e-12)


def test_full_mask_equals_no_mask_and_mask_changes_the_region():
    ref, dist = _pair((64, 64), np.uint8, 255, seed=4)
    dist[:, 32:] = ref[:, 32:]  # right half perfect
    full = np.ones(ref.shape, bool)
    left = np.zeros(ref.shape, bool)
    left[:, :24] = True
    for metric in (ssim_gaussian, ssim_block):
        plain = metric(ref, dist, data_range=255)
        assert metric(ref, dist, data_range=255, mask=full) == pytest.approx(plain, abs=1e-12)
        assert metric(ref, dist, data_range=255, mask=left) < plain
    right = ~left
    right[:, :40] = False
    assert ssim_gaussian(ref, dist, data_range=255, mask=right) == pytest.approx(1.0)


def test_identical_images_score_one_and_shape_mismatch_is_rejected():
    ref, _ = _pair((32, 32), np.uint8, 255, seed=5)
    assert ssim_block(ref, ref, data_range=255) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="shape mismatch"):
        ssim_gaussian(ref, ref[:-1], data_range=255)


def _skimage_map(ref, dist, peak):
    _, full = structural_similarity(ref, dist, data_range=peak, full=True, **SKIMAGE_WANG)
    return full


@pytest.mark.parametrize(
    ("shape", "dtype", "peak"),
    [
        ((203, 317), np.uint8, 255),  # many strips and column tiles, ragged last ones
        ((131, 229), np.uint16, 1023),  # 10-bit samples
        ((97, 151), np.int64, 1023),  # what the restoration evaluator passes
        ((21, 11), np.uint8, 255),  # one strip, one tile narrower than the default
        ((90, 70, 3), np.uint8, 255),
    ],
)
def test_strip_and_tile_edges_match_skimage(shape, dtype, peak):
    ref, dist = _pair(shape, dtype, peak, seed=sum(shape))
    channel = {"channel_axis": 2} if len(shape) == 3 else {}
    expected = structural_similarity(ref, dist, data_range=peak, **channel, **SKIMAGE_WANG)
    assert abs(ssim_gaussian(ref, dist, data_range=peak) - expected) < 1e-7


def test_masked_mean_matches_the_skimage_map_over_the_mask():
    ref, dist = _pair((120, 150), np.uint16, 1023, seed=11)
    rng = np.random.default_rng(12)
    mask = rng.random(ref.shape) < 0.3
    mask[:, :40] = False
    full = _skimage_map(ref, dist, 1023)
    expected = full[5:-5, 5:-5][mask[5:-5, 5:-5]].mean()
    assert abs(ssim_gaussian(ref, dist, data_range=1023, mask=mask) - expected) < 1e-7


def test_border_and_mask_together_match_skimage_on_the_cropped_image():
    ref, dist = _pair((110, 140), np.uint8, 255, seed=13)
    mask = np.zeros(ref.shape, bool)
    mask[20:90, 30:120] = True
    b = 7
    full = _skimage_map(ref[b:-b, b:-b], dist[b:-b, b:-b], 255)
    inner = mask[b:-b, b:-b][5:-5, 5:-5]
    expected = full[5:-5, 5:-5][inner].mean()
    got = ssim_gaussian(ref, dist, data_range=255, mask=mask, border=b)
    assert abs(got - expected) < 1e-7


def test_flat_and_saturated_regions_stay_exact():
    """σ² = E[x²] − μ² cancels badly on flat bright areas; float64 keeps it within 1e-7."""
    ref = np.full((80, 96), 250, np.uint8)
    ref[:, 48:] = 3
    dist = ref.copy()
    dist[10:30, 10:30] = 255
    dist[40:60, 60:90] = 0
    dist[70, :] = 128
    for peak, scale in ((255, 1), (1023, 4)):
        r, d = ref.astype(np.uint16) * scale, dist.astype(np.uint16) * scale
        expected = structural_similarity(r, d, data_range=peak, **SKIMAGE_WANG)
        assert abs(ssim_gaussian(r, d, data_range=peak) - expected) < 1e-7


def test_full_map_matches_skimage_including_the_reflected_rim():
    ref, dist = _pair((60, 75), np.uint8, 255, seed=14)
    got = ssim_gaussian_map(ref.astype(float), dist.astype(float), data_range=255)
    np.testing.assert_allclose(got, _skimage_map(ref, dist, 255), rtol=0, atol=1e-9)


def test_result_does_not_depend_on_the_thread_count(monkeypatch):
    ref, dist = _pair((260, 300), np.uint8, 255, seed=15)
    monkeypatch.setattr(strips_module, "_MAX_THREADS", 1)
    one = ssim_gaussian(ref, dist, data_range=255)
    monkeypatch.setattr(strips_module, "_MAX_THREADS", 4)
    monkeypatch.setattr(strips_module, "_thread_count", lambda strips: 3)
    assert ssim_gaussian(ref, dist, data_range=255) == pytest.approx(one, abs=1e-13)


def test_module_needs_numpy_only_at_run_time():
    code = (
        "import sys; import jiebang_eval.metrics.ssim_gaussian; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('scipy', 'skimage')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("shape", "dtype", "peak", "border"),
    [
        ((203, 317), np.uint8, 255, 0),  # many strips, ragged last strip and tile
        ((131, 229), np.uint16, 1023, 3),
        ((97, 151), np.int64, 1023, 0),
        ((90, 70, 3), np.uint8, 255, 2),
        ((21, 11), np.uint8, 255, 0),  # a single strip
    ],
)
def test_fused_mse_is_mean_squared_errors_exactly_and_ssim_is_ssim_gaussians(
    shape, dtype, peak, border
):
    ref, dist = _pair(shape, dtype, peak, seed=sum(shape) + border)
    mse, ssim = mse_and_ssim_gaussian(ref, dist, data_range=peak, border=border)
    assert mse == mean_squared_error(ref, dist, border=border)
    # integer-valued float64 planes (what the restoration evaluator passes) give the same MSE
    as_float = mse_and_ssim_gaussian(
        ref.astype(np.float64), dist.astype(np.float64), data_range=peak, border=border
    )
    assert as_float == (mse, ssim)
    assert ssim == ssim_gaussian(ref, dist, data_range=peak, border=border)


def test_fused_mse_of_float_images_matches_to_rounding():
    ref, dist = _pair((150, 170), np.float64, 1.0, seed=21)
    mse, ssim = mse_and_ssim_gaussian(ref, dist, data_range=1.0)
    assert mse == pytest.approx(mean_squared_error(ref, dist), rel=1e-13)
    expected = structural_similarity(ref, dist, data_range=1.0, **SKIMAGE_WANG)
    assert abs(ssim - expected) < 1e-7
    assert mse_and_ssim_gaussian(ref, ref, data_range=1.0) == (0.0, pytest.approx(1.0, abs=1e-15))


def test_fused_result_does_not_depend_on_the_thread_count(monkeypatch):
    ref, dist = _pair((260, 300), np.uint16, 1023, seed=22)
    monkeypatch.setattr(strips_module, "_MAX_THREADS", 1)
    mse_one, ssim_one = mse_and_ssim_gaussian(ref, dist, data_range=1023)
    monkeypatch.setattr(strips_module, "_MAX_THREADS", 4)
    monkeypatch.setattr(strips_module, "_thread_count", lambda strips: 3)
    mse, ssim = mse_and_ssim_gaussian(ref, dist, data_range=1023)
    assert mse == mse_one == mean_squared_error(ref, dist)
    assert ssim == pytest.approx(ssim_one, abs=1e-13)


@pytest.mark.parametrize("peak", [1.0, 255.0])
def test_flat_and_saturated_float_regions_stay_exact(peak):
    """Small constants (data_range 1) with flat, saturated and zero areas, float64 input."""
    ref = np.full((70, 90), 0.98 * peak)
    ref[:, 45:] = 0.0
    dist = ref.copy()
    dist[5:25, 5:30] = peak
    dist[30:50, 50:80] = 1e-3 * peak
    dist[60, :] = 0.5 * peak
    expected = structural_similarity(ref, dist, data_range=peak, **SKIMAGE_WANG)
    assert abs(ssim_gaussian(ref, dist, data_range=peak) - expected) < 1e-7
    assert abs(mse_and_ssim_gaussian(ref, dist, data_range=peak)[1] - expected) < 1e-7


@pytest.mark.parametrize(
    ("shape", "dtype", "peak", "mask_shape"),
    [
        ((120, 150), np.uint16, 1023, (120, 150)),
        ((90, 70, 3), np.uint8, 255, (90, 70)),  # one mask for all channels
        ((90, 70, 3), np.uint8, 255, (90, 70, 3)),  # a mask per sample
        ((77, 93), np.float64, 1.0, (77, 93)),
    ],
)
def test_fused_masked_mse_and_ssim_equal_the_separate_metrics(shape, dtype, peak, mask_shape):
    ref, dist = _pair(shape, dtype, peak, seed=sum(shape) + len(mask_shape))
    mask = np.random.default_rng(23).random(mask_shape) < 0.4
    mask[..., :12, :] = True
    for border in (0, 4):
        mse, ssim = mse_and_ssim_gaussian(ref, dist, data_range=peak, mask=mask, border=border)
        expected_mse = mean_squared_error(ref, dist, mask=mask, border=border)
        if dtype == np.float64:
            assert mse == pytest.approx(expected_mse, rel=1e-13)
        else:
            assert mse == expected_mse
        if len(mask_shape) == 2:  # ssim_gaussian takes (H, W) masks
            expected = ssim_gaussian(ref, dist, data_range=peak, mask=mask, border=border)
            assert ssim == pytest.approx(expected, abs=1e-14)


def test_reused_buffers_do_not_leak_between_images():
    """Workspaces are kept between calls: a wider image first must not change the next one."""
    ref, dist = _pair((70, 90), np.uint8, 255, seed=24)
    fresh = mse_and_ssim_gaussian(ref[:, :86], dist[:, :86], data_range=255)
    mse_and_ssim_gaussian(ref, dist, data_range=255)  # same buffer widths, 4 more columns
    mse_and_ssim_gaussian(ref[:60], dist[:60], data_range=255)  # a ragged last strip
    assert mse_and_ssim_gaussian(ref[:, :86], dist[:, :86], data_range=255) == fresh
