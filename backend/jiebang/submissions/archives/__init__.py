"""The one archive policy: what the arrival check accepts is exactly what the worker unpacks.

:class:`ArchivePolicy` holds the track's limits and applies the same format detection, the
same entry-name rules and the same tree rules (no duplicates, no file inside a file) in both
places. On arrival it also reads every entry's data through (sizes and CRCs), so a file it
accepts cannot fail to unpack later. Every rejection names the entry and the limit, in
English and Chinese (``ArchiveRejected.text(locale)``). Sizes declared in archive headers can
lie, so reading counts the bytes actually produced and stops at the same limits.

The modules, by responsibility: ``rejection`` (the error), ``limits`` (limits and report),
``formats`` (zip, tar or file), ``names`` (entry names and tree), ``entries`` (zip and tar
entries alike, copied within a budget), ``tar_streams`` (bounded decompression), ``policy``
(the walk on arrival and in the worker) and ``unwrap`` (one folder too many). This package
re-exports their public names, so ``from jiebang.submissions.archives import …`` keeps working.
"""

from jiebang.submissions.archives.entries import CHUNK
from jiebang.submissions.archives.formats import (
    COMPRESSED_MAGIC,
    DATA_ERRORS,
    TAR_SUFFIXES,
    ZIP_MAGIC,
    archive_kind,
)
from jiebang.submissions.archives.limits import ArchiveLimits, ArchiveReport, human_bytes
from jiebang.submissions.archives.names import entry_path, plain_file_name
from jiebang.submissions.archives.policy import ArchivePolicy, extract_archive, inspect_archive
from jiebang.submissions.archives.rejection import ArchiveRejected
from jiebang.submissions.archives.unwrap import unwrap_single_folder

__all__ = [
    "CHUNK",
    "COMPRESSED_MAGIC",
    "DATA_ERRORS",
    "TAR_SUFFIXES",
    "ZIP_MAGIC",
    "ArchiveLimits",
    "ArchivePolicy",
    "ArchiveRejected",
    "ArchiveReport",
    "archive_kind",
    "entry_path",
    "extract_archive",
    "human_bytes",
    "inspect_archive",
    "plain_file_name",
    "unwrap_single_folder",
]
