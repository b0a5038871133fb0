"""Shared input validation for the metric functions."""

from __future__ import annotations

from typing import Any, TypeVar

import numpy as np
from numpy.typing import ArrayLike, NDArray

_Scalar = TypeVar("_Scalar", bound=np.generic)


def as_float64_pair(
    reference: ArrayLike, distorted: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Validate two same-shaped finite arrays and return them as float64."""
    ref = np.asarray(reference)
    dist = np.asarray(distorted)
    if ref.shape != dist.shape:
        raise ValueError(f"shape mismatch: reference {ref.shape} vs distorted {dist.shape}")
    if ref.size == 0:
        raise ValueError("inputs are empty")
    ref64 = ref.astype(np.float64, copy=False)
    dist64 = dist.astype(np.float64, copy=False)
    if not (np.isfinite(ref64).all() and np.isfinite(dist64).all()):
        raise ValueError("inputs contain NaN or infinity")
    return ref64, dist64


def exact_pair(
    reference: ArrayLike, distorted: ArrayLike
) -> tuple[NDArray[Any], NDArray[Any], type[np.number[Any]]]:
    """Validate a pair for exact arithmetic: ``(reference, distorted, accumulator dtype)``.

    Integer inputs are returned as they are (no copy) with an integer
    accumulator wide enough for squares and sums of 64 squares: int32 for
    samples below 2048 (8- to 11-bit), int64 otherwise. Float inputs are cast
    to float64, which is also the accumulator.
    """
    ref = np.asarray(reference)
    dist = np.asarray(distorted)
    if not (np.issubdtype(ref.dtype, np.integer) and np.issubdtype(dist.dtype, np.integer)):
        ref64, dist64 = as_float64_pair(ref, dist)
        return ref64, dist64, np.float64
    if ref.shape != dist.shape:
        raise ValueError(f"shape mismatch: reference {ref.shape} vs distorted {dist.shape}")
    if ref.size == 0:
        raise ValueError("inputs are empty")
    unsigned_bytes = ref.dtype == np.uint8 and dist.dtype == np.uint8
    small = unsigned_bytes or (
        int(max(ref.max(), dist.max())) < 2048 and int(min(ref.min(), dist.min())) >= 0
    )
    return ref, dist, np.int32 if small else np.int64


def validated_mask(mask: ArrayLike | None, shape: tuple[int, ...]) -> NDArray[np.bool_] | None:
    """Return ``mask`` as a boolean array broadcastable to ``shape`` (or None)."""
    if mask is None:
        return None
    m = np.asarray(mask).astype(bool, copy=False)
    spatial = shape[:2]
    if m.shape != spatial and m.shape != shape:
        raise ValueError(f"mask shape {m.shape} does not match image shape {shape}")
    if not m.any():
        raise ValueError("mask selects no pixel")
    return m


def cropped(image: NDArray[_Scalar], border: int) -> NDArray[_Scalar]:
    """Drop ``border`` pixels from every side of the two leading (spatial) axes."""
    if border < 0:
        raise ValueError("border must be >= 0")
    if border == 0:
        return image
    if image.shape[0] <= 2 * border or image.shape[1] <= 2 * border:
        raise ValueError(f"border {border} leaves nothing of a {image.shape[:2]} image")
    return image[border:-border, border:-border]


def positive(value: float, name: str) -> float:
    """Return ``value`` as float after checking that it is a positive finite number."""
    v = float(value)
    if not np.isfinite(v) or v <= 0:
        raise ValueError(f"{name} must be a positive finite number, got {value!r}")
    return v
