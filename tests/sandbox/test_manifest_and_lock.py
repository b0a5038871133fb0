"""Submission manifests and the CLIC decoder lock."""

from __future__ import annotations

from pathlib import Path

import pytest

from jiebang.sandbox.decoder_lock import (
    DecoderLockError,
    decoder_archive_hash,
    decoder_files_hash,
    verify_decoder_lock,
)
from jiebang.sandbox.manifest import ManifestError, load_manifest, parse_manifest


def test_entrypoint_as_list_or_string() -> None:
    assert parse_manifest('{"entrypoint": ["python3", "decode.py"]}').entrypoint == (
        "python3",
        "decode.py",
    )
    assert parse_manifest('{"entrypoint": "./decode --threads 1"}').entrypoint == (
        "./decode",
        "--threads",
        "1",
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{}", 'no "entrypoint"'),
        ('{"entrypoint": []}', "is empty"),
        ('{"entrypoint": 5}', "string or a list of strings"),
        ('{"entrypoint": "\\"unclosed"}', "cannot split"),
        ("[1]", "JSON object"),
        ("not json", "not valid JSON"),
    ],
)
def test_bad_manifests(text: str, message: str) -> None:
    with pytest.raises(ManifestError, match=message):
        parse_manifest(text)


def test_load_manifest_prefers_jiebang_json_and_explains_absence(tmp_path: Path) -> None:
    with pytest.raises(ManifestError, match=r"jiebang\.json or manifest\.json"):
        load_manifest(tmp_path)
    (tmp_path / "manifest.json").write_text('{"entrypoint": "b"}')
    (tmp_path / "jiebang.json").write_text('{"entrypoint": "a"}')
    assert load_manifest(tmp_path).entrypoint == ("a",)


def test_load_manifest_refuses_a_symlink(tmp_path: Path) -> None:
    (tmp_path / "jiebang.json").symlink_to("/etc/passwd")
    with pytest.raises(ManifestError, match="regular file"):
        load_manifest(tmp_path)


def _decoder(root: Path, content: bytes = b"decoder") -> Path:
    (root / "bin").mkdir(parents=True)
    (root / "bin" / "decode").write_bytes(content)
    (root / "bin" / "decode").chmod(0o755)
    (root / "README").write_text("notes")
    return root


def test_decoder_hash_is_stable_and_content_sensitive(tmp_path: Path) -> None:
    first = decoder_archive_hash(_decoder(tmp_path / "a"))
    assert first == decoder_archive_hash(_decoder(tmp_path / "b"))
    assert first != decoder_archive_hash(_decoder(tmp_path / "c", b"decoder2"))
    assert decoder_files_hash({"a": b"bc"}) != decoder_files_hash({"ab": b"c"})
    assert decoder_files_hash({"x": b""}) != decoder_files_hash({"x": b""}, executables={"x"})


def test_verify_decoder_lock() -> None:
    verify_decoder_lock("ABCDEF", {"abcdef", "012345"})
    with pytest.raises(DecoderLockError, match="differs"):
        verify_decoder_lock("ffffff", {"abcdef"})
    with pytest.raises(DecoderLockError, match="validation phase"):
        verify_decoder_lock("ffffff", set())
