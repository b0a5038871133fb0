"""Bundles an attacker (or a careless organiser) might send: refused quickly, with a 4xx that
names the file or entry, and nothing left behind."""

from __future__ import annotations

import io
import itertools
import os
import tempfile
import warnings
import zipfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from jiebang.config import get_settings

# nine levels of nine: 9**9 (387 million) strings once expanded, from about 400 bytes
LEVELS = "abcdefghi"
BILLION_LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{key}: &{key} [{', '.join([f'*{prev}'] * 9)}]\n" for prev, key in itertools.pairwise(LEVELS)
)


def _zip(entries: list[tuple[str, str | bytes]]) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the duplicate name below is the point
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for name, data in entries:
                zf.writestr(name, data)
    return buffer.getvalue()


def _post(client: TestClient, organiser: dict[str, str], data: bytes):  # type: ignore[no-untyped-def]
    return client.post(
        "/api/v1/admin/bundles",
        files={"bundle": ("bundle.zip", data, "application/zip")},
        headers=organiser,
    )


@pytest.fixture
def scratch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where the import's temporary folders go, so the test can see that none is left."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_billion_laughs_is_refused_naming_the_file(
    client: TestClient, organiser: dict[str, str], scratch: Path
) -> None:
    assert len(BILLION_LAUGHS) < 450 and BILLION_LAUGHS.count("\n") == 9
    response = _post(client, organiser, _zip([("contest.yaml", BILLION_LAUGHS)]))
    assert response.status_code == 422, response.text
    problem = response.json()["detail"][0]
    assert problem["loc"][:4] == ["body", "bundle", "contest.yaml", 2]
    assert "aliases" in problem["msg"] and "*a" in problem["msg"]
    assert list(scratch.iterdir()) == []  # the temporary folder is gone


def test_duplicate_entry_is_a_4xx_naming_it(
    client: TestClient, organiser: dict[str, str], scratch: Path
) -> None:
    data = _zip([("contest.yaml", "slug: x\n"), ("contest.yaml", "slug: y\n")])
    zh = _post(client, organiser, data)  # an account's locale is zh-CN unless changed
    assert zh.status_code == 422, zh.text
    assert "条目 contest.yaml 在压缩包中出现了两次" in zh.json()["detail"][0]["msg"]
    client.patch("/api/v1/auth/me", json={"locale": "en"}, headers=organiser)
    response = _post(client, organiser, data)
    assert response.status_code == 422, response.text
    assert "entry contest.yaml appears twice" in response.json()["detail"][0]["msg"]
    assert list(scratch.iterdir()) == []


def test_bundle_size_and_entry_count_are_bounded(
    client: TestClient, organiser: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JIEBANG_BUNDLE_MAX_FILES", "3")
    monkeypatch.setenv("JIEBANG_BUNDLE_MAX_UNPACKED_BYTES", str(64 * 1024))
    get_settings.cache_clear()
    client.patch("/api/v1/auth/me", json={"locale": "en"}, headers=organiser)
    many = _zip([(f"data/{i}.txt", "x") for i in range(4)])
    response = _post(client, organiser, many)
    assert response.status_code == 422
    assert "more than 3 files" in response.json()["detail"][0]["msg"]
    big = _zip([("data/big.bin", b"\0" * 100_000)])
    response = _post(client, organiser, big)
    assert response.status_code == 422
    assert "exceeds 64 KiB" in response.json()["detail"][0]["msg"]
    monkeypatch.setenv("JIEBANG_BUNDLE_MAX_BYTES", "1000")
    get_settings.cache_clear()
    response = _post(client, organiser, _zip([("data/noise.bin", os.urandom(2000))]))
    assert response.status_code == 422
    assert "exceeds 1000 B" in response.json()["detail"][0]["msg"]
    get_settings.cache_clear()
