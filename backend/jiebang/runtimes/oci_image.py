"""``oci`` runtimes: an image archive unpacked once into a root folder, cached by its digest.

Steps, each refusing with a message that names what is wrong: the archive's sha256
must be the declared one; it is read as an OCI layout (``docker save`` output goes
through skopeo); the manifest must be for this CPU; every layer is scanned
(``oci_layers.py``); then ``umoci raw unpack --rootless`` applies the layers
(whiteouts included, nothing written outside the target) and the rootfs is moved
into the cache. The sandbox later binds it read-only as ``/``.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
from pathlib import Path

from jiebang.runtimes.cache import build_slot, read_record
from jiebang.runtimes.config import RuntimeSettings
from jiebang.runtimes.oci_layers import scan_layers
from jiebang.runtimes.oci_layout import open_archive, read_image, tag_for_unpack
from jiebang.runtimes.prepared import (
    PreparedRuntime,
    RuntimeRejected,
    RuntimeUnavailable,
    thread_capped_env,
)
from jiebang.runtimes.spec import OciRuntime

DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
PYTHON_CANDIDATES = ("/usr/local/bin/python3", "/usr/bin/python3", "/bin/python3")
# Mount points the sandbox binds generated files onto; an image without them gets empty ones.
ETC_MOUNT_POINTS = ("passwd", "group", "hosts")


def prepare_oci(
    spec: OciRuntime, settings: RuntimeSettings, *, archive: Path | None
) -> PreparedRuntime:
    """Return the image's root folder and declared settings, unpacking it first if needed."""
    folder = unpack_image(spec, settings, archive=archive)
    record = read_record(folder) or {}
    rootfs = folder / "rootfs"
    env = thread_capped_env(DEFAULT_PATH)
    for item in record.get("env", []):
        name, _, value = str(item).partition("=")
        if name:
            env[name] = value
    python = next((p for p in PYTHON_CANDIDATES if os.path.lexists(rootfs / p.lstrip("/"))), None)
    return PreparedRuntime(
        kind="oci",
        key=spec.content_key,
        root=rootfs,
        mounts=(),
        env=env,
        python=python,
        entrypoint=tuple(str(part) for part in record.get("entrypoint", [])),
        workdir=str(record.get("workdir") or "/"),
    )


def unpack_image(spec: OciRuntime, settings: RuntimeSettings, *, archive: Path | None) -> Path:
    """Return the cached folder (``rootfs/`` and ``runtime.json``) for ``spec``."""
    cache = settings.resolved_cache_dir()
    with build_slot(cache, "oci", spec.content_key) as slot:
        if slot.ready:
            return slot.final
        assert slot.work is not None
        if archive is None:
            raise RuntimeUnavailable(
                f"image {spec.archive_digest} is not cached here and no archive was given",
                f"此处没有镜像 {spec.archive_digest} 的缓存，且未提供镜像归档",
            )
        _check_digest(archive, spec.archive_digest)
        layout = slot.work / "layout"
        layout.mkdir()
        timeout = settings.build_timeout_seconds
        open_archive(archive, layout, timeout=timeout)
        image = read_image(layout)
        scan_layers(image.layers, max_bytes=settings.max_image_bytes)
        tag = tag_for_unpack(layout, image.manifest_digest)
        rootfs = slot.work / "rootfs"
        _umoci_unpack(layout, tag, rootfs, timeout=timeout)
        _finish_rootfs(rootfs)
        shutil.rmtree(layout, ignore_errors=True)
        return slot.publish(
            {
                "kind": "oci",
                "key": spec.content_key,
                "archive_digest": spec.archive_digest,
                "manifest_digest": image.manifest_digest,
                "architecture": image.architecture,
                "entrypoint": list(image.entrypoint),
                "env": list(image.env),
                "workdir": image.workdir,
            }
        )


def _check_digest(archive: Path, declared: str) -> None:
    digest = hashlib.sha256()
    with open(archive, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    actual = "sha256:" + digest.hexdigest()
    if actual != declared:
        raise RuntimeRejected(
            f"the image archive's sha256 is {actual}, not the declared {declared}",
            f"镜像归档的 sha256 为 {actual}，与声明的 {declared} 不符",
        )


def _umoci_unpack(layout: Path, tag: str, rootfs: Path, *, timeout: float) -> None:
    command = ["umoci", "raw", "unpack", "--rootless", "--image", f"{layout}:{tag}", str(rootfs)]
    try:
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            env={"PATH": "/usr/bin:/bin", "HOME": str(layout.parent)},
        )
    except FileNotFoundError as error:
        raise RuntimeUnavailable(
            "umoci is not installed on this worker", "此评测机未安装 umoci"
        ) from error
    if done.returncode != 0:
        message = done.stderr.strip()[-2000:]
        raise RuntimeRejected(
            f"the image's layers could not be unpacked: {message}", f"镜像层无法解包：{message}"
        )


def _finish_rootfs(rootfs: Path) -> None:
    # The scan refused device files; check the result all the same, without following links.
    for top, dirs, files in os.walk(rootfs):
        for name in dirs + files:
            path = Path(top) / name
            mode = path.lstat().st_mode
            if _is_device(mode):
                relative = path.relative_to(rootfs)
                raise RuntimeRejected(
                    f"the unpacked image holds a device file: /{relative}",
                    f"解包后的镜像含有设备文件：/{relative}",
                )
    rootfs.chmod(0o755)
    etc = rootfs / "etc"
    if etc.is_symlink():
        return
    etc.mkdir(mode=0o755, exist_ok=True)
    for name in ETC_MOUNT_POINTS:
        point = etc / name
        if not os.path.lexists(point):
            point.touch(mode=0o644)


def _is_device(mode: int) -> bool:
    return stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
