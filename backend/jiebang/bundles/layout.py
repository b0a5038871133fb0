"""The data layout table of a track, generated from the data itself: clip names, resolution,
frame count, pixel format, rates, and the files a submission is expected to hold per clip."""

from __future__ import annotations

import io
import json
import struct
from collections import defaultdict
from collections.abc import Callable
from pathlib import PurePosixPath
from typing import Any

from PIL import Image
from sqlmodel import SQLModel

from jiebang.bundles.tarindex import Member

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff"}
HEADER_BYTES = 64 * 1024
Reader = Callable[[Member, int | None], bytes]


class LayoutRow(SQLModel):
    """One clip, sequence, image folder or audio file of the data."""

    name: str
    kind: str  # raw_video | frames | audio | table | file
    path: str
    files: int = 1
    bytes: int = 0
    width: int | None = None
    height: int | None = None
    frames: int | None = None
    fps: float | None = None
    pix_fmt: str | None = None
    sample_rate: int | None = None
    channels: int | None = None
    duration_s: float | None = None
    expected_width: int | None = None  # what a submission must match (from the reference)
    expected_height: int | None = None
    rate_points: int | None = None
    expected_files: list[str] = []  # e.g. astronaut/r1.<ext> … r4.<ext>


def _image_info(data: bytes) -> tuple[int, int, str] | None:
    try:
        with Image.open(io.BytesIO(data)) as image:
            return image.width, image.height, image.mode
    except (OSError, ValueError):
        return None


def _wav_info(data: bytes, size: int) -> tuple[int, int, float] | None:
    """(sample rate, channels, seconds) from a RIFF/WAVE header; None if it is not one."""
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        return None
    position, rate, channels, byte_rate, data_bytes = 12, 0, 0, 0, None
    while position + 8 <= len(data):
        chunk, length = (
            data[position : position + 4],
            struct.unpack_from("<I", data, position + 4)[0],
        )
        if chunk == b"fmt " and position + 24 <= len(data):
            channels, rate, byte_rate = struct.unpack_from("<HII", data, position + 10)
        if chunk == b"data":
            data_bytes = min(length, size - position - 8)
            break
        position += 8 + length + (length & 1)
    if not rate or not byte_rate or data_bytes is None:
        return None
    return rate, channels, data_bytes / byte_rate


def _sequences(members: dict[str, Member], read: Reader) -> list[dict[str, Any]]:
    listing = next((m for name, m in members.items() if name.endswith("sequences.json")), None)
    if listing is None:
        return []
    try:
        document = json.loads(read(listing, None))
        return [s for s in document.get("sequences", []) if isinstance(s, dict) and "name" in s]
    except (ValueError, AttributeError):
        return []


def _expected(evaluator: str, config: dict[str, Any], row: LayoutRow) -> list[str]:
    if evaluator == "video_codec_rd":
        n = int(config.get("rate_points", 4))
        return [f"{row.name}/r{k}.<ext>" for k in range(1, n + 1)]
    if evaluator == "audio_separation":
        return [f"{row.name}/{stem}.wav" for stem in config.get("stems", [])]
    if evaluator == "restoration" and row.kind == "frames":
        return [f"{row.name}/<frame>.png"]
    if evaluator == "quality_assessment" and row.kind == "frames":
        return [f"scores.csv: {row.name},<score>"]
    return []


def layout(
    members: list[Member],
    read: Reader,
    *,
    evaluator: str = "",
    config: dict[str, Any] | None = None,
    reference: list[Member] | None = None,
    read_reference: Reader | None = None,
) -> list[LayoutRow]:
    """Rows for what the data holds: sequences.json entries, image folders, WAV and CSV files."""
    config = config or {}
    by_name = {m.name: m for m in members}
    rows: list[LayoutRow] = []
    sequences = _sequences(by_name, read)
    covered: set[str] = set()
    for seq in sequences:
        raw = next((n for n in by_name if PurePosixPath(n).stem == seq["name"]), None)
        if raw:
            covered.add(raw)
        rows.append(
            LayoutRow(
                name=str(seq["name"]),
                kind="raw_video",
                path=raw or "",
                bytes=by_name[raw].size if raw else 0,
                width=seq.get("width"),
                height=seq.get("height"),
                frames=seq.get("frames"),
                fps=seq.get("fps"),
                pix_fmt=seq.get("pix_fmt"),
                rate_points=config.get("rate_points"),
            )
        )
    folders: dict[str, list[Member]] = defaultdict(list)
    for member in members:
        path = PurePosixPath(member.name)
        if member.name in covered or path.name == "sequences.json":
            continue
        if path.suffix.lower() in IMAGE_SUFFIXES and str(path.parent) != ".":
            folders[str(path.parent)].append(member)
            continue
        row = LayoutRow(name=path.stem, kind="file", path=member.name, bytes=member.size)
        if path.suffix.lower() == ".wav":
            wav = _wav_info(read(member, HEADER_BYTES), member.size)
            if wav:
                row.kind = "audio"
                row.sample_rate, row.channels, row.duration_s = wav[0], wav[1], round(wav[2], 3)
        elif path.suffix.lower() == ".csv":
            row.kind = "table"
        elif path.suffix.lower() == ".json":
            continue  # side files such as anchor.json
        rows.append(row)
    ref_sizes = _reference_sizes(reference or [], read_reference)
    for folder, frames in sorted(folders.items()):
        info = _image_info(read(frames[0], HEADER_BYTES))
        name = PurePosixPath(folder).name
        expected = ref_sizes.get(name)
        rows.append(
            LayoutRow(
                name=name,
                kind="frames",
                path=folder + "/",
                files=len(frames),
                bytes=sum(m.size for m in frames),
                frames=len(frames),
                width=info[0] if info else None,
                height=info[1] if info else None,
                pix_fmt=info[2] if info else None,
                expected_width=expected[0] if expected else None,
                expected_height=expected[1] if expected else None,
            )
        )
    for row in rows:
        row.expected_files = _expected(evaluator, config, row)
    return rows


def _reference_sizes(reference: list[Member], read: Reader | None) -> dict[str, tuple[int, int]]:
    """Image size per folder name of the hidden reference: a submission's size must match it
    (sizes only; nothing of the content leaves the platform)."""
    if read is None:
        return {}
    first: dict[str, Member] = {}
    for member in reference:
        path = PurePosixPath(member.name)
        if path.suffix.lower() in IMAGE_SUFFIXES:
            first.setdefault(path.parent.name, member)
    out = {}
    for name, member in first.items():
        info = _image_info(read(member, HEADER_BYTES))
        if info:
            out[name] = (info[0], info[1])
    return out
