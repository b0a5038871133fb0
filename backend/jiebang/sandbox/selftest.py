"""``jiebang sandbox selftest``: run every hostile program and report containment."""

from __future__ import annotations

import contextlib
import dataclasses
import subprocess
import tempfile
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path

from jiebang.sandbox.attacks import ATTACKS, Attack
from jiebang.sandbox.limits import MIB, SandboxLimits
from jiebang.sandbox.mounts import runtime_env, runtime_python
from jiebang.sandbox.outputs import UnsafeOutputError, safe_collect_outputs
from jiebang.sandbox.result import SandboxResult
from jiebang.sandbox.stages import OUTPUT_TARGET, run_stage
from jiebang.sandbox.status import default_identity
from jiebang.sandbox.syscall_probe import probe_program, read_probe

SELFTEST_LIMITS = SandboxLimits(
    cpu_seconds=1,
    wall_seconds=3,
    memory_bytes=128 * MIB,
    max_processes=16,
    max_open_files=64,
    output_bytes=8 * MIB,
    tmp_bytes=4 * MIB,
    log_bytes_kept=4096,
)
HIDDEN_FILE_NAME = "hidden-reference-0001.yuv"


@dataclasses.dataclass(frozen=True)
class AttackOutcome:
    """One row of the self-test table."""

    name: str
    contained: bool
    reason: str


@dataclasses.dataclass(frozen=True)
class AttackBench:
    """Host-side fixtures an attack tries to reach."""

    root: Path
    canary_pid: int

    @property
    def program_dir(self) -> Path:
        return self.root / "submission"

    @property
    def inputs_dir(self) -> Path:
        return self.root / "inputs"

    @property
    def reference_dir(self) -> Path:
        return self.root / "reference"

    @property
    def other_team_file(self) -> Path:
        return self.root / "other-team" / "decoder.py"

    def fresh_output_dir(self, name: str) -> Path:
        return Path(tempfile.mkdtemp(prefix="out-", dir=self.root)) / name


@contextlib.contextmanager
def attack_bench() -> Iterator[AttackBench]:
    """Create the host fixtures (and a canary process) in a temporary directory."""
    with tempfile.TemporaryDirectory(prefix="jiebang-selftest-") as tmp:
        root = Path(tmp)
        for directory in ("submission", "inputs", "reference", "other-team"):
            (root / directory).mkdir()
        (root / "inputs" / "public.txt").write_text("public input\n")
        (root / "reference" / HIDDEN_FILE_NAME).write_text("SECRET reference\n")
        (root / "other-team" / "decoder.py").write_text("# SECRET other team\n")
        canary = subprocess.Popen(["sleep", "600"])
        try:
            yield AttackBench(root=root, canary_pid=canary.pid)
        finally:
            canary.kill()
            canary.wait()


def run_attack(
    attack: Attack, bench: AttackBench, *, limits: SandboxLimits = SELFTEST_LIMITS
) -> tuple[AttackOutcome, SandboxResult]:
    """Run one attack through the real run stage and judge whether it was contained."""
    program = attack.program(
        reference_dir=bench.reference_dir,
        secret_name=HIDDEN_FILE_NAME,
        other_team_file=bench.other_team_file,
        canary_pid=bench.canary_pid,
        allowed_env=sorted({*runtime_env(), "JIEBANG_INPUTS", "JIEBANG_OUTPUT", "PWD"}),
    )
    # The marker rides in argv (kept across fork) so survivors of this run can be told
    # apart from other sandboxes running as the same uid at the same time.
    marker = f"jiebang-attack-{uuid.uuid4().hex}"
    argv = [runtime_python(), "-c", program, marker]
    if attack.via_bash:
        argv = ["/bin/bash", "-c", program, marker]
    output_dir = bench.fresh_output_dir("output")
    if attack.limit_overrides:
        limits = limits.with_overrides(**dict(attack.limit_overrides))
    result = run_stage(
        program_dir=bench.program_dir,
        entrypoint_argv=argv,
        inputs_dir=bench.inputs_dir,
        output_dir=output_dir,
        limits=limits,
    )
    contained, detail = _judge(attack, result, output_dir)
    survivors = surviving_sandbox_processes(marker)
    if survivors:
        contained, detail = False, f"processes survived the run: {survivors}"
    if _process_gone(bench.canary_pid):
        contained, detail = False, "a host process was killed"
    reason = result.reason("en") + (f"; {detail}" if detail else "")
    return AttackOutcome(attack.name, contained, reason), result


def _judge(attack: Attack, result: SandboxResult, output_dir: Path) -> tuple[bool, str]:
    if "ESCAPED" in result.stdout_tail:
        line = next(li for li in result.stdout_tail.splitlines() if "ESCAPED" in li)
        return False, line[:120]
    expect = attack.expect
    if expect == "oom":
        return result.oom_killed, ""
    if expect == "cpu":
        return result.cpu_limit_hit, f"signal {result.signal}"
    if expect == "wall":
        return result.timed_out, ""
    if expect == "output":
        return result.output_limit_hit, f"kept {len(result.stdout_tail)} log bytes"
    if expect == "unsafe-output":
        try:
            safe_collect_outputs(output_dir)
        except UnsafeOutputError as error:
            return True, f"outputs rejected: {str(error)[:80]}"
        return False, "outputs were accepted"
    if result.limit_exceeded or result.exit_code != 0:
        return False, f"unexpected end: {result.stderr_tail[-200:]}"
    blocked = result.stdout_tail.count("BLOCKED")
    return True, f"{blocked} attempt(s) blocked" if blocked else ""


def surviving_sandbox_processes(marker: str = "") -> list[int]:
    """Return host pids still running as the sandbox uid with ``marker`` in their argv.

    Zombies are not counted: they run no code, and bwrap's pid-1 helper can be left
    as one for the host's init to reap when bwrap's monitor exits first.
    """
    identity = default_identity()
    if identity is None:
        return []
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        with contextlib.suppress(OSError, ValueError):
            fields = dict(
                line.split(":", 1) for line in status.read_text().splitlines() if ":" in line
            )
            zombie = fields.get("State", "").strip().startswith(("Z", "X"))
            if zombie or int(fields["Uid"].split()[0]) != identity.uid:
                continue
            if marker.encode() in (status.parent / "cmdline").read_bytes():
                found.append(int(status.parent.name))
    return found


def _process_gone(pid: int) -> bool:
    return not Path(f"/proc/{pid}").exists()


def run_syscall_probe(
    bench: AttackBench, *, limits: SandboxLimits = SELFTEST_LIMITS
) -> list[AttackOutcome]:
    """Make every denied system call in the run stage: one row per call, plus the filter's."""
    output_dir = bench.fresh_output_dir("output")
    result = run_stage(
        program_dir=bench.program_dir,
        entrypoint_argv=[runtime_python(), "-c", probe_program(), f"{OUTPUT_TARGET}/probe.json"],
        inputs_dir=bench.inputs_dir,
        output_dir=output_dir,
        limits=limits,
    )
    report = output_dir / "probe.json"
    if not result.succeeded or not report.is_file():
        detail = f"{result.reason('en')}: {result.stderr_tail[-200:]}"
        return [AttackOutcome("seccomp: system call probe", False, detail)]
    mode, rows = read_probe(report)
    installed = AttackOutcome("seccomp: filter installed", mode == 2, f"Seccomp: {mode}")
    return [installed] + [
        AttackOutcome(f"seccomp: {row.label}", row.refused, row.detail) for row in rows
    ]


def run_selftest(attacks: Sequence[Attack] = ATTACKS) -> list[AttackOutcome]:
    """Run every attack, the system call probe, then a normal program; one outcome per row."""
    outcomes: list[AttackOutcome] = []
    with attack_bench() as bench:
        for attack in attacks:
            outcomes.append(run_attack(attack, bench)[0])
        outcomes += run_syscall_probe(bench)
        normal = Attack("normal program after the attacks", "print(sum(range(10)))")
        outcome, result = run_attack(normal, bench)
        works = outcome.contained and result.stdout_tail.strip() == "45"
        outcomes.append(dataclasses.replace(outcome, contained=works))
    return outcomes


def format_table(outcomes: Sequence[AttackOutcome]) -> str:
    """Return the outcomes as a plain-text table."""
    width = max(len(outcome.name) for outcome in outcomes)
    lines = [f"{'attack'.ljust(width)}  contained  reason", "-" * (width + 40)]
    for outcome in outcomes:
        mark = "yes" if outcome.contained else "NO"
        lines.append(f"{outcome.name.ljust(width)}  {mark.ljust(9)}  {outcome.reason}")
    return "\n".join(lines)
