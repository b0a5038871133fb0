"""Building runtime inputs from files only: wheels (PEP 427) and OCI image archives.

Nothing here downloads anything: a wheel is a zip with its dist-info written by hand,
an image is busybox-static (Debian's) in a layer tar with the layout JSON beside it.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import io
import json
import shutil
import tarfile
import zipfile
from pathlib import Path

BUSYBOX = Path("/bin/busybox")
APPLETS = ("sh", "cat", "echo", "id", "ls", "sleep", "head", "dd", "seq", "nc", "wget", "pwd")


def build_wheel(
    wheelhouse: Path, name: str, version: str, source: str, *, requires: tuple[str, ...] = ()
) -> Path:
    """Write ``<name>-<version>-py3-none-any.whl`` holding a module ``<name>``."""
    module = name.replace("-", "_")
    info = f"{module}-{version}.dist-info"
    metadata = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
    metadata += "".join(f"Requires-Dist: {req}\n" for req in requires)
    files = {
        f"{module}/__init__.py": source.encode(),
        f"{info}/METADATA": metadata.encode(),
        f"{info}/WHEEL": b"Wheel-Version: 1.0\nGenerator: jiebang-tests\n"
        b"Root-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = []
    for path, data in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append(f"{path},sha256={digest},{len(data)}")
    record.append(f"{info}/RECORD,,")
    files[f"{info}/RECORD"] = ("\n".join(record) + "\n").encode()
    wheelhouse.mkdir(parents=True, exist_ok=True)
    wheel = wheelhouse / f"{module}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for path, data in files.items():
            archive.writestr(path, data)
    return wheel


@dataclasses.dataclass(frozen=True)
class Entry:
    """One layer entry: a file (``data``), a directory, a symlink, a hard link or a device."""

    name: str
    kind: str = "file"  # file | dir | symlink | hardlink | chardev
    data: bytes = b""
    target: str = ""
    mode: int = 0o644


def busybox_layer() -> list[Entry]:
    """busybox-static with its applets as symlinks, and a small program at /app."""
    entries = [Entry("bin", "dir", mode=0o755), Entry("etc", "dir", mode=0o755)]
    entries.append(Entry("bin/busybox", data=BUSYBOX.read_bytes(), mode=0o755))
    entries += [Entry(f"bin/{applet}", "symlink", target="/bin/busybox") for applet in APPLETS]
    entries += [
        Entry("etc/passwd", data=b"root:x:0:0:root:/root:/bin/sh\n"),
        Entry("app", "dir", mode=0o755),
        Entry("app/run.sh", data=b'echo "$GREETING from $(pwd) as $(id -u)"\n', mode=0o755),
        Entry("app/remove-me", data=b"deleted by the next layer\n"),
    ]
    return entries


def layer_tar(entries: list[Entry], *, gzip: bool = True) -> bytes:
    """Return a layer blob (a gzip-compressed tar by default)."""
    buffer = io.BytesIO()
    with tarfile.open(
        fileobj=buffer, mode="w:gz" if gzip else "w", format=tarfile.PAX_FORMAT
    ) as tar:
        for entry in entries:
            info = tarfile.TarInfo(entry.name)
            info.mode = entry.mode
            info.mtime = 1_700_000_000
            if entry.kind == "dir":
                info.type = tarfile.DIRTYPE
            elif entry.kind == "symlink":
                info.type, info.linkname = tarfile.SYMTYPE, entry.target
            elif entry.kind == "hardlink":
                info.type, info.linkname = tarfile.LNKTYPE, entry.target
            elif entry.kind == "chardev":
                info.type, info.devmajor, info.devminor = tarfile.CHRTYPE, 1, 3
            else:
                info.size = len(entry.data)
            tar.addfile(info, io.BytesIO(entry.data) if entry.kind == "file" else None)
    return buffer.getvalue()


def image_config(
    *,
    architecture: str = "amd64",
    entrypoint: tuple[str, ...] = ("/bin/sh", "/app/run.sh"),
    env: tuple[str, ...] = ("PATH=/bin", "GREETING=hello"),
    workdir: str = "/app",
    diff_ids: tuple[str, ...] = (),
) -> dict[str, object]:
    return {
        "architecture": architecture,
        "os": "linux",
        "config": {"Entrypoint": list(entrypoint), "Env": list(env), "WorkingDir": workdir},
        "rootfs": {"type": "layers", "diff_ids": list(diff_ids)},
    }


def oci_archive(
    path: Path, layers: list[list[Entry]], *, architecture: str = "amd64", **config: object
) -> tuple[Path, str]:
    """Write an OCI image layout tar at ``path``; return it and its ``sha256:`` digest."""
    blobs: dict[str, bytes] = {}

    def blob(data: bytes) -> dict[str, object]:
        digest = "sha256:" + hashlib.sha256(data).hexdigest()
        blobs[digest] = data
        return {"digest": digest, "size": len(data)}

    layer_blobs = [layer_tar(entries) for entries in layers]
    layer_descriptors = [
        {"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", **blob(data)}
        for data in layer_blobs
    ]
    diff_ids = tuple("sha256:" + hashlib.sha256(_gunzip(data)).hexdigest() for data in layer_blobs)
    cfg = image_config(architecture=architecture, diff_ids=diff_ids, **config)  # type: ignore[arg-type]
    manifest = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {
            "mediaType": "application/vnd.oci.image.config.v1+json",
            **blob(json.dumps(cfg).encode()),
        },
        "layers": layer_descriptors,
    }
    manifest_descriptor = {
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        **blob(json.dumps(manifest).encode()),
        "annotations": {"org.opencontainers.image.ref.name": "latest"},
    }
    index = {"schemaVersion": 2, "manifests": [manifest_descriptor]}
    files = {
        "oci-layout": json.dumps({"imageLayoutVersion": "1.0.0"}).encode(),
        "index.json": json.dumps(index).encode(),
    }
    files |= {f"blobs/sha256/{d.removeprefix('sha256:')}": data for d, data in blobs.items()}
    return _pack(path, files)


def docker_save_archive(
    path: Path, layers: list[list[Entry]], **config: object
) -> tuple[Path, str]:
    """Write the legacy ``docker save`` format (manifest.json, <id>/layer.tar) at ``path``."""
    plain = [layer_tar(entries, gzip=False) for entries in layers]
    diff_ids = tuple("sha256:" + hashlib.sha256(data).hexdigest() for data in plain)
    cfg = json.dumps(image_config(diff_ids=diff_ids, **config)).encode()  # type: ignore[arg-type]
    cfg_name = hashlib.sha256(cfg).hexdigest() + ".json"
    files = {cfg_name: cfg}
    names = []
    for data in plain:
        name = f"{hashlib.sha256(data).hexdigest()}/layer.tar"
        files[name] = data
        names.append(name)
    manifest = [{"Config": cfg_name, "RepoTags": ["jiebang/test:latest"], "Layers": names}]
    files["manifest.json"] = json.dumps(manifest).encode()
    return _pack(path, files)


def _pack(path: Path, files: dict[str, bytes]) -> tuple[Path, str]:
    with tarfile.open(path, "w") as outer:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size, info.mode, info.mtime = len(data), 0o644, 1_700_000_000
            outer.addfile(info, io.BytesIO(data))
    return path, "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()


def _gunzip(data: bytes) -> bytes:
    import gzip

    return gzip.decompress(data)


def busybox_available() -> bool:
    return BUSYBOX.is_file() and shutil.which("umoci") is not None
