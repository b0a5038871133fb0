"""Three demo teams' baseline submissions, computed from the public data only."""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter

from jiebang.bundles.data import files_under
from jiebang.demo import audio
from jiebang_eval.anchors import encode
from jiebang_eval.codec_rd import load_sequences
from jiebang_eval.metrics.ffmpeg_quality import ffmpeg_executable, raw_input_args

TEAMS = ("xiangjiang-lab", "yuelu-vision", "orange-isle-ai")
# per team: codec encoder settings, restoration upscaler, VQA features, audio split
CODEC = {
    "xiangjiang-lab": ("libx265", "slower", [24, 29, 34, 39]),
    "yuelu-vision": ("libx264", "medium", [22, 27, 32, 37]),
    "orange-isle-ai": ("libx265", "ultrafast", [22, 27, 32, 37]),
}


def tar_of(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for rel in files_under(folder):
            tar.add(folder / rel, arcname=rel)
    return buffer.getvalue()


def codec_submission(public: Path, team: str, out: Path) -> None:
    encoder, preset, qps = CODEC[team]
    for seq in load_sequences(public):
        raw = public / f"{seq.name}.yuv"
        (out / seq.name).mkdir(parents=True, exist_ok=True)
        for k, qp in enumerate(sorted(qps, reverse=True), start=1):
            if encoder == "libx265":
                encode(
                    raw,
                    raw_input_args(raw, seq.raw_format),
                    encoder,
                    qp,
                    preset,
                    out / seq.name / f"r{k}.265",
                )
                continue
            command = [ffmpeg_executable(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
                       *raw_input_args(raw, seq.raw_format), "-c:v", "libx264", "-preset", preset,
                       "-qp", str(qp), "-f", "h264", str(out / seq.name / f"r{k}.264")]  # fmt: skip
            subprocess.run(command, check=True, capture_output=True)


def restoration_submission(public: Path, team: str, out: Path) -> None:
    for rel in files_under(public / "lr"):
        lr = Image.open(public / "lr" / rel).convert("RGB")
        if team == "xiangjiang-lab":
            hr = lr.filter(ImageFilter.GaussianBlur(0.5)).resize(
                (128, 96), Image.Resampling.LANCZOS
            )
            hr = hr.filter(ImageFilter.UnsharpMask(radius=1.5, percent=60, threshold=2))
        elif team == "yuelu-vision":
            hr = lr.resize((128, 96), Image.Resampling.BICUBIC)
        else:
            hr = lr.resize((128, 96), Image.Resampling.NEAREST)
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        hr.save(out / rel)


def _features(folder: Path) -> tuple[float, float]:
    """Mean Laplacian energy (sharpness) and a high-pass noise estimate of a clip's frames."""
    sharp, noise = [], []
    for rel in files_under(folder):
        grey = np.asarray(Image.open(folder / rel).convert("L"), dtype=np.float64)
        lap = (
            4 * grey[1:-1, 1:-1]
            - grey[:-2, 1:-1]
            - grey[2:, 1:-1]
            - grey[1:-1, :-2]
            - grey[1:-1, 2:]
        )
        sharp.append(float(np.mean(np.abs(lap))))
        noise.append(float(np.median(np.abs(lap))))
    return float(np.mean(sharp)), float(np.mean(noise))


def vqa_submission(public: Path, team: str, out: Path) -> None:
    rows = []
    for clip in sorted(p.name for p in (public / "clips").iterdir()):
        sharp, noise = _features(public / "clips" / clip)
        if team == "xiangjiang-lab":
            score = np.log(sharp) - 1.5 * np.log1p(max(noise - 6, 0.0))
        elif team == "yuelu-vision":
            score = np.log(sharp)
        else:
            score = -abs(sharp - 12)
        rows.append(f"{clip},{score:.6f}")
    out.mkdir(parents=True, exist_ok=True)
    (out / "scores.csv").write_text("id,score\n" + "\n".join(rows) + "\n", encoding="utf-8")


def audio_submission(public: Path, team: str, out: Path) -> None:
    bands = {
        "xiangjiang-lab": (150.0, 2500.0),
        "yuelu-vision": (120.0, None),
        "orange-isle-ai": (600.0, None),
    }
    low, high = bands[team]
    for song in audio.SONGS:
        mixture = audio.read_mixture(public / "mixtures" / f"{song}.wav")
        audio.write_estimates(out, song, audio.band_split(mixture, low_hz=low, high_hz=high))


BUILDERS = {
    "codec": codec_submission,
    "restoration": restoration_submission,
    "vqa": vqa_submission,
    "audio": audio_submission,
}


def baseline(track: str, public: Path, team: str) -> tuple[str, bytes]:
    """(file name, archive bytes) of ``team``'s baseline for ``track``."""
    with tempfile.TemporaryDirectory(prefix="jiebang-demo-") as scratch:
        BUILDERS[track](public, team, Path(scratch))
        return f"{team}-{track}.tar", tar_of(Path(scratch))
