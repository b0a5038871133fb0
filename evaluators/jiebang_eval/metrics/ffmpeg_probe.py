"""What ffmpeg says about a video file: codec, pixel format, size."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from jiebang_eval.metrics.ffmpeg_quality import ffmpeg_executable

_VIDEO_STREAM = re.compile(
    r"Stream #0:\d+.*?: Video: (?P<codec>\w+)[^,]*, (?P<pix_fmt>[a-z0-9_]+)"
    r"(?:\([^)]*\))?, (?P<width>\d+)x(?P<height>\d+)"
)


@dataclass(frozen=True)
class VideoStreamInfo:
    """First video stream of a file as ffmpeg's demuxer and decoder see it."""

    codec: str
    pix_fmt: str
    width: int
    height: int


def probe_video(input_args: list[str], *, timeout_s: float = 60.0) -> VideoStreamInfo | None:
    """Probe ``input_args`` (e.g. ``["-f", "hevc", "-i", path]``); None if no video stream."""
    completed = subprocess.run(
        [ffmpeg_executable(), "-hide_banner", "-nostdin", *input_args],
        capture_output=True,
        text=True,
        timeout=timeout_s,
    )
    match = _VIDEO_STREAM.search(completed.stderr)
    if match is None:
        return None
    return VideoStreamInfo(
        codec=match.group("codec"),
        pix_fmt=match.group("pix_fmt"),
        width=int(match.group("width")),
        height=int(match.group("height")),
    )


def demuxer_input_args(path: Path, demuxer: str | None) -> list[str]:
    """Input arguments forcing ``demuxer`` when given (raw elementary streams need it)."""
    forced = ["-f", demuxer] if demuxer else []
    return [*forced, "-i", str(path)]
