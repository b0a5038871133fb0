"""The fixed record every sandboxed run produces, with reasons in en and zh."""

from __future__ import annotations

import dataclasses
from typing import Literal

from jiebang.sandbox.limits import SandboxLimits

Language = Literal["en", "zh"]


@dataclasses.dataclass(frozen=True)
class SandboxResult:
    """What happened in one run; the same shape with or without isolation."""

    exit_code: int | None
    signal: str | None
    cpu_seconds: float
    wall_seconds: float
    peak_memory_bytes: int
    timed_out: bool
    oom_killed: bool
    output_limit_hit: bool
    stdout_tail: str
    stderr_tail: str
    limits: SandboxLimits
    isolated: bool = True
    cpu_limit_hit: bool = False

    @property
    def succeeded(self) -> bool:
        """True when the program exited with code 0 within every limit."""
        return self.exit_code == 0 and not self.limit_exceeded

    @property
    def limit_exceeded(self) -> bool:
        """True when any limit stopped the program."""
        return self.timed_out or self.oom_killed or self.output_limit_hit or self.cpu_limit_hit

    def reason(self, language: Language = "en") -> str:
        """Return a one-line human explanation of how the run ended."""
        limits = self.limits
        if self.oom_killed:
            size = format_bytes(limits.memory_bytes)
            return f"exceeded {size} memory" if language == "en" else f"内存超过 {size}"
        if self.timed_out:
            secs = format_seconds(limits.wall_seconds)
            return (
                f"killed after {secs} s wall time"
                if language == "en"
                else f"运行时间超过 {secs} 秒，已终止"
            )
        if self.cpu_limit_hit:
            secs = format_seconds(limits.cpu_seconds)
            return (
                f"used more than {secs} s CPU time"
                if language == "en"
                else f"CPU 时间超过 {secs} 秒"
            )
        if self.output_limit_hit:
            size = format_bytes(limits.output_bytes)
            return f"wrote more than {size}" if language == "en" else f"写出数据超过 {size}"
        if self.signal is not None:
            return (
                f"killed by signal {self.signal}"
                if language == "en"
                else f"被信号 {self.signal} 终止"
            )
        if self.exit_code == 0:
            return "finished normally" if language == "en" else "正常结束"
        return (
            f"exited with code {self.exit_code}"
            if language == "en"
            else f"以退出码 {self.exit_code} 结束"
        )


def format_bytes(count: int) -> str:
    """Return a byte count in binary units, e.g. ``4 GiB`` or ``1.5 MiB``."""
    value = float(count)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if value < 1024 or unit == "TiB":
            text = f"{value:.1f}".removesuffix(".0")
            return f"{text} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


def format_seconds(seconds: float) -> str:
    """Return seconds without a trailing ``.0``."""
    return f"{seconds:g}"
