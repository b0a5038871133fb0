"""Compiled loops behind :mod:`jiebang_eval.metrics.ms_ssim` (numba, built on first use).

Every loop reproduces libvmaf's float arithmetic step by step: each filter tap is a
float32 product, the taps of one output are summed in double in libvmaf's order and
the sum is stored as float32. The tap loops are unrolled and the output columns are
the vectorised dimension, so no sum is reordered (no fast-math).

One call of :func:`frame_sums` scores a frame pair at all five scales in buffers that
the caller allocates once per frame size (:class:`Workspace`): a 1080p frame allocated
~40 MB afresh per call before, and the page faults of that memory cost about as much
CPU as the arithmetic when several evaluations share the cores.
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np
from numpy.typing import NDArray

# libvmaf iqa/ssim_tools.h: g_gaussian_window_h (= _v), the 11-tap window.
_HALF = [0.001028, 0.007599, 0.036001, 0.109361, 0.213006, 0.266012]
GAUSSIAN = np.array([*_HALF, *_HALF[-2::-1]], dtype=np.float32)
# libvmaf ms_ssim.c: g_lpf, the 9×9 low-pass kernel (its own 6-decimal values, which are
# not the outer product of g_lpf_h), listed here by its distinct values.
LPF = np.array(
    [
        [0.000714, -0.000450, -0.002090, 0.007132, 0.016114],
        [-0.000450, 0.000283, 0.001316, -0.004490, -0.010146],
        [-0.002090, 0.001316, 0.006115, -0.020867, -0.047149],
        [0.007132, -0.004490, -0.020867, 0.071207, 0.160885],
        [0.016114, -0.010146, -0.047149, 0.160885, 0.363505],
    ]
)
LPF = np.concatenate([LPF, LPF[-2::-1]])
LPF = np.concatenate([LPF, LPF[:, -2::-1]], axis=1).astype(np.float32)
SCALES = 5
_TAPS = GAUSSIAN.size
_LPF_TAPS = LPF.shape[0]


def scale_shapes(height: int, width: int) -> list[tuple[int, int]]:
    """``(h, w)`` of scales 0 … 4: each side halved, rounded up (``_iqa_decimate``)."""
    shapes = [(height, width)]
    for _ in range(SCALES - 1):
        h, w = shapes[-1]
        shapes.append((h // 2 + (h & 1), w // 2 + (w & 1)))
    return shapes


class Workspace:
    """Every buffer one frame pair of a given size needs, reused from frame to frame."""

    def __init__(self, height: int, width: int) -> None:
        shapes = scale_shapes(height, width)
        f32, f64 = np.float32, np.float64
        self.shape = (height, width)
        # float32 samples of both frames at every scale
        self.pyramid = tuple(tuple(np.empty(shape, f32) for shape in shapes) for _ in "rd")
        out_w = width - _TAPS + 1
        half = (width + _LPF_TAPS) // 2 + 1
        lcs = (  # ring of filtered rows, x/y/x²/y²/xy of one row, moments, column sums
            np.empty((5, 2 * _TAPS, out_w), f32),
            np.empty((5, width), f32),
            np.empty((5, out_w), f32),
            np.empty((3, out_w), f64),
        )
        # ring of padded rows (even, odd columns) and one output row in double
        decimation = (np.empty((_LPF_TAPS, 2, half), f32), np.empty(half, f64))
        self.buffers = (lcs, decimation)
        self.sums = np.empty((SCALES, 3), f64)


_local = threading.local()


def workspace(height: int, width: int) -> Workspace:
    """This thread's buffers for ``height × width`` frames (the last size asked for)."""
    current: Workspace | None = getattr(_local, "workspace", None)
    if current is None or current.shape != (height, width):
        current = Workspace(height, width)
        _local.workspace = current
    return current


def frame_sums(
    ref: NDArray[Any], dist: NDArray[Any], scale: float, c: NDArray[np.float32], ws: Workspace
) -> NDArray[np.float64]:
    """Sums of l, c and s over each scale's valid region, shape ``(5, 3)`` (in ``ws``).

    ``ref`` and ``dist`` are 2-D sample arrays of any real dtype; each sample becomes
    ``float32(sample) · scale`` (``scale`` a power of two); ``c`` holds C₁, C₂, C₃.
    """
    from jiebang_eval.metrics import _ms_ssim_loops  # deferred: numba takes ~0.5 s to load

    _ms_ssim_loops.frame_sums(ref, dist, np.float32(scale), c, ws.pyramid, ws.buffers, ws.sums)
    return ws.sums
