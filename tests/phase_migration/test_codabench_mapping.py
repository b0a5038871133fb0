"""Which Jiebang phase migrates from which, read from Codabench phases and tasks."""

from __future__ import annotations

from datetime import UTC, datetime

from jiebang.bundles.formats.codabench_names import migrations, track_slugs
from jiebang.bundles.formats.codabench_records import Competition, Phase, Task


def _phase(index: int, name: str, tasks: list[int], auto: bool = False) -> Phase:
    start = datetime(2026, 1 + index, 1, tzinfo=UTC)
    return Phase(index, name, "", start, None, tasks, auto_migrate=auto)


def _task(index: int, name: str) -> Task:
    return Task(index, name, "", "scoring/", None, None, None)


def test_a_phase_on_another_task_migrates_from_the_previous_phases_first_task() -> None:
    comp = Competition(version="2", title="t")
    comp.tasks = [_task(0, "Development Task"), _task(1, "Final Task")]
    comp.phases = [_phase(0, "Development", [0]), _phase(1, "Final", [1], auto=True)]
    assert migrations(comp, track_slugs(comp)) == [
        ("final-task", "final", "development-task", "development")
    ]


def test_phases_sharing_tasks_migrate_task_by_task_and_only_where_asked() -> None:
    comp = Competition(version="2", title="t")
    comp.tasks = [_task(0, "A"), _task(1, "B")]
    comp.phases = [
        _phase(0, "One", [0, 1]),
        _phase(1, "Two", [0, 1]),  # not asked
        _phase(2, "Three", [1], auto=True),
    ]
    assert migrations(comp, track_slugs(comp)) == [("b", "three", "b", "two")]
