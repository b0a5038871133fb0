"""Bounded log capture and host-path scrubbing for what teams get to see."""

from __future__ import annotations

from collections.abc import Iterable


class TailBuffer:
    """Keeps only the last ``capacity`` bytes written, however much arrives."""

    def __init__(self, capacity: int) -> None:
        self._capacity = capacity
        self._data = bytearray()
        self.total_bytes = 0

    def append(self, chunk: bytes) -> None:
        """Add a chunk, dropping the oldest bytes beyond the capacity."""
        self.total_bytes += len(chunk)
        self._data += chunk[-self._capacity :]
        overflow = len(self._data) - self._capacity
        if overflow > 0:
            del self._data[:overflow]

    def text(self) -> str:
        """Return the kept bytes decoded leniently as UTF-8."""
        return bytes(self._data).decode("utf-8", errors="replace")


def scrub_host_paths(text: str, replacements: Iterable[tuple[str, str]]) -> str:
    """Replace host path prefixes in ``text``, longest prefix first."""
    ordered = sorted(
        ((host.rstrip("/"), shown) for host, shown in replacements if host.rstrip("/")),
        key=lambda pair: len(pair[0]),
        reverse=True,
    )
    for host, shown in ordered:
        text = text.replace(host, shown)
    return text
