"""Every attack in the catalogue, run through the real run stage, must be contained
and reported with the right reason; a normal program must still work afterwards."""

from __future__ import annotations

import pytest

from jiebang.sandbox.attacks import ATTACKS, Attack
from jiebang.sandbox.selftest import AttackBench, run_attack
from tests.sandbox.support import needs_bwrap

pytestmark = needs_bwrap

EXPECTED_REASON = {
    "oom": "exceeded 128 MiB memory",
    "cpu": "used more than 1 s CPU time",
    "wall": "killed after 3 s wall time",
    "output": "wrote more than 8 MiB",
    "unsafe-output": "finished normally",
    "clean": "finished normally",
}


@pytest.mark.parametrize("attack", ATTACKS, ids=[attack.name for attack in ATTACKS])
def test_attack_is_contained_and_reported(attack: Attack, bench: AttackBench) -> None:
    outcome, result = run_attack(attack, bench)

    assert outcome.contained, outcome.reason
    assert "ESCAPED" not in result.stdout_tail
    assert result.isolated
    reason = result.reason("en")
    if attack.expect == "cpu":
        assert result.signal == "SIGXCPU"
    if attack.name == "fork bomb":
        assert "capped" in result.stdout_tail
    if attack.limit_overrides:
        assert reason == "finished normally"
    else:
        assert reason.startswith(EXPECTED_REASON[attack.expect]), reason
    assert result.reason("zh")

    normal = Attack("normal", "print('still works')")
    _, after = run_attack(normal, bench)
    assert after.succeeded and after.stdout_tail.strip() == "still works"


def test_attack_catalogue_covers_at_least_twenty_kinds() -> None:
    assert len(ATTACKS) >= 20
    assert len({attack.name for attack in ATTACKS}) == len(ATTACKS)
