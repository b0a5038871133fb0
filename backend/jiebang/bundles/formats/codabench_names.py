"""Slugs of the tracks and phases a Codabench bundle becomes, and its phase migrations."""

from __future__ import annotations

import itertools
import re

from jiebang.bundles.formats import codabench_read as cb


def slugify(text: str, fallback: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60].strip("-")
    return slug or fallback


def track_slugs(comp: cb.Competition) -> dict[int, str]:
    slugs: dict[int, str] = {}
    for task in sorted(comp.tasks, key=lambda t: t.index):
        slug = slugify(task.name, f"task-{task.index}")
        slugs[task.index] = slug if slug not in slugs.values() else f"{slug[:55]}-{task.index}"
    return slugs


def phase_slug(phase: cb.Phase, track_phases: list[cb.Phase]) -> str:
    if len(track_phases) == len({p.name for p in track_phases}):
        return slugify(phase.name, f"phase-{phase.index}")
    return f"phase-{phase.index}"


def migrations(comp: cb.Competition, slugs: dict[int, str]) -> list[tuple[str, str, str, str]]:
    """Each auto-migrating phase, per task, with the phase before it (by index, as
    Codabench orders them): the same task's when it had one, else its first task's."""
    ordered = sorted(comp.phases, key=lambda p: p.index)
    found = []
    for before, phase in itertools.pairwise(ordered):
        if not phase.auto_migrate or not before.tasks:
            continue
        for task in phase.tasks:
            source = task if task in before.tasks else before.tasks[0]
            if task not in slugs or source not in slugs:
                continue
            mine = [p for p in comp.phases if task in p.tasks]
            theirs = [p for p in comp.phases if source in p.tasks]
            found.append(
                (slugs[task], phase_slug(phase, mine), slugs[source], phase_slug(before, theirs))
            )
    return found
