"""Planar raw YUV / gray video: geometry and a frame-at-a-time reader."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

# pix_fmt -> (bit depth, chroma shift x, chroma shift y, planes)
_FORMATS: dict[str, tuple[int, int, int, int]] = {
    "gray": (8, 0, 0, 1),
    "gray10le": (10, 0, 0, 1),
    "yuv420p": (8, 1, 1, 3),
    "yuv422p": (8, 1, 0, 3),
    "yuv444p": (8, 0, 0, 3),
    "yuv420p10le": (10, 1, 1, 3),
    "yuv422p10le": (10, 1, 0, 3),
    "yuv444p10le": (10, 0, 0, 3),
}
SUPPORTED_PIX_FMTS = tuple(_FORMATS)


@dataclass(frozen=True)
class RawVideoFormat:
    """Geometry of a planar raw video file (no header, frames back to back)."""

    width: int
    height: int
    pix_fmt: str

    def __post_init__(self) -> None:
        if self.pix_fmt not in _FORMATS:
            raise ValueError(
                f"unsupported pix_fmt {self.pix_fmt!r}; use one of {SUPPORTED_PIX_FMTS}"
            )
        if self.width <= 0 or self.height <= 0:
            raise ValueError("width and height must be positive")

    @property
    def bit_depth(self) -> int:
        return _FORMATS[self.pix_fmt][0]

    @property
    def peak(self) -> int:
        """Largest sample value, ``2^bit_depth − 1``."""
        return (1 << self.bit_depth) - 1

    @property
    def sample_dtype(self) -> type[np.unsignedinteger]:
        return np.uint8 if self.bit_depth == 8 else np.uint16

    @property
    def plane_shapes(self) -> list[tuple[int, int]]:
        """(rows, columns) of each plane; chroma sizes round up as in ffmpeg."""
        _, sx, sy, planes = _FORMATS[self.pix_fmt]
        luma = (self.height, self.width)
        chroma = (-(-self.height >> sy), -(-self.width >> sx))
        return [luma] + [chroma] * (planes - 1)

    @property
    def frame_bytes(self) -> int:
        bytes_per_sample = 1 if self.bit_depth == 8 else 2
        return sum(r * c for r, c in self.plane_shapes) * bytes_per_sample

    def frame_count(self, path: Path) -> tuple[int, int]:
        """(whole frames, leftover bytes) in the file at ``path``."""
        return divmod(path.stat().st_size, self.frame_bytes)


def iter_frames(path: Path, fmt: RawVideoFormat) -> Iterator[list[NDArray[np.unsignedinteger]]]:
    """Yield each frame as a list of planes, reading one frame at a time."""
    dtype = np.dtype(fmt.sample_dtype).newbyteorder("<")
    sizes = [r * c for r, c in fmt.plane_shapes]
    with path.open("rb") as handle:
        while True:
            raw = handle.read(fmt.frame_bytes)
            if len(raw) < fmt.frame_bytes:
                return
            flat = np.frombuffer(raw, dtype=dtype)
            planes = []
            offset = 0
            for (rows, cols), size in zip(fmt.plane_shapes, sizes, strict=True):
                planes.append(flat[offset : offset + size].reshape(rows, cols))
                offset += size
            yield planes
