"""What GPUs this worker has, from ``nvidia-smi`` when it is installed (none otherwise)."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path

from jiebang.sandbox import Mount


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


# Control nodes every CUDA program opens, bound when present beside the granted devices.
NVIDIA_CONTROL_NODES = ("nvidiactl", "nvidia-uvm", "nvidia-uvm-tools", "nvidia-modeset")
DRIVER_LIBRARY = re.compile(r"^(libcuda\.so|libnvidia-[\w.-]+\.so)(\.[\d.]+)?$")
NVIDIA_DIR = "/jiebang-nvidia"  # a new top-level folder: works on the host system and in images


@dataclasses.dataclass(frozen=True)
class GpuBinding:
    """What the sandbox needs for granted GPUs, as data: device nodes, driver files, env."""

    mounts: tuple[Mount, ...] = ()
    env: Mapping[str, str] = dataclasses.field(default_factory=dict)


def parse_ldconfig(output: str) -> dict[str, Path]:
    """``ldconfig -p`` output -> the NVIDIA driver libraries by soname (first, 64-bit wins)."""
    found: dict[str, Path] = {}
    for line in output.splitlines():
        name, arrow, path = line.strip().partition(" => ")
        soname = name.split(" ", 1)[0]
        # "libcuda.so.1 (libc6,x86-64) => /lib/x86_64-linux-gnu/libcuda.so.1"; skip 32-bit
        if arrow and DRIVER_LIBRARY.match(soname) and "64" in name:
            found.setdefault(soname, Path(path.strip()))
    return found


def driver_libraries() -> dict[str, Path]:
    """The host's NVIDIA driver libraries, from the dynamic linker's cache."""
    tool = shutil.which("ldconfig") or "/sbin/ldconfig"
    try:
        proc = subprocess.run([tool, "-p"], capture_output=True, text=True, timeout=20, check=False)
    except OSError:
        return {}
    return parse_ldconfig(proc.stdout) if proc.returncode == 0 else {}


def gpu_binding(
    granted: Sequence[int],
    *,
    dev_dir: Path = Path("/dev"),
    libraries: Mapping[str, Path] | None = None,
    nvidia_smi: Path | None = None,
) -> GpuBinding:
    """The device nodes of the ``granted`` GPUs only (plus the control nodes), the driver
    libraries and ``nvidia-smi`` read-only, and ``CUDA_VISIBLE_DEVICES`` set to them.
    Nothing at all without a grant."""
    if not granted:
        return GpuBinding()
    mounts: list[Mount] = []
    for index in sorted(set(granted)):
        node = dev_dir / f"nvidia{index}"
        if not node.exists():
            raise FileNotFoundError(f"granted GPU {index} has no device node {node}")
        mounts.append(Mount(node, f"/dev/nvidia{index}", device=True))
    for name in NVIDIA_CONTROL_NODES:
        if (dev_dir / name).exists():
            mounts.append(Mount(dev_dir / name, f"/dev/{name}", device=True))
    libs = driver_libraries() if libraries is None else libraries
    for soname, path in sorted(libs.items()):
        mounts.append(Mount(path, f"{NVIDIA_DIR}/lib/{soname}"))
    smi = nvidia_smi if nvidia_smi is not None else shutil.which("nvidia-smi")
    if smi:
        mounts.append(Mount(Path(smi), f"{NVIDIA_DIR}/bin/nvidia-smi"))
    env = {
        "CUDA_VISIBLE_DEVICES": ",".join(str(i) for i in sorted(set(granted))),
        "CUDA_DEVICE_ORDER": "PCI_BUS_ID",  # the same numbering as nvidia-smi and /dev/nvidia<N>
        "NVIDIA_DRIVER_LIB": f"{NVIDIA_DIR}/lib",
        "NVIDIA_BIN": f"{NVIDIA_DIR}/bin",
    }
    return GpuBinding(tuple(mounts), env)


def with_gpu_env(env: Mapping[str, str], binding: GpuBinding) -> dict[str, str]:
    """``env`` with the driver's folders searched first and the visible devices set."""
    if not binding.mounts:
        return dict(env)
    merged = {**env, **binding.env}
    lib = binding.env["NVIDIA_DRIVER_LIB"]
    merged["LD_LIBRARY_PATH"] = ":".join(p for p in (lib, env.get("LD_LIBRARY_PATH", "")) if p)
    merged["PATH"] = ":".join(p for p in (binding.env["NVIDIA_BIN"], env.get("PATH", "")) if p)
    return merged
