"""GPU check for a machine with an NVIDIA GPU: one granted device inside the sandbox.

    .venv/bin/python bench/gpu_runtime_check.py

Runs ``nvidia-smi -L`` in the bubblewrap sandbox with GPU 0 granted (device nodes of that
GPU only, the driver libraries and nvidia-smi read-only, CUDA_VISIBLE_DEVICES=0), then
the same without a grant. Prints what the sandbox saw and exits non-zero on a mismatch.
"""

from __future__ import annotations

import sys

from jiebang.sandbox import SandboxLimits, platform_runtime_mounts, run_sandboxed, runtime_env
from jiebang.worker.gpus import GpuBinding, detect_gpus, gpu_binding, with_gpu_env

SCRIPT = (
    'echo "devices: $(ls /dev | grep nvidia | tr "\\n" " ")"; '
    'echo "CUDA_VISIBLE_DEVICES=$CUDA_VISIBLE_DEVICES"; nvidia-smi -L'
)
LIMITS = SandboxLimits(
    wall_seconds=60,
    cpu_seconds=30,
    memory_bytes=2 * 1024**3,
    max_processes=64,
    max_open_files=256,
    output_bytes=1024**2,
    tmp_bytes=64 * 1024**2,
    log_bytes_kept=64 * 1024,
)


def run(binding: GpuBinding) -> tuple[int | None, str, str]:
    result = run_sandboxed(
        ["/bin/sh", "-c", SCRIPT],
        limits=LIMITS,
        mounts=[*platform_runtime_mounts(), *binding.mounts],
        env=with_gpu_env(runtime_env(), binding),
    )
    return result.exit_code, result.stdout_tail, result.stderr_tail


def main() -> int:
    inventory = detect_gpus()
    print(f"host: {inventory.count} GPU(s): {inventory.model or '-'}")
    if inventory.count == 0:
        print("no NVIDIA GPU found by nvidia-smi: nothing to check")
        return 2
    binding = gpu_binding([0])
    print("bound:", *(f"{m.target}{' (device)' if m.device else ''}" for m in binding.mounts))
    code, out, err = run(binding)
    print(f"--- granted GPU 0: exit {code}\n{out}{err}")
    ok = code == 0 and "GPU 0:" in out and "CUDA_VISIBLE_DEVICES=0" in out
    ok = ok and (inventory.count < 2 or "nvidia1" not in out.splitlines()[0])
    code2, out2, err2 = run(GpuBinding())
    print(f"--- no grant: exit {code2}\n{out2}{err2}")
    ok = ok and code2 != 0 and "nvidia" not in out2.splitlines()[0].removeprefix("devices:")
    print("GPU runtime check:", "PASSED" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
