"""The runtime a team's program declares in its manifest, where the track allows it.

A track lists the kinds it allows in ``sandbox_limits.team_runtimes`` (default
``["platform"]``). An ``oci`` program ships its image archive inside the submission
(``{"kind": "oci", "archive": "image.tar"}``): it is named by its sha256, so the
unpacked rootfs is cached by digest like any other image.
"""

from __future__ import annotations

import hashlib
import stat
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from pydantic import ValidationError

from jiebang.runtimes import (
    OciRuntime,
    PreparedRuntime,
    RuntimeFailed,
    parse_runtime_spec,
    stamp_exclude_newer,
)
from jiebang.runtimes.prepared import RuntimeUnavailable
from jiebang.runtimes.reporting import Report, prepare_reported
from jiebang.worker.context import platform_fault, team_fault

DEFAULT_TEAM_RUNTIMES = ("platform",)
KIND_ZH = {"platform": "平台运行时", "python": "Python 运行时", "oci": "OCI 镜像"}


def allowed_kinds(limits: dict[str, Any]) -> tuple[str, ...]:
    """The runtime kinds the track lets team programs declare."""
    kinds = limits.get("team_runtimes")
    if isinstance(kinds, list) and all(isinstance(kind, str) for kind in kinds):
        return tuple(kinds) or DEFAULT_TEAM_RUNTIMES
    return DEFAULT_TEAM_RUNTIMES


def start_of_utc_day(moment: datetime) -> datetime:
    """Midnight UTC of the day ``moment`` falls on (a naive time is taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def team_runtime(
    declared: dict[str, Any] | None,
    *,
    program_dir: Path,
    limits: dict[str, Any],
    fetch_image: Callable[[OciRuntime], Path | None] | None = None,
    report: Report | None = None,
    uploaded_at: datetime | None = None,
) -> PreparedRuntime | None:
    """Return the prepared runtime the manifest declares, or ``None`` for ``platform``;
    ``report`` hears how its build goes. A ``python`` runtime without ``exclude_newer``
    reads the index as it stood at the start of the UTC day of ``uploaded_at`` (the
    submission's upload), when known: the same requirements submitted on one day share one
    environment instead of building one per submission."""
    kind = (declared or {}).get("kind", "platform")
    allowed = allowed_kinds(limits)
    if kind not in allowed:
        raise team_fault(
            f"this track does not allow programs on the '{kind}' runtime; "
            f"allowed: {', '.join(allowed)}",
            f"本赛道不允许程序使用“{KIND_ZH.get(kind, kind)}”（{kind}）运行时；"
            f"允许的运行时：{', '.join(allowed)}",
        )
    if kind == "platform":
        return None
    assert declared is not None
    archive: Path | None = None
    data = {k: v for k, v in declared.items() if k != "archive"}
    if kind == "oci" and "archive_digest" not in declared:  # the image is in the submission
        archive = _image_archive(program_dir, declared.get("archive"))
        data["archive_digest"] = "sha256:" + _sha256(archive)
    if uploaded_at is not None:
        data = stamp_exclude_newer(data, start_of_utc_day(uploaded_at))
    try:
        spec = parse_runtime_spec(data)
        if isinstance(spec, OciRuntime) and archive is None and fetch_image is not None:
            archive = fetch_image(spec)  # an uploaded image (POST /runtime-images), by digest
        return prepare_reported(spec, archive=archive, report=report)
    except ValidationError as exc:
        raise team_fault(
            f"the runtime in your manifest is invalid: {exc.errors()[:2]}",
            f"清单中声明的运行时无效：{exc.errors()[:2]}",
        ) from exc
    except RuntimeUnavailable as exc:  # this worker lacks a tool: not the team's fault
        raise platform_fault(f"the program's runtime is unavailable here: {exc.message}") from exc
    except RuntimeFailed as exc:
        raise team_fault(
            f"your program's runtime could not be prepared: {exc.message}",
            f"无法准备您程序的运行时：{exc.message_zh}",
        ) from exc


def _image_archive(program_dir: Path, name: Any) -> Path:
    parts = PurePosixPath(name).parts if isinstance(name, str) and name else ()
    if not parts or name.startswith("/") or ".." in parts:
        raise team_fault(
            'an oci runtime needs "archive": the image tar\'s path inside your submission',
            'oci 运行时需要 "archive"：镜像 tar 文件在提交内的相对路径',
        )
    path = program_dir.joinpath(*parts)
    try:
        regular = stat.S_ISREG(path.lstat().st_mode)
    except FileNotFoundError:
        regular = False
    if not regular:
        raise team_fault(
            f"the image archive {name} is not a regular file in your submission",
            f"镜像文件 {name} 不是提交中的普通文件",
        )
    return path


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()
