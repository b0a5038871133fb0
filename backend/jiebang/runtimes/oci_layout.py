"""Reading an image archive: the outer tar, the OCI layout in it, the manifest for this CPU.

An archive is either an OCI image layout (``oci-layout``, ``index.json``, ``blobs/``)
packed as a tar, or ``docker save`` output (``manifest.json``), which skopeo turns into
an OCI layout. The manifest is the one for this machine's architecture (an index may
list several); its config gives the entrypoint, environment and working directory.
Every blob read here is checked against its digest.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import platform
import re
import subprocess
import tarfile
from pathlib import Path
from typing import Any

from jiebang.core import tarsafe
from jiebang.runtimes.prepared import RuntimeRejected, RuntimeUnavailable

REF_NAME = "org.opencontainers.image.ref.name"
UNPACK_TAG = "jiebang"
DIGEST = re.compile(r"^sha256:[0-9a-f]{64}$")
INDEX_TYPES = {
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
}
MAX_INDEX_DEPTH = 4
MACHINE_TO_OCI = {
    "x86_64": "amd64",
    "amd64": "amd64",
    "aarch64": "arm64",
    "arm64": "arm64",
    "armv7l": "arm",
    "ppc64le": "ppc64le",
    "s390x": "s390x",
    "riscv64": "riscv64",
}


@dataclasses.dataclass(frozen=True)
class ImageConfig:
    """What the chosen manifest says about the image."""

    manifest_digest: str
    architecture: str
    layers: tuple[tuple[str, Path], ...]
    entrypoint: tuple[str, ...]
    env: tuple[str, ...]
    workdir: str


def worker_architecture() -> str:
    """Return this machine's CPU architecture in OCI terms (``amd64``, ``arm64``, ...)."""
    machine = platform.machine().lower()
    return MACHINE_TO_OCI.get(machine, machine)


def open_archive(archive: Path, layout: Path, *, timeout: float) -> None:
    """Turn ``archive`` into an OCI layout at ``layout`` (an empty folder)."""
    try:
        with tarfile.open(archive, mode="r:*") as outer:
            names = {member.name.lstrip("./") for member in outer.getmembers()}
            if "index.json" in names and "oci-layout" in names:
                # The "data" filter refuses absolute names, "..", links out and devices.
                tarsafe.extract_data(outer, layout)
                return
    except tarsafe.FilterError as error:
        entry = error.tarinfo.name
        raise RuntimeRejected(
            f"the image archive's entry '{entry}' is refused: {error}",
            f"镜像归档中的条目 '{entry}' 被拒绝：{error}",
        ) from error
    except tarfile.TarError as error:
        raise RuntimeRejected(
            f"the image archive is not a tar archive: {error}", f"镜像归档不是 tar 归档：{error}"
        ) from error
    if "manifest.json" not in names:
        raise RuntimeRejected(
            "the archive is neither an OCI image layout (index.json, oci-layout) nor "
            "`docker save` output (manifest.json)",
            "该归档既不是 OCI 镜像布局（index.json、oci-layout），也不是 `docker save` 的输出（manifest.json）",
        )
    _docker_archive_to_layout(archive, layout, timeout=timeout)


def _docker_archive_to_layout(archive: Path, layout: Path, *, timeout: float) -> None:
    command = [
        "skopeo",
        "--insecure-policy",  # a local file named by its digest: there is no signature to check
        "copy",
        "--quiet",
        f"docker-archive:{archive}",
        f"oci:{layout}:{UNPACK_TAG}",
    ]
    try:
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            env={"PATH": "/usr/bin:/bin", "TMPDIR": str(layout.parent), "HOME": str(layout.parent)},
        )
    except FileNotFoundError as error:
        raise RuntimeUnavailable(
            "skopeo is not installed on this worker (needed for `docker save` archives)",
            "此评测机未安装 skopeo（`docker save` 归档需要它）",
        ) from error
    if done.returncode != 0:
        raise RuntimeRejected(
            f"the `docker save` archive could not be read: {done.stderr.strip()[-2000:]}",
            f"无法读取 `docker save` 归档：{done.stderr.strip()[-2000:]}",
        )


def read_image(layout: Path) -> ImageConfig:
    """Return the manifest for this machine, refusing images for another architecture."""
    wanted = worker_architecture()
    found: list[str] = []
    index = _json_file(layout / "index.json", "index.json")
    for descriptor in _image_manifests(layout, index, depth=0):
        manifest = _blob_json(layout, descriptor["digest"])
        config = _blob_json(layout, manifest["config"]["digest"])
        arch = str(config.get("architecture", "?"))
        os_name = str(config.get("os", "linux"))
        found.append(f"{os_name}/{arch}")
        if arch != wanted or os_name != "linux":
            continue
        settings = config.get("config") or {}
        return ImageConfig(
            manifest_digest=str(descriptor["digest"]),
            architecture=arch,
            layers=tuple(
                (str(layer["digest"]), _blob_path(layout, str(layer["digest"])))
                for layer in manifest.get("layers", [])
            ),
            entrypoint=tuple(settings.get("Entrypoint") or ()) + tuple(settings.get("Cmd") or ()),
            env=tuple(settings.get("Env") or ()),
            workdir=str(settings.get("WorkingDir") or "/"),
        )
    if not found:
        raise RuntimeRejected("the image lists no manifest", "该镜像没有任何清单")
    listed = ", ".join(sorted(set(found)))
    raise RuntimeRejected(
        f"the image is built for {listed}; this worker runs linux/{wanted}",
        f"该镜像的架构为 {listed}，此评测机为 linux/{wanted}",
    )


def tag_for_unpack(layout: Path, manifest_digest: str) -> str:
    """Point the layout's index at the chosen manifest alone, tagged; return the tag."""
    descriptor = {
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "digest": manifest_digest,
        "size": _blob_path(layout, manifest_digest).stat().st_size,
        "annotations": {REF_NAME: UNPACK_TAG},
    }
    index = {"schemaVersion": 2, "manifests": [descriptor]}
    (layout / "index.json").write_text(json.dumps(index))
    return UNPACK_TAG


def _image_manifests(layout: Path, index: dict[str, Any], *, depth: int) -> list[dict[str, Any]]:
    if depth > MAX_INDEX_DEPTH:
        raise RuntimeRejected("the image's indexes nest too deeply", "镜像索引嵌套过深")
    found: list[dict[str, Any]] = []
    for descriptor in index.get("manifests") or []:
        if descriptor.get("mediaType") in INDEX_TYPES:
            nested = _blob_json(layout, descriptor["digest"])
            found += _image_manifests(layout, nested, depth=depth + 1)
        else:
            found.append(descriptor)
    return found


def _blob_path(layout: Path, digest: str) -> Path:
    if not isinstance(digest, str) or not DIGEST.match(digest):
        raise RuntimeRejected(
            f"the image names a blob {digest!r} that is not sha256:<hex>",
            f"镜像引用的数据块 {digest!r} 不是 sha256:<hex>",
        )
    path = layout / "blobs" / "sha256" / digest.removeprefix("sha256:")
    if not path.is_file() or path.is_symlink():
        raise RuntimeRejected(f"the image is missing its blob {digest}", f"镜像缺少数据块 {digest}")
    return path


def _blob_json(layout: Path, digest: str) -> dict[str, Any]:
    path = _blob_path(layout, digest)
    data = path.read_bytes()
    if "sha256:" + hashlib.sha256(data).hexdigest() != digest:
        raise RuntimeRejected(
            f"the image's blob {digest} does not match its digest",
            f"镜像数据块 {digest} 与其摘要不符",
        )
    return _parse(data, digest)


def _json_file(path: Path, name: str) -> dict[str, Any]:
    try:
        return _parse(path.read_bytes(), name)
    except OSError as error:
        raise RuntimeRejected(f"the image has no {name}", f"镜像缺少 {name}") from error


def _parse(data: bytes, name: str) -> dict[str, Any]:
    try:
        parsed = json.loads(data)
    except ValueError as error:
        raise RuntimeRejected(
            f"{name} is not JSON: {error}", f"{name} 不是 JSON：{error}"
        ) from error
    if not isinstance(parsed, dict):
        raise RuntimeRejected(f"{name} is not a JSON object", f"{name} 不是 JSON 对象")
    return parsed
