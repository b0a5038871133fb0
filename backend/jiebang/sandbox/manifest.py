"""The manifest a code submission carries: ``jiebang.json`` or ``manifest.json``."""

from __future__ import annotations

import dataclasses
import json
import os
import shlex
import stat
from pathlib import Path
from typing import Any

MANIFEST_NAMES = ("jiebang.json", "manifest.json")
MAX_MANIFEST_BYTES = 64 * 1024


class ManifestError(ValueError):
    """The submission's manifest is missing or malformed."""


@dataclasses.dataclass(frozen=True)
class SubmissionManifest:
    """What the platform needs from a manifest; ``entrypoint`` is the argv to run."""

    entrypoint: tuple[str, ...]
    source_name: str
    runtime: dict[str, Any] | None = None  # what the program runs in (worker's business)


def load_manifest(submission_dir: Path) -> SubmissionManifest:
    """Return the manifest found at the root of an unpacked submission."""
    for name in MANIFEST_NAMES:
        path = submission_dir / name
        try:
            info = path.lstat()
        except FileNotFoundError:
            continue
        if not stat.S_ISREG(info.st_mode):
            raise ManifestError(f"{name} must be a regular file, not a link or directory")
        if info.st_size > MAX_MANIFEST_BYTES:
            raise ManifestError(f"{name} is larger than {MAX_MANIFEST_BYTES} bytes")
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
        with os.fdopen(fd, "rb") as handle:
            return parse_manifest(handle.read(), source_name=name)
    raise ManifestError(
        f"no manifest found: add {' or '.join(MANIFEST_NAMES)} at the top of the archive "
        'with an "entrypoint", e.g. {"entrypoint": ["python3", "decode.py"]}'
    )


def parse_manifest(data: bytes | str, *, source_name: str = "jiebang.json") -> SubmissionManifest:
    """Return the manifest parsed from JSON text, with clear errors for every mistake."""
    try:
        document: Any = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ManifestError(f"{source_name} is not valid JSON: {error}") from None
    if not isinstance(document, dict):
        raise ManifestError(f"{source_name} must hold a JSON object")
    if "entrypoint" not in document:
        raise ManifestError(f'{source_name} has no "entrypoint" (a command string or argv list)')
    return SubmissionManifest(
        _entrypoint(document["entrypoint"], source_name),
        source_name,
        _runtime(document.get("runtime"), source_name),
    )


def _runtime(value: Any, source_name: str) -> dict[str, Any] | None:
    """The declared runtime, kept as data: an object with a string ``kind``."""
    if value is None:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("kind"), str):
        raise ManifestError(
            f'{source_name}: "runtime" must be an object with a "kind" '
            '(platform, python or oci), e.g. {"kind": "oci", "archive": "image.tar"}'
        )
    return dict(value)


def _entrypoint(value: Any, source_name: str) -> tuple[str, ...]:
    if isinstance(value, str):
        try:
            argv = shlex.split(value)
        except ValueError as error:
            raise ManifestError(f'{source_name}: cannot split "entrypoint": {error}') from None
    elif isinstance(value, list) and all(isinstance(item, str) for item in value):
        argv = list(value)
    else:
        raise ManifestError(f'{source_name}: "entrypoint" must be a string or a list of strings')
    if not argv or not argv[0]:
        raise ManifestError(f'{source_name}: "entrypoint" is empty')
    if any("\0" in item for item in argv):
        raise ManifestError(f'{source_name}: "entrypoint" contains a NUL character')
    return tuple(argv)
