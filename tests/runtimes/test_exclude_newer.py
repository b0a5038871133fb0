"""A python runtime reads the index as of a moment (``exclude_newer``): its unpinned
dependencies resolve the same on every worker, any day, and what was installed is kept.

Real components: a PEP 691 JSON index with PEP 700 upload times served on loopback, uv in
the bubblewrap build sandbox through the index gate."""

from __future__ import annotations

import hashlib
import json
import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from pydantic import ValidationError

from jiebang.runtimes import PythonRuntime, parse_runtime_spec, prepare, runtime_state
from jiebang.runtimes.cache import read_record
from jiebang.runtimes.config import RuntimeSettings
from jiebang.runtimes.spec import stamp_exclude_newer
from tests.runtimes.package_index import json_index, serve_index
from tests.runtimes.support import build_wheel
from tests.sandbox.support import needs_bwrap

VERSION = f"{sys.version_info.major}.{sys.version_info.minor}"
OLD = datetime(2025, 1, 10, tzinfo=UTC)
NEW = datetime(2026, 3, 1, tzinfo=UTC)
BETWEEN = "2025-06-01T00:00:00Z"


def _installed_dep(settings: RuntimeSettings, key: str) -> str:
    venv = settings.resolved_cache_dir() / "python" / key / "venv"
    (module,) = venv.glob("lib/python*/site-packages/jiebang_xn_dep/__init__.py")
    return module.read_text().strip()


@needs_bwrap
def test_a_stamped_spec_resolves_its_dependency_as_the_index_was_then(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    app = build_wheel(wheels, "jiebang-xn-app", "1.0", "X = 1\n", requires=("jiebang-xn-dep>=1.0",))
    dep_old = build_wheel(wheels, "jiebang-xn-dep", "1.0", "VERSION = '1.0'\n")
    dep_new = build_wheel(wheels, "jiebang-xn-dep", "2.0", "VERSION = '2.0'\n")
    json_index(tmp_path / "index", [(app, OLD), (dep_old, OLD), (dep_new, NEW)])
    then = PythonRuntime(
        version=VERSION, requirements=("jiebang-xn-app==1.0",), exclude_newer=BETWEEN
    )
    today = PythonRuntime(version=VERSION, requirements=("jiebang-xn-app==1.0",))
    with serve_index(tmp_path / "index") as (url, requested):
        settings = RuntimeSettings(cache_dir=tmp_path / "runtimes", index_url=url)
        prepare(then, settings=settings)
        prepare(today, settings=settings)
    assert "/simple/jiebang-xn-dep/" in requested
    assert _installed_dep(settings, then.content_key) == "VERSION = '1.0'"
    assert _installed_dep(settings, today.content_key) == "VERSION = '2.0'"
    # what the build installed is kept with it, and shown in the state
    record = read_record(settings.resolved_cache_dir() / "python" / then.content_key) or {}
    assert record["resolved"] == ["jiebang-xn-app==1.0", "jiebang-xn-dep==1.0"]
    assert record["exclude_newer"] == BETWEEN
    state = runtime_state(then, settings=settings)
    assert state.status == "ready"
    assert state.resolved == ("jiebang-xn-app==1.0", "jiebang-xn-dep==1.0")
    assert runtime_state(today, settings=settings).resolved == (
        "jiebang-xn-app==1.0",
        "jiebang-xn-dep==2.0",
    )


@needs_bwrap
def test_a_wheelhouse_keeps_its_files_under_a_stamp(tmp_path: Path) -> None:
    # a flat folder has no upload times: uv keeps its files, so offline builds still work
    wheels = tmp_path / "wheels"
    build_wheel(wheels, "jiebang-xn-dep", "2.0", "VERSION = '2.0'\n")
    spec = PythonRuntime(
        version=VERSION, requirements=("jiebang-xn-dep==2.0",), exclude_newer=BETWEEN
    )
    settings = RuntimeSettings(cache_dir=tmp_path / "runtimes", offline=True, find_links=wheels)
    prepare(spec, settings=settings)
    assert runtime_state(spec, settings=settings).resolved == ("jiebang-xn-dep==2.0",)


def test_the_stamp_is_part_of_the_content_key_and_an_unstamped_key_is_unchanged() -> None:
    plain = PythonRuntime(version="3.11", requirements=("numpy==2.2.6",))
    old_payload = {"kind": "python", "version": "3.11", "requirements": ["numpy==2.2.6"]}
    old_key = hashlib.sha256(json.dumps(old_payload, sort_keys=True).encode()).hexdigest()
    assert plain.content_key == old_key  # specs stored before the stamp keep their cache
    stamped = plain.model_copy(update={"exclude_newer": "2025-06-01T00:00:00Z"})
    later = PythonRuntime(
        version="3.11", requirements=("numpy==2.2.6",), exclude_newer="2025-06-02T00:00:00Z"
    )
    assert len({plain.content_key, stamped.content_key, later.content_key}) == 3
    # the same moment written in another zone is the same spec
    east = PythonRuntime(
        version="3.11", requirements=("numpy==2.2.6",), exclude_newer="2025-06-01T08:00:00+08:00"
    )
    assert east.exclude_newer == "2025-06-01T00:00:00Z"
    assert east.content_key == stamped.content_key
    assert PythonRuntime(version="3.11", exclude_newer="2025-06-01").exclude_newer == (
        "2025-06-01T00:00:00Z"
    )


@pytest.mark.parametrize(
    "value",
    ["yesterday", "2025-06-01T00:00:00", (datetime.now(UTC) + timedelta(days=2)).isoformat(), 5],
)
def test_an_exclude_newer_that_is_no_moment_or_is_in_the_future_is_refused(value: object) -> None:
    with pytest.raises(ValidationError, match="exclude_newer"):
        parse_runtime_spec({"kind": "python", "version": "3.11", "exclude_newer": value})


def test_the_upload_time_is_stamped_only_where_none_is_given() -> None:
    upload = datetime(2026, 12, 2, 23, 30, tzinfo=timezone(timedelta(hours=8)))
    stamped = stamp_exclude_newer(
        {"kind": "python", "version": "3.11", "requirements": ["a==1"]}, upload
    )
    assert stamped["exclude_newer"] == "2026-12-02T15:30:00Z"
    given = {"kind": "python", "version": "3.11", "exclude_newer": BETWEEN}
    assert stamp_exclude_newer(given, upload) == given
    unset = {"kind": "python", "version": "3.11", "requirements": ["a==1"], "exclude_newer": None}
    assert stamp_exclude_newer(unset, upload)["exclude_newer"] == "2026-12-02T15:30:00Z"
    assert stamp_exclude_newer({"kind": "platform"}, upload) == {"kind": "platform"}
    nothing = {"kind": "python", "version": "3.11", "requirements": []}  # nothing to resolve
    assert stamp_exclude_newer(nothing, upload) == nothing


@needs_bwrap
def test_a_team_programs_runtime_reads_the_index_as_of_its_submission(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jiebang.runtimes.config import get_runtime_settings
    from jiebang.worker.team_runtime import team_runtime

    build_wheel(tmp_path / "wheels", "jiebang-xn-dep", "1.0", "VERSION = '1.0'\n")
    monkeypatch.setenv("JIEBANG_RUNTIME_CACHE_DIR", str(tmp_path / "runtimes"))
    monkeypatch.setenv("JIEBANG_RUNTIME_OFFLINE", "true")
    monkeypatch.setenv("JIEBANG_RUNTIME_FIND_LINKS", str(tmp_path / "wheels"))
    get_runtime_settings.cache_clear()
    submitted = datetime(2026, 11, 30, 9, 15, 42, 123456, tzinfo=UTC)
    requirements = ["jiebang-xn-dep==1.0"]
    try:
        prepared = team_runtime(
            {"kind": "python", "version": VERSION, "requirements": requirements},
            program_dir=tmp_path,
            limits={"team_runtimes": ["python"]},
            uploaded_at=submitted,
        )
    finally:
        get_runtime_settings.cache_clear()
    expected = PythonRuntime(
        version=VERSION, requirements=tuple(requirements), exclude_newer="2026-11-30T00:00:00Z"
    )
    assert prepared is not None and prepared.key == expected.content_key
    # a later submission that day shares the environment: the same key, nothing built again
    try:
        later = team_runtime(
            {"kind": "python", "version": VERSION, "requirements": requirements},
            program_dir=tmp_path,
            limits={"team_runtimes": ["python"]},
            uploaded_at=submitted.replace(hour=23, minute=59),
        )
    finally:
        get_runtime_settings.cache_clear()
    assert later is not None and later.key == prepared.key
