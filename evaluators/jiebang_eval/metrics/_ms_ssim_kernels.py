"""Compiled loops behind :mod:`jiebang_eval.metrics.ms_ssim` (numba, built on first use).

Every loop reproduces libvmaf's float arithmetic step by step: each filter tap is a
float32 product, the taps of one output are summed in double in libvmaf's order and
the sum is stored as float32. The innermost loops run over output columns, so the
compiler can vectorise them without reordering any sum (no fast-math).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import numpy as np

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

_kernels: dict[str, Callable[..., Any]] = {}
_lock = threading.Lock()


def kernels() -> dict[str, Callable[..., Any]]:
    """The compiled ``decimate`` and ``lcs_sums`` functions (compiled once per process).

    Compiled code is cached next to this file when that folder is writable, else
    (e.g. in a read-only sandbox) compiled in memory only.
    """
    with _lock:
        if not _kernels:
            try:
                _kernels.update(_compile(cache=True))
            except RuntimeError:  # numba found no writable cache location
                _kernels.update(_compile(cache=False))
    return _kernels


def _compile(*, cache: bool) -> dict[str, Callable[..., Any]]:
    import numba  # deferred: importing numba and compiling take ~1 s

    jit = numba.njit(nogil=True, cache=cache, error_model="numpy")
    gauss, lpf = GAUSSIAN, LPF
    taps = gauss.size
    f32, f64 = np.float32, np.float64

    @jit
    def decimate(img: Any) -> Any:  # pragma: no cover - compiled
        """libvmaf ``_iqa_decimate`` by 2 with ``g_lpf`` and symmetric edges."""
        h, w = img.shape
        sh, sw = h // 2 + (h & 1), w // 2 + (w & 1)
        padded = np.empty((h + 8, w + 8), f32)
        for y in range(h + 8):  # KBND_SYMMETRIC: -1 → 0, -2 → 1; w → w - 1, w + 1 → w - 2
            sy = y - 4
            sy = -1 - sy if sy < 0 else (2 * h - 1 - sy if sy >= h else sy)
            for x in range(w + 8):
                sx = x - 4
                sx = -1 - sx if sx < 0 else (2 * w - 1 - sx if sx >= w else sx)
                padded[y, x] = img[sy, sx]
        # even and odd columns apart, so that the column loop reads contiguous memory
        even = np.ascontiguousarray(padded[:, 0::2])
        odd = np.ascontiguousarray(padded[:, 1::2])
        out = np.empty((sh, sw), f32)
        for y in range(sh):
            ev, od = even[2 * y : 2 * y + 9], odd[2 * y : 2 * y + 9]
            dst = out[y]
            for x in range(sw):
                total = 0.0
                for v in range(9):
                    for u in range(9):
                        if u % 2 == 0:
                            total += f64(ev[v, x + u // 2] * lpf[v, u])
                        else:
                            total += f64(od[v, x + u // 2] * lpf[v, u])
                dst[x] = f32(total)
        return out

    @jit
    def lcs_sums(ref: Any, dist: Any, c1: Any, c2: Any, c3: Any) -> Any:  # pragma: no cover
        """Sums of libvmaf's per-pixel l, c and s over the valid region of one scale."""
        h, w = ref.shape
        ow = w - taps + 1
        # Rows of the horizontal pass of x, y, x², y², xy (float32 results) go to a ring
        # of 2·11 rows, each row twice (at j and j + 11), so that the 11 rows under
        # output row r are the contiguous slots r % 11 … r % 11 + 10.
        ring = np.empty((5, 2 * taps, ow), f32)
        maps = np.empty((5, w), f32)
        moments = np.empty((5, ow), f32)
        columns = np.zeros((3, ow), f64)  # per-column sums of l, c and s
        for r in range(h):
            for x in range(w):
                a, b = ref[r, x], dist[r, x]
                maps[0, x] = a
                maps[1, x] = b
                maps[2, x] = a * a
                maps[3, x] = b * b
                maps[4, x] = a * b
            slot = r % taps
            for m in range(5):
                src, dst, copy = maps[m], ring[m, slot], ring[m, slot + taps]
                for x in range(ow):
                    total = 0.0
                    for k in range(taps):
                        total += f64(src[x + k] * gauss[k])
                    dst[x] = f32(total)
                    copy[x] = dst[x]
            top = r - taps + 1  # the output row whose window ends at input row r
            if top < 0:
                continue
            for m in range(5):
                src, dst = ring[m, top % taps : top % taps + taps], moments[m]
                for x in range(ow):
                    total = 0.0
                    for k in range(taps):
                        total += f64(src[k, x] * gauss[k])
                    dst[x] = f32(total)
            for x in range(ow):
                mu1, mu2 = moments[0, x], moments[1, x]
                s11 = max(f32(moments[2, x] - mu1 * mu1), f32(0.0))
                s22 = max(f32(moments[3, x] - mu2 * mu2), f32(0.0))
                s12 = f32(moments[4, x] - mu1 * mu2)
                srsc = f32(np.sqrt(f64(s11 * s22)))
                columns[0, x] += (2.0 * f64(mu1) * f64(mu2) + f64(c1)) / f64(
                    mu1 * mu1 + mu2 * mu2 + c1
                )
                columns[1, x] += (2.0 * f64(srsc) + f64(c2)) / f64(s11 + s22 + c2)
                s12c = f32(0.0) if (s12 < f32(0.0) and srsc <= f32(0.0)) else s12
                columns[2, x] += f64((s12c + c3) / (srsc + c3))
        sums = np.zeros(3, f64)
        for t in range(3):
            for x in range(ow):
                sums[t] += columns[t, x]
        return sums

    return {"decimate": decimate, "lcs_sums": lcs_sums}
