"""Rate-distortion points of coded video: shared by ``video_codec_rd`` and the anchor tool.

Rate rule: ``kbps = 8 · file_bytes / 1000 / (frames / fps)``, where
``file_bytes`` is the size of the uploaded bitstream file as is (container
overhead included) and ``frames / fps`` is the reference sequence's duration.
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, field_validator

from jiebang_eval.media.rawvideo import SUPPORTED_PIX_FMTS, RawVideoFormat
from jiebang_eval.metrics.ffmpeg_quality import (
    VMAF_MODEL_RESOLUTIONS,
    FrameQualityLog,
    QualityOptions,
    measure_quality,
)
from jiebang_eval.metrics.psnr import psnr_cap_db, psnr_from_mse, psnr_global_mse

PsnrPooling = Literal["mean_frame_db", "global_mse"]
YuvWeighting = Literal["6:1:1", "pixel_share"]
QUALITY_KEYS = ("psnr_y", "psnr_u", "psnr_v", "psnr_yuv", "ssim_y", "ssim", "ms_ssim", "vmaf")


class SequenceInfo(BaseModel):
    """One reference sequence as listed in ``reference/sequences.json``.

    ``class`` (optional) groups sequences for per-class averages (e.g. JVET CTC classes A–F).
    """

    model_config = ConfigDict(populate_by_name=True)

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    width: int = Field(gt=0)
    height: int = Field(gt=0)
    fps: float | str
    frames: int = Field(gt=0)
    pix_fmt: str = "yuv420p"
    sequence_class: str | None = Field(default=None, alias="class", max_length=64)

    @field_validator("pix_fmt")
    @classmethod
    def _known_pix_fmt(cls, value: str) -> str:
        if value not in SUPPORTED_PIX_FMTS:
            raise ValueError(f"pix_fmt must be one of {SUPPORTED_PIX_FMTS}")
        return value

    @property
    def fps_value(self) -> float:
        """Frame rate as a number; strings like ``"30000/1001"`` are exact fractions."""
        return float(Fraction(self.fps)) if isinstance(self.fps, str) else float(self.fps)

    @property
    def raw_format(self) -> RawVideoFormat:
        return RawVideoFormat(self.width, self.height, self.pix_fmt)

    @property
    def duration_s(self) -> float:
        return self.frames / self.fps_value


class SequenceList(BaseModel):
    sequences: list[SequenceInfo]


class QualityDefinition(BaseModel):
    """How per-frame values are pooled into one number per rate point."""

    model_config = ConfigDict(frozen=True)

    psnr_pooling: PsnrPooling = "mean_frame_db"
    psnr_yuv_weighting: YuvWeighting = "6:1:1"
    # None: libvmaf's 6·bitdepth + 12 dB (60 dB at 8-bit), the same in every pooling.
    psnr_cap_db: float | None = Field(default=None, gt=0)
    # vmaf_v0.6.1neg: libvmaf's "no enhancement gain" model, which does not reward sharpening.
    vmaf_model: Literal["vmaf_v0.6.1", "vmaf_v0.6.1neg", "vmaf_4k_v0.6.1"] = "vmaf_v0.6.1"
    # Scale both videos (bicubic) to the model's resolution before VMAF (Netflix's advice
    # for content of another size); the other metrics stay at the native size.
    vmaf_scale_to_model: bool = False
    compute_vmaf: bool = True
    compute_ms_ssim: bool = True
    # MS-SSIM by libvmaf's float_ms_ssim itself rather than by jiebang_eval.metrics.ms_ssim
    # on the decoded frames (equal values, ~4× the CPU time).
    ms_ssim_libvmaf: bool = False

    def quality_options(self, n_threads: int) -> QualityOptions:
        models = (self.vmaf_model,) if self.compute_vmaf else ()
        scale = VMAF_MODEL_RESOLUTIONS[self.vmaf_model] if self.vmaf_scale_to_model else None
        return QualityOptions(
            ms_ssim=self.compute_ms_ssim,
            vmaf_models=models,
            n_threads=n_threads,
            vmaf_scale=scale,
            ms_ssim_libvmaf=self.ms_ssim_libvmaf,
        )


class RdPoint(BaseModel):
    """Rate in kbps and the pooled quality values (keys from ``QUALITY_KEYS``)."""

    kbps: float
    quality: dict[str, float]


class AnchorFile(BaseModel):
    """``reference/anchor.json``: the anchor codec's RD points per sequence."""

    encoder: str = "organiser"
    qps: list[int] = Field(default_factory=list)
    definition: QualityDefinition = Field(default_factory=QualityDefinition)
    sequences: dict[str, list[RdPoint]]


def load_sequences(reference_dir: Path) -> list[SequenceInfo]:
    """Read and validate ``reference_dir/sequences.json``."""
    document = json.loads((reference_dir / "sequences.json").read_text(encoding="utf-8"))
    return SequenceList.model_validate(document).sequences


def kbps_from_bytes(n_bytes: int, sequence: SequenceInfo) -> float:
    """The rate rule in this module's docstring."""
    return 8.0 * n_bytes / 1000.0 / sequence.duration_s


def _pooled_psnr(
    frame_mses: list[float], fmt: RawVideoFormat, definition: QualityDefinition
) -> float:
    peak = fmt.peak
    cap = definition.psnr_cap_db or psnr_cap_db(fmt.bit_depth)
    if definition.psnr_pooling == "global_mse":
        return psnr_global_mse(frame_mses, peak=peak, max_db=cap)
    return float(np.mean([psnr_from_mse(m, peak=peak, max_db=cap) for m in frame_mses]))


def pool_quality(
    log: FrameQualityLog, fmt: RawVideoFormat, definition: QualityDefinition
) -> dict[str, float]:
    """Sequence-level quality values of one decoded rate point.

    PSNR per plane uses ``peak = 2^bitdepth − 1``, the configured pooling and
    the cap (libvmaf's ``6·bitdepth + 12`` dB unless configured, per frame and
    per pooled value alike);
    ``psnr_yuv`` is ``(6·Y + U + V) / 8`` of the pooled plane PSNRs, or (for
    ``pixel_share``) the pooled PSNR of ffmpeg's pixel-count-weighted MSE.
    SSIM values are ffmpeg's (``ssim`` = its pixel-share weighted "All"),
    VMAF is libvmaf's and MS-SSIM libvmaf's ``float_ms_ssim`` (computed by
    :mod:`jiebang_eval.metrics.ms_ssim` unless ``ms_ssim_libvmaf``); all are frame means.
    """
    quality = {f"psnr_{c}": _pooled_psnr(log.mse[c], fmt, definition) for c in "yuv"}
    if definition.psnr_yuv_weighting == "6:1:1":
        quality["psnr_yuv"] = (6 * quality["psnr_y"] + quality["psnr_u"] + quality["psnr_v"]) / 8
    else:
        quality["psnr_yuv"] = _pooled_psnr(log.mse["avg"], fmt, definition)
    quality["ssim_y"] = float(np.mean(log.ssim["y"]))
    quality["ssim"] = float(np.mean(log.ssim["all"]))
    if log.ms_ssim:
        quality["ms_ssim"] = float(np.mean(log.ms_ssim))
    if definition.compute_vmaf:
        quality["vmaf"] = float(np.mean(log.vmaf[definition.vmaf_model]))
    return quality


def measure_rd_point(
    *,
    distorted_input: list[str],
    rate_bytes: int,
    sequence: SequenceInfo,
    reference: Path,
    definition: QualityDefinition,
    n_threads: int,
    log_dir: Path,
) -> tuple[RdPoint, int]:
    """Decode once, measure, pool; returns the point and the decoded frame count."""
    fmt = sequence.raw_format
    log = measure_quality(
        distorted_input=distorted_input,
        reference=reference,
        fmt=fmt,
        options=definition.quality_options(n_threads),
        log_dir=log_dir,
    )
    frames = log.frame_count
    if frames != sequence.frames:
        return RdPoint(kbps=kbps_from_bytes(rate_bytes, sequence), quality={}), frames
    point = RdPoint(
        kbps=kbps_from_bytes(rate_bytes, sequence), quality=pool_quality(log, fmt, definition)
    )
    return point, frames
