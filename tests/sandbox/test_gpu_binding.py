"""GPU binding as data: only the granted devices' nodes (plus the control nodes), the
driver libraries and nvidia-smi read-only, CUDA_VISIBLE_DEVICES set; nothing without a
grant. No GPU here: regular files in a temp dir stand in for the device nodes."""

from __future__ import annotations

from pathlib import Path

import pytest

from jiebang.sandbox import Mount, platform_runtime_mounts, run_sandboxed, runtime_env
from jiebang.sandbox.bwrap import BindSpec, build_bwrap_argv
from jiebang.worker.gpus import GpuBinding, gpu_binding, parse_ldconfig, with_gpu_env
from tests.sandbox.support import TEST_LIMITS, needs_bwrap

LDCONFIG = """1234 libs found in cache `/etc/ld.so.cache'
\tlibnvidia-ml.so.1 (libc6,x86-64) => /lib/x86_64-linux-gnu/libnvidia-ml.so.1
\tlibcuda.so.1 (libc6,x86-64) => /lib/x86_64-linux-gnu/libcuda.so.1
\tlibcuda.so.1 (libc6) => /lib/i386-linux-gnu/libcuda.so.1
\tlibcudart.so.12 (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/libcudart.so.12
\tlibc.so.6 (libc6,x86-64) => /lib/x86_64-linux-gnu/libc.so.6
"""


@pytest.fixture
def fake_host(tmp_path: Path) -> tuple[Path, dict[str, Path], Path]:
    dev = tmp_path / "dev"
    dev.mkdir()
    for name in ("nvidia0", "nvidia1", "nvidia2", "nvidiactl", "nvidia-uvm"):
        (dev / name).write_text(f"fake {name}\n")
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "libcuda.so.535.1").write_text("fake libcuda\n")
    smi = tmp_path / "nvidia-smi"
    smi.write_text("#!/bin/sh\necho fake nvidia-smi\n")
    smi.chmod(0o755)
    return dev, {"libcuda.so.1": lib / "libcuda.so.535.1"}, smi


def test_ldconfig_lists_the_64_bit_driver_libraries_only() -> None:
    assert parse_ldconfig(LDCONFIG) == {
        "libnvidia-ml.so.1": Path("/lib/x86_64-linux-gnu/libnvidia-ml.so.1"),
        "libcuda.so.1": Path("/lib/x86_64-linux-gnu/libcuda.so.1"),
    }


def test_only_the_granted_devices_are_bound(fake_host) -> None:
    dev, libs, smi = fake_host
    binding = gpu_binding([1], dev_dir=dev, libraries=libs, nvidia_smi=smi)
    devices = {m.target for m in binding.mounts if m.device}
    assert devices == {"/dev/nvidia1", "/dev/nvidiactl", "/dev/nvidia-uvm"}
    files = {m.target: m.source for m in binding.mounts if not m.device}
    assert files == {
        "/jiebang-nvidia/lib/libcuda.so.1": libs["libcuda.so.1"],
        "/jiebang-nvidia/bin/nvidia-smi": smi,
    }
    assert not any(m.writable for m in binding.mounts)
    assert binding.env["CUDA_VISIBLE_DEVICES"] == "1"
    assert gpu_binding([], dev_dir=dev, libraries=libs, nvidia_smi=smi) == GpuBinding()
    with pytest.raises(FileNotFoundError, match="nvidia7"):
        gpu_binding([7], dev_dir=dev, libraries=libs, nvidia_smi=smi)


def test_devices_are_dev_bound_and_others_read_only() -> None:
    argv = build_bwrap_argv(
        bwrap="bwrap",
        command=["true"],
        binds=[BindSpec("/x/nvidia1", "/dev/nvidia1", False, True), BindSpec("/x/l", "/l", False)],
        etc_files={},
        env={},
        cwd="/",
        tmp_bytes=1024,
    )
    assert argv[argv.index("/x/nvidia1") - 1 :][:3] == ["--dev-bind", "/x/nvidia1", "/dev/nvidia1"]
    assert argv[argv.index("/x/l") - 1 :][:3] == ["--ro-bind", "/x/l", "/l"]
    with pytest.raises(ValueError, match="under /dev"):
        Mount(Path("/x"), "/opt/nvidia0", device=True)


SCRIPT = (
    'ls /dev | grep nvidia | sort | tr "\\n" " "; echo; echo "cvd=$CUDA_VISIBLE_DEVICES"; '
    "cat /dev/nvidia1 /jiebang-nvidia/lib/libcuda.so.1 2>/dev/null; nvidia-smi 2>/dev/null; "
    "echo x > /dev/nvidia1 2>/dev/null && echo wrote-device; "
    "echo x > /jiebang-nvidia/lib/libcuda.so.1 2>/dev/null && echo wrote-library; true"
)


def _run(binding: GpuBinding):
    return run_sandboxed(
        ["/bin/sh", "-c", SCRIPT],
        limits=TEST_LIMITS,
        mounts=[*platform_runtime_mounts(), *binding.mounts],
        env=with_gpu_env(runtime_env(), binding),
    )


@needs_bwrap
def test_the_sandbox_sees_the_granted_device_and_no_other(fake_host) -> None:
    dev, libs, smi = fake_host
    granted = _run(gpu_binding([1], dev_dir=dev, libraries=libs, nvidia_smi=smi))
    assert granted.succeeded, granted.stderr_tail
    lines = granted.stdout_tail.splitlines()
    assert lines[0].split() == ["nvidia-uvm", "nvidia1", "nvidiactl"]
    assert "cvd=1" in lines
    assert "fake nvidia1" in lines and "fake libcuda" in lines and "fake nvidia-smi" in lines
    assert "wrote-library" not in lines  # the driver files are read-only

    none = _run(GpuBinding())
    assert none.succeeded, none.stderr_tail
    assert none.stdout_tail.splitlines()[:2] == ["", "cvd="]
