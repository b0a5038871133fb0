"""The sha256 of a local multipart upload, computed while its parts arrive.

Completing an upload must check the whole file against the sha256 the client declared.
Reading a multi-GiB file back at complete time would cost as much as a second upload, so
after each part lands the digest advances over every part that is now contiguous from byte
0, reading it back from the page cache it was just written to, in a worker thread while the
next part is still arriving.

Each stored part carries a receipt (a fresh token per write). The digest remembers the
receipts of the parts it hashed; completing uses it only if they are still the current
receipts of exactly the parts being assembled. A part retried after it was hashed, a
restart, or parts spread over several API processes therefore never yield a wrong digest:
they fall back to reading the file once at complete time.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from pathlib import Path

READ = 1024 * 1024


class PrefixDigest:
    """sha256 over parts 1..k of one upload, k growing as parts arrive in any order."""

    def __init__(self, part_size: int) -> None:
        self.part_size = part_size
        self.lock = threading.Lock()
        self._reset()

    def _reset(self) -> None:
        self.hasher = hashlib.sha256()
        self.receipts: list[str] = []
        self.size = 0
        self.finished = False  # a short (last) part was hashed: nothing may follow it

    def advance(self, data: Path, stored: Callable[[int], tuple[int, str] | None]) -> None:
        """Hash every contiguous received part; `stored(n)` is part n's (size, receipt)."""
        with self.lock, data.open("rb") as fh:
            while not self.finished:
                number = len(self.receipts) + 1
                part = stored(number)
                if part is None:
                    return
                size, receipt = part
                fh.seek((number - 1) * self.part_size)
                remaining = size
                while remaining:
                    chunk = fh.read(min(READ, remaining))
                    if not chunk:  # the file is shorter than the part claims: not trustworthy
                        self._reset()
                        return
                    self.hasher.update(chunk)
                    remaining -= len(chunk)
                self.receipts.append(receipt)
                self.size += size
                self.finished = size < self.part_size

    def forget_from(self, number: int) -> None:
        """Part `number` is being written again: drop what was hashed from it onwards."""
        with self.lock:
            if number <= len(self.receipts):
                self._reset()

    def result(self, receipts: list[str], total: int) -> str | None:
        """The hex digest if it covers exactly these parts as they are stored now."""
        with self.lock:
            if self.receipts == receipts and self.size == total:
                return self.hasher.hexdigest()
            return None


class PrefixDigests:
    """The digests of the uploads in progress in this process, by upload id."""

    def __init__(self) -> None:
        self._digests: dict[str, PrefixDigest] = {}
        self._guard = threading.Lock()

    def get(self, upload_id: str, part_size: int) -> PrefixDigest:
        with self._guard:
            digest = self._digests.get(upload_id)
            if digest is None or digest.part_size != part_size:
                digest = self._digests[upload_id] = PrefixDigest(part_size)
            return digest

    def peek(self, upload_id: str) -> PrefixDigest | None:
        with self._guard:
            return self._digests.get(upload_id)

    def pop(self, upload_id: str) -> PrefixDigest | None:
        with self._guard:
            return self._digests.pop(upload_id, None)
