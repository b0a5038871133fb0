"""Decoder lock (CLIC): the test-phase decoder must match a validation-phase decoder."""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Collection, Mapping
from pathlib import Path


class DecoderLockError(Exception):
    """The decoder submitted for the test phase is not one that was locked in."""


def decoder_files_hash(files: Mapping[str, bytes], *, executables: Collection[str] = ()) -> str:
    """Return the sha256 over sorted relative paths, executable flags and contents."""
    digest = hashlib.sha256(b"jiebang-decoder-lock-v1\0")
    for path in sorted(files):
        content = files[path]
        name = path.encode("utf-8")
        flag = b"x" if path in executables else b"-"
        digest.update(len(name).to_bytes(8, "big") + name + flag)
        digest.update(len(content).to_bytes(8, "big") + content)
    return digest.hexdigest()


def decoder_archive_hash(root: Path) -> str:
    """Return :func:`decoder_files_hash` for an unpacked decoder directory.

    Symlinks are hashed as their link text, so that swapping a link target changes
    the hash; other special files are refused.
    """
    files: dict[str, bytes] = {}
    executables: set[str] = set()
    for directory, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in filenames + [d for d in dirnames if os.path.islink(os.path.join(directory, d))]:
            full = Path(directory, name)
            relative = full.relative_to(root).as_posix()
            info = full.lstat()
            if stat.S_ISLNK(info.st_mode):
                files[relative] = b"symlink:" + os.fsencode(os.readlink(full))
            elif stat.S_ISREG(info.st_mode):
                files[relative] = full.read_bytes()
                if info.st_mode & 0o111:
                    executables.add(relative)
            else:
                raise DecoderLockError(f"{relative}: special files are not allowed in a decoder")
    return decoder_files_hash(files, executables=executables)


def verify_decoder_lock(test_hash: str, allowed_hashes: Collection[str]) -> None:
    """Raise :class:`DecoderLockError` unless ``test_hash`` is one of the locked hashes."""
    if not allowed_hashes:
        raise DecoderLockError(
            "no decoder is locked for this team: submit to the validation phase first"
        )
    if test_hash.lower() not in {allowed.lower() for allowed in allowed_hashes}:
        raise DecoderLockError(
            f"decoder {test_hash[:12]}… differs from the validated decoder(s): "
            + ", ".join(sorted(h[:12] + "…" for h in allowed_hashes))
        )
