"""Wang-Gaussian SSIM against scikit-image, and the mask/border options."""

from __future__ import annotations

import numpy as np
import pytest
from skimage.metrics import structural_similarity

from jiebang_eval.metrics.ssim_block import ssim_block
from jiebang_eval.metrics.ssim_gaussian import ssim_gaussian

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
