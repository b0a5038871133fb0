"""Format detection: zip, tar or a plain file, and a refusal for a file that claims to be an
archive (by its name or its magic bytes) and cannot be read as one."""

from __future__ import annotations

import gzip
import lzma
import tarfile
import zipfile
import zlib
from pathlib import Path

from jiebang.submissions.archives.names import printable_name
from jiebang.submissions.archives.rejection import ArchiveRejected

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
COMPRESSED_MAGIC = (b"\x1f\x8b", b"BZh", b"\xfd7zXZ\x00")
TAR_SUFFIXES = (".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tbz2", ".tar.xz", ".txz")
# errors raised by the archive readers when the bytes themselves are wrong
DATA_ERRORS = (
    zipfile.BadZipFile,
    tarfile.TarError,
    EOFError,
    zlib.error,
    lzma.LZMAError,
    gzip.BadGzipFile,
)


def archive_kind(path: Path, filename: str = "") -> str:
    """zip, tar or file; refuses a file that claims to be an archive and cannot be read as one.

    The claim is the name (``.zip``, ``.tar.gz`` …) or the content's magic bytes (a zip local
    header, a tar ``ustar`` header, a gzip/bzip2/xz stream under a tar name).
    """
    if zipfile.is_zipfile(path):
        return "zip"
    try:
        if tarfile.is_tarfile(path):
            return "tar"
    except (OSError, *DATA_ERRORS):
        pass
    with path.open("rb") as fh:
        head = fh.read(512)
    name = filename.lower()
    claims_tar = name.endswith(TAR_SUFFIXES)
    if head.startswith(ZIP_MAGIC) or head[257:262] == b"ustar":
        raise ArchiveRejected("damaged", detail="its end is missing or unreadable")
    if claims_tar and head.startswith(COMPRESSED_MAGIC):
        raise ArchiveRejected("damaged", detail="the compressed stream does not hold a tar")
    if name.endswith(".zip") or claims_tar:
        raise ArchiveRejected("not_an_archive", filename=printable_name(filename))
    return "file"
