"""Produce ``anchor.json`` by encoding the reference sequences at fixed QPs.

``python -m jiebang_eval.anchors --reference DIR --encoder libx265 --qp 22 27 32 37``

Each ``DIR/<name>.yuv`` listed in ``DIR/sequences.json`` is encoded with
ffmpeg's libx265 (HEVC), libsvtav1 (AV1, ``--qp`` is its CRF) or libvvenc (VVC,
10-bit sources only), measured with
the same one-pass filter graph as submissions, and written to
``DIR/anchor.json`` (or ``--output``).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from jiebang_eval.codec_rd import (
    AnchorFile,
    QualityDefinition,
    RdPoint,
    load_sequences,
    measure_rd_point,
)
from jiebang_eval.metrics.ffmpeg_probe import demuxer_input_args
from jiebang_eval.metrics.ffmpeg_quality import ffmpeg_executable, raw_input_args

_ENCODERS = {
    "libx265": ("hevc", ".265"),
    "libsvtav1": ("ivf", ".ivf"),
    "libvvenc": ("vvc", ".266"),
}


def _encoder_args(encoder: str, qp: int, preset: str) -> list[str]:
    if encoder == "libx265":
        return ["-c:v", "libx265", "-preset", preset, "-x265-params", f"qp={qp}:log-level=error"]
    if encoder == "libsvtav1":
        svt_preset = preset if preset.isdigit() else "8"
        return ["-c:v", "libsvtav1", "-preset", svt_preset, "-crf", str(qp)]
    return ["-c:v", "libvvenc", "-preset", preset, "-qp", str(qp)]


def encode(raw: Path, fmt_args: list[str], encoder: str, qp: int, preset: str, out: Path) -> None:
    """Encode ``raw`` to an elementary stream at a fixed QP."""
    demuxer, _ = _ENCODERS[encoder]
    command = [ffmpeg_executable(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y"]
    command += [*fmt_args, *_encoder_args(encoder, qp, preset), "-f", demuxer, str(out)]
    subprocess.run(command, check=True, capture_output=True)


def build_anchor(
    reference_dir: Path,
    *,
    encoder: str,
    qps: list[int],
    preset: str,
    definition: QualityDefinition,
    n_threads: int,
    keep_bitstreams: Path | None = None,
) -> AnchorFile:
    """Encode and measure every sequence at every QP; ``keep_bitstreams`` keeps each
    bitstream as ``<dir>/<sequence>/qp<QP><ext>`` (what a code track's complexity gate
    decodes with ffmpeg as the anchor decoder)."""
    demuxer, suffix = _ENCODERS[encoder]
    sequences: dict[str, list[RdPoint]] = {}
    with tempfile.TemporaryDirectory(prefix="jiebang_anchor_") as work:
        for seq in load_sequences(reference_dir):
            if encoder == "libvvenc" and seq.raw_format.bit_depth != 10:
                raise SystemExit(f"libvvenc encodes 10-bit only; {seq.name} is {seq.pix_fmt}")
            raw = reference_dir / f"{seq.name}.yuv"
            points = []
            for qp in qps:
                bitstream = Path(work) / f"{seq.name}_qp{qp}{suffix}"
                encode(raw, raw_input_args(raw, seq.raw_format), encoder, qp, preset, bitstream)
                point, _ = measure_rd_point(
                    distorted_input=demuxer_input_args(bitstream, demuxer),
                    rate_bytes=bitstream.stat().st_size,
                    sequence=seq,
                    reference=raw,
                    definition=definition,
                    n_threads=n_threads,
                    log_dir=Path(work) / f"logs_{seq.name}_{qp}",
                )
                points.append(point)
                if keep_bitstreams is not None:
                    kept = keep_bitstreams / seq.name / f"qp{qp}{suffix}"
                    kept.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(bitstream, kept)
            sequences[seq.name] = sorted(points, key=lambda p: p.kbps)
    return AnchorFile(encoder=encoder, qps=qps, definition=definition, sequences=sequences)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m jiebang_eval.anchors", description=__doc__)
    parser.add_argument("--reference", type=Path, required=True)
    parser.add_argument("--encoder", choices=sorted(_ENCODERS), default="libx265")
    parser.add_argument("--qp", type=int, nargs="+", default=[22, 27, 32, 37])
    parser.add_argument("--preset", default="medium")
    parser.add_argument("--psnr-pooling", choices=["mean_frame_db", "global_mse"])
    parser.add_argument("--psnr-yuv-weighting", choices=["6:1:1", "pixel_share"])
    parser.add_argument("--no-vmaf", action="store_true")
    parser.add_argument("--no-ms-ssim", action="store_true")
    parser.add_argument("--vmaf-model", choices=["vmaf_v0.6.1", "vmaf_v0.6.1neg", "vmaf_4k_v0.6.1"])
    parser.add_argument("--vmaf-scale-to-model", action="store_true")
    parser.add_argument("--n-threads", type=int, default=2)
    parser.add_argument("--output", type=Path)
    parser.add_argument("--keep-bitstreams", type=Path, help="e.g. REFERENCE/anchor_bitstreams")
    args = parser.parse_args(argv)
    overrides: dict[str, object] = {
        "compute_vmaf": not args.no_vmaf,
        "compute_ms_ssim": not args.no_ms_ssim,
    }
    if args.vmaf_model:
        overrides["vmaf_model"] = args.vmaf_model
    if args.vmaf_scale_to_model:
        overrides["vmaf_scale_to_model"] = True
    if args.psnr_pooling:
        overrides["psnr_pooling"] = args.psnr_pooling
    if args.psnr_yuv_weighting:
        overrides["psnr_yuv_weighting"] = args.psnr_yuv_weighting
    anchor = build_anchor(
        args.reference,
        encoder=args.encoder,
        qps=args.qp,
        preset=args.preset,
        definition=QualityDefinition.model_validate(overrides),
        n_threads=args.n_threads,
        keep_bitstreams=args.keep_bitstreams,
    )
    output = args.output or args.reference / "anchor.json"
    output.write_text(anchor.model_dump_json(indent=1), encoding="utf-8")
    print(f"wrote {output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
