"""Video codec rate-distortion evaluator: BD-rate against an anchor, one decode per rate point."""

from __future__ import annotations

import json
from typing import Literal

from pydantic import ConfigDict, Field
from rd_bd import (
    SECONDARY_BD_KEYS,
    bd_against_anchor,
    checked_curve,
    class_table,
    rd_curve_plot,
    secondary_bd_key,
    secondary_bd_rates,
)
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
from jiebang_eval.results import item_split, ok_result

QualityKey = Literal["psnr_y", "psnr_yuv", "ssim_y", "ssim", "ms_ssim", "vmaf"]


class VideoCodecConfig(QualityDefinition):
    """Organiser settings (config.json); pooling fields come from QualityDefinition."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    rate_points: int = Field(default=4, ge=2, le=12)
    track: Literal["bitstream", "decoded_yuv"] = "bitstream"
    bd_metric: QualityKey = "psnr_yuv"
    bd_method: Literal["pchip", "cubic", "akima"] = "pchip"
    # Further anchors in the reference folder (e.g. "anchor_svtav1.json"), each its own
    # column bd_rate_anchor2, bd_rate_anchor3.
    extra_anchors: list[str] = Field(default_factory=list, max_length=2)
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
            "libvmaf 模型（config.vmaf_model：默认 vmaf_v0.6.1，或 NEG 模型 vmaf_v0.6.1neg）"
            "逐帧分数的平均；可先将两路视频双三次缩放到模型分辨率。",
            "Frame mean of the libvmaf model in config.vmaf_model (vmaf_v0.6.1 by default, or "
            "the NEG model vmaf_v0.6.1neg); optionally both videos scaled (bicubic) to the "
            "model's resolution first.",
            precision=3,
        ),
        *(
            _metric(
                f"bd_rate_anchor{k}",
                f"BD-rate（锚点 {k}）",
                f"BD-rate (anchor {k})",
                "lower",
                "%",
                f"与 BD-rate 相同，对照参考数据中第 {k} 个锚点（评测器配置的额外锚点）。",
                f"As BD-rate, against the reference's anchor {k} (an extra anchor of the evaluator's configuration).",
            )
            for k in (2, 3)
        ),
        *(
            _metric(
                secondary_bd_key(key, k),
                f"BD-rate（{short}，锚点 {k}）" if k > 1 else f"BD-rate（{short}）",
                f"BD-rate ({short}, anchor {k})" if k > 1 else f"BD-rate ({short})",
                "lower",
                "%",
                f"与 BD-rate 相同的公式，但在 {name_zh} 上计算"
                + (f"，对照第 {k} 个锚点" if k > 1 else "，对照主锚点")
                + f"；当赛道的排名质量指标不是 {short} 且两条曲线都测了 {short} 时给出，"
                "不影响提交是否有效。",
                f"The BD-rate formula on {name_en}"
                + (f", against anchor {k}" if k > 1 else ", against the first anchor")
                + "; reported when the track ranks on another quality metric and both curves "
                f"have {short}; it never makes a submission invalid.",
            )
            for key, short, name_zh, name_en in (
                ("psnr_yuv", "PSNR-YUV", "PSNR-YUV", "PSNR-YUV"),
                (
                    "vmaf",
                    "VMAF",
                    "VMAF（赛道所选模型，如 NEG）",
                    "VMAF (the track's model, e.g. NEG)",
                ),
            )
            for k in (1, 2, 3)
        ),
        # Measured by the worker in the run sandbox on code tracks that set
        # sandbox_limits.complexity (backend/jiebang/worker/complexity.py).
        _metric(
            "dec_time_ratio",
            "解码时间比",
            "Decoding time ratio",
            "lower",
            "×",
            "队伍解码器解码该序列的时间 ÷ 同一任务、同一沙箱与限制下 ffmpeg 解码锚点码流的时间"
            "（墙钟或 CPU 时间，见赛道设置）；各序列平均。",
            "Team decoder's time on the sequence ÷ ffmpeg decoding the anchor's bitstreams in "
            "the same job, sandbox and limits (wall or CPU time, per the track); sequence mean.",
            precision=2,
        ),
        _metric(
            "dec_cpu_s",
            "解码 CPU 时间",
            "Decoding CPU time",
            "lower",
            "s",
            "运行沙箱记录的队伍解码器 CPU 时间（每序列）。",
            "CPU time of the team's decoder per sequence, from the run sandbox's record.",
            precision=3,
        ),
        _metric(
            "dec_wall_s",
            "解码墙钟时间",
            "Decoding wall time",
            "lower",
            "s",
            "运行沙箱记录的队伍解码器墙钟时间（每序列）。",
            "Wall time of the team's decoder per sequence, from the run sandbox's record.",
            precision=3,
        ),
        _metric(
            "decoder_bytes",
            "解码器大小",
            "Decoder size",
            "lower",
            "B",
            "提交中程序文件的字节数（不含各序列文件夹中的码流）。",
            "Bytes of the program files in the upload (the sequences' bitstream folders excluded).",
            precision=0,
        ),
    ],
    primary_metric="bd_rate",
    config_model=VideoCodecConfig,
)


def _bd_item(
    ctx: EvaluationContext,
    seq: SequenceInfo,
    points: list[RdPoint],
    anchors: list[tuple[str, AnchorFile]],
    config: VideoCodecConfig,
) -> ItemResult:
    curve = checked_curve(ctx, seq, points, config)
    extra: dict[str, object] = {"bd_metric": config.bd_metric, **curve.extra}
    if seq.sequence_class:
        extra["class"] = seq.sequence_class
    (first_name, first), *others = anchors
    metrics, details = bd_against_anchor(
        ctx, seq, curve, first.sequences[seq.name], config, anchor_name=first_name
    )
    extra.update(details)
    compared = []
    for k, (name, anchor) in enumerate(others, start=2):
        more, more_details = bd_against_anchor(
            ctx, seq, curve, anchor.sequences[seq.name], config, anchor_name=name
        )
        metrics[f"bd_rate_anchor{k}"] = more["bd_rate"]
        compared.append({"file": name, "encoder": anchor.encoder, **more, **more_details})
    if compared:
        extra["extra_anchors"] = compared
    extra["anchor"] = {"file": first_name, "encoder": first.encoder}
    if config.compute_vmaf:
        extra["vmaf_model"] = config.vmaf_model
    for key in SECONDARY_BD_KEYS:
        if key != config.bd_metric:
            metrics.update(secondary_bd_rates(ctx, seq, points, anchors, config, key))
    for shown in ("psnr_yuv", "ssim", "vmaf"):
        if all(shown in p.quality for p in points):
            metrics[shown] = sum(p.quality[shown] for p in points) / len(points)
    extra["rate_points"] = [p.model_dump() for p in points]
    return ItemResult(id=seq.name, split=item_split(ctx, seq.name), metrics=metrics, extra=extra)


def _load_anchors(ctx: EvaluationContext, config: VideoCodecConfig) -> list[tuple[str, AnchorFile]]:
    anchors = []
    for name in ("anchor.json", *config.extra_anchors):
        path = ctx.reference_dir / name
        if not path.is_file():
            raise RuntimeError(
                f"reference data has no {name}; generate it with jiebang_eval.anchors"
            )
        anchor = AnchorFile.model_validate(json.loads(path.read_text(encoding="utf-8")))
        pooling = {
            "psnr_pooling",
            "psnr_yuv_weighting",
            "psnr_cap_db",
            "vmaf_model",
            "vmaf_scale_to_model",
        }
        if anchor.definition.model_dump(include=pooling) != config.model_dump(include=pooling):
            ctx.warn(f"{name} was measured with a different quality definition than config")
        anchors.append((name, anchor))
    return anchors


def evaluate(ctx: EvaluationContext) -> EvaluationResult:
    config: VideoCodecConfig = ctx.config
    sequences = load_sequences(ctx.reference_dir)
    anchors = _load_anchors(ctx, config)
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
    items = [_bd_item(ctx, seq, measured_by_seq[seq.name], anchors, config) for seq in sequences]
    curves = [
        rd_curve_plot(seq.name, measured_by_seq[seq.name], anchors, config.bd_metric)
        for seq in sequences
    ]
    numbers = range(2, len(anchors) + 1)
    keys = ["bd_rate", *(f"bd_rate_anchor{k}" for k in numbers), "bd_quality"]
    keys += [
        secondary_bd_key(key, k)
        for key in SECONDARY_BD_KEYS
        if key != config.bd_metric
        for k in range(1, len(anchors) + 1)
    ]
    plots = {"rd_curves": curves, "class_table": class_table(items, keys)}
    return ok_result(ctx, items, plots=plots)
