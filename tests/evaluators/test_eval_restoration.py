"""restoration end to end: PNG (Y / RGB, mask, Malanshan score) and YUV clips, and mismatches."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image
from skimage.metrics import peak_signal_noise_ratio, structural_similarity

from jiebang_eval.media.images import rgb_to_luma_bt601

SHAPE = (48, 64, 3)
CLIPS = {"0001": "public", "0007": "private"}


def _frames(seed):
    rng = np.random.default_rng(seed)
    base = np.cumsum(np.cumsum(rng.normal(size=SHAPE), 0), 1)
    ref = np.clip((base - base.min()) / np.ptp(base) * 255, 0, 255).astype(np.uint8)
    noisy = np.clip(ref + rng.normal(0, 8, SHAPE), 0, 255).astype(np.uint8)
    return ref, noisy


@pytest.fixture
def dirs(tmp_path):
    reference, submission = tmp_path / "reference", tmp_path / "submission"
    truth = {}
    for c, clip in enumerate(CLIPS):
        for folder in (reference / clip, submission / clip, reference / "masks" / clip):
            folder.mkdir(parents=True)
        for n in range(3):
            ref, out = _frames(10 * c + n)
            name = f"{n:04d}.png"
            Image.fromarray(ref).save(reference / clip / name)
            Image.fromarray(out).save(submission / clip / name)
            mask = np.zeros(SHAPE[:2], np.uint8)
            mask[8:40, 16:56] = 255
            Image.fromarray(mask).save(reference / "masks" / clip / name)
            truth[(clip, n)] = (ref, out, mask > 0)
    return reference, submission, truth


def test_rgb_psnr_and_wang_ssim_match_skimage(dirs, run_evaluator):
    reference, submission, truth = dirs
    config = {"channels": "rgb", "splits": {s: [c] for c, s in CLIPS.items()}}
    completed, result = run_evaluator("restoration", submission, reference, config)
    assert completed.returncode == 0, completed.stderr
    assert result["status"] == "ok", result["error"]
    for item in result["items"]:
        pairs = [truth[(item["id"], n)] for n in range(3)]
        psnr = np.mean([peak_signal_noise_ratio(r, o, data_range=255) for r, o, _ in pairs])
        ssim = np.mean(
            [
                structural_similarity(
                    r,
                    o,
                    data_range=255,
                    channel_axis=2,
                    gaussian_weights=True,
                    sigma=1.5,
                    use_sample_covariance=False,
                )
                for r, o, _ in pairs
            ]
        )
        assert item["metrics"]["psnr"] == pytest.approx(psnr, abs=1e-9)
        assert item["metrics"]["ssim"] == pytest.approx(ssim, abs=1e-7)
        assert item["split"] == CLIPS[item["id"]]
    assert set(result["metrics_by_split"]) == {"public", "private"}
    assert result["metrics"]["score"] == pytest.approx(result["metrics"]["psnr"])


def test_masked_malanshan_score_on_luma(dirs, run_evaluator):
    reference, submission, truth = dirs
    config = {
        "mask_dir": "masks",
        "ssim_variant": "wang_gaussian",
        "score_expression": "psnr*2*0.5 + ssim*100*0.5",
    }
    _, result = run_evaluator("restoration", submission, reference, config)
    assert result["status"] == "ok", result["error"]
    item = result["items"][0]
    mses = []
    for n in range(3):
        ref, out, mask = truth[(item["id"], n)]
        diff = rgb_to_luma_bt601(ref) - rgb_to_luma_bt601(out)
        mses.append(np.mean(diff[mask] ** 2))
    psnr = np.mean([10 * np.log10(255**2 / m) for m in mses])
    assert item["metrics"]["psnr"] == pytest.approx(psnr, abs=1e-9)
    expected = item["metrics"]["psnr"] * 2 * 0.5 + item["metrics"]["ssim"] * 100 * 0.5
    assert item["metrics"]["score"] == pytest.approx(expected)


def test_mismatches_are_named(dirs, run_evaluator):
    reference, submission, _ = dirs
    (submission / "0007" / "0002.png").unlink()
    _, result = run_evaluator("restoration", submission, reference, {})
    assert result["status"] == "invalid_submission"
    assert result["error"] == "frame count 2 ≠ 3 in clip 0007"
    Image.fromarray(np.zeros((48, 62, 3), np.uint8)).save(submission / "0007" / "0002.png")
    _, result = run_evaluator("restoration", submission, reference, {}, in_process=True)
    assert result["error"] == "image 0007/0002.png is 62×48, expected 64×48"
    (submission / "0007" / "0002.png").write_bytes(b"\x89PNG broken")
    _, result = run_evaluator("restoration", submission, reference, {}, in_process=True)
    assert result["error"].startswith("image 0007/0002.png cannot be read as PNG")


def test_yuv_clips_with_ffmpeg_block_ssim(tmp_path, run_evaluator):
    from jiebang_eval.media.rawvideo import RawVideoFormat, iter_frames
    from jiebang_eval.metrics.ssim_block import ssim_block

    fmt = RawVideoFormat(64, 48, "yuv420p10le")
    reference, submission = tmp_path / "ref", tmp_path / "sub"
    reference.mkdir()
    submission.mkdir()
    rng = np.random.default_rng(3)
    samples = rng.integers(0, 1024, 4 * fmt.frame_bytes // 2, dtype=np.uint16)
    samples.astype("<u2").tofile(reference / "clipA.yuv")
    noisy = np.clip(samples + rng.integers(-20, 21, samples.shape), 0, 1023).astype("<u2")
    noisy.tofile(submission / "clipA.yuv")
    (reference / "clips.json").write_text(
        '{"clips": [{"name": "clipA", "width": 64, "height": 48, "pix_fmt": "yuv420p10le", '
        '"frames": 4}]}'
    )
    config = {"format": "yuv", "ssim_variant": "ffmpeg_block"}
    _, result = run_evaluator("restoration", submission, reference, config)
    assert result["status"] == "ok", result["error"]
    pairs = zip(
        iter_frames(reference / "clipA.yuv", fmt),
        iter_frames(submission / "clipA.yuv", fmt),
        strict=True,
    )
    ssim = np.mean([ssim_block(r[0], o[0], data_range=1023) for r, o in pairs])
    assert result["metrics"]["ssim"] == pytest.approx(ssim, abs=1e-12)
    noisy[:-10].tofile(submission / "clipA.yuv")
    _, result = run_evaluator("restoration", submission, reference, config, in_process=True)
    assert result["error"].startswith("frame count 3 (+")


def test_default_luma_and_yuv_scores_equal_the_separate_metrics(dirs, tmp_path, run_evaluator):
    """Wang-Gaussian SSIM without a mask takes the fused MSE + SSIM pass: same values."""
    from jiebang_eval.media.rawvideo import RawVideoFormat, iter_frames
    from jiebang_eval.metrics.psnr import mean_squared_error, psnr_from_mse

    wang = {"gaussian_weights": True, "sigma": 1.5, "use_sample_covariance": False}
    reference, submission, truth = dirs
    _, result = run_evaluator("restoration", submission, reference, {})  # luma, float planes
    assert result["status"] == "ok", result["error"]
    for item in result["items"]:
        lumas = [
            (rgb_to_luma_bt601(r), rgb_to_luma_bt601(o))
            for r, o, _ in (truth[(item["id"], n)] for n in range(3))
        ]
        psnr = np.mean([psnr_from_mse(mean_squared_error(r, o), peak=255) for r, o in lumas])
        ssim = np.mean([structural_similarity(r, o, data_range=255, **wang) for r, o in lumas])
        assert item["metrics"]["psnr"] == pytest.approx(psnr, rel=1e-13)
        assert item["metrics"]["ssim"] == pytest.approx(ssim, abs=1e-7)

    fmt = RawVideoFormat(64, 48, "yuv420p10le")
    reference, submission = tmp_path / "yuv_ref", tmp_path / "yuv_sub"
    reference.mkdir()
    submission.mkdir()
    rng = np.random.default_rng(5)
    samples = rng.integers(0, 1024, 3 * fmt.frame_bytes // 2, dtype=np.uint16)
    samples.astype("<u2").tofile(reference / "clipA.yuv")
    noisy = np.clip(samples + rng.integers(-20, 21, samples.shape), 0, 1023).astype("<u2")
    noisy.tofile(submission / "clipA.yuv")
    (reference / "clips.json").write_text(
        '{"clips": [{"name": "clipA", "width": 64, "height": 48, "pix_fmt": "yuv420p10le", '
        '"frames": 3}]}'
    )
    config = {"format": "yuv", "psnr_pooling": "global_mse"}
    _, result = run_evaluator("restoration", submission, reference, config)
    assert result["status"] == "ok", result["error"]
    planes = [
        (r[0], o[0])
        for r, o in zip(
            iter_frames(reference / "clipA.yuv", fmt),
            iter_frames(submission / "clipA.yuv", fmt),
            strict=True,
        )
    ]
    mse = np.mean([mean_squared_error(r, o) for r, o in planes])  # exact integer arithmetic
    assert result["metrics"]["psnr"] == psnr_from_mse(float(mse), peak=1023, max_db=72.0)
    ssim = np.mean([structural_similarity(r, o, data_range=1023, **wang) for r, o in planes])
    assert result["metrics"]["ssim"] == pytest.approx(ssim, abs=1e-7)
