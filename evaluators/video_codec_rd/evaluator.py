"""Video codec rate-distortion evaluator: BD-rate against an anchor, one decode per rate point."""

from __future__ import annotations

import json
from typing import Literal

from pydantic import ConfigDict, Field
from rd_measure import measure_all
from rd_submission import check_rates, find_rate_points

from jiebang_eval.codec_rd import (
    AnchorFile,
    QualityDefinition,
    RdPoint,
    SequenceInfo,
    load_sequences,
)
from jiebang_eval.contract import (
    EvaluationContext,
    EvaluationResult,
    EvaluatorSpec,
    ItemResult,
    MetricSpec,
    SubmissionError,
)
from jiebang_eval.metrics.bjontegaard import (
    NonMonotonicCurve,
    bd_quality,
    bd_rate,
    check_monotone,
    overlap_fraction,
    rd_convex_hull,
)
from jiebang_eval.results import item_split, ok_result

QualityKey = Literal["psnr_y", "psnr_yuv", "ssim_y", "ssim", "ms_ssim", "vmaf"]


class VideoCodecConfig(QualityDefinition):
    """Organiser settings (config.json); pooling fields come from QualityDefinition."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    rate_points: int = Field(default=4, ge=2, le=12)
    track: Literal["bitstream", "decoded_yuv"] = "bitstream"
    bd_metric: QualityKey = "psnr_yuv"
    bd_method: Literal["pchip", "cubic", "akima"] = "pchip"
    # A curve whose quality does not rise with rate is refused, or (opt-in) replaced by
    # the upper convex hull of its points; never silently reordered.
    non_monotonic: Literal["refuse", "convex_hull"] = "refuse"
    # The bjontegaard package's overlap measure (common / union of the quality ranges).
    min_overlap: float = Field(default=0.75, ge=0, le=1)
    min_overlap_rule: Literal["warn", "refuse"] = "warn"
    allowed_codecs: tuple[str, ...] = ("h264", "hevc", "vvc", "av1")
    rate_windows_kbps: list[tuple[float, float]] | None = None
    max_total_bytes: int | None = Field(default=None, gt=0)
    n_threads: int = Field(default=2, ge=1, le=64)
    parallel_jobs: int = Field(default=2, ge=1, le=16)


def _metric(
    key: str,
    zh: str,
    en: str,
    direction: Literal["higher", "lower"],
    unit: str,
    formula_zh: str,
    formula_en: str,
    precision: int = 4,
) -> MetricSpec:
    return MetricSpec(
        key=key,
        label_zh=zh,
        label_en=en,
        direction=direction,
        unit=unit,
        formula_zh=formula_zh,
        formula_en=formula_en,
        precision=precision,
    )


SPEC = EvaluatorSpec(
    key="video_codec_rd",
    version="1.0.0",
    title_zh="视频编码率失真（BD-rate）评测",
    title_en="Video codec rate-distortion (BD-rate)",
    submission_format_zh=(
        "每个序列一个文件夹 <序列名>/，内含 r1…rN 共 N 个码率点的码流 r<k>.<扩展名>，"
        "码率随 k 递增。"
        "扩展名：.264/.h264（H.264）、.265/.hevc（HEVC）、.266/.vvc（VVC）、.obu/.ivf（AV1）、"
        ".mp4/.mkv/.bin（由 ffmpeg 自动识别）。码率 = 8×文件字节数/1000/(帧数/帧率) kbps。"
        "解码器赛道另需 <序列名>/r<k>.yuv（与参考同格式的解码输出）。"
    ),
    submission_format_en=(
        "One folder <sequence>/ per sequence holding N bitstreams r1.<ext> … rN.<ext>, rate "
        "increasing with k. Extensions: .264/.h264 (H.264), .265/.hevc (HEVC), .266/.vvc (VVC), "
        ".obu/.ivf (AV1), .mp4/.mkv/.bin (probed by ffmpeg). Rate = 8·file bytes/1000/"
        "(frames/fps) kbps. The decoder track also needs <sequence>/r<k>.yuv, your decoder's "
        "output in the reference's raw format."
    ),
    reference_format_en=(
        'sequences.json {"sequences": [{name, width, height, fps, frames, pix_fmt}]}, '
        "<name>.yuv per sequence, anchor.json (python -m jiebang_eval.anchors)."
    ),
    metrics=[
        _metric(
            "bd_rate",
            "BD-rate",
            "BD-rate",
            "lower",
            "%",
            "相对锚点的 Bjøntegaard 码率差：100·(10^{平均 Δlog10(码率)} − 1)，"
            "在两条曲线共同的质量区间上"
            "以 PCHIP（或三次多项式）插值积分；各序列取算术平均。",
            "Bjøntegaard delta rate vs the anchor: 100·(10^{mean Δlog10(rate)} − 1) over the "
            "common quality interval, PCHIP (or cubic) interpolation; arithmetic mean over "
            "sequences.",
        ),
        _metric(
            "bd_quality",
            "BD-质量",
            "BD-quality",
            "higher",
            "",
            "在共同的 log10(码率) 区间上质量曲线之差的平均（单位同所选质量指标）。",
            "Mean quality difference over the common log10(rate) interval (unit of the "
            "chosen metric).",
        ),
        _metric(
            "psnr_yuv",
            "PSNR-YUV",
            "PSNR-YUV",
            "higher",
            "dB",
            "各码率点 PSNR-YUV 的平均；PSNR 峰值 2^位深−1；默认逐帧 dB 平均、(6Y+U+V)/8 加权。",
            "Mean over rate points of PSNR-YUV; peak 2^bitdepth−1; default mean of frame dB, "
            "(6Y+U+V)/8 weighting.",
        ),
        _metric(
            "ssim",
            "SSIM",
            "SSIM",
            "higher",
            "",
            "ffmpeg ssim 滤镜（8×8 窗口、步长 4）按像素数加权的 All 值，逐帧平均。",
            "ffmpeg ssim filter (8×8 windows, step 4), pixel-share weighted 'All', frame mean.",
        ),
        _metric(
            "vmaf",
            "VMAF",
            "VMAF",
            "higher",
            "",
            "libvmaf vmaf_v0.6.1 模型的逐帧分数平均。",
            "Frame mean of libvmaf model vmaf_v0.6.1.",
            precision=3,
        ),
    ],
    primary_metric="bd_rate",
    config_model=VideoCodecConfig,
)


def _bd_item(
    ctx: EvaluationContext,
    seq: SequenceInfo,
    points: list[RdPoint],
    anchor: list[RdPoint],
    config: VideoCodecConfig,
) -> ItemResult:
    key = config.bd_metric
    if any(key not in p.quality for p in anchor):
        raise RuntimeError(f"anchor.json has no {key!r} for {seq.name}; regenerate it")
    rates, quality = [p.kbps for p in points], [p.quality[key] for p in points]
    anchor_rates, anchor_quality = [p.kbps for p in anchor], [p.quality[key] for p in anchor]
    if max(rates) < min(anchor_rates) or min(rates) > max(anchor_rates):
        raise SubmissionError(
            f"rates {min(rates):.1f}–{max(rates):.1f} kbps of {seq.name} do not overlap the "
            f"anchor's {min(anchor_rates):.1f}–{max(anchor_rates):.1f} kbps",
            f"{seq.name} 的码率范围 {min(rates):.1f}–{max(rates):.1f} kbps 与锚点 "
            f"{min(anchor_rates):.1f}–{max(anchor_rates):.1f} kbps 不重叠",
        )
    extra: dict[str, object] = {"bd_metric": key}
    try:
        check_monotone(rates, quality, name=seq.name)
    except NonMonotonicCurve as exc:
        shown = ", ".join(f"{r:.1f} kbps → {q:.4g}" for r, q in exc.points)
        if config.non_monotonic == "refuse":
            raise SubmissionError(
                f"{seq.name}: {key} does not increase with rate at these points: {shown}; "
                "every higher rate point must have a higher quality",
                f"{seq.name}：{key} 未随码率升高而升高，问题码率点：{shown}；码率越高的点质量必须越高",
            ) from exc
        hull_rates, hull_quality = rd_convex_hull(rates, quality)
        ctx.warn(f"{seq.name}: {key} not monotonic at {shown}; scored on the convex hull")
        extra["convex_hull"] = [[r, q] for r, q in zip(hull_rates, hull_quality, strict=True)]
        rates, quality = list(map(float, hull_rates)), list(map(float, hull_quality))
    overlap = overlap_fraction(anchor_quality, quality)
    extra["overlap"] = overlap
    if overlap < config.min_overlap:
        if config.min_overlap_rule == "refuse":
            raise SubmissionError(
                f"{seq.name}: the {key} range overlaps the anchor's by {overlap:.0%}, "
                f"below the required {config.min_overlap:.0%}",
                f"{seq.name}：{key} 范围与锚点重叠 {overlap:.0%}，低于要求的 {config.min_overlap:.0%}",
            )
        ctx.warn(
            f"{seq.name}: {key} overlaps the anchor by {overlap:.0%} "
            f"(< {config.min_overlap:.0%}); BD-rate is extrapolated from a narrow interval"
        )
        extra["overlap_warning"] = True
    try:
        method = config.bd_method
        metrics = {
            "bd_rate": bd_rate(anchor_rates, anchor_quality, rates, quality, method=method),
            "bd_quality": bd_quality(anchor_rates, anchor_quality, rates, quality, method=method),
        }
    except ValueError as exc:
        raise SubmissionError(
            f"BD on {key} cannot be computed for {seq.name}: {exc}",
            f"{seq.name} 无法计算 {key} 的 BD 值：{exc}",
        ) from exc
    for shown in ("psnr_yuv", "ssim", "vmaf"):
        if all(shown in p.quality for p in points):
            metrics[shown] = sum(p.quality[shown] for p in points) / len(points)
    extra["rate_points"] = [p.model_dump() for p in points]
    return ItemResult(id=seq.name, split=item_split(ctx, seq.name), metrics=metrics, extra=extra)


def evaluate(ctx: EvaluationContext) -> EvaluationResult:
    config: VideoCodecConfig = ctx.config
    sequences = load_sequences(ctx.reference_dir)
    anchor = AnchorFile.model_validate(
        json.loads((ctx.reference_dir / "anchor.json").read_text(encoding="utf-8"))
    )
    pooling = {"psnr_pooling", "psnr_yuv_weighting", "psnr_cap_db", "vmaf_model"}
    if anchor.definition.model_dump(include=pooling) != config.model_dump(include=pooling):
        ctx.warn("anchor.json was measured with a different quality definition than config")
    found = {
        seq.name: find_rate_points(
            ctx.submission_dir, seq, config.rate_points, with_yuv=config.track == "decoded_yuv"
        )
        for seq in sequences
    }
    total = sum(p.n_bytes for points in found.values() for p in points)
    if config.max_total_bytes is not None and total > config.max_total_bytes:
        raise SubmissionError(
            f"bitstreams total {total} bytes, over the budget of {config.max_total_bytes} bytes",
            f"码流总大小 {total} 字节，超过上限 {config.max_total_bytes} 字节",
        )
    for points in found.values():
        check_rates(points, config.rate_windows_kbps)
    measured_by_seq = measure_all(ctx, [p for s in sequences for p in found[s.name]], config)
    items, curves = [], []
    for seq in sequences:
        measured = measured_by_seq[seq.name]
        item = _bd_item(ctx, seq, measured, anchor.sequences[seq.name], config)
        items.append(item)
        curves.append(
            {
                "sequence": seq.name,
                "metric": config.bd_metric,
                "anchor": [
                    [p.kbps, p.quality[config.bd_metric]] for p in anchor.sequences[seq.name]
                ],
                "submission": [[p.kbps, p.quality[config.bd_metric]] for p in measured],
            }
        )
    return ok_result(ctx, items, plots={"rd_curves": curves})
