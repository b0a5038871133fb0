"""The numba loops of :mod:`jiebang_eval.metrics._ms_ssim_kernels` (imported on first use).

Module-level functions, so that numba's on-disk cache finds them again in the next
process (a compiled closure that captures other compiled functions misses the cache
every time: its key pickles them differently per process, ~2.5 s of CPU per run).

numba only uses a cache folder it can write to. The scoring sandbox binds this tree
read-only, so there the files compiled beforehand (by a run outside the sandbox, e.g.
the tests or a warm-up) are copied to a private temporary folder that numba is told to
use; without such files each sandboxed evaluation compiles anew.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numba
import numpy as np
from numba.core.caching import UserProvidedCacheLocator

from jiebang_eval.metrics._ms_ssim_kernels import GAUSSIAN, LPF

gauss, lpf = GAUSSIAN, LPF
taps, lpf_taps = GAUSSIAN.size, LPF.shape[0]
f32, f64 = np.float32, np.float64


def _use_read_only_cache() -> None:
    """Point numba at a writable copy of this file's cache if ``__pycache__`` is read-only."""
    tree = Path(__file__).with_name("__pycache__")
    chosen = numba.config.CACHE_DIR  # type: ignore[attr-defined]  # NUMBA_CACHE_DIR
    if chosen or not tree.is_dir() or os.access(tree, os.W_OK):
        return
    files = list(tree.glob(f"{Path(__file__).stem}.*.nb[ic]"))
    if not files:
        return
    root = tempfile.mkdtemp(prefix="jiebang_numba_")  # private (0700): nobody else's cache
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    folder = Path(root, UserProvidedCacheLocator.get_suitable_cache_subpath(__file__))
    folder.mkdir()
    for file in files:
        shutil.copy2(file, folder)
    numba.config.CACHE_DIR = root  # type: ignore[attr-defined]


_use_read_only_cache()


def _jit(function: Callable[..., Any]) -> Any:
    """``njit``, cached next to this file or in the user's cache folder when writable."""
    try:
        return numba.njit(nogil=True, cache=True, error_model="numpy")(function)
    except RuntimeError:  # no writable cache location: compile in memory only
        return numba.njit(nogil=True, error_model="numpy")(function)


@_jit
def to_float32(src: Any, scale: Any, dst: Any) -> None:
    """libvmaf's ``picture_copy``: ``float32(sample)``, scaled to 8-bit range."""
    h, w = src.shape
    for y in range(h):
        row, out = src[y], dst[y]
        for x in range(w):
            out[x] = f32(row[x]) * scale


@_jit
def symmetric(i: int, n: int) -> int:
    """KBND_SYMMETRIC: -1 → 0, -2 → 1; n → n - 1, n + 1 → n - 2."""
    if i < 0:
        return -1 - i
    if i >= n:
        return 2 * n - 1 - i
    return i


@_jit
def padded_row(src: Any, even: Any, odd: Any) -> None:
    """One row padded by 4 samples each side, its even and odd columns apart."""
    w = src.size
    pad = lpf_taps // 2
    pairs = w // 2
    for j in range(pairs):  # padded columns 2j + 4, 2j + 5 hold src[2j], src[2j + 1]
        left, right = src[2 * j], src[2 * j + 1]  # one loop: vectorised as a pair
        even[j + pad // 2] = left
        odd[j + pad // 2] = right
    if w % 2:
        even[pairs + pad // 2] = src[w - 1]
    for x in range(2 * pad):  # the left and right borders
        side = x if x < pad else w + x
        sx = symmetric(side - pad, w)
        if side % 2 == 0:
            even[side // 2] = src[sx]
        else:
            odd[side // 2] = src[sx]


@_jit
def decimate(img: Any, out: Any, buffers: Any) -> None:
    """libvmaf ``_iqa_decimate`` by 2 with ``g_lpf`` and symmetric edges.

    ``rows`` is a ring of the 9 padded input rows under the current output row;
    ``acc`` accumulates one output row in double, tap by tap in libvmaf's order.
    """
    rows, acc = buffers
    h = img.shape[0]
    sh, sw = out.shape
    pad = lpf_taps // 2
    filled = 0  # padded rows 0 … filled - 1 have been in the ring
    for y in range(sh):
        while filled < 2 * y + lpf_taps:
            slot = filled % lpf_taps
            padded_row(img[symmetric(filled - pad, h)], rows[slot, 0], rows[slot, 1])
            filled += 1
        acc[:sw] = 0.0
        for v in range(lpf_taps):
            slot = (2 * y + v) % lpf_taps
            even, odd = rows[slot, 0], rows[slot, 1]
            for x in range(sw):
                total = acc[x]
                for u in range(lpf_taps):
                    if u % 2 == 0:
                        total += f64(even[x + u // 2] * lpf[v, u])
                    else:
                        total += f64(odd[x + u // 2] * lpf[v, u])
                acc[x] = total
        dst = out[y]
        for x in range(sw):
            dst[x] = f32(acc[x])


@_jit
def lcs_sums(ref: Any, dist: Any, c: Any, buffers: Any, sums: Any) -> None:
    """Sums of libvmaf's per-pixel l, c and s over the valid region of one scale."""
    c1, c2, c3 = c[0], c[1], c[2]
    ring, maps, moments, columns = buffers
    h, w = ref.shape
    ow = w - taps + 1
    # Rows of the horizontal pass of x, y, x², y², xy (float32 results) go to a ring
    # of 2·11 rows, each row twice (at j and j + 11), so that the 11 rows under
    # output row r are the contiguous slots r % 11 … r % 11 + 10.
    columns[:, :ow] = 0.0  # per-column sums of l, c and s
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
            columns[0, x] += (2.0 * f64(mu1) * f64(mu2) + f64(c1)) / f64(mu1 * mu1 + mu2 * mu2 + c1)
            columns[1, x] += (2.0 * f64(srsc) + f64(c2)) / f64(s11 + s22 + c2)
            s12c = f32(0.0) if (s12 < f32(0.0) and srsc <= f32(0.0)) else s12
            columns[2, x] += f64((s12c + c3) / (srsc + c3))
    for t in range(3):
        sums[t] = 0.0
        for x in range(ow):
            sums[t] += columns[t, x]


@_jit
def frame_sums(
    ref: Any, dist: Any, scale: Any, c: Any, pyramid: Any, buffers: Any, sums: Any
) -> None:
    """All five scales of one frame pair into ``sums`` (see :func:`frame_sums`)."""
    refs, dists = pyramid
    lcs_buffers, decimation_buffers = buffers
    to_float32(ref, scale, refs[0])
    to_float32(dist, scale, dists[0])
    for k in range(len(refs)):
        if k:
            decimate(refs[k - 1], refs[k], decimation_buffers)
            decimate(dists[k - 1], dists[k], decimation_buffers)
        lcs_sums(refs[k], dists[k], c, lcs_buffers, sums[k])
