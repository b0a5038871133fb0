"""Checking an image's layers before anything is unpacked: every refusal names its entry.

umoci applies layers without leaving the target folder whatever they hold; this scan
refuses, up front and with the entry named, what has no business in an image:

- a name that is absolute or climbs out with ``..``;
- a hard link whose target is absolute or climbs out;
- a relative symlink that climbs out of the image root (an absolute one is resolved
  inside the image when it runs as ``/``, so it stays);
- an entry written through a symlink (``link -> /etc`` then ``link/passwd``), the way
  an absolute symlink points out of the folder it is unpacked into;
- character and block devices;
- more bytes in all than the configured limit.
"""

from __future__ import annotations

import tarfile
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import NoReturn

from jiebang.runtimes.prepared import RuntimeRejected

WHITEOUT = ".wh."
OPAQUE = ".wh..wh..opq"


def scan_layers(layers: Iterable[tuple[str, Path]], *, max_bytes: int) -> int:
    """Scan every layer ``(digest, blob path)`` in order; return the bytes they unpack to."""
    symlinks: dict[str, str] = {}
    total = 0
    for digest, blob in layers:
        total += _scan_layer(digest, blob, symlinks)
        if total > max_bytes:
            raise RuntimeRejected(
                f"the image unpacks to more than {max_bytes} bytes",
                f"镜像解包后超过 {max_bytes} 字节",
            )
    return total


def _scan_layer(digest: str, blob: Path, symlinks: dict[str, str]) -> int:
    short = digest.removeprefix("sha256:")[:12]
    total = 0
    try:
        with tarfile.open(blob, mode="r:*") as layer:
            for member in layer:
                _check_member(short, member, symlinks)
                total += max(member.size, 0) if member.isfile() else 0
    except tarfile.ReadError as error:
        raise RuntimeRejected(
            f"layer {short} is not a tar archive (gzip, bzip2, xz or none): {error}",
            f"镜像层 {short} 不是 tar 归档（支持 gzip、bzip2、xz 或不压缩）：{error}",
        ) from error
    return total


def _check_member(layer: str, member: tarfile.TarInfo, symlinks: dict[str, str]) -> None:
    name = member.name
    path = _inside(name)
    if path is None:
        _refuse(layer, name, "leaves the image root", "越出镜像根目录")
    if member.ischr() or member.isblk():
        _refuse(layer, name, "is a device file", "是设备文件")
    through = _through_symlink(path, symlinks)
    if through is not None:
        _refuse(
            layer,
            name,
            f"would be written through the symlink '{through}' (-> {symlinks[through]})",
            f"会经由符号链接 '{through}'（-> {symlinks[through]}）写入",
        )
    if member.islnk() and _inside(member.linkname) is None:
        _refuse(
            layer,
            name,
            f"is a hard link to '{member.linkname}', outside the image",
            f"是指向镜像外 '{member.linkname}' 的硬链接",
        )
    if member.issym() and not member.linkname.startswith("/"):
        parent = PurePosixPath(path).parent.as_posix() if path else ""
        if _inside(f"{parent}/{member.linkname}" if parent else member.linkname) is None:
            _refuse(
                layer,
                name,
                f"is a symlink to '{member.linkname}', which leaves the image root",
                f"是指向 '{member.linkname}' 的符号链接，越出镜像根目录",
            )
    _record(path, member, symlinks)


def _record(path: str | None, member: tarfile.TarInfo, symlinks: dict[str, str]) -> None:
    if not path:
        return
    base = PurePosixPath(path).name
    parent = PurePosixPath(path).parent.as_posix()
    if base == OPAQUE:
        prefix = "" if parent == "." else f"{parent}/"
        for link in [link for link in symlinks if link.startswith(prefix)]:
            del symlinks[link]
        return
    if base.startswith(WHITEOUT):
        removed = base.removeprefix(WHITEOUT)
        symlinks.pop(removed if parent == "." else f"{parent}/{removed}", None)
        return
    if member.issym():
        symlinks[path] = member.linkname
    else:
        symlinks.pop(path, None)


def _inside(name: str) -> str | None:
    """Return ``name`` normalised relative to the image root, or ``None`` if it leaves it."""
    if name.startswith("/") or "\x00" in name:
        return None
    parts: list[str] = []
    for part in name.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if not parts:
                return None
            parts.pop()
        else:
            parts.append(part)
    return "/".join(parts)


def _through_symlink(path: str | None, symlinks: dict[str, str]) -> str | None:
    if not path:
        return None
    parts = path.split("/")
    for depth in range(1, len(parts)):
        prefix = "/".join(parts[:depth])
        if prefix in symlinks:
            return prefix
    return None


def _refuse(layer: str, name: str, problem_en: str, problem_zh: str) -> NoReturn:
    raise RuntimeRejected(
        f"layer {layer}: entry '{name}' {problem_en}",
        f"镜像层 {layer}：条目 '{name}' {problem_zh}",
    )
