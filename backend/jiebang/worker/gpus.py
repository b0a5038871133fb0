"""What GPUs this worker has, from ``nvidia-smi`` when it is installed (none otherwise)."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
from functools import lru_cache


@dataclasses.dataclass(frozen=True)
class GpuInventory:
    count: int = 0
    model: str = ""


def parse_nvidia_smi(output: str) -> GpuInventory:
    """``nvidia-smi --query-gpu=name --format=csv,noheader`` output -> count and model(s)."""
    names = [line.strip() for line in output.splitlines() if line.strip()]
    return GpuInventory(len(names), ", ".join(sorted(set(names)))[:200])


@lru_cache
def detect_gpus() -> GpuInventory:
    """The GPUs this machine offers to sandboxed programs; none without nvidia-smi."""
    tool = shutil.which("nvidia-smi")
    if tool is None:
        return GpuInventory()
    try:
        proc = subprocess.run(
            [tool, "--query-gpu=name", "--format=csv,noheader"],
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return GpuInventory()
    return parse_nvidia_smi(proc.stdout) if proc.returncode == 0 else GpuInventory()
