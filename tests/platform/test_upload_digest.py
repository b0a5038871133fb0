"""The local store's sha256 computed while parts arrive (storage/prefix_digest.py)."""

from __future__ import annotations

import asyncio
import hashlib
import io
import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from jiebang.storage.local import LocalStore

PART = 64 * 1024
KEY = "uploads/t/result.bin"


def _parts(count: int, last: int = 1000) -> list[bytes]:
    return [os.urandom(PART) for _ in range(count - 1)] + [os.urandom(last)]


def _complete(store: LocalStore, upload: str) -> int:
    return store.complete_multipart(KEY, upload, store.list_parts(KEY, upload))


def test_parts_in_any_order_give_the_file_sha256_without_a_second_read(tmp_path: Path) -> None:
    store, payload = LocalStore(tmp_path), _parts(5)
    upload = store.create_multipart(KEY, part_size=PART)
    for number in (3, 1, 5, 2, 4):
        store.put_part(KEY, upload, number, io.BytesIO(payload[number - 1]))
    assert _complete(store, upload) == 4 * PART + 1000
    expected = hashlib.sha256(b"".join(payload)).hexdigest()
    assert store.received_sha256(KEY) == expected
    assert hashlib.sha256(store.local_path(KEY).read_bytes()).hexdigest() == expected
    assert store.received_sha256(KEY) is None  # handed out once


def test_a_part_sent_again_after_it_was_hashed_is_hashed_again(tmp_path: Path) -> None:
    store, payload = LocalStore(tmp_path), _parts(3)
    upload = store.create_multipart(KEY, part_size=PART)
    for number, data in enumerate(payload, start=1):
        store.put_part(KEY, upload, number, io.BytesIO(data))
    payload[0] = os.urandom(PART)  # the client retries part 1 with other bytes
    store.put_part(KEY, upload, 1, io.BytesIO(payload[0]))
    _complete(store, upload)
    assert store.received_sha256(KEY) == hashlib.sha256(b"".join(payload)).hexdigest()


def test_a_part_written_by_another_process_makes_the_digest_step_aside(tmp_path: Path) -> None:
    """Another API process rewrote part 2 (new bytes, new receipt) behind this one's back:
    the digest must not be trusted, and complete falls back to reading the file."""
    store, payload = LocalStore(tmp_path), _parts(3)
    upload = store.create_multipart(KEY, part_size=PART)
    for number, data in enumerate(payload, start=1):
        store.put_part(KEY, upload, number, io.BytesIO(data))
    other = LocalStore(tmp_path)  # same directory, its own in-memory state
    other.put_part(KEY, upload, 2, io.BytesIO(os.urandom(PART)))
    _complete(store, upload)
    assert store.received_sha256(KEY) is None


def test_streamed_parts_hash_in_the_background(tmp_path: Path) -> None:
    store, payload = LocalStore(tmp_path), _parts(4, last=PART)
    upload = store.create_multipart(KEY, part_size=PART)

    async def body(data: bytes) -> AsyncIterator[bytes]:
        for offset in range(0, len(data), 4096):
            yield data[offset : offset + 4096]

    async def send_all() -> None:
        for number in (2, 1, 4, 3):
            part = await store.put_part_async(KEY, upload, number, body(payload[number - 1]))
            assert part.size == PART and len(part.etag) == 32

    asyncio.run(send_all())
    _complete(store, upload)
    assert store.received_sha256(KEY) == hashlib.sha256(b"".join(payload)).hexdigest()


def test_abort_forgets_the_digest(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    upload = store.create_multipart(KEY, part_size=PART)
    store.put_part(KEY, upload, 1, io.BytesIO(b"abc"))
    store.abort_multipart(KEY, upload)
    assert store._digests.peek(upload) is None
    assert not (tmp_path / ".uploads" / upload).exists()


def test_large_streamed_parts_are_written_in_batches_intact(tmp_path: Path) -> None:
    """Parts bigger than a write batch, in uneven socket-sized chunks, land byte for byte."""
    big = 3 * 1024 * 1024 + 12345
    store, payload = LocalStore(tmp_path), [os.urandom(big), os.urandom(777)]
    upload = store.create_multipart(KEY, part_size=big)

    async def body(data: bytes) -> AsyncIterator[bytes]:
        offset, step = 0, 1
        while offset < len(data):
            step = step * 7 % 200_003 + 1  # uneven chunk sizes
            yield data[offset : offset + step]
            offset += step

    async def send_all() -> None:
        for number in (2, 1):
            await store.put_part_async(KEY, upload, number, body(payload[number - 1]))

    asyncio.run(send_all())
    assert _complete(store, upload) == big + 777
    assert store.local_path(KEY).read_bytes() == b"".join(payload)


def test_an_oversized_or_broken_stream_stores_nothing(tmp_path: Path) -> None:
    from jiebang.storage.local import PartTooLarge

    store = LocalStore(tmp_path)
    upload = store.create_multipart(KEY, part_size=2 * 1024 * 1024)

    async def body(total: int, fail_at: int | None = None) -> AsyncIterator[bytes]:
        for offset in range(0, total, 65536):
            if fail_at is not None and offset >= fail_at:
                raise ConnectionResetError("client went away")
            yield b"x" * min(65536, total - offset)

    async def send(total: int, fail_at: int | None = None) -> None:
        await store.put_part_async(KEY, upload, 1, body(total, fail_at))

    with pytest.raises(PartTooLarge):
        asyncio.run(send(3 * 1024 * 1024))
    with pytest.raises(ConnectionResetError):
        asyncio.run(send(2 * 1024 * 1024, fail_at=1536 * 1024))
    assert store.list_parts(KEY, upload) == []  # no receipt: the part must be sent again
