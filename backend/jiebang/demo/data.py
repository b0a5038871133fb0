"""Generating the demo bundle: the committed YAML plus deterministic data, with checksums."""

from __future__ import annotations

import shutil
from pathlib import Path

from jiebang.bundles.data import checksum_text
from jiebang.bundles.schema import CONTEST_FILE, LIST_FILE
from jiebang.config import REPO_ROOT
from jiebang.demo import audio, video
from jiebang_eval.anchors import build_anchor
from jiebang_eval.codec_rd import QualityDefinition

SOURCE = REPO_ROOT / "challenges" / "demo"
DATA_VERSION = "1"  # bump when the generators change, so existing var/ copies are rebuilt
ANCHOR_QPS = [22, 27, 32, 37]
ANCHOR_PRESET = "fast"
TRACK_DATA = ("codec", "restoration", "vqa", "audio")


def build_bundle(dest: Path) -> bool:
    """Make ``dest`` a complete bundle; return False if an up-to-date one was already there."""
    stamp = dest / ".generated"
    yaml_current = all(
        (dest / name).is_file() and (dest / name).read_bytes() == (SOURCE / name).read_bytes()
        for name in (LIST_FILE, CONTEST_FILE)
    )
    if stamp.is_file() and stamp.read_text() == DATA_VERSION and yaml_current:
        return False
    if dest.exists():
        shutil.rmtree(dest)
    data = dest / "data"
    video.codec_reference(data / "codec" / "reference")
    anchor = build_anchor(
        data / "codec" / "reference",
        encoder="libx265",
        qps=ANCHOR_QPS,
        preset=ANCHOR_PRESET,
        definition=QualityDefinition(compute_vmaf=False, compute_ms_ssim=False),
        n_threads=2,
    )
    (data / "codec" / "reference" / "anchor.json").write_text(
        anchor.model_dump_json(indent=1), encoding="utf-8"
    )
    shutil.copytree(
        data / "codec" / "reference", data / "codec" / "public"
    )  # test sequences are public
    video.restoration_data(data / "restoration" / "reference", data / "restoration" / "public")
    video.vqa_data(data / "vqa" / "reference", data / "vqa" / "public")
    audio.audio_data(data / "audio" / "reference", data / "audio" / "public")
    for track in TRACK_DATA:
        for part in ("public", "reference"):
            (data / track / f"{part}.sha256").write_text(
                checksum_text(data / track / part), encoding="utf-8"
            )
    for name in (LIST_FILE, CONTEST_FILE):
        shutil.copyfile(SOURCE / name, dest / name)
    stamp.write_text(DATA_VERSION)
    return True
