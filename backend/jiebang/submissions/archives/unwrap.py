"""One folder too many: a submission packed with its layout inside a single top folder."""

from __future__ import annotations

from pathlib import Path


def unwrap_single_folder(
    root: Path, reference_dir: Path, *, markers: tuple[str, ...] = ()
) -> str | None:
    """Lift the contents of one folder wrapped around the layout up to ``root``; return its name.

    Done only when unambiguous: ``root`` holds that folder and nothing else, and either the
    folder holds one of ``markers`` (a code track's manifest) that ``root`` lacks, or the
    track has reference data and no top-level reference entry is named like the folder
    (a one-clip submission ``chelsea/`` beside a reference ``chelsea/`` stays as it is).
    """
    entries = list(root.iterdir())
    if len(entries) != 1 or not entries[0].is_dir() or entries[0].is_symlink():
        return None
    folder = entries[0]
    if markers:
        if not any((folder / m).is_file() for m in markers):
            return None
    else:
        expected = {p.name for p in reference_dir.iterdir()} if reference_dir.is_dir() else set()
        stems = expected | {name.split(".", 1)[0] for name in expected}
        if not expected or folder.name in stems:
            return None
    holder = root / f".unwrap-{folder.name}"
    folder.rename(holder)
    for child in holder.iterdir():
        child.rename(root / child.name)
    holder.rmdir()
    return folder.name
