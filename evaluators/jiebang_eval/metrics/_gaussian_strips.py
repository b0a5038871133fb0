"""The strip machinery behind :mod:`jiebang_eval.metrics.ssim_gaussian`.

Sums of the Gaussian-window SSIM map (and of the squared error) over the valid region
of one plane: the four maps are built a strip of rows at a time, filtered by banded
BLAS products (vertical blocks, then narrow horizontal tiles) and reduced while the
strip is in cache; strips are shared between threads. See that module's docstring for
the formula and the reasons behind each size below.
"""

from __future__ import annotations

import math
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
from numpy.lib.stride_tricks import as_strided
from numpy.typing import NDArray

_TRUNCATE = 3.5
_STRIP_ROWS = 24  # output rows per strip (measured best: 12 → 24 saves ~10 % on one core)
_BLOCK = 4  # output rows per vertical matrix product: few zeros in the band (measured best)
_TILE = 8  # output columns per horizontal matrix product (measured best)
_SINGLE_THREAD_MNK = 1 << 18  # OpenBLAS does a GEMM on the caller's thread up to this size
_MAX_THREADS = 4
_SQRT2 = math.sqrt(2.0)


def _gaussian_kernel(sigma: float) -> NDArray[np.float64]:
    radius = int(_TRUNCATE * sigma + 0.5)
    x = np.arange(-radius, radius + 1, dtype=np.float64)
    kernel = np.exp(-0.5 * (x / sigma) ** 2)
    result: NDArray[np.float64] = kernel / kernel.sum()
    return result


def _band(kernel: NDArray[np.float64], n: int) -> NDArray[np.float64]:
    """``(n + k − 1, n)`` matrix: column ``j`` holds the kernel at rows ``j … j + k − 1``.

    ``row @ band`` is the valid correlation of ``row`` (length ``n + k − 1``) with the kernel.
    """
    k = kernel.size
    band = np.zeros((n + k - 1, n))
    for j in range(n):
        band[j : j + k, j] = kernel
    return band


class _Plan:
    """Strip, block and tile sizes, padded buffer widths and the banded matrices for one plane.

    The vertical matrices also scale the four maps, so that the filtered maps come
    out as ``√2·μ₁``, ``√2·μ₂``, ``2·G∗(x² + y²)`` and ``2·G∗xy``.
    """

    def __init__(self, height: int, width: int, kernel: NDArray[np.float64]) -> None:
        pad = kernel.size - 1
        self.height, self.width, self.pad = height, width, pad
        self.out_h, self.out_w = height - pad, width - pad
        self.block = block = min(_BLOCK, self.out_h)
        self.blocks = min(_STRIP_ROWS // block, -(-self.out_h // block))
        self.rows = self.blocks * block  # output rows per strip
        self.tile = tile = min(_TILE, self.out_w)
        self.tiles = -(-self.out_w // tile)
        self.tiled_w = self.tiles * tile  # width of the filtered maps (≥ out_w)
        # vertical pass: column chunks of every map, each product single-threaded, as few and
        # as even as possible (the unfiltered maps are padded to chunks × chunk)
        longest = max(1, _SINGLE_THREAD_MNK // (block * (block + pad)))
        self.chunks = -(-(self.tiled_w + pad) // longest)
        self.chunk = -(-(self.tiled_w + pad) // self.chunks)
        self.padded_w = self.chunks * self.chunk  # row length of the unfiltered maps
        scale = np.array([_SQRT2, _SQRT2, 2.0, 2.0])[:, None, None, None, None]
        vertical = _band(kernel, block).T  # (block, block + pad)
        self.vertical = np.ascontiguousarray(
            scale * np.broadcast_to(vertical, (4, self.blocks, self.chunks, *vertical.shape))
        )
        self.horizontal = _band(kernel, tile)  # (tile + pad, tile)
        # buffer shapes, and the width: columns past it must stay zero in reused buffers
        self.geometry = (width, self.rows, pad, self.padded_w, self.chunk, block, tile, self.tiles)


def _sum_of_products(a: NDArray[np.float64], b: NDArray[np.float64]) -> float:
    """``Σ a·b`` of two 2-D arrays as one dot product per row.

    One call; rows of up to 10⁴ samples (any image up to 10⁴ pixels wide) are short
    enough that OpenBLAS keeps each dot on the calling thread. A single ``np.dot``
    over the strip wakes its thread pool instead, which was measured 10-20× slower
    for the whole SSIM while our own threads or other processes hold the cores.
    """
    return float(np.matmul(a[:, None, :], b[:, :, None]).sum())


class _Workspace:
    """One strip worker's buffers (and their strided views) for plans of one geometry."""

    def __init__(self, plan: _Plan) -> None:
        rows, pad, padded_w, tiled_w = plan.rows, plan.pad, plan.padded_w, plan.tiled_w
        chunk, tile, block = plan.chunk, plan.tile, plan.block
        in_max = rows + pad
        self.maps = maps = np.zeros((4, in_max, padded_w))  # x, y, x² + y², xy
        self.smoothed = smoothed = np.empty((4, rows, padded_w))  # after the vertical pass
        self.filtered = filtered = np.empty((4, rows, tiled_w))  # √2μ₁, √2μ₂, 2G∗(x²+y²), 2G∗xy
        self.num = np.empty((rows, tiled_w))
        self.diff = np.empty((in_max, padded_w))
        f8 = maps.itemsize
        # vertical pass: output rows in blocks, each block from its own block + pad input rows
        self.maps_blocks = as_strided(
            maps,
            (4, plan.blocks, plan.chunks, block + pad, chunk),
            (maps.strides[0], block * padded_w * f8, chunk * f8, padded_w * f8, f8),
        )
        self.smoothed_blocks = as_strided(
            smoothed,
            (4, plan.blocks, plan.chunks, block, chunk),
            (smoothed.strides[0], block * padded_w * f8, chunk * f8, padded_w * f8, f8),
        )
        self.smoothed_tiles = as_strided(
            smoothed, (plan.tiles, 4 * rows, tile + pad), (tile * f8, padded_w * f8, f8)
        )
        self.filtered_tiles = as_strided(
            filtered, (plan.tiles, 4 * rows, tile), (tile * f8, tiled_w * f8, f8)
        )


# Workspaces are kept between calls (for the latest geometry only): allocating ~4 MB of
# fresh pages per worker and frame cost ~1 ms of page faults, ~8 % of a 1080p frame.
_workspaces: dict[tuple[int, ...], list[_Workspace]] = {}
_workspaces_lock = threading.Lock()


def _take_workspace(plan: _Plan) -> _Workspace:
    with _workspaces_lock:
        free = _workspaces.get(plan.geometry)
        if free:
            return free.pop()
    return _Workspace(plan)


def _give_back(plan: _Plan, workspace: _Workspace) -> None:
    with _workspaces_lock:
        if plan.geometry not in _workspaces:
            _workspaces.clear()
            _workspaces[plan.geometry] = []
        _workspaces[plan.geometry].append(workspace)


def _strip_sums(
    plan: _Plan,
    reference: NDArray[Any],
    distorted: NDArray[Any],
    starts: list[int],
    constants: tuple[float, float],
    mask: NDArray[np.bool_] | None,
    out: NDArray[np.float64] | None,
    with_mse: bool,
    mse_mask: NDArray[np.bool_] | None,
) -> tuple[float, float]:
    """Sums of the SSIM map and of the squared error over the strips beginning at ``starts``."""
    workspace = _take_workspace(plan)
    try:
        return _workspace_sums(
            plan, workspace, reference, distorted, starts, constants, mask, out, with_mse, mse_mask
        )
    finally:
        _give_back(plan, workspace)


def _workspace_sums(
    plan: _Plan,
    workspace: _Workspace,
    reference: NDArray[Any],
    distorted: NDArray[Any],
    starts: list[int],
    constants: tuple[float, float],
    mask: NDArray[np.bool_] | None,
    out: NDArray[np.float64] | None,
    with_mse: bool,
    mse_mask: NDArray[np.bool_] | None,
) -> tuple[float, float]:
    """:func:`_strip_sums` in a given workspace.

    With ``mask`` (shape of the valid map) only masked pixels enter the SSIM sum; with
    ``out`` (shape of the valid map) the SSIM map is also stored there. The squared
    error (``with_mse``) covers every input row of the strips, each row once, or only
    the pixels of ``mse_mask`` (shape of the plane).
    """
    rows, pad, width, out_h, out_w = plan.rows, plan.pad, plan.width, plan.out_h, plan.out_w
    tiled_w = plan.tiled_w
    c1, c2 = constants
    in_max = rows + pad
    maps, filtered, num = workspace.maps, workspace.filtered, workspace.num
    diff = workspace.diff if with_mse else None
    x, y, squares, products = maps
    pair, pair_squares = maps[:2], maps[2:]
    means = filtered[:2]
    mu1, mu2, sum_sq, cross = filtered
    second_moments = filtered[2:]
    moment_constants = np.array([2.0 * c2, c2])[:, None, None]
    ssim_total = 0.0
    sq_total = 0.0
    for top in starts:
        in_rows = min(in_max, plan.height - top)
        if in_rows < in_max:
            maps[:, in_rows:] = 0.0
        np.copyto(x[:in_rows, :width], reference[top : top + in_rows], casting="unsafe")
        np.copyto(y[:in_rows, :width], distorted[top : top + in_rows], casting="unsafe")
        if diff is not None:  # rows top … top + rows − 1, and the rest of the image at the end
            n = rows if top + rows < out_h else in_rows
            errors = diff[:n]
            np.subtract(x[:n], y[:n], out=errors)
            if mse_mask is None:
                sq_total += _sum_of_products(errors, errors)
            else:
                np.multiply(errors, errors, out=errors)
                sq_total += float(errors[:, :width][mse_mask[top : top + n]].sum())
        np.multiply(pair, pair, out=pair_squares)
        np.add(squares, products, out=squares)
        np.multiply(x, y, out=products)
        np.matmul(plan.vertical, workspace.maps_blocks, out=workspace.smoothed_blocks)
        np.matmul(workspace.smoothed_tiles, plan.horizontal, out=workspace.filtered_tiles)
        # t = 2μ₁μ₂; A₁ = t + C₁, A₂ = 2σ₁₂ + C₂ = (2G∗xy + C₂) − t;
        # 2B₁ = 2(μ₁² + μ₂²) + 2C₁, 2B₂ = 2(σ₁² + σ₂²) + 2C₂ = (2G∗(x² + y²) + 2C₂) − 2(μ₁² + μ₂²);
        # SSIM = A₁A₂ / (B₁B₂) = 4 · A₁ · A₂ / (2B₁ · 2B₂)
        np.add(second_moments, moment_constants, out=second_moments)
        np.multiply(mu1, mu2, out=num)
        np.subtract(cross, num, out=cross)
        num += c1
        np.multiply(means, means, out=means)
        np.add(mu1, mu2, out=mu1)
        np.subtract(sum_sq, mu1, out=sum_sq)
        mu1 += 2.0 * c1
        np.multiply(mu1, sum_sq, out=mu1)
        np.divide(cross, mu1, out=cross)
        out_rows = in_rows - pad
        if mask is None and out is None:
            if tiled_w > out_w:
                cross[:, out_w:] = 0.0
            ssim_total += _sum_of_products(num[:out_rows], cross[:out_rows])
            continue
        np.multiply(cross, num, out=cross)
        ssim = cross[:out_rows, :out_w]
        if out is not None:
            np.multiply(ssim, 4.0, out=out[top : top + out_rows])
        if mask is None:
            ssim_total += float(ssim.sum())
        else:
            ssim_total += float(ssim[mask[top : top + out_rows]].sum())
    return 4.0 * ssim_total, sq_total


def _thread_count(strips: int) -> int:
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, _MAX_THREADS, strips // 4))


def _valid_sums(
    reference: NDArray[Any],
    distorted: NDArray[Any],
    kernel: NDArray[np.float64],
    constants: tuple[float, float],
    mask: NDArray[np.bool_] | None = None,
    out: NDArray[np.float64] | None = None,
    with_mse: bool = False,
    mse_mask: NDArray[np.bool_] | None = None,
) -> tuple[float, float]:
    """Sums of the SSIM map over the valid region of one 2-D plane (the map is rim-free)
    and, ``with_mse``, of the squared error over the whole plane (or ``mse_mask``)."""
    plan = _Plan(reference.shape[0], reference.shape[1], kernel)
    starts = list(range(0, plan.out_h, plan.rows))
    threads = _thread_count(len(starts))
    if threads == 1:
        return _strip_sums(
            plan, reference, distorted, starts, constants, mask, out, with_mse, mse_mask
        )
    with ThreadPoolExecutor(threads) as pool:
        parts = list(
            pool.map(
                lambda part: _strip_sums(
                    plan, reference, distorted, part, constants, mask, out, with_mse, mse_mask
                ),
                [starts[i::threads] for i in range(threads)],
            )
        )
    return float(sum(s for s, _ in parts)), float(sum(q for _, q in parts))
