"""Measuring the rate points of a video-codec submission (helper of evaluator.py)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from rd_submission import RatePointFiles, check_decoded_yuv_size

from jiebang_eval.codec_rd import RdPoint, measure_rd_point
from jiebang_eval.contract import EvaluationContext, SubmissionError
from jiebang_eval.metrics.ffmpeg_probe import demuxer_input_args, probe_video
from jiebang_eval.metrics.ffmpeg_quality import FfmpegError, raw_input_args


def _distorted_input(point: RatePointFiles, config: Any) -> list[str]:
    if point.decoded_yuv is not None:
        check_decoded_yuv_size(point)
        return raw_input_args(point.decoded_yuv, point.sequence.raw_format)
    args = demuxer_input_args(point.bitstream, point.demuxer)
    info = probe_video(args)
    if info is None or info.codec not in config.allowed_codecs:
        found = info.codec if info else "no video stream"
        found_zh = f"实际为 {info.codec}" if info else "未找到视频流"
        raise SubmissionError(
            f"{point.label} is not a {'/'.join(config.allowed_codecs)} bitstream ({found})",
            f"{point.label} 不是 {'/'.join(config.allowed_codecs)} 码流（{found_zh}）",
        )
    fmt = point.sequence.raw_format
    if (info.width, info.height) != (fmt.width, fmt.height):
        raise SubmissionError(
            f"{point.label} decodes to {info.width}×{info.height}, expected "
            f"{fmt.width}×{fmt.height}",
            f"{point.label} 解码尺寸 {info.width}×{info.height}，应为 {fmt.width}×{fmt.height}",
        )
    if info.pix_fmt != fmt.pix_fmt:
        raise SubmissionError(
            f"{point.label} decodes to {info.pix_fmt}, expected {fmt.pix_fmt} "
            f"({fmt.bit_depth}-bit)",
            f"{point.label} 解码像素格式为 {info.pix_fmt}，"
            f"应为 {fmt.pix_fmt}（{fmt.bit_depth} 位）",
        )
    return args


def _measure(ctx: EvaluationContext, point: RatePointFiles, config: Any) -> RdPoint:
    seq = point.sequence
    try:
        rd, frames = measure_rd_point(
            distorted_input=_distorted_input(point, config),
            rate_bytes=point.n_bytes,
            sequence=seq,
            reference=ctx.reference_dir / f"{seq.name}.yuv",
            definition=config,
            n_threads=config.n_threads,
            log_dir=ctx.work_dir / seq.name / f"r{point.rate_index}",
        )
    except FfmpegError as exc:
        raise SubmissionError(
            f"{point.label} could not be decoded: {exc.stderr_tail}",
            f"{point.label} 无法解码，请检查码流是否完整、编码格式是否正确",
        ) from exc
    if frames > seq.frames:  # the graph stops one frame past the reference's end
        raise SubmissionError(
            f"{point.label} has more than {seq.frames} frames",
            f"{point.label} 的帧数超过 {seq.frames}",
        )
    if frames < seq.frames:
        raise SubmissionError(
            f"frame count {frames} ≠ {seq.frames} in {point.label}",
            f"{point.label} 帧数 {frames} ≠ {seq.frames}",
        )
    return rd


def measure_all(
    ctx: EvaluationContext, points: list[RatePointFiles], config: Any
) -> dict[str, list[RdPoint]]:
    """Measure every rate point, ``parallel_jobs`` ffmpeg processes at a time.

    One ffmpeg pass keeps about one core busy (decode + filters), so two jobs use
    a two-core machine fully. Errors are raised in file order, not finish order.
    """
    with ThreadPoolExecutor(max_workers=config.parallel_jobs) as pool:
        futures = [pool.submit(_measure, ctx, point, config) for point in points]
        try:
            results = [future.result() for future in futures]
        except BaseException:
            for future in futures:
                future.cancel()
            raise
    measured: dict[str, list[RdPoint]] = {}
    for point, rd in zip(points, results, strict=True):
        measured.setdefault(point.sequence.name, []).append(rd)
    return measured
