"""audio_separation end to end: SI-SDR against the metric, PCM formats, and clear mismatches."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.io import wavfile

from jiebang_eval.metrics.audio import si_sdr

RATE = 16000
TRACKS = {"song1": "public", "song2": "private"}


def _pcm24(samples):
    # scipy reads 24-bit PCM as int32 left-justified; write it through int32 data and a
    # 24-bit header is not supported by scipy's writer, so emit PCM24 by hand.
    import wave

    def write(path):
        ints = np.clip(np.rint(samples * 2**23), -(2**23), 2**23 - 1).astype("<i4")
        raw = b"".join(int(v).to_bytes(3, "little", signed=True) for v in ints.ravel())
        with wave.open(str(path), "wb") as handle:
            handle.setnchannels(samples.shape[1])
            handle.setsampwidth(3)
            handle.setframerate(RATE)
            handle.writeframes(raw)

    return write


@pytest.fixture
def dirs(tmp_path):
    rng = np.random.default_rng(1)
    reference, submission = tmp_path / "reference", tmp_path / "submission"
    truth = {}
    for track in TRACKS:
        for stem in ("vocals", "drums"):
            clean = 0.3 * rng.standard_normal((RATE // 4, 2))
            estimate = clean + 0.05 * rng.standard_normal(clean.shape)
            (reference / track).mkdir(parents=True, exist_ok=True)
            (submission / track).mkdir(parents=True, exist_ok=True)
            wavfile.write(reference / track / f"{stem}.wav", RATE, clean.astype(np.float32))
            truth[(track, stem)] = (clean.astype(np.float32).astype(np.float64), estimate)
    return reference, submission, truth


def test_good_submission_in_three_pcm_formats(dirs, run_evaluator):
    reference, submission, truth = dirs
    writers = {"song1": "int16", "song2": "pcm24"}
    expected = {}
    for (track, stem), (clean, estimate) in truth.items():
        path = submission / track / f"{stem}.wav"
        if stem == "drums":
            wavfile.write(path, RATE, estimate.astype(np.float32))
            stored = estimate.astype(np.float32).astype(np.float64)
        elif writers[track] == "int16":
            ints = np.rint(estimate * 32768).astype(np.int16)
            wavfile.write(path, RATE, ints)
            stored = ints / 32768.0
        else:
            _pcm24(estimate)(path)
            stored = np.clip(np.rint(estimate * 2**23), -(2**23), 2**23 - 1) / 2**23
        expected[(track, stem)] = np.mean([si_sdr(clean[:, c], stored[:, c]) for c in range(2)])
    config = {"splits": {"public": ["song1"], "private": ["song2"]}}
    completed, result = run_evaluator("audio_separation", submission, reference, config)
    assert completed.returncode == 0, completed.stderr
    assert result["status"] == "ok", result["error"]
    by_id = {item["id"]: item for item in result["items"]}
    for track in TRACKS:
        want = np.mean([expected[(track, s)] for s in ("vocals", "drums")])
        assert by_id[track]["metrics"]["si_sdr"] == pytest.approx(want, abs=1e-9)
        assert by_id[track]["split"] == TRACKS[track]
    assert result["metrics_by_split"]["private"]["si_sdr"] == pytest.approx(
        by_id["song2"]["metrics"]["si_sdr"]
    )


def test_silence_for_every_stem_ranks_below_a_real_estimate(dirs, run_evaluator):
    reference, submission, truth = dirs
    config = {"splits": {"public": ["song1"], "private": ["song2"]}}
    for (track, stem), (clean, _) in truth.items():
        wavfile.write(submission / track / f"{stem}.wav", RATE, np.zeros_like(clean, np.float32))
    _, silent = run_evaluator("audio_separation", submission, reference, config)
    for (track, stem), (_, estimate) in truth.items():
        wavfile.write(submission / track / f"{stem}.wav", RATE, estimate.astype(np.float32))
    _, real = run_evaluator("audio_separation", submission, reference, config)
    assert silent["status"] == real["status"] == "ok"
    for split in ("public", "private"):
        assert silent["metrics_by_split"][split]["si_sdr"] == pytest.approx(0.0, abs=1e-6)
        assert silent["metrics_by_split"][split]["snr"] == pytest.approx(0.0, abs=1e-6)
        assert real["metrics_by_split"][split]["si_sdr"] > 10


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (
            lambda d: wavfile.write(d, 8000, np.zeros((RATE // 4, 2), np.float32)),
            "song1/vocals.wav: sample rate 8000 Hz, expected 16000 Hz",
        ),
        (
            lambda d: wavfile.write(d, RATE, np.zeros(RATE // 4, np.float32)),
            "song1/vocals.wav: 1 channel(s), expected 2",
        ),
        (
            lambda d: wavfile.write(d, RATE, np.zeros((100, 2), np.float32)),
            "song1/vocals.wav: 100 samples, expected 4000",
        ),
        (lambda d: d.write_bytes(b"RIFF....garbage"), "song1/vocals.wav is not a readable WAV"),
        (lambda d: d.unlink(), "song1/vocals.wav is missing"),
    ],
)
def test_mismatches_are_reported(dirs, run_evaluator, damage, message):
    reference, submission, truth = dirs
    for (track, stem), (_, estimate) in truth.items():
        wavfile.write(submission / track / f"{stem}.wav", RATE, estimate.astype(np.float32))
    damage(submission / "song1" / "vocals.wav")
    completed, result = run_evaluator(
        "audio_separation", submission, reference, {}, in_process=True
    )
    assert completed.returncode == 0, completed.stderr
    assert result["status"] == "invalid_submission"
    assert message in result["error"]
