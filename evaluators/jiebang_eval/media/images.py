"""PNG reading and the RGB → luma conversion used by image restoration tracks."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from numpy.typing import NDArray


class ImageReadError(ValueError):
    """The file cannot be decoded as a supported image."""


def read_image(path: Path) -> tuple[NDArray[np.uint8] | NDArray[np.uint16], int]:
    """Decode an 8-bit gray/RGB(A) or 16-bit gray PNG; return (array H×W or H×W×3, peak).

    Alpha is dropped. The peak is 255 for 8-bit and 65535 for 16-bit images.
    """
    from PIL import Image, UnidentifiedImageError  # deferred: only image tracks need Pillow

    try:
        with Image.open(path) as image:
            image.load()
            mode = image.mode
            if mode in ("I;16", "I;16B", "I;16L", "I"):
                return np.asarray(image, dtype=np.uint16), 65535
            if mode == "L":
                return np.asarray(image, dtype=np.uint8), 255
            if mode in ("RGB", "RGBA", "P", "LA"):
                return np.asarray(image.convert("RGB"), dtype=np.uint8), 255
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise ImageReadError(str(exc)) from exc
    raise ImageReadError(f"unsupported image mode {mode}")


def rgb_to_luma_bt601(rgb: NDArray[np.uint8]) -> NDArray[np.float64]:
    """Studio-range BT.601 luma in [16, 235] as MATLAB ``rgb2ycbcr`` (float, not rounded).

    ``Y = 16 + (65.481·R + 128.553·G + 24.966·B) / 255`` for 8-bit R, G, B.

    References
    ----------
    .. [1] ITU-R BT.601-7, Studio encoding parameters of digital television, 2011.
    """
    weights = np.array([65.481, 128.553, 24.966]) / 255.0
    luma: NDArray[np.float64] = 16.0 + rgb.astype(np.float64) @ weights
    return luma
