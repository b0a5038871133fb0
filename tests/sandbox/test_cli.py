"""The ``selftest`` typer command."""

from __future__ import annotations

from typer.testing import CliRunner

from jiebang.sandbox import cli
from jiebang.sandbox.selftest import AttackOutcome, format_table


def test_selftest_exits_non_zero_when_something_escaped(monkeypatch) -> None:
    outcomes = [AttackOutcome("a", True, "ok"), AttackOutcome("b", False, "escaped")]
    monkeypatch.setattr(cli, "run_selftest", lambda: outcomes)
    result = CliRunner().invoke(cli.app, ["selftest"])
    assert result.exit_code == 1
    assert "NO" in result.output


def test_selftest_exits_zero_when_all_contained(monkeypatch) -> None:
    monkeypatch.setattr(cli, "run_selftest", lambda: [AttackOutcome("a", True, "ok")])
    result = CliRunner().invoke(cli.app, ["selftest"])
    assert result.exit_code == 0, result.output


def test_format_table_lists_every_row() -> None:
    table = format_table([AttackOutcome("fork bomb", True, "killed after 3 s wall time")])
    assert "fork bomb" in table and "yes" in table
