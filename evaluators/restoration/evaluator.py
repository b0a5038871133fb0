"""Image/video restoration evaluator: PSNR and SSIM (ffmpeg-block or Wang-Gaussian) per clip."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

import numpy as np
from frames import FramePair, iter_png_pairs, iter_yuv_pairs, png_clips, yuv_clips
from pydantic import BaseModel, ConfigDict, Field, model_validator

from jiebang_eval.contract import (
    EvaluationContext,
    EvaluationResult,
    EvaluatorSpec,
    ItemResult,
    MetricSpec,
)
from jiebang_eval.metrics.expression import CompiledExpression, compile_expression
from jiebang_eval.metrics.psnr import mean_squared_error, psnr_cap_db, psnr_from_mse
from jiebang_eval.metrics.ssim_block import ssim_block
from jiebang_eval.metrics.ssim_gaussian import mse_and_ssim_gaussian
from jiebang_eval.results import item_split, mean_of_items, ok_result

SCORE_NAMES = ("psnr", "ssim")


class RestorationConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    format: Literal["png", "yuv"] = "png"
    channels: Literal["y", "rgb"] = "y"
    ssim_variant: Literal["wang_gaussian", "ffmpeg_block"] = "wang_gaussian"
    border: int = Field(default=0, ge=0)
    mask_dir: str | None = None
    psnr_pooling: Literal["mean_frame_db", "global_mse"] = "mean_frame_db"
    # None: libvmaf's 6·bitdepth + 12 dB (60 dB at 8-bit), the same in every pooling.
    psnr_cap_db: float | None = Field(default=None, gt=0)
    score_expression: str = "psnr"

    @model_validator(mode="after")
    def _consistent(self) -> RestorationConfig:
        compile_expression(self.score_expression, allowed_names=SCORE_NAMES)
        if self.format == "yuv" and (self.channels != "y" or self.mask_dir):
            raise ValueError("yuv format scores the Y plane only and takes no masks")
        return self


SPEC = EvaluatorSpec(
    key="restoration",
    version="1.0.0",
    title_zh="图像/视频复原评测（PSNR、SSIM）",
    title_en="Image / video restoration (PSNR, SSIM)",
    submission_format_zh=(
        "PNG 赛道：与参考目录结构相同，<片段>/<帧名>.png（或顶层 <图像名>.png），"
        "尺寸、位深与参考一致。"
        "YUV 赛道：每个片段一个 <片段>.yuv，格式与参考相同（见 clips.json）。"
    ),
    submission_format_en=(
        "PNG track: the reference's layout, <clip>/<frame>.png (or top-level <image>.png), same "
        "size and bit depth. YUV track: one <clip>.yuv per clip in the reference's raw format "
        "(see clips.json)."
    ),
    reference_format_en=(
        "<clip>/<frame>.png or <image>.png; optional mask folder <mask_dir>/<same path>.png "
        "(non-zero = scored). YUV: clips.json {clips: [{name, width, height, pix_fmt, frames}]} "
        "and <clip>.yuv."
    ),
    metrics=[
        MetricSpec(
            key="score",
            label_zh="综合得分",
            label_en="Score",
            direction="higher",
            formula_zh="配置中的表达式（默认 psnr），以全体片段的平均 PSNR、SSIM 代入；"
            "如马栏山 2021 修复赛道：psnr*2*0.5 + ssim*100*0.5（掩膜区域内）。",
            formula_en="The configured expression (default psnr) of the mean PSNR and SSIM over "
            "clips, e.g. Malanshan 2021 inpainting: psnr*2*0.5 + ssim*100*0.5 on the mask.",
        ),
        MetricSpec(
            key="psnr",
            label_zh="PSNR",
            label_en="PSNR",
            direction="higher",
            unit="dB",
            formula_zh="10·log10(峰值²/MSE)，峰值 255（16 位为 65535）；默认每帧 dB 值在片段内平均"
            "（上限 100 dB），再对片段平均。Y 通道按 BT.601：Y=16+(65.481R+128.553G+24.966B)/255。",
            formula_en="10·log10(peak²/MSE), peak 255 (65535 for 16-bit); by default frame dB "
            "values (capped at 100 dB) averaged per clip, then over clips. Y is BT.601: "
            "Y=16+(65.481R+128.553G+24.966B)/255.",
        ),
        MetricSpec(
            key="ssim",
            label_zh="SSIM",
            label_en="SSIM",
            direction="higher",
            formula_zh="Wang 高斯窗（σ=1.5，11×11）或 ffmpeg 8×8 块（步长 4）SSIM，"
            "逐帧计算后平均。",
            formula_en="Wang Gaussian-window (σ=1.5, 11×11) or ffmpeg 8×8-block (step 4) SSIM, "
            "averaged over frames and clips.",
        ),
    ],
    primary_metric="score",
    config_model=RestorationConfig,
)


def _frame_scores(pair: FramePair, config: RestorationConfig) -> tuple[float, float]:
    if config.ssim_variant == "wang_gaussian":
        # one pass for both: the same MSE as mean_squared_error (exactly, for integer-valued
        # planes) and the same SSIM as ssim_gaussian
        return mse_and_ssim_gaussian(
            pair.reference,
            pair.restored,
            data_range=pair.peak,
            mask=pair.mask,
            border=config.border,
        )
    ref, out = pair.reference, pair.restored
    if pair.integer_valued:  # exact ffmpeg constants need integer samples
        ref, out = ref.astype(np.int64), out.astype(np.int64)
    options = {"mask": pair.mask, "border": config.border}
    mse = mean_squared_error(ref, out, **options)
    return mse, ssim_block(ref, out, data_range=pair.peak, **options)


def _clip_metrics(
    pairs: Iterable[FramePair], config: RestorationConfig, expression: CompiledExpression
) -> dict[str, float]:
    mses, ssims, peak = [], [], 255
    for pair in pairs:
        mse, ssim = _frame_scores(pair, config)
        mses.append(mse)
        ssims.append(ssim)
        peak = pair.peak
    cap = config.psnr_cap_db or psnr_cap_db(int(peak).bit_length())
    if config.psnr_pooling == "global_mse":
        psnr = psnr_from_mse(float(np.mean(mses)), peak=peak, max_db=cap)
    else:
        psnr = float(np.mean([psnr_from_mse(m, peak=peak, max_db=cap) for m in mses]))
    metrics = {"psnr": psnr, "ssim": float(np.mean(ssims))}
    metrics["score"] = expression.evaluate(metrics)
    return metrics


def evaluate(ctx: EvaluationContext) -> EvaluationResult:
    config: RestorationConfig = ctx.config
    expression = compile_expression(config.score_expression, allowed_names=SCORE_NAMES)
    items = []
    if config.format == "png":
        for clip, frames in png_clips(ctx.reference_dir, config.mask_dir or "").items():
            pairs = iter_png_pairs(
                clip,
                frames,
                ctx.reference_dir,
                ctx.submission_dir,
                channels=config.channels,
                mask_dir=config.mask_dir,
            )
            metrics = _clip_metrics(pairs, config, expression)
            items.append(
                ItemResult(
                    id=clip,
                    split=item_split(ctx, clip),
                    metrics=metrics,
                    extra={"frames": len(frames)},
                )
            )
    else:
        for clip, (fmt, count) in yuv_clips(ctx.reference_dir).items():
            pairs = iter_yuv_pairs(clip, fmt, count, ctx.reference_dir, ctx.submission_dir)
            metrics = _clip_metrics(pairs, config, expression)
            items.append(
                ItemResult(
                    id=clip, split=item_split(ctx, clip), metrics=metrics, extra={"frames": count}
                )
            )

    def summarize(subset: Sequence[ItemResult]) -> dict[str, float]:
        pooled = mean_of_items(subset)
        pooled["score"] = expression.evaluate(pooled)
        return pooled

    return ok_result(ctx, items, summarize=summarize)
