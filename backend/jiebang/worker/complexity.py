"""Decoder complexity on code tracks: decoding time per sequence against the anchor decoder.

A track opts in with ``sandbox_limits["complexity"]`` (data, read here and nowhere else)::

    {"anchor_dir": "anchor_bitstreams", "max_time_ratio": 2.0, "clock": "wall"}

The team's program then runs once per sequence of ``sequences.json`` with
``JIEBANG_SEQUENCE=<name>`` set, and ffmpeg decodes the anchor's bitstreams of that sequence
(``<reference>/<anchor_dir>/<name>/*``) to raw video in the same run sandbox, under the same
limits, on the same worker, in the same job. Both sandbox result records give CPU and wall
time; the ratio uses ``clock``. A ratio over ``max_time_ratio`` is an invalid submission
whose message states both times. The sandbox never learns any of this: it runs two argvs.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Literal

from jiebang.sandbox import SandboxLimits, SandboxResult
from jiebang.sandbox.mounts import FFMPEG_TARGET
from jiebang.sandbox.stages import SUBMISSION_TARGET

SEQUENCE_ENV = "JIEBANG_SEQUENCE"
METRIC_KEYS = ("dec_time_ratio", "dec_cpu_s", "dec_wall_s", "decoder_bytes")

RunProgram = Callable[..., SandboxResult]


class ComplexityConfigError(ValueError):
    """The track's complexity entry is malformed (the organiser's mistake)."""


@dataclasses.dataclass(frozen=True)
class ComplexityRule:
    """What the track asks: where the anchor's bitstreams are and the gate, if any."""

    anchor_dir: str = "anchor_bitstreams"
    max_time_ratio: float | None = None
    clock: Literal["cpu", "wall"] = "wall"

    @classmethod
    def from_mapping(cls, raw: Any) -> ComplexityRule | None:
        """The rule in ``sandbox_limits["complexity"]``; None when the track has none."""
        if not raw:
            return None
        if not isinstance(raw, dict) or set(raw) - {"anchor_dir", "max_time_ratio", "clock"}:
            raise ComplexityConfigError(
                "complexity takes anchor_dir, max_time_ratio and clock, as an object"
            )
        ratio = raw.get("max_time_ratio")
        if ratio is not None and (not isinstance(ratio, int | float) or ratio <= 0):
            raise ComplexityConfigError("complexity.max_time_ratio must be a positive number")
        clock = raw.get("clock", "wall")
        if clock not in ("cpu", "wall"):
            raise ComplexityConfigError("complexity.clock must be cpu or wall")
        anchor_dir = str(raw.get("anchor_dir", "anchor_bitstreams"))
        if Path(anchor_dir).is_absolute() or ".." in Path(anchor_dir).parts:
            raise ComplexityConfigError("complexity.anchor_dir must be a folder of the reference")
        return cls(anchor_dir, None if ratio is None else float(ratio), clock)


@dataclasses.dataclass(frozen=True)
class SequenceTiming:
    """One sequence's decoding: the team's program and the anchor decoder, as measured."""

    name: str
    team_cpu_s: float
    team_wall_s: float
    anchor_cpu_s: float
    anchor_wall_s: float

    def ratio(self, clock: str) -> float:
        team, anchor = (
            (self.team_cpu_s, self.anchor_cpu_s)
            if clock == "cpu"
            else (self.team_wall_s, self.anchor_wall_s)
        )
        return team / max(anchor, 1e-3)  # a 1 ms floor: an anchor run never takes less


def sequence_names(reference_dir: Path) -> list[str]:
    """The sequences the decoder is timed on, in the reference's order."""
    path = reference_dir / "sequences.json"
    try:
        listing = json.loads(path.read_text(encoding="utf-8"))["sequences"]
        return [str(entry["name"]) for entry in listing]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ComplexityConfigError(
            f"complexity needs the reference's sequences.json: {exc}"
        ) from exc


def anchor_argv(streams: list[str]) -> list[str]:
    """ffmpeg decoding each anchor bitstream (at /submission) to raw video under /output."""
    script = (
        'for f in "$@"; do '
        f'{FFMPEG_TARGET} -nostdin -loglevel error -y -i "{SUBMISSION_TARGET}/$f" '
        '-f rawvideo "/output/$f.yuv" || exit 1; done'
    )
    return ["/bin/sh", "-c", script, "anchor", *streams]


def time_anchor(
    *,
    run_program: RunProgram,
    reference_dir: Path,
    rule: ComplexityRule,
    sequence: str,
    inputs_dir: Path,
    scratch: Path,
    limits: SandboxLimits,
) -> SandboxResult:
    """Decode the anchor's bitstreams of ``sequence`` with ffmpeg in the run sandbox."""
    folder = reference_dir / rule.anchor_dir / sequence
    streams = sorted(p.name for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []
    if not streams:
        raise ComplexityConfigError(
            f"the reference has no anchor bitstreams in {rule.anchor_dir}/{sequence}/"
        )
    out = scratch / f"anchor-{sequence}"
    try:
        return run_program(
            program_dir=folder,
            entrypoint_argv=anchor_argv(streams),
            inputs_dir=inputs_dir,
            output_dir=out,
            limits=limits,
            env={SEQUENCE_ENV: sequence},
        )
    finally:
        shutil.rmtree(out, ignore_errors=True)


def program_bytes(program_dir: Path, sequences: list[str]) -> int:
    """Bytes of the program's files: everything uploaded except the sequences' folders."""
    skip = set(sequences)
    total = 0
    for path in program_dir.rglob("*"):
        relative = path.relative_to(program_dir)
        if relative.parts[0] in skip or path.is_symlink() or not path.is_file():
            continue
        total += path.stat().st_size
    return total


def gate_messages(timing: SequenceTiming, rule: ComplexityRule) -> tuple[str, str] | None:
    """(en, zh) when ``timing`` is over the rule's gate, else None."""
    if rule.max_time_ratio is None:
        return None
    ratio = timing.ratio(rule.clock)
    if ratio <= rule.max_time_ratio:
        return None
    team = timing.team_cpu_s if rule.clock == "cpu" else timing.team_wall_s
    anchor = timing.anchor_cpu_s if rule.clock == "cpu" else timing.anchor_wall_s
    clock_en = "CPU time" if rule.clock == "cpu" else "wall time"
    clock_zh = "CPU 时间" if rule.clock == "cpu" else "墙钟时间"
    return (
        f"decoding {timing.name} took {team:.3f} s ({clock_en}), {ratio:.2f}× the anchor "
        f"decoder's {anchor:.3f} s, over the track's limit of {rule.max_time_ratio:g}×",
        f"解码 {timing.name} 用时 {team:.3f} 秒（{clock_zh}），为锚点解码器 {anchor:.3f} 秒的 "
        f"{ratio:.2f} 倍，超过本赛道 {rule.max_time_ratio:g} 倍的上限",
    )


def complexity_metrics(
    timings: list[SequenceTiming], rule: ComplexityRule, decoder_bytes: int
) -> dict[str, dict[str, float]]:
    """Per sequence: dec_time_ratio, dec_cpu_s, dec_wall_s, decoder_bytes."""
    return {
        t.name: {
            "dec_time_ratio": t.ratio(rule.clock),
            "dec_cpu_s": t.team_cpu_s,
            "dec_wall_s": t.team_wall_s,
            "decoder_bytes": float(decoder_bytes),
        }
        for t in timings
    }


def merge_into_result(result: dict[str, Any], per_item: Mapping[str, dict[str, float]]) -> None:
    """Add the measurements to the items they belong to and to the (per-split) means."""
    by_split: dict[str, list[dict[str, float]]] = {}
    for item in result.get("items", []):
        measured = per_item.get(str(item.get("id")))
        if measured is None:
            continue
        item.setdefault("metrics", {}).update(measured)
        by_split.setdefault(str(item.get("split")), []).append(measured)
    everything = [m for ms in by_split.values() for m in ms] or list(per_item.values())
    result.setdefault("metrics", {}).update(_means(everything))
    for split, members in by_split.items():
        if split in result.get("metrics_by_split", {}):
            result["metrics_by_split"][split].update(_means(members))


def _means(rows: list[dict[str, float]]) -> dict[str, float]:
    if not rows:
        return {}
    return {key: sum(row[key] for row in rows) / len(rows) for key in METRIC_KEYS}


def merge_outputs(source: Path, target: Path) -> None:
    """Move one run's outputs into the folder the evaluator reads (links kept as links)."""
    target.mkdir(parents=True, exist_ok=True)
    for entry in source.iterdir():
        destination = target / entry.name
        if destination.exists() or destination.is_symlink():
            shutil.copytree(entry, destination, symlinks=True, dirs_exist_ok=True)
        else:
            entry.rename(destination)
    shutil.rmtree(source, ignore_errors=True)
