"""Data folders of a bundle: checksum files, deterministic tar archives, and their reverse."""

from __future__ import annotations

import hashlib
import io
import tarfile
from pathlib import Path

from jiebang.bundles.loader import Document, Key, Problem
from jiebang.bundles.schema import DataManifest
from jiebang.core import tarsafe

CHUNK = 1024 * 1024


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def files_under(folder: Path) -> list[str]:
    """Relative POSIX paths of every regular file under ``folder``, sorted."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def checksum_text(folder: Path) -> str:
    """``sha256sum`` output for every file under ``folder``."""
    return "".join(f"{sha256_file(folder / rel)}  {rel}\n" for rel in files_under(folder))


def read_checksums(path: Path) -> tuple[dict[str, str], list[tuple[int, str]]]:
    """Parsed ``<hex>  <path>`` lines and the (line, message) of each malformed one."""
    listed: dict[str, str] = {}
    bad: list[tuple[int, str]] = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.strip():
            continue
        digest, _, rel = raw.partition("  ")
        rel = rel.removeprefix("*")
        if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest) or not rel:
            bad.append((number, f"line {number} is not '<sha256>  <path>'"))
        else:
            listed[rel] = digest
    return listed, bad


def check_manifest(root: Path, manifest: DataManifest, doc: Document, key: Key) -> list[Problem]:
    """Every file present, listed and matching its sha256; nothing unlisted."""
    folder, sums = root / manifest.dir, root / manifest.checksums
    if not folder.is_dir():
        return [doc.problem((*key, "dir"), f"folder {manifest.dir} does not exist")]
    if not sums.is_file():
        return [
            doc.problem((*key, "checksums"), f"checksum file {manifest.checksums} does not exist")
        ]
    listed, bad = read_checksums(sums)
    problems = [doc.problem((*key, "checksums"), f"{manifest.checksums}: {msg}") for _, msg in bad]
    present = set(files_under(folder))
    for rel, digest in sorted(listed.items()):
        if rel not in present:
            problems.append(
                doc.problem((*key, "dir"), f"{manifest.dir}/{rel} is listed but missing")
            )
        elif sha256_file(folder / rel) != digest:
            problems.append(
                doc.problem((*key, "checksums"), f"{manifest.dir}/{rel}: sha256 mismatch")
            )
    for rel in sorted(present - set(listed)):
        problems.append(doc.problem((*key, "checksums"), f"{manifest.dir}/{rel} is not listed"))
    if not listed and not bad:
        problems.append(doc.problem((*key, "dir"), f"folder {manifest.dir} holds no listed files"))
    return problems


def deterministic_tar(folder: Path) -> bytes:
    """A tar of ``folder`` whose bytes depend only on file names and contents."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for rel in files_under(folder):
            info = tarfile.TarInfo(rel)
            info.size = (folder / rel).stat().st_size
            info.mode, info.mtime, info.uid, info.gid = 0o644, 0, 0, 0
            with (folder / rel).open("rb") as handle:
                tar.addfile(info, handle)
    return buffer.getvalue()


def unpack_tar(data: bytes, dest: Path) -> None:
    """Unpack a tar the platform wrote itself (regular files only, no absolute or .. paths)."""
    dest.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tarsafe.extract_data(tar, dest, [m for m in tar.getmembers() if m.isfile()])
