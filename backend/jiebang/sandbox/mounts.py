"""What a sandbox sees: bind mounts, the fixed base system and the platform runtime."""

from __future__ import annotations

import dataclasses
import importlib.util
import sys
from pathlib import Path, PurePosixPath

RUNTIME_BIN_DIR = "/opt/jiebang/bin"
FFMPEG_TARGET = f"{RUNTIME_BIN_DIR}/ffmpeg"
EVALUATORS_TARGET = "/opt/jiebang/evaluators"
# Paths inside the sandbox (private, size-capped tmpfs), not the host's shared /tmp.
SANDBOX_TMP = "/tmp"  # noqa: S108
SANDBOX_SHM = "/dev/shm"  # noqa: S108

# Read-only system directories (or their merged-/usr symlinks) every sandbox gets.
SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
# Only what the dynamic linker and locale code need; never shadow, ssh keys or the like.
SYSTEM_ETC_FILES = (
    "/etc/ld.so.cache",
    "/etc/ld.so.conf",
    "/etc/ld.so.conf.d",
    "/etc/localtime",
)


@dataclasses.dataclass(frozen=True)
class Mount:
    """Bind ``source`` (host path) at ``target`` (absolute path inside the sandbox)."""

    source: Path
    target: str
    writable: bool = False
    device: bool = False  # a device node (e.g. a granted GPU), bound with --dev-bind

    def __post_init__(self) -> None:
        target = PurePosixPath(self.target)
        if not target.is_absolute() or ".." in target.parts:
            raise ValueError(f"mount target must be an absolute path without '..': {self.target}")
        if str(target) == "/":
            raise ValueError("mount target must not be the sandbox root")
        if self.device and (target.parts[1:2] != ("dev",) or self.writable):
            raise ValueError(
                f"a device mount needs a target under /dev, not writable: {self.target}"
            )


def platform_runtime_mounts(*, evaluators_root: Path | None = None) -> list[Mount]:
    """Return the read-only platform runtime: Python with numpy, ffmpeg and evaluators.

    The interpreter's ``sys.prefix`` and ``sys.base_prefix`` are bound at their own
    paths so that a virtual environment keeps working; ffmpeg is bound at
    ``/opt/jiebang/bin/ffmpeg`` and the evaluators root (the directory holding the
    ``jiebang_eval`` package) at ``/opt/jiebang/evaluators``.
    """
    mounts = [Mount(Path(prefix), prefix) for prefix in _interpreter_prefixes()]
    ffmpeg = _ffmpeg_executable()
    if ffmpeg is not None:
        mounts.append(Mount(ffmpeg, FFMPEG_TARGET))
    root = evaluators_root if evaluators_root is not None else find_evaluators_root()
    if root is not None:
        mounts.append(Mount(root, EVALUATORS_TARGET))
    return mounts


def runtime_python() -> str:
    """Return the interpreter path, valid both on the host and inside the sandbox."""
    return sys.executable


def runtime_env(*, threads: int = 1) -> dict[str, str]:
    """Return the complete environment for programs run on the platform runtime."""
    python_bin = str(Path(sys.executable).parent)
    thread_cap = str(threads)
    return {
        "PATH": f"{RUNTIME_BIN_DIR}:{python_bin}:/usr/local/bin:/usr/bin:/bin",
        "HOME": SANDBOX_TMP,
        "TMPDIR": SANDBOX_TMP,
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONPATH": EVALUATORS_TARGET,
        "IMAGEIO_FFMPEG_EXE": FFMPEG_TARGET,
        "OMP_NUM_THREADS": thread_cap,
        "OPENBLAS_NUM_THREADS": thread_cap,
        "MKL_NUM_THREADS": thread_cap,
        "NUMEXPR_NUM_THREADS": thread_cap,
    }


def find_evaluators_root() -> Path | None:
    """Return the directory that contains the ``jiebang_eval`` package, without importing it."""
    spec = importlib.util.find_spec("jiebang_eval")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))).parent


def _interpreter_prefixes() -> list[str]:
    prefixes: list[str] = []
    for prefix in (sys.prefix, sys.base_prefix):
        resolved = str(Path(prefix).resolve())
        if all(not _is_within(resolved, kept) for kept in prefixes):
            prefixes.append(resolved)
    return prefixes


def _is_within(path: str, parent: str) -> bool:
    return path == parent or path.startswith(parent.rstrip("/") + "/")


def _ffmpeg_executable() -> Path | None:
    try:
        import imageio_ffmpeg
    except ImportError:
        return None
    return Path(imageio_ffmpeg.get_ffmpeg_exe())
