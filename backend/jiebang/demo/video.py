"""Small deterministic video material from the images scikit-image ships (no downloads)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter

from jiebang_eval.metrics.ffmpeg_quality import ffmpeg_executable

WIDTH, HEIGHT, FRAMES = 176, 144, 5
SEED = 20240601


def source_image(name: str) -> np.ndarray:
    """An RGB uint8 image from ``skimage.data`` (grey images are repeated over three channels)."""
    import skimage.data

    image = np.asarray(getattr(skimage.data, name)())
    if image.ndim == 2:
        image = np.repeat(image[:, :, None], 3, axis=2)
    return np.ascontiguousarray(image[:, :, :3]).astype(np.uint8)


def panning_frames(
    name: str, width: int, height: int, frames: int, *, noise: float, seed: int
) -> list[np.ndarray]:
    """A camera pan over the image (scaled to twice the frame height) with Gaussian sensor noise."""
    image = Image.fromarray(source_image(name))
    scale = 2 * height / image.height
    image = image.resize(
        (max(width + 4 * frames, round(image.width * scale)), 2 * height), Image.Resampling.LANCZOS
    )
    array = np.asarray(image).astype(np.float64)
    rng = np.random.default_rng(seed)
    out = []
    for t in range(frames):
        x, y = 3 * t, 2 * t + height // 3
        crop = array[y : y + height, x : x + width]
        out.append(
            np.clip(np.rint(crop + rng.normal(0, noise, crop.shape)), 0, 255).astype(np.uint8)
        )
    return out


def write_yuv(frames: list[np.ndarray], path: Path, pix_fmt: str) -> None:
    """Convert RGB frames to raw planar YUV (BT.601 limited range) with ffmpeg."""
    height, width = frames[0].shape[:2]
    command = [
        ffmpeg_executable(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
        "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{width}x{height}", "-i", "-",
        "-pix_fmt", pix_fmt, "-f", "rawvideo", str(path),
    ]  # fmt: skip
    subprocess.run(
        command, input=b"".join(f.tobytes() for f in frames), check=True, capture_output=True
    )


CODEC_SEQUENCES = {"astronaut": "yuv420p", "coffee10": "yuv420p10le"}


def codec_reference(dest: Path) -> None:
    """sequences.json and raw clips: one 8-bit and one 10-bit 176x144 sequence of 5 frames."""
    dest.mkdir(parents=True, exist_ok=True)
    listing = []
    for index, (name, pix_fmt) in enumerate(CODEC_SEQUENCES.items()):
        frames = panning_frames(
            name.removesuffix("10"), WIDTH, HEIGHT, FRAMES, noise=2.0, seed=SEED + index
        )
        write_yuv(frames, dest / f"{name}.yuv", pix_fmt)
        listing.append(
            {
                "name": name,
                "width": WIDTH,
                "height": HEIGHT,
                "fps": 25,
                "frames": FRAMES,
                "pix_fmt": pix_fmt,
            }
        )
    (dest / "sequences.json").write_text(
        json.dumps({"sequences": listing}, indent=1), encoding="utf-8"
    )


RESTORATION_CLIPS = ("chelsea", "rocket")


def restoration_data(reference: Path, public: Path) -> None:
    """HR frames (hidden reference) and their 2x down-scaled, blurred, noisy versions (public)."""
    for index, clip in enumerate(RESTORATION_CLIPS):
        frames = panning_frames(clip, 128, 96, 3, noise=0.0, seed=SEED + 10 + index)
        rng = np.random.default_rng(SEED + 20 + index)
        for t, frame in enumerate(frames):
            hr = Image.fromarray(frame)
            (reference / clip).mkdir(parents=True, exist_ok=True)
            hr.save(reference / clip / f"{t:04d}.png", optimize=False)
            lr = hr.filter(ImageFilter.GaussianBlur(0.6)).resize((64, 48), Image.Resampling.BICUBIC)
            noisy = np.clip(
                np.asarray(lr, dtype=np.float64) + rng.normal(0, 3.0, (48, 64, 3)), 0, 255
            )
            (public / "lr" / clip).mkdir(parents=True, exist_ok=True)
            Image.fromarray(np.rint(noisy).astype(np.uint8)).save(
                public / "lr" / clip / f"{t:04d}.png"
            )


VQA_SOURCES = ("astronaut", "coffee", "chelsea", "camera")
VQA_DISTORTIONS = (
    ("blur", 0.8),
    ("blur", 2.0),
    ("noise", 6.0),
    ("noise", 18.0),
    ("jpeg", 40),
    ("jpeg", 8),
)


def _distort(image: Image.Image, kind: str, level: float, rng: np.random.Generator) -> Image.Image:
    if kind == "blur":
        return image.filter(ImageFilter.GaussianBlur(level))
    if kind == "noise":
        noisy = np.asarray(image, dtype=np.float64) + rng.normal(
            0, level, (image.height, image.width, 3)
        )
        return Image.fromarray(np.clip(np.rint(noisy), 0, 255).astype(np.uint8))
    import io

    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=int(level))
    return Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")


def vqa_data(reference: Path, public: Path) -> list[str]:
    """24 distorted two-frame clips (public), a synthetic MOS per clip (hidden); returns the ids."""
    rng = np.random.default_rng(SEED + 30)
    rows: list[str] = []
    ids: list[str] = []
    for s, source in enumerate(VQA_SOURCES):
        clean = panning_frames(source, 96, 72, 2, noise=0.0, seed=SEED + 40 + s)
        for kind, level in VQA_DISTORTIONS:
            item = f"ugc{len(ids):02d}"
            mse = []
            for t, frame in enumerate(clean):
                distorted = _distort(Image.fromarray(frame), kind, level, rng)
                (public / "clips" / item).mkdir(parents=True, exist_ok=True)
                distorted.save(public / "clips" / item / f"{t:04d}.png")
                mse.append(np.mean((np.asarray(distorted, dtype=np.float64) - frame) ** 2))
            psnr = 10 * np.log10(255**2 / max(float(np.mean(mse)), 1e-6))
            mos = 1 + 4 / (1 + np.exp(-(psnr - 27) / 3)) + rng.normal(0, 0.2)
            rows.append(f"{item},{min(5.0, max(1.0, mos)):.3f}")
            ids.append(item)
    reference.mkdir(parents=True, exist_ok=True)
    (reference / "mos.csv").write_text("id,mos\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return ids
