"""Limits as data, and the human reasons in the result record."""

from __future__ import annotations

import dataclasses

import pytest

from jiebang.sandbox import RUN_STAGE_DEFAULTS, SCORE_STAGE_DEFAULTS, SandboxLimits, SandboxResult
from jiebang.sandbox.limits import GIB, InvalidLimitsError
from jiebang.sandbox.logtail import TailBuffer, scrub_host_paths
from jiebang.sandbox.result import format_bytes


def test_from_mapping_overrides_a_preset() -> None:
    limits = SandboxLimits.from_mapping(
        {"cpu_seconds": 30, "memory_bytes": GIB}, base=RUN_STAGE_DEFAULTS
    )
    assert limits.cpu_seconds == 30.0 and limits.memory_bytes == GIB
    assert limits.output_bytes == RUN_STAGE_DEFAULTS.output_bytes


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"cpu_secs": 1}, "unknown sandbox limit"),
        ({"memory_bytes": -1}, "must be positive"),
        ({"wall_seconds": 0}, "must be positive"),
        ({"max_processes": 2.5}, "whole number"),
        ({"max_processes": True}, "must be a number"),
        ({"tmp_bytes": "1G"}, "must be a number"),
    ],
)
def test_from_mapping_rejects_bad_values(values: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidLimitsError, match=message):
        SandboxLimits.from_mapping(values, base=SCORE_STAGE_DEFAULTS)


def test_from_mapping_without_base_needs_every_limit() -> None:
    with pytest.raises(InvalidLimitsError, match="missing sandbox limit"):
        SandboxLimits.from_mapping({"cpu_seconds": 1})


def test_limits_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        RUN_STAGE_DEFAULTS.cpu_seconds = 1  # type: ignore[misc]


def _result(**changes: object) -> SandboxResult:
    base = SandboxResult(
        exit_code=0,
        signal=None,
        cpu_seconds=0.1,
        wall_seconds=0.2,
        peak_memory_bytes=1,
        timed_out=False,
        oom_killed=False,
        output_limit_hit=False,
        stdout_tail="",
        stderr_tail="",
        limits=RUN_STAGE_DEFAULTS.with_overrides(cpu_seconds=60, wall_seconds=600),
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "english", "chinese"),
    [
        ({"oom_killed": True, "signal": "SIGKILL"}, "exceeded 4 GiB memory", "内存超过 4 GiB"),
        ({"timed_out": True}, "killed after 600 s wall time", "运行时间超过 600 秒，已终止"),
        ({"cpu_limit_hit": True}, "used more than 60 s CPU time", "CPU 时间超过 60 秒"),
        ({"output_limit_hit": True}, "wrote more than 20 GiB", "写出数据超过 20 GiB"),
        ({"exit_code": 3}, "exited with code 3", "以退出码 3 结束"),
        (
            {"exit_code": None, "signal": "SIGSEGV"},
            "killed by signal SIGSEGV",
            "被信号 SIGSEGV 终止",
        ),
        ({}, "finished normally", "正常结束"),
    ],
)
def test_reasons_in_english_and_chinese(
    changes: dict[str, object], english: str, chinese: str
) -> None:
    result = _result(**changes)
    assert result.reason("en") == english
    assert result.reason("zh") == chinese


def test_format_bytes() -> None:
    assert format_bytes(1536 * 1024) == "1.5 MiB"
    assert format_bytes(512) == "512 B"


def test_tail_buffer_keeps_only_the_end() -> None:
    tail = TailBuffer(10)
    for _ in range(1000):
        tail.append(b"0123456789abcdef")
    assert tail.text() == "6789abcdef"
    assert tail.total_bytes == 16000


def test_scrub_replaces_longest_prefix_first() -> None:
    text = "error in /srv/jobs/42/output/x and /srv/jobs/42/ref"
    scrubbed = scrub_host_paths(
        text, [("/srv/jobs/42", "<host>"), ("/srv/jobs/42/output", "/output")]
    )
    assert scrubbed == "error in /output/x and <host>/ref"
