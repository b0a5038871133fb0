"""A program's own root folder as ``/``: what bwrap binds from it, instead of the host's system.

The sandbox is told nothing about where the folder came from (an unpacked image, a
test's assembled tree): each top-level entry of the folder is bound read-only at the
same name under bwrap's fresh root, symlinks are recreated as they are (they resolve
inside the sandbox, never on the host), and ``/proc``, ``/dev``, ``/tmp`` and ``/sys``
stay the sandbox's own. Device nodes, FIFOs and sockets at the top are left out.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath

# Provided by the sandbox itself (new procfs, minimal /dev, size-capped tmpfs); never the image's.
SANDBOX_PROVIDED = frozenset({"proc", "dev", "tmp", "sys"})


def top_level_targets(targets: Iterable[str]) -> set[str]:
    """Return the names of mount targets that sit directly under ``/`` (``/submission``)."""
    return {PurePosixPath(t).parts[1] for t in targets if len(PurePosixPath(t).parts) == 2}


def root_arguments(root: Path, staged_root: str, *, reserved: set[str]) -> list[str]:
    """Return the bwrap arguments that lay ``root``'s top level out under ``/``.

    ``staged_root`` is where bwrap can reach ``root`` (its staging point); ``reserved``
    top-level names are skipped because a mount of the run takes that place.
    """
    args: list[str] = []
    with os.scandir(root) as entries:
        for entry in sorted(entries, key=lambda item: item.name):
            name = entry.name
            if name in SANDBOX_PROVIDED or name in reserved:
                continue
            target = f"/{name}"
            if entry.is_symlink():
                args += ["--symlink", os.readlink(entry.path), target]
            elif entry.is_dir(follow_symlinks=False) or entry.is_file(follow_symlinks=False):
                args += ["--ro-bind", f"{staged_root}/{name}", target]
    return args


def check_mount_points(root: Path, targets: Iterable[str]) -> None:
    """Raise ``ValueError`` for a mount that would need a new mount point inside the root.

    The root is bound read-only, so a target below one of its directories must exist
    there already (a target directly under ``/`` always works).
    """
    for target in targets:
        parts = PurePosixPath(target).parts
        if len(parts) <= 2 or parts[1] in SANDBOX_PROVIDED:  # /dev/...: bwrap's own
            continue
        top = root / parts[1]
        if top.is_symlink() or not top.is_dir():
            if top.is_symlink():
                raise ValueError(f"mount target {target} lies below a symlink of the root folder")
            continue
        if not os.path.lexists(root.joinpath(*parts[1:])):
            raise ValueError(
                f"mount target {target} does not exist in the root folder, which is read-only"
            )


def etc_files_for_root(root: Path, etc_files: Mapping[str, str]) -> dict[str, str]:
    """Return the generated ``/etc`` files that can be bound over ``root``'s ``/etc``.

    Where the root has an ``/etc`` directory, a file is bound only over one that exists;
    where ``/etc`` is a symlink, none is (the mount point would resolve through it).
    """
    etc = root / "etc"
    if etc.is_symlink():
        return {}
    if not etc.is_dir():
        return dict(etc_files)
    return {
        target: source
        for target, source in etc_files.items()
        if os.path.lexists(etc / PurePosixPath(target).name)
        and not (etc / PurePosixPath(target).name).is_symlink()
    }
