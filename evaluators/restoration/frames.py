"""Pairing reference and submitted frames of a restoration submission (helper of evaluator.py).

PNG layout: ``<clip>/<frame>.png`` (or ``<image>.png`` at the top level, a
one-frame clip). YUV layout: ``<clip>.yuv`` described by ``clips.json``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from jiebang_eval import hints
from jiebang_eval.contract import SubmissionError
from jiebang_eval.media.images import ImageReadError, read_image, rgb_to_luma_bt601
from jiebang_eval.media.rawvideo import RawVideoFormat, iter_frames


@dataclass(frozen=True)
class FramePair:
    """One frame ready to score (H×W or H×W×C) and the peak value.

    Integer-valued planes keep their integer dtype (the metrics convert them strip by strip,
    exactly, instead of holding a float64 copy of every frame); luma computed from RGB is
    float64."""

    name: str
    reference: NDArray[np.generic]
    restored: NDArray[np.generic]
    peak: int
    integer_valued: bool
    mask: NDArray[np.bool_] | None


def png_clips(reference_dir: Path, mask_dir: str) -> dict[str, list[Path]]:
    """Clip id → sorted reference frame paths."""
    clips = {p.stem: [p] for p in sorted(reference_dir.glob("*.png"))}
    for folder in sorted(p for p in reference_dir.iterdir() if p.is_dir() and p.name != mask_dir):
        frames = sorted(folder.glob("*.png"))
        if frames:  # folders without frames (e.g. an unused mask folder) are not clips
            clips[folder.name] = frames
    return clips


def _select(image: NDArray[np.generic], channels: str) -> tuple[NDArray[np.generic], bool]:
    if channels == "y" and image.ndim == 3:
        return rgb_to_luma_bt601(image.astype(np.uint8)), False
    return image, True


def _read_restored(path: Path, label: str) -> tuple[NDArray[np.generic], int]:
    if not path.is_file():
        raise SubmissionError(f"image {label} is missing", f"缺少图像 {label}")
    try:
        return read_image(path)
    except ImageReadError as exc:
        raise SubmissionError(
            f"image {label} cannot be read as PNG: {exc}", f"图像 {label} 无法按 PNG 格式读取"
        ) from exc


def iter_png_pairs(
    clip: str,
    frames: list[Path],
    reference_dir: Path,
    submission_dir: Path,
    *,
    channels: str,
    mask_dir: str | None,
) -> Iterator[FramePair]:
    """Yield scored pairs of one PNG clip, checking counts, sizes and depth."""
    nested = frames[0].parent != reference_dir
    if nested:
        if not (submission_dir / clip).is_dir():
            raise hints.missing(
                submission_dir,
                [f"{clip}/"],
                en=f"folder {clip}/ is missing (expected {clip}/{frames[0].name} … {len(frames)} frames)",
                zh=f"缺少文件夹 {clip}/（应包含 {clip}/{frames[0].name} 等 {len(frames)} 帧）",
            )
        submitted = sorted((submission_dir / clip).glob("*.png"))
        if len(submitted) != len(frames):
            raise SubmissionError(
                f"frame count {len(submitted)} ≠ {len(frames)} in clip {clip}",
                f"片段 {clip} 的帧数 {len(submitted)} ≠ {len(frames)}",
            )
    for frame in frames:
        relative = frame.relative_to(reference_dir)
        label = relative.as_posix()
        ref_image, peak = read_image(frame)
        out_image, out_peak = _read_restored(submission_dir / relative, label)
        if out_image.shape[:2] != ref_image.shape[:2]:
            h, w = out_image.shape[:2]
            raise SubmissionError(
                f"image {label} is {w}×{h}, expected {ref_image.shape[1]}×{ref_image.shape[0]}",
                f"图像 {label} 尺寸为 {w}×{h}，应为 {ref_image.shape[1]}×{ref_image.shape[0]}",
            )
        if out_peak != peak or out_image.ndim != ref_image.ndim:
            raise SubmissionError(
                f"image {label} has a different bit depth or colour layout than the reference",
                f"图像 {label} 的位深或颜色格式与参考不同",
            )
        mask = None
        if mask_dir is not None:
            mask_image, _ = read_image(reference_dir / mask_dir / relative)
            mask = (mask_image if mask_image.ndim == 2 else mask_image.max(axis=2)) > 0
        ref, integer_valued = _select(ref_image, channels)
        out, _ = _select(out_image, channels)
        yield FramePair(label, ref, out, peak, integer_valued, mask)


def yuv_clips(reference_dir: Path) -> dict[str, tuple[RawVideoFormat, int]]:
    """Clip id → (raw format, frame count) from ``clips.json``."""
    listing = json.loads((reference_dir / "clips.json").read_text(encoding="utf-8"))["clips"]
    return {
        c["name"]: (
            RawVideoFormat(c["width"], c["height"], c.get("pix_fmt", "yuv420p")),
            int(c["frames"]),
        )
        for c in listing
    }


def iter_yuv_pairs(
    clip: str, fmt: RawVideoFormat, frames: int, reference_dir: Path, submission_dir: Path
) -> Iterator[FramePair]:
    """Yield the Y planes of one raw clip, one frame at a time."""
    restored = submission_dir / f"{clip}.yuv"
    if not restored.is_file():
        raise hints.missing(
            submission_dir, [f"{clip}.yuv"], en=f"{clip}.yuv is missing", zh=f"缺少 {clip}.yuv"
        )
    count, leftover = fmt.frame_count(restored)
    if count != frames or leftover:
        raise SubmissionError(
            f"frame count {count}{f' (+{leftover} bytes)' if leftover else ''} ≠ {frames} in "
            f"clip {clip} ({fmt.width}×{fmt.height} {fmt.pix_fmt})",
            f"片段 {clip} 的帧数 {count}{f'（多出 {leftover} 字节）' if leftover else ''} ≠ {frames}"
            f"（{fmt.width}×{fmt.height} {fmt.pix_fmt}）",
        )
    pairs = zip(
        iter_frames(reference_dir / f"{clip}.yuv", fmt), iter_frames(restored, fmt), strict=True
    )
    for n, (ref_planes, out_planes) in enumerate(pairs):
        yield FramePair(
            f"{clip}#{n}",
            ref_planes[0],
            out_planes[0],
            fmt.peak,
            True,
            None,
        )
