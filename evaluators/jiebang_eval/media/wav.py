"""WAV reading (PCM 8/16/24/32-bit or float32/64) into float64 samples in [-1, 1]."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray


class WavReadError(ValueError):
    """The file is not a WAV file this reader understands."""


@dataclass(frozen=True)
class Audio:
    """Samples shaped (frames, channels) and their rate."""

    sample_rate: int
    samples: NDArray[np.float64]

    @property
    def channels(self) -> int:
        return int(self.samples.shape[1])

    @property
    def frames(self) -> int:
        return int(self.samples.shape[0])


def read_wav(path: Path) -> Audio:
    """Read ``path``; integer PCM is scaled by its full-scale value, floats are kept."""
    from scipy.io import wavfile  # deferred: only audio evaluators need scipy.io

    try:
        rate, data = wavfile.read(path)
    except (ValueError, OSError, EOFError) as exc:
        raise WavReadError(str(exc)) from exc
    if data.dtype == np.uint8:
        samples = (data.astype(np.float64) - 128.0) / 128.0
    elif np.issubdtype(data.dtype, np.integer):
        samples = data.astype(np.float64) / float(-np.iinfo(data.dtype).min)
    elif np.issubdtype(data.dtype, np.floating):
        samples = data.astype(np.float64)
    else:
        raise WavReadError(f"unsupported sample type {data.dtype}")
    if samples.ndim == 1:
        samples = samples[:, None]
    if not np.isfinite(samples).all():
        raise WavReadError("contains NaN or infinite samples")
    return Audio(sample_rate=int(rate), samples=samples)
