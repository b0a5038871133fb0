"""MS-SSIM of the frames that the one-pass quality graph decodes, read from its output.

The graph's ``[out]`` branch passes the decoded distorted frames through (after the
analysis filter that pairs them with the reference, so the frame count is the logs'
count) and ``extractplanes=y`` keeps their luma; ffmpeg writes it as raw video to its
standard output. A reader thread queues those frames while ffmpeg keeps decoding and
filtering, and :func:`jiebang_eval.metrics.ms_ssim.ms_ssim` scores each against the
same frame of the raw reference file. A frame past the reference's end (the graph's
padding frame) gets NaN, so that the caller sees the frame count mismatch.
"""

from __future__ import annotations

import queue
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import numpy as np
from numpy.typing import NDArray

from jiebang_eval.media.rawvideo import RawVideoFormat, iter_frames
from jiebang_eval.metrics.ms_ssim import MIN_SIDE, ms_ssim

_QUEUED_FRAMES = 8  # decoded frames ffmpeg may run ahead of the MS-SSIM loop


def check_ms_ssim_size(fmt: RawVideoFormat) -> None:
    """Refuse, before any decoding, a size that MS-SSIM (as libvmaf) cannot score."""
    if min(fmt.width, fmt.height) // 16 < 11:
        raise ValueError(
            f"MS-SSIM needs both sides ≥ {MIN_SIDE} pixels; the sequence is "
            f"{fmt.width}×{fmt.height}: turn MS-SSIM off for this track"
        )


def _luma_frames(stream: IO[bytes], fmt: RawVideoFormat) -> Iterator[NDArray[np.unsignedinteger]]:
    dtype = np.dtype(fmt.sample_dtype).newbyteorder("<")
    size = fmt.width * fmt.height * dtype.itemsize
    while True:
        raw = stream.read(size)
        if len(raw) < size:
            return
        yield np.frombuffer(raw, dtype=dtype).reshape(fmt.height, fmt.width)


def _reader(
    stream: IO[bytes], fmt: RawVideoFormat, frames: queue.Queue[NDArray[np.unsignedinteger] | None]
) -> None:
    try:
        for frame in _luma_frames(stream, fmt):
            frames.put(frame)
    finally:
        frames.put(None)


def run_scoring_luma(
    command: list[str],
    *,
    reference: Path,
    fmt: RawVideoFormat,
    stderr_path: Path,
    timeout_s: float | None = None,
) -> tuple[int, list[float]]:
    """Run ``command`` (whose standard output is the luma stream) and score every frame.

    Returns ffmpeg's exit status and the per-frame MS-SSIM values; ffmpeg's standard
    error goes to ``stderr_path``.
    """
    values: list[float] = []
    with stderr_path.open("wb") as stderr:
        process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=stderr
        )
        expired = threading.Event()

        def expire() -> None:
            expired.set()
            process.kill()

        timer = threading.Timer(timeout_s, expire) if timeout_s else None
        if timer is not None:
            timer.start()
        assert process.stdout is not None
        frames: queue.Queue[NDArray[np.unsignedinteger] | None] = queue.Queue(
            maxsize=_QUEUED_FRAMES
        )
        reader = threading.Thread(target=_reader, args=(process.stdout, fmt, frames), daemon=True)
        reader.start()
        references = (planes[0] for planes in iter_frames(reference, fmt))
        try:
            while (frame := frames.get()) is not None:
                ref = next(references, None)
                if ref is None:
                    values.append(float("nan"))
                    continue
                values.append(ms_ssim(ref, frame, bit_depth=fmt.bit_depth))
        except BaseException:
            process.kill()
            while frames.get() is not None:  # let the reader reach the end of the pipe
                pass
            raise
        finally:
            reader.join(timeout=60)
            returncode = process.wait()
            if timer is not None:
                timer.cancel()
    if expired.is_set():
        raise subprocess.TimeoutExpired(command, timeout_s or 0.0)
    return returncode, values
