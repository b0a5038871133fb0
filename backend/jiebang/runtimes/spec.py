"""What a program runs in, declared as data: ``platform`` | ``python`` | ``oci``.

A spec names its runtime by content: a Python version with exactly pinned requirements
(normalised, so the same list written twice hashes the same) and, where given, the moment
the index is read as of (``exclude_newer``, so unpinned dependencies resolve the same on
every worker, any day), or an image archive's sha256. :attr:`content_key` is what the
cache is keyed by.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any, Literal

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, field_validator

PYTHON_VERSION = re.compile(r"^3\.\d{1,2}$")
IMAGE_DIGEST = re.compile(r"^sha256:[0-9a-f]{64}$")
MAX_REQUIREMENTS = 500
# an organiser's clock may run a little ahead of the platform's
FUTURE_SLACK = timedelta(minutes=5)


class _Spec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PlatformRuntime(_Spec):
    """The platform's own Python (with numpy) and the ffmpeg binary."""

    kind: Literal["platform"] = "platform"

    @property
    def content_key(self) -> str:
        return "platform"


class PythonRuntime(_Spec):
    """A Python version the worker has, plus an exactly pinned requirements list."""

    kind: Literal["python"] = "python"
    version: str = Field(description="Major.minor, e.g. 3.11: one the worker has installed.")
    requirements: tuple[str, ...] = Field(
        default=(), description="Pinned requirements, one per entry: name[extras]==version."
    )
    exclude_newer: str | None = Field(
        default=None,
        description="RFC 3339 time (UTC): only files the index got before it are installed. "
        "Stamped with the upload time when a program declares none.",
    )

    @field_validator("version")
    @classmethod
    def _version(cls, value: str) -> str:
        if not PYTHON_VERSION.match(value):
            raise ValueError(f"python version must look like 3.11, got {value!r}")
        return value

    @field_validator("requirements", mode="before")
    @classmethod
    def _requirements(cls, value: Any) -> tuple[str, ...]:
        if isinstance(value, str):
            value = value.splitlines()
        if not isinstance(value, list | tuple):
            raise ValueError("requirements must be a list of strings")
        return normalise_requirements([str(line) for line in value])

    @field_validator("exclude_newer", mode="before")
    @classmethod
    def _exclude_newer(cls, value: Any) -> str | None:
        return None if value is None else normalise_timestamp(value)

    @property
    def content_key(self) -> str:
        """sha256 of the version, the normalised requirements and ``exclude_newer`` if set
        (left out when unset, so specs stored before it existed keep their key)."""
        fields: dict[str, Any] = {
            "kind": "python",
            "version": self.version,
            "requirements": list(self.requirements),
        }
        if self.exclude_newer is not None:
            fields["exclude_newer"] = self.exclude_newer
        payload = json.dumps(fields, sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()


class OciRuntime(_Spec):
    """An OCI image archive (OCI layout tar or ``docker save`` output), named by its sha256."""

    kind: Literal["oci"] = "oci"
    archive_digest: str = Field(description="sha256:<64 hex> of the archive file.")

    @field_validator("archive_digest")
    @classmethod
    def _digest(cls, value: str) -> str:
        value = value.strip().lower()
        if not IMAGE_DIGEST.match(value):
            raise ValueError(f"archive_digest must be sha256:<64 hex digits>, got {value!r}")
        return value

    @property
    def content_key(self) -> str:
        return self.archive_digest.removeprefix("sha256:")


RuntimeSpec = Annotated[PlatformRuntime | PythonRuntime | OciRuntime, Field(discriminator="kind")]
_ADAPTER: TypeAdapter[PlatformRuntime | PythonRuntime | OciRuntime] = TypeAdapter(RuntimeSpec)


def parse_runtime_spec(data: Any) -> PlatformRuntime | PythonRuntime | OciRuntime:
    """Return the spec described by ``data`` (a mapping with ``kind``); raises ValidationError."""
    return _ADAPTER.validate_python(data)


def stamp_exclude_newer(data: dict[str, Any], at: datetime) -> dict[str, Any]:
    """Return a ``python`` runtime's ``data`` with ``exclude_newer`` set to ``at`` (the upload
    time) when it declares none and has requirements to resolve; any other runtime is
    returned as it is (a stamp on nothing to install would only split the cache)."""
    if data.get("kind") != "python" or data.get("exclude_newer") or not data.get("requirements"):
        return data
    return data | {"exclude_newer": rfc3339(at)}


def rfc3339(moment: datetime) -> str:
    """Return ``moment`` in UTC as ``YYYY-MM-DDTHH:MM:SSZ`` (a naive time is taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def normalise_timestamp(value: Any) -> str:
    """Return an RFC 3339 time with an offset (or a date: its midnight UTC) as UTC ``…Z``;
    refuse a time without an offset (read differently by every worker) or in the future."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day, tzinfo=UTC)
    elif isinstance(value, str):
        text = value.strip()
        try:
            if len(text) == 10:
                moment = datetime.combine(date.fromisoformat(text), datetime.min.time(), UTC)
            else:
                moment = datetime.fromisoformat(text)
        except ValueError as error:
            raise ValueError(
                f"exclude_newer must be an RFC 3339 time such as 2026-01-31T00:00:00Z, "
                f"got {value!r}"
            ) from error
    else:
        raise ValueError("exclude_newer must be an RFC 3339 time such as 2026-01-31T00:00:00Z")
    if moment.tzinfo is None:
        raise ValueError(f"exclude_newer needs a time zone offset (e.g. Z), got {value!r}")
    if moment > datetime.now(UTC) + FUTURE_SLACK:
        raise ValueError(f"exclude_newer must not be in the future, got {value!r}")
    return rfc3339(moment)


def normalise_requirements(lines: list[str]) -> tuple[str, ...]:
    """Return ``lines`` as sorted ``name[extras]==version`` strings; refuse anything unpinned.

    Comments and blank lines are dropped; names are canonicalised (PEP 503), so
    ``Scikit_Learn==1.5.0`` and ``scikit-learn==1.5.0`` are the same requirement.
    """
    pinned: dict[str, str] = {}
    for raw in lines:
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        try:
            requirement = Requirement(line)
        except InvalidRequirement as error:
            raise ValueError(f"requirement {line!r} is not valid: {error}") from error
        if requirement.url:
            raise ValueError(f"requirement {line!r}: direct URLs are not allowed, pin a version")
        specifiers = list(requirement.specifier)
        if len(specifiers) != 1 or specifiers[0].operator != "==" or "*" in specifiers[0].version:
            raise ValueError(f"requirement {line!r} is not pinned: write name==version")
        name = canonicalize_name(requirement.name)
        extras = f"[{','.join(sorted(requirement.extras))}]" if requirement.extras else ""
        marker = f"; {requirement.marker}" if requirement.marker else ""
        text = f"{name}{extras}=={specifiers[0].version}{marker}"
        if name in pinned and pinned[name] != text:
            raise ValueError(f"requirement {name} is pinned twice: {pinned[name]} and {text}")
        pinned[name] = text
    if len(pinned) > MAX_REQUIREMENTS:
        raise ValueError(f"at most {MAX_REQUIREMENTS} requirements, got {len(pinned)}")
    return tuple(sorted(pinned.values()))
