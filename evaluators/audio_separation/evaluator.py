"""Audio source separation evaluator: SI-SDR and SNR of each stem, channel by channel."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from jiebang_eval import hints
from jiebang_eval.contract import (
    EvaluationContext,
    EvaluationResult,
    EvaluatorSpec,
    ItemResult,
    MetricSpec,
    SubmissionError,
)
from jiebang_eval.media.wav import Audio, WavReadError, read_wav
from jiebang_eval.metrics.audio import si_sdr, snr
from jiebang_eval.results import item_split, ok_result


class AudioSeparationConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    stems: list[str] | None = None
    zero_mean: bool = False
    length_tolerance_samples: int = Field(default=0, ge=0)


SPEC = EvaluatorSpec(
    key="audio_separation",
    version="1.0.0",
    title_zh="音频源分离评测（SI-SDR）",
    title_en="Audio source separation (SI-SDR)",
    submission_format_zh=(
        "每首曲目一个文件夹 <曲目>/，内含与参考同名的各音轨 WAV 文件（如 vocals.wav、drums.wav），"
        "采样率、声道数、长度与参考一致；PCM16、PCM24 或 float32 格式。"
    ),
    submission_format_en=(
        "One folder <track>/ per track holding one WAV per stem, named as in the reference "
        "(e.g. vocals.wav, drums.wav), with the reference's sample rate, channel count and "
        "length; PCM16, PCM24 or float32."
    ),
    reference_format_en="<track>/<stem>.wav for every track and stem.",
    metrics=[
        MetricSpec(
            key="si_sdr",
            label_zh="SI-SDR",
            label_en="SI-SDR",
            direction="higher",
            unit="dB",
            formula_zh="α=<ŝ,s>/‖s‖²，SI-SDR=10·log10(‖αs‖²/‖αs−ŝ‖²)；逐声道计算，"
            "在声道、音轨、曲目上依次取算术平均（不去均值）。",
            formula_en="α=<ŝ,s>/‖s‖², SI-SDR=10·log10(‖αs‖²/‖αs−ŝ‖²) per channel, then the "
            "arithmetic mean over channels, stems and tracks (no mean removal).",
            precision=3,
        ),
        MetricSpec(
            key="snr",
            label_zh="SNR",
            label_en="SNR",
            direction="higher",
            unit="dB",
            formula_zh="10·log10(‖s‖²/‖s−ŝ‖²)，逐声道计算后同样取平均。",
            formula_en="10·log10(‖s‖²/‖s−ŝ‖²) per channel, averaged the same way.",
            precision=3,
        ),
    ],
    primary_metric="si_sdr",
    config_model=AudioSeparationConfig,
)


def _read_estimate(path: Path, label: str, reference: Audio, tolerance: int) -> Audio:
    if not path.is_file():
        raise SubmissionError(f"{label} is missing", f"缺少 {label}")
    try:
        estimate = read_wav(path)
    except WavReadError as exc:
        raise SubmissionError(
            f"{label} is not a readable WAV file (PCM16/PCM24/float32): {exc}",
            f"{label} 不是可读取的 WAV 文件（应为 PCM16/PCM24/float32）",
        ) from exc
    if estimate.sample_rate != reference.sample_rate:
        raise SubmissionError(
            f"{label}: sample rate {estimate.sample_rate} Hz, expected {reference.sample_rate} Hz",
            f"{label}：采样率 {estimate.sample_rate} Hz，应为 {reference.sample_rate} Hz",
        )
    if estimate.channels != reference.channels:
        raise SubmissionError(
            f"{label}: {estimate.channels} channel(s), expected {reference.channels}",
            f"{label}：{estimate.channels} 个声道，应为 {reference.channels}",
        )
    if abs(estimate.frames - reference.frames) > tolerance:
        raise SubmissionError(
            f"{label}: {estimate.frames} samples, expected {reference.frames}",
            f"{label}：{estimate.frames} 个采样点，应为 {reference.frames}",
        )
    return estimate


def _score_stem(
    ctx: EvaluationContext, label: str, reference: Audio, estimate: Audio, zero_mean: bool
) -> dict[str, float] | None:
    n = min(reference.frames, estimate.frames)
    values: dict[str, list[float]] = {"si_sdr": [], "snr": []}
    for channel in range(reference.channels):
        s, s_hat = reference.samples[:n, channel], estimate.samples[:n, channel]
        if not s.any():
            ctx.warn(f"{label} channel {channel}: silent reference, not scored")
            continue
        values["si_sdr"].append(si_sdr(s, s_hat, zero_mean=zero_mean))
        values["snr"].append(snr(s, s_hat))
    if not values["si_sdr"]:
        return None
    # The ε form keeps every value finite (a bit-exact estimate near +150 dB, silence at 0 dB);
    # the 200 dB cap is kept only as a guard for stored values.
    return {key: float(np.mean(np.minimum(v, 200.0))) for key, v in values.items()}


def _score_track(ctx: EvaluationContext, track: Path, config: AudioSeparationConfig) -> ItemResult:
    stems = config.stems or sorted(p.stem for p in track.glob("*.wav"))
    per_stem: dict[str, dict[str, float]] = {}
    for stem in stems:
        reference = read_wav(track / f"{stem}.wav")
        label = f"{track.name}/{stem}.wav"
        estimate = _read_estimate(
            ctx.submission_dir / track.name / f"{stem}.wav",
            label,
            reference,
            config.length_tolerance_samples,
        )
        scored = _score_stem(ctx, label, reference, estimate, config.zero_mean)
        if scored is not None:
            per_stem[stem] = scored
    if not per_stem:
        raise RuntimeError(f"reference track {track.name} has no non-silent stem")
    metrics = {
        key: float(np.mean([values[key] for values in per_stem.values()]))
        for key in ("si_sdr", "snr")
    }
    return ItemResult(
        id=track.name, split=item_split(ctx, track.name), metrics=metrics, extra={"stems": per_stem}
    )


def evaluate(ctx: EvaluationContext) -> EvaluationResult:
    config: AudioSeparationConfig = ctx.config
    tracks = sorted(p for p in ctx.reference_dir.iterdir() if p.is_dir())
    missing = [t.name for t in tracks if not (ctx.submission_dir / t.name).is_dir()]
    if missing:
        raise hints.missing(
            ctx.submission_dir,
            [f"{name}/" for name in missing],
            en=f"missing track folders: {', '.join(missing[:10])}",
            zh=f"缺少曲目文件夹：{', '.join(missing[:10])}",
        )
    return ok_result(ctx, [_score_track(ctx, track, config) for track in tracks])
