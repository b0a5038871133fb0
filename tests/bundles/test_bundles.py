"""Bundle validation messages (file, line, key) and the import → export → import round trip."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session

from jiebang.bundles.data import checksum_text
from jiebang.bundles.exporter import export_bundle
from jiebang.bundles.importer import import_bundle
from jiebang.bundles.validate import load_bundle
from jiebang.storage.config import get_store

CONTEST = """\
slug: tiny
title_zh: 小赛
title_en: Tiny
edition: "1"
year: 2024
status: published
tracks:
  - slug: vqa
    title_zh: 质量
    title_en: Quality
    evaluator: {key: quality_assessment, version: 1.0.0, config: {fit: none}}
    leaderboard: {columns: [srocc, plcc], sort_by: srocc}
    public_data: {dir: data/public, checksums: data/public.sha256}
    phases:
      - slug: dev
        title_zh: 开发
        title_en: Dev
        starts_at: 2024-06-01T00:00:00+08:00
        ends_at: 2030-12-31T00:00:00+08:00
        split: {public: [a, b], private: [c, d]}
        reference: {dir: data/ref, checksums: data/ref.sha256}
"""
LIST = """\
year: 2024
title_zh: 榜单
title_en: List
status: published
items:
  - code: T-1
    title_zh: 质量模型
    title_en: Quality model
    category: quality
    application_deadline: 2030-06-30T17:00:00+08:00
    targets:
      - {metric: srocc, comparator: ">=", threshold: 0.9, track: tiny/vqa}
"""


def write_bundle(root: Path, contest: str = CONTEST, listing: str = LIST) -> Path:
    (root / "data" / "public").mkdir(parents=True)
    (root / "data" / "ref").mkdir(parents=True)
    (root / "data" / "public" / "README.txt").write_text("four items a-d\n")
    (root / "data" / "ref" / "mos.csv").write_text("id,mos\na,1\nb,2\nc,3\nd,4\n")
    for part in ("public", "ref"):
        (root / "data" / f"{part}.sha256").write_text(checksum_text(root / "data" / part))
    (root / "contest.yaml").write_text(contest, encoding="utf-8")
    (root / "challenge_list.yaml").write_text(listing, encoding="utf-8")
    return root


def messages(root: Path) -> list[str]:
    return [str(p) for p in load_bundle(root).problems]


def test_valid_bundle(tmp_path: Path) -> None:
    assert messages(write_bundle(tmp_path)) == []


BROKEN = [
    ("slug: tiny", "slug: Tiny!", "contest.yaml:1: slug: String should match pattern"),
    ("ends_at: 2030-12-31T00:00:00+08:00", "ends_at: 2020-12-31T00:00:00+08:00",
     "contest.yaml:15: tracks[0].phases[0]: ends_at must be after starts_at"),
    ("version: 1.0.0", "version: 9.9.9", "contest.yaml:11: tracks[0].evaluator.version: evaluator quality_assessment is at version 1.0.0, not 9.9.9"),
    ("config: {fit: none}", "config: {fit: cubic}", "contest.yaml:11: tracks[0].evaluator.config: fit:"),
    ("columns: [srocc, plcc]", "columns: [srocc, psnr]", "contest.yaml:12: tracks[0].leaderboard.columns[1]: 'psnr' is not a metric of quality_assessment"),
    ("split: {public: [a, b], private: [c, d]}", "split: {public: [a, b], private: [b, d]}",
     "contest.yaml:20: tracks[0].phases[0].split: items in both the public and the private split: b"),
    ("edition: \"1\"", "edition: \"1\"\ncolour: red", "contest.yaml:5: colour: unknown key"),
    ("title_en: Tiny\n", "title_en: [Tiny\n", "contest.yaml:4: (top level): not valid YAML"),
    ("  - slug: vqa\n", "  - slug: vqa\n  - slug: vqb\n", "contest.yaml:8: tracks[0].title_en: Field required"),
    ("edition: \"1\"", "edition: \"1\"\nedition: \"2\"", "contest.yaml:5: (top level): duplicate key 'edition' (first at line 4)"),
    ("year: 2024", "year: &y 2024\nfounded: *y", "contest.yaml:6: (top level): YAML aliases (*y) are not allowed"),
    ("year: 2024", "year: !!python/object/apply:os.getcwd []", "contest.yaml:5: (top level): the tag !!python/object/apply:os.getcwd is not allowed"),
]  # fmt: skip


@pytest.mark.parametrize(("old", "new", "expected"), BROKEN)
def test_broken_contest(tmp_path: Path, old: str, new: str, expected: str) -> None:
    assert old in CONTEST
    found = messages(write_bundle(tmp_path, contest=CONTEST.replace(old, new, 1)))
    assert any(m.startswith(expected) for m in found), found


BROKEN_LIST = [
    ("track: tiny/vqa", "track: tiny/codec", "challenge_list.yaml:12: items[0].targets[0].track: contest tiny has no track 'codec'"),
    ("metric: srocc", "metric: bd_rate", "challenge_list.yaml:12: items[0].targets[0].metric: 'bd_rate' is not a metric"),
    ('comparator: ">="', 'comparator: "=>"', "challenge_list.yaml:12: items[0].targets[0].comparator: Input should be"),
    ("code: T-1", "code: T 1", "challenge_list.yaml:6: items[0].code: String should match pattern"),
    ("2030-06-30T17:00:00+08:00", "soon", "challenge_list.yaml:10: items[0].application_deadline: Input should be a valid datetime"),
]  # fmt: skip


@pytest.mark.parametrize(("old", "new", "expected"), BROKEN_LIST)
def test_broken_list(tmp_path: Path, old: str, new: str, expected: str) -> None:
    found = messages(write_bundle(tmp_path, listing=LIST.replace(old, new, 1)))
    assert any(m.startswith(expected) for m in found), found


def test_data_checksums(tmp_path: Path) -> None:
    root = write_bundle(tmp_path)
    (root / "data" / "ref" / "mos.csv").write_text("id,mos\na,9\n")
    (root / "data" / "public" / "extra.bin").write_bytes(b"x")
    found = messages(root)
    assert (
        "contest.yaml:21: tracks[0].phases[0].reference.checksums: data/ref/mos.csv: sha256 mismatch"
        in found
    )
    assert (
        "contest.yaml:13: tracks[0].public_data.checksums: data/public/extra.bin is not listed"
        in found
    )


def test_round_trip(tmp_path: Path, db: Session) -> None:
    store = get_store()
    first = load_bundle(write_bundle(tmp_path / "in"))
    assert import_bundle(db=db, store=store, bundle=first, owner_id=None)  # created things
    assert import_bundle(db=db, store=store, bundle=first, owner_id=None) == []  # idempotent
    export_bundle(db=db, store=store, contest_slug="tiny", dest=tmp_path / "out")
    again = load_bundle(tmp_path / "out")
    assert again.ok, again.problems
    assert import_bundle(db=db, store=store, bundle=again, owner_id=None) == []
    export_bundle(db=db, store=store, contest_slug="tiny", dest=tmp_path / "out2")
    for name in ("contest.yaml", "challenge_list.yaml", "data/vqa/dev/reference.sha256"):
        assert (tmp_path / "out" / name).read_bytes() == (tmp_path / "out2" / name).read_bytes()
