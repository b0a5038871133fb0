"""Synthetic two-stem mixtures: a vibrato "voice" over a bass line with percussive noise bursts."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from scipy.io import wavfile
from scipy.signal import butter, sosfiltfilt

RATE, SECONDS, SEED = 8000, 1.5, 20240602
SONGS = ("song1", "song2", "song3")
STEMS = ("vocals", "accompaniment")


def _stems(index: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(SEED + index)
    t = np.arange(int(RATE * SECONDS)) / RATE
    f0 = 220 * 2 ** (index / 4) * (1 + 0.01 * np.sin(2 * np.pi * 5.5 * t))
    phase = 2 * np.pi * np.cumsum(f0) / RATE
    voice = sum(np.sin(k * phase) / k for k in range(1, 6)) * (
        0.5 + 0.5 * np.sin(np.pi * t / SECONDS)
    )
    bass = 0.6 * np.sin(2 * np.pi * 55 * 2 ** (index / 6) * t)
    hits = np.zeros_like(t)
    for start in np.arange(0, SECONDS, 0.25):
        n = int(start * RATE)
        hits[n : n + 400] += (
            rng.normal(0, 0.5, 400) * np.exp(-np.arange(400) / 80)[: len(hits[n : n + 400])]
        )
    return {"vocals": 0.3 * voice, "accompaniment": bass + hits}


def _write(path: Path, samples: np.ndarray) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    wavfile.write(path, RATE, np.clip(np.rint(samples * 32767 / 2), -32768, 32767).astype(np.int16))


def audio_data(reference: Path, public: Path) -> None:
    """Stems per song (hidden reference) and their mixtures (public)."""
    for index, song in enumerate(SONGS):
        stems = _stems(index)
        for stem, samples in stems.items():
            _write(reference / song / f"{stem}.wav", samples)
        _write(public / "mixtures" / f"{song}.wav", stems["vocals"] + stems["accompaniment"])


def read_mixture(path: Path) -> np.ndarray:
    _, samples = wavfile.read(path)
    return samples.astype(np.float64) * 2 / 32767


def band_split(
    mixture: np.ndarray, *, low_hz: float, high_hz: float | None = None
) -> dict[str, np.ndarray]:
    """A crude baseline: the voice is what lies in [low_hz, high_hz]; the rest is accompaniment."""
    if high_hz is None:
        sos = butter(6, low_hz, btype="highpass", fs=RATE, output="sos")
    else:
        sos = butter(6, [low_hz, high_hz], btype="bandpass", fs=RATE, output="sos")
    vocals = sosfiltfilt(sos, mixture)
    return {"vocals": vocals, "accompaniment": mixture - vocals}


def write_estimates(dest: Path, song: str, estimates: dict[str, np.ndarray]) -> None:
    for stem, samples in estimates.items():
        _write(dest / song / f"{stem}.wav", samples)
