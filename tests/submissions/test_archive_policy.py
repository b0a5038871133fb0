"""One archive policy: whatever the arrival check accepts unpacks, and whatever would fail to
unpack is refused on arrival, with a message in English and Chinese."""

from __future__ import annotations

import io
import tarfile
import warnings
import zipfile
from pathlib import Path

import pytest

from jiebang.submissions.archives import ArchivePolicy, ArchiveRejected, entry_path


def _zip(path: Path, entries: list[tuple[str, bytes]]) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate we mean to write
        with zipfile.ZipFile(path, "w") as zf:
            for name, data in entries:
                zf.writestr(name, data)
    return path


def _tar(path: Path, entries: list[tuple[str, bytes]]) -> Path:
    with tarfile.open(path, "w") as tf:
        for name, data in entries:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    return path


def _truncated_zip(path: Path) -> Path:
    whole = _zip(path.with_suffix(".whole"), [("scores.txt", b"a 1\n" * 5000)]).read_bytes()
    path.write_bytes(whole[: len(whole) // 2])
    return path


def _crc_damaged_zip(path: Path) -> Path:
    raw = bytearray(_zip(path, [("scores.txt", b"a 1\nb 2\n" * 100)]).read_bytes())
    raw[40] ^= 0xFF  # a byte of the stored data; the central directory stays intact
    path.write_bytes(bytes(raw))
    return path


HOSTILE = {
    "duplicates.zip": lambda p: _zip(p, [("scores.txt", b"a 1\n"), ("scores.txt", b"b 2\n")]),
    "dot.zip": lambda p: _zip(p, [(".", b"x")]),
    "control.zip": lambda p: _zip(p, [("bad\x01name.txt", b"x")]),
    "newline.tar": lambda p: _tar(p, [("two\nlines.txt", b"x")]),
    "inside-a-file.zip": lambda p: _zip(p, [("a", b"x"), ("a/b", b"y")]),
    "file-and-folder.tar": lambda p: _tar(p, [("a/b", b"y"), ("a", b"x")]),
    "truncated.zip": _truncated_zip,
    "crc.zip": _crc_damaged_zip,
    "notzip.zip": lambda p: (p.write_text("just some text\n"), p)[1],
    "notatar.tar.gz": lambda p: (p.write_bytes(b"\x1f\x8b" + b"\x00" * 100), p)[1],
    "..": lambda p: (p.write_text("a 1\n"), p)[1],
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_refused_on_arrival_exactly_when_unpacking_would_fail(tmp_path: Path, name: str) -> None:
    path = HOSTILE[name](tmp_path / ("upload" if name == ".." else name))
    policy = ArchivePolicy()
    with pytest.raises(ArchiveRejected) as arrival:
        policy.check(path, filename=name)
    with pytest.raises(ArchiveRejected) as worker:
        policy.extract(path, tmp_path / "out", filename=name)
    assert str(arrival.value) == str(worker.value)
    assert arrival.value.zh != str(arrival.value)  # a Chinese text of its own


def test_messages_a_team_can_act_on(tmp_path: Path) -> None:
    policy = ArchivePolicy()
    cases = {
        "notzip.zip": ("notzip.zip is not a zip (or tar) archive", "不是 zip（或 tar）压缩包"),
        "truncated.zip": ("the archive is damaged", "压缩包已损坏"),
        "duplicates.zip": (
            "entry scores.txt appears twice",
            "条目 scores.txt 在压缩包中出现了两次",
        ),
        "dot.zip": ("entry '.' is a file without a usable name", "没有可用名称"),
        "control.zip": ("entry 'bad\\x01name.txt' has a control character", "控制字符"),
        "inside-a-file.zip": ("entry a/b is inside a, which is a file", "位于 a 之内"),
    }
    for name, (en, zh) in cases.items():
        with pytest.raises(ArchiveRejected) as refused:
            policy.check(HOSTILE[name](tmp_path / name), filename=name)
        assert en in str(refused.value), str(refused.value)
        assert zh in refused.value.text("zh-CN"), refused.value.zh


def test_plain_file_names_dot_and_dotdot_are_refused(tmp_path: Path) -> None:
    upload = tmp_path / "upload"
    upload.write_text("a 1\n")
    for name in (".", "..", "a\x00b", "tab\tname"):
        with pytest.raises(ArchiveRejected, match="not a usable file name"):
            ArchivePolicy().check(upload, filename=name)
    assert ArchivePolicy().check(upload, filename="scores.txt").kind == "file"


def test_nul_and_leading_dot_slash(tmp_path: Path) -> None:
    with pytest.raises(ArchiveRejected, match="NUL byte"):
        entry_path("a\x00b", is_dir=False)
    assert entry_path("./", is_dir=True) is None  # `tar -cf x.tar .` writes these
    archive = _tar(tmp_path / "dot.tar", [("./scores.txt", b"a 1\n"), ("./seq/./f.bin", b"x")])
    report = ArchivePolicy().extract(archive, tmp_path / "out", filename="dot.tar")
    assert report.files == 2 and (tmp_path / "out" / "seq" / "f.bin").read_bytes() == b"x"


def test_the_tracks_raised_file_limit_lets_the_archive_unpack(tmp_path: Path) -> None:
    archive = tmp_path / "many.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for i in range(15_001):
            zf.writestr(f"frames/{i:05d}.txt", b"")
    with pytest.raises(ArchiveRejected, match="more than 10000 files"):
        ArchivePolicy().check(archive, filename="many.zip")
    raised = ArchivePolicy.from_mapping({"max_files": 20_000, "unknown": 1})
    assert raised.check(archive, filename="many.zip").files == 15_001
    assert raised.extract(archive, tmp_path / "out", filename="many.zip").files == 15_001
    assert len(list((tmp_path / "out" / "frames").iterdir())) == 15_001


def test_a_tar_named_zip_is_still_a_tar(tmp_path: Path) -> None:
    archive = _tar(tmp_path / "odd.zip", [("scores.txt", b"a 1\n")])
    assert ArchivePolicy().check(archive, filename="odd.zip").kind == "tar"


def test_unwrapping_only_when_unambiguous(tmp_path: Path) -> None:
    from jiebang.submissions.archives import unwrap_single_folder

    reference = tmp_path / "reference"
    (reference / "chelsea").mkdir(parents=True)

    def unpacked(name: str, *files: str) -> Path:
        root = tmp_path / name
        for file in files:
            (root / file).parent.mkdir(parents=True, exist_ok=True)
            (root / file).write_text("x")
        return root

    wrapped = unpacked("wrapped", "my_results/chelsea/000.png")
    assert unwrap_single_folder(wrapped, reference) == "my_results"
    assert (wrapped / "chelsea" / "000.png").is_file() and not (wrapped / "my_results").exists()
    one_clip = unpacked("one-clip", "chelsea/000.png")  # the layout itself: left alone
    assert unwrap_single_folder(one_clip, reference) is None
    two = unpacked("two", "a/x.png", "b.txt")
    assert unwrap_single_folder(two, reference) is None
    no_reference = tmp_path / "empty"
    no_reference.mkdir()
    assert unwrap_single_folder(unpacked("nr", "out/x.txt"), no_reference) is None
    code = unpacked("code", "src/jiebang.json", "src/run.py")
    assert unwrap_single_folder(code, no_reference, markers=("jiebang.json",)) == "src"
    assert (code / "jiebang.json").is_file()
    plain = unpacked("plain-code", "lib/util.py")
    assert unwrap_single_folder(plain, no_reference, markers=("jiebang.json",)) is None


def test_encrypted_and_unreadable_compression_are_refused_not_crashed(tmp_path: Path) -> None:
    plain = _zip(tmp_path / "plain.zip", [("scores.txt", b"a 1\n")]).read_bytes()
    encrypted = bytearray(plain)
    for header in (b"PK\x03\x04", b"PK\x01\x02"):  # set the "encrypted" flag bit in both
        at = encrypted.find(header)
        flags = 6 if header == b"PK\x03\x04" else 8
        encrypted[at + flags] |= 0x1
    (tmp_path / "enc.zip").write_bytes(bytes(encrypted))
    with pytest.raises(ArchiveRejected, match=r"entry scores\.txt is encrypted"):
        ArchivePolicy().check(tmp_path / "enc.zip", filename="enc.zip")
    deflate64 = bytearray(plain)
    for header, method in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):
        at = deflate64.find(header)
        deflate64[at + method : at + method + 2] = (9).to_bytes(2, "little")  # deflate64
    (tmp_path / "d64.zip").write_bytes(bytes(deflate64))
    with pytest.raises(ArchiveRejected, match="compression method the platform cannot read"):
        ArchivePolicy().check(tmp_path / "d64.zip", filename="d64.zip")


def test_folders_count_too(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "dirs.zip", [(f"d{i}/", b"") for i in range(101)])
    limits = ArchivePolicy.from_mapping({"max_files": 100})
    with pytest.raises(ArchiveRejected, match="more than 100 folders"):
        limits.check(archive, filename="dirs.zip")


def test_a_compressed_tar_is_decompressed_only_up_to_the_limit(tmp_path: Path) -> None:
    """Listing a .tar.gz decompresses everything between headers; that work is bounded too."""
    archive = tmp_path / "zeros.tar.gz"
    with tarfile.open(archive, "w:gz") as tf:
        for i in range(4):
            info = tarfile.TarInfo(f"zeros{i}.bin")
            info.size = 4 * 1024 * 1024
            tf.addfile(info, io.BytesIO(bytes(info.size)))
    small = ArchivePolicy.from_mapping(
        {"max_unpacked_bytes": 1024 * 1024, "max_files": 1, "max_ratio": 1e9}
    )
    with pytest.raises(ArchiveRejected, match="unpacks to more than 1 MiB"):
        small.check(archive, filename="zeros.tar.gz")
    report = ArchivePolicy.from_mapping({"max_ratio": 1e9}).extract(
        archive, tmp_path / "out", filename="zeros.tar.gz"
    )
    assert report.files == 4 and (tmp_path / "out" / "zeros3.bin").stat().st_size == 4 << 20
    for suffix, mode in ((".tar.bz2", "w:bz2"), (".tar.xz", "w:xz")):
        other = _tar(tmp_path / f"ok{suffix}.src", [("scores.txt", b"a 1\n")])
        packed = tmp_path / f"ok{suffix}"
        with tarfile.open(packed, mode) as tf:
            tf.add(other, arcname="scores.txt")
        assert ArchivePolicy().check(packed, filename=packed.name).files == 1
