"""Finding and checking the files of a video-codec submission (helper of evaluator.py).

Layout: ``<sequence>/r<k>.<ext>`` for k = 1..N, plus ``<sequence>/r<k>.yuv``
(the team decoder's output) in the ``decoded_yuv`` track.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path

from jiebang_eval import hints
from jiebang_eval.codec_rd import SequenceInfo, kbps_from_bytes
from jiebang_eval.contract import SubmissionError

# extension -> forced ffmpeg demuxer (None: let ffmpeg probe the container)
BITSTREAM_DEMUXERS: dict[str, str | None] = {
    ".264": "h264",
    ".h264": "h264",
    ".265": "hevc",
    ".hevc": "hevc",
    ".266": "vvc",
    ".vvc": "vvc",
    ".obu": "obu",
    ".ivf": None,
    ".mp4": None,
    ".mkv": None,
    ".bin": None,
}


@dataclass(frozen=True)
class RatePointFiles:
    """The files of one sequence × rate point."""

    sequence: SequenceInfo
    rate_index: int  # 1-based
    bitstream: Path
    decoded_yuv: Path | None

    @property
    def label(self) -> str:
        return f"{self.sequence.name}/{self.bitstream.name}"

    @property
    def demuxer(self) -> str | None:
        return BITSTREAM_DEMUXERS[self.bitstream.suffix.lower()]

    @property
    def n_bytes(self) -> int:
        return self.bitstream.stat().st_size

    @property
    def kbps(self) -> float:
        return kbps_from_bytes(self.n_bytes, self.sequence)


SUBMITTED_DIR = "submitted"


def find_rate_points(
    submission_dir: Path, sequence: SequenceInfo, n_rates: int, *, with_yuv: bool
) -> list[RatePointFiles]:
    """Locate r1..rN of ``sequence``; raise SubmissionError naming what is missing."""
    folder = submission_dir / sequence.name
    if not folder.is_dir():
        raise hints.missing(
            submission_dir,
            [f"{sequence.name}/"],
            en=f"folder {sequence.name}/ is missing (expected {sequence.name}/r1.<ext> … r{n_rates})",
            zh=f"缺少文件夹 {sequence.name}/（应包含 {sequence.name}/r1.<扩展名> … r{n_rates}）",
        )
    # On a code track the platform puts the team's own files under submitted/: the rate is
    # measured on those bitstreams, never on copies the team's decoder could have written.
    submitted = submission_dir / SUBMITTED_DIR / sequence.name
    streams = submitted if with_yuv and (submission_dir / SUBMITTED_DIR).is_dir() else folder
    points = []
    for k in range(1, n_rates + 1):
        candidates = [p for p in streams.glob(f"r{k}.*") if p.suffix.lower() in BITSTREAM_DEMUXERS]
        if len(candidates) != 1:
            found = ", ".join(sorted(p.name for p in candidates))
            raise SubmissionError(
                f"{sequence.name}: expected exactly one bitstream r{k}.<ext> "
                f"({'/'.join(BITSTREAM_DEMUXERS)}), found {found or 'none'}",
                f"{sequence.name}：应恰有一个码流文件 r{k}.<扩展名>"
                f"（{'/'.join(BITSTREAM_DEMUXERS)}），"
                + (f"实际为 {found}" if found else "但没有找到"),
            )
        yuv = folder / f"r{k}.yuv"
        if with_yuv and not yuv.is_file():
            raise SubmissionError(
                f"{sequence.name}/r{k}.yuv (your decoder's output) is missing",
                f"缺少 {sequence.name}/r{k}.yuv（解码器输出）",
            )
        points.append(RatePointFiles(sequence, k, candidates[0], yuv if with_yuv else None))
    return points


def check_rates(
    points: list[RatePointFiles], windows: list[tuple[float, float]] | None
) -> list[float]:
    """Rates must increase with k and fall inside the optional per-k windows."""
    rates = [p.kbps for p in points]
    for previous, current in itertools.pairwise(points):
        if current.kbps <= previous.kbps:
            raise SubmissionError(
                f"rate points of {current.sequence.name} must increase: {current.label} is "
                f"{current.kbps:.2f} kbps ≤ {previous.label} {previous.kbps:.2f} kbps",
                f"{current.sequence.name} 的码率点必须递增：{current.label} 为 "
                f"{current.kbps:.2f} kbps ≤ {previous.label} 的 {previous.kbps:.2f} kbps",
            )
    if windows:
        for point, (low, high) in zip(points, windows, strict=False):
            if not low <= point.kbps <= high:
                raise SubmissionError(
                    f"{point.label} is {point.kbps:.2f} kbps, outside the target window "
                    f"{low:g}–{high:g} kbps for r{point.rate_index}",
                    f"{point.label} 码率 {point.kbps:.2f} kbps 超出 r{point.rate_index} 的目标区间 "
                    f"{low:g}–{high:g} kbps",
                )
    return rates


def check_decoded_yuv_size(point: RatePointFiles) -> None:
    """The team's decoded YUV must hold exactly the sequence's frames."""
    assert point.decoded_yuv is not None
    fmt = point.sequence.raw_format
    frames, leftover = fmt.frame_count(point.decoded_yuv)
    if frames != point.sequence.frames or leftover:
        raise SubmissionError(
            f"frame count {frames}{f' (+{leftover} bytes)' if leftover else ''} ≠ "
            f"{point.sequence.frames} in {point.sequence.name}/r{point.rate_index}.yuv "
            f"({fmt.width}×{fmt.height} {fmt.pix_fmt})",
            f"{point.sequence.name}/r{point.rate_index}.yuv "
            f"帧数 {frames} ≠ {point.sequence.frames}",
        )
