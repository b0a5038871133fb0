"""Per-frame PSNR, SSIM, MS-SSIM and VMAF from ONE ffmpeg decode pass.

The distorted input (a bitstream decoded by ffmpeg, or raw YUV) and the raw
reference are split into one branch per analysis filter of a single filter
graph: ``psnr`` (per-frame values via ``metadata=print``, because its
``stats_file`` rounds to 2 decimals), ``ssim`` with ``stats_file`` and
``libvmaf`` with ``log_fmt=json`` (built-in models such as
``version=vmaf_v0.6.1``). MS-SSIM is computed from the decoded frames themselves
(:mod:`jiebang_eval.metrics.ffmpeg_ms_ssim`: the graph's output carries them, as raw
luma on ffmpeg's standard output, to a numba-compiled equal of libvmaf's ``float_ms_ssim``,
~7× less CPU), or, with ``ms_ssim_libvmaf``, by that libvmaf feature. Both
inputs are re-timed to ``pts = N`` so frames pair by index whatever the
container claims. Every analysis stops at the shorter input (``shortest=1``)
and the reference gets one padding frame (``tpad=stop=1``), so the number of
logged frames is ``min(distorted frames, reference frames + 1)``: a distorted
video with too few or too many frames never logs exactly the reference count.

References
----------
.. [1] FFmpeg filters documentation: psnr, ssim, libvmaf.
.. [2] Z. Li et al., "Toward a practical perceptual video quality metric",
   Netflix Tech Blog, 2016 (VMAF).
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from jiebang_eval.media.rawvideo import RawVideoFormat
from jiebang_eval.metrics.ffmpeg_ms_ssim import check_ms_ssim_size, run_scoring_luma

_SAFE_PATH = re.compile(r"^[A-Za-z0-9_./-]+$")
VMAF_MODEL_NAMES = {
    "vmaf_v0.6.1": "vmaf",
    "vmaf_v0.6.1neg": "vmaf_neg",
    "vmaf_4k_v0.6.1": "vmaf_4k",
}
# The resolution each built-in model was trained at: Netflix recommends scaling both
# videos to it (bicubic) before VMAF for content of another size.
VMAF_MODEL_RESOLUTIONS = {
    "vmaf_v0.6.1": (1920, 1080),
    "vmaf_v0.6.1neg": (1920, 1080),
    "vmaf_4k_v0.6.1": (3840, 2160),
}


class FfmpegError(RuntimeError):
    """ffmpeg exited with an error; ``stderr_tail`` holds its last lines."""

    def __init__(self, message: str, stderr_tail: str) -> None:
        super().__init__(f"{message}: {stderr_tail}")
        self.stderr_tail = stderr_tail


@dataclass(frozen=True)
class QualityOptions:
    """Which analyses to run in the graph."""

    psnr: bool = True
    ssim: bool = True
    ms_ssim: bool = True
    vmaf_models: tuple[str, ...] = ("vmaf_v0.6.1",)
    n_threads: int = 2
    # Scale both videos (bicubic) to this size before VMAF only; PSNR, SSIM and MS-SSIM
    # stay at the native size.
    vmaf_scale: tuple[int, int] | None = None
    # MS-SSIM by libvmaf's float_ms_ssim feature instead of jiebang_eval.metrics.ms_ssim
    # on the decoded frames (the same values, ~7× the CPU time).
    ms_ssim_libvmaf: bool = False


@dataclass
class FrameQualityLog:
    """Per-frame values parsed from the ffmpeg logs (index = frame number)."""

    mse: dict[str, list[float]] = field(default_factory=dict)  # y, u, v, avg
    ssim: dict[str, list[float]] = field(default_factory=dict)  # y, u, v, all
    vmaf: dict[str, list[float]] = field(default_factory=dict)  # model version -> scores
    ms_ssim: list[float] = field(default_factory=list)

    @property
    def frame_count(self) -> int:
        for values in (*self.mse.values(), *self.ssim.values(), *self.vmaf.values()):
            return len(values)
        return len(self.ms_ssim)


def ffmpeg_executable() -> str:
    """Path of the ffmpeg binary shipped by imageio-ffmpeg."""
    import imageio_ffmpeg  # deferred: resolving the binary touches the filesystem

    return str(imageio_ffmpeg.get_ffmpeg_exe())


def _filter_path(path: Path) -> str:
    text = str(path)
    if not _SAFE_PATH.match(text):
        raise ValueError(f"log path {text!r} needs filter-graph escaping; use a plain work dir")
    return text


def build_filter_graph(options: QualityOptions, log_dir: Path) -> str:
    """The ``-filter_complex`` text; outputs end in nullsinks except ``[out]``."""
    branches: list[str] = []
    if options.psnr:
        psnr_log = _filter_path(log_dir / "psnr_metadata.log")
        branches.append(f"psnr=shortest=1,metadata=mode=print:file={psnr_log}")
    if options.ssim:
        branches.append(f"ssim=shortest=1:stats_file={_filter_path(log_dir / 'ssim.log')}")
    models = [
        f"version={version}\\\\:name={VMAF_MODEL_NAMES.get(version, version)}"
        for version in options.vmaf_models
    ]
    scaled = bool(models) and options.vmaf_scale is not None
    libvmaf_ms_ssim = options.ms_ssim and options.ms_ssim_libvmaf
    prefix = f":n_threads={options.n_threads}"
    scaled_branch = -1
    if models or libvmaf_ms_ssim:
        vmaf = f"libvmaf=shortest=1:log_path={_filter_path(log_dir / 'vmaf.json')}:log_fmt=json"
        vmaf += prefix
        if models:
            vmaf += ":model=" + "|".join(models)
        if libvmaf_ms_ssim and not scaled:
            vmaf += ":feature=name=float_ms_ssim"
        scaled_branch = len(branches) if scaled else -1
        branches.append(vmaf)
    if libvmaf_ms_ssim and scaled:
        ms_log = _filter_path(log_dir / "ms_ssim.json")
        branches.append(
            f"libvmaf=shortest=1:log_path={ms_log}:log_fmt=json{prefix}:feature=name=float_ms_ssim"
        )
    out_branch = len(branches) - 1
    if options.ms_ssim and not libvmaf_ms_ssim:  # [out]: the native-size decoded luma
        unscaled = [i for i in range(len(branches)) if i != scaled_branch]
        if not unscaled:  # a filter that only pairs the frames (shortest=1)
            branches.append("psnr=shortest=1")
            unscaled = [len(branches) - 1]
        out_branch = unscaled[-1]
    if not branches:
        raise ValueError("no analysis requested")
    n = len(branches)
    dist_labels = "".join(f"[d{i}]" for i in range(n))
    ref_labels = "".join(f"[r{i}]" for i in range(n))
    parts = [
        f"[0:v:0]settb=1/25,setpts=N,split={n}{dist_labels}",
        f"[1:v:0]settb=1/25,setpts=N,tpad=stop=1,split={n}{ref_labels}",
    ]
    for i, branch in enumerate(branches):
        sink = "[out]" if i == out_branch else ",nullsink"
        if i == out_branch and options.ms_ssim and not libvmaf_ms_ssim:
            sink = ",extractplanes=y[out]"
        inputs = f"[d{i}][r{i}]"
        if i == scaled_branch and options.vmaf_scale is not None:
            width, height = options.vmaf_scale
            size = f"scale={width}:{height}:flags=bicubic"
            parts.append(f"[d{i}]{size}[ds{i}]")
            parts.append(f"[r{i}]{size}[rs{i}]")
            inputs = f"[ds{i}][rs{i}]"
        parts.append(f"{inputs}{branch}{sink}")
    return ";".join(parts)


def raw_input_args(path: Path, fmt: RawVideoFormat) -> list[str]:
    """ffmpeg input arguments for a headerless raw video file."""
    size = f"{fmt.width}x{fmt.height}"
    return ["-f", "rawvideo", "-pix_fmt", fmt.pix_fmt, "-s", size, "-i", str(path)]


def measure_quality(
    *,
    distorted_input: list[str],
    reference: Path,
    fmt: RawVideoFormat,
    options: QualityOptions,
    log_dir: Path,
    timeout_s: float | None = None,
) -> FrameQualityLog:
    """Run the graph once and parse every log.

    ``distorted_input`` is the ffmpeg input argument list for the distorted
    video (e.g. ``["-f", "hevc", "-i", "r1.265"]`` or :func:`raw_input_args`).
    """
    log_dir.mkdir(parents=True, exist_ok=True)
    command = [
        ffmpeg_executable(),
        "-hide_banner",
        "-nostdin",
        "-nostats",
        "-loglevel",
        "error",
        *distorted_input,
        *raw_input_args(reference, fmt),
        "-filter_complex",
        build_filter_graph(options, log_dir),
        "-map",
        "[out]",
    ]
    log = FrameQualityLog()
    if options.ms_ssim and not options.ms_ssim_libvmaf:
        check_ms_ssim_size(fmt)
        stderr_path = log_dir / "ffmpeg_stderr.log"
        returncode, log.ms_ssim = run_scoring_luma(
            [*command, "-f", "rawvideo", "-"],
            reference=reference,
            fmt=fmt,
            stderr_path=stderr_path,
            timeout_s=timeout_s,
        )
        stderr_text = stderr_path.read_text(errors="replace")
    else:
        completed = subprocess.run(
            [*command, "-f", "null", "-"], capture_output=True, text=True, timeout=timeout_s
        )
        returncode, stderr_text = completed.returncode, completed.stderr
    if returncode != 0:
        tail = " | ".join(stderr_text.strip().splitlines()[-3:])
        raise FfmpegError("ffmpeg quality pass failed", tail)
    if options.psnr:
        log.mse = parse_psnr_metadata((log_dir / "psnr_metadata.log").read_text())
    if options.ssim:
        log.ssim = parse_ssim_stats((log_dir / "ssim.log").read_text())
    libvmaf_ms_ssim = options.ms_ssim and options.ms_ssim_libvmaf
    separate_ms_ssim = libvmaf_ms_ssim and bool(options.vmaf_models) and options.vmaf_scale
    if options.vmaf_models or libvmaf_ms_ssim:
        vmaf_text = (log_dir / "vmaf.json").read_text()
        log.vmaf, ms_ssim = parse_vmaf_json(
            vmaf_text, options.vmaf_models, libvmaf_ms_ssim and not separate_ms_ssim
        )
        log.ms_ssim = ms_ssim or log.ms_ssim
    if separate_ms_ssim:
        _, log.ms_ssim = parse_vmaf_json((log_dir / "ms_ssim.json").read_text(), (), True)
    return log


def parse_psnr_metadata(text: str) -> dict[str, list[float]]:
    """Per-frame MSE per plane from ``metadata=print`` after ``psnr``.

    Keys ``y``, ``u``, ``v`` and ``avg`` (pixel-share weighted). The filter
    exports float32 values with 6 decimals, i.e. ~7 significant digits.
    """
    values: dict[str, list[float]] = {}
    for match in re.finditer(r"^lavfi\.psnr\.mse(?:\.|_)(\w+)=([-+0-9.eE]+|inf|nan)$", text, re.M):
        values.setdefault(match.group(1), []).append(float(match.group(2)))
    return values


def parse_ssim_stats(text: str) -> dict[str, list[float]]:
    """Per-frame SSIM per plane from the ``ssim`` filter's stats file (keys y, u, v, all)."""
    values: dict[str, list[float]] = {}
    for line in text.splitlines():
        for key, number in re.findall(r"(\w+):([-+0-9.eE]+|inf|nan)", line):
            if key != "n":
                values.setdefault(key.lower(), []).append(float(number))
    return values


def parse_vmaf_json(
    text: str, model_versions: tuple[str, ...], want_ms_ssim: bool
) -> tuple[dict[str, list[float]], list[float]]:
    """Per-frame VMAF (per model version) and MS-SSIM from libvmaf's JSON log."""
    frames = json.loads(text)["frames"]
    vmaf: dict[str, list[float]] = {}
    for version in model_versions:
        name = VMAF_MODEL_NAMES.get(version, version)
        vmaf[version] = [float(frame["metrics"][name]) for frame in frames]
    ms_ssim = [float(frame["metrics"]["float_ms_ssim"]) for frame in frames] if want_ms_ssim else []
    return vmaf, ms_ssim
