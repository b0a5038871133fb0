"""Resource limits for one sandboxed run, kept as plain data.

The runner receives a :class:`SandboxLimits` and knows no numbers of its own;
track configurations override the presets through :meth:`SandboxLimits.from_mapping`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

KIB = 1024
MIB = 1024 * KIB
GIB = 1024 * MIB


class InvalidLimitsError(ValueError):
    """A track configuration gave limits that cannot be used."""


@dataclasses.dataclass(frozen=True)
class SandboxLimits:
    """Every limit applied to one run; all values are positive."""

    cpu_seconds: float
    wall_seconds: float
    memory_bytes: int
    max_processes: int
    max_open_files: int
    output_bytes: int
    tmp_bytes: int
    log_bytes_kept: int
    max_output_files: int = 100_000  # files the platform will read back from a run (or a result)

    def __post_init__(self) -> None:
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise InvalidLimitsError(f"limit {field.name!r} must be a number, got {value!r}")
            if value <= 0:
                raise InvalidLimitsError(f"limit {field.name!r} must be positive, got {value!r}")

    @classmethod
    def from_mapping(
        cls, values: Mapping[str, Any], *, base: SandboxLimits | None = None
    ) -> SandboxLimits:
        """Return limits from a track config mapping, filling gaps from ``base``."""
        known = {field.name: field for field in dataclasses.fields(cls)}
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise InvalidLimitsError(
                f"unknown sandbox limit(s): {', '.join(unknown)}; "
                f"known limits are: {', '.join(sorted(known))}"
            )
        merged: dict[str, Any] = dataclasses.asdict(base) if base is not None else {}
        for name, value in values.items():
            merged[name] = _coerce(name, value, integral=known[name].type == "int")
        missing = sorted(set(known) - set(merged))
        if missing:
            raise InvalidLimitsError(f"missing sandbox limit(s): {', '.join(missing)}")
        return cls(**merged)

    def with_overrides(self, **changes: Any) -> SandboxLimits:
        """Return a copy with some limits replaced (validated like the original)."""
        return SandboxLimits.from_mapping(changes, base=self)


def _coerce(name: str, value: Any, *, integral: bool) -> int | float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidLimitsError(f"limit {name!r} must be a number, got {value!r}")
    if value <= 0:
        raise InvalidLimitsError(f"limit {name!r} must be positive, got {value!r}")
    if integral:
        if value != int(value):
            raise InvalidLimitsError(f"limit {name!r} must be a whole number, got {value!r}")
        return int(value)
    return float(value)


RUN_STAGE_DEFAULTS = SandboxLimits(
    cpu_seconds=600.0,
    wall_seconds=900.0,
    memory_bytes=4 * GIB,
    max_processes=64,
    max_open_files=256,
    output_bytes=20 * GIB,
    tmp_bytes=1 * GIB,
    log_bytes_kept=64 * KIB,
)
"""The team's own program: decoding or processing the public inputs."""

SCORE_STAGE_DEFAULTS = SandboxLimits(
    cpu_seconds=1800.0,
    wall_seconds=2400.0,
    memory_bytes=8 * GIB,
    max_processes=64,
    max_open_files=512,
    output_bytes=16 * MIB,
    tmp_bytes=2 * GIB,
    log_bytes_kept=64 * KIB,
)
"""The organiser's evaluator: metrics over the submission and the reference."""
