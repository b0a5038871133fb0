"""Messages a team can act on when the expected layout is not where the evaluator looks.

The most common mistake is an archive holding one folder (``my_results/``) around the
expected files; the message names that folder instead of reporting, say, zero frames."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from jiebang_eval.contract import SubmissionError

IGNORED = ("__MACOSX", ".")  # archive tools' side folders and hidden files


def wrapper_folder(submission_dir: Path, expected: Iterable[str]) -> str | None:
    """The single top-level folder that holds what should be at the top, if that is the case."""
    if not submission_dir.is_dir():
        return None
    entries = [p for p in submission_dir.iterdir() if not p.name.startswith(IGNORED)]
    if len(entries) != 1 or not entries[0].is_dir():
        return None
    inner = entries[0]
    wanted = list(expected)
    if any((inner / name).exists() for name in wanted) or any(
        p.match(name) for name in wanted for p in inner.iterdir()
    ):
        return inner.name
    return None


def wrapped_error(folder: str, expected: list[str]) -> SubmissionError:
    shown = ", ".join(expected[:3]) + (" …" if len(expected) > 3 else "")
    return SubmissionError(
        en=(
            f"your archive has one folder '{folder}/' around the expected layout: put its "
            f"contents ({shown}) at the top level of the archive"
        ),
        zh=(
            f"压缩包在预期结构外多了一层文件夹“{folder}/”：请把其中的内容（{shown}）"
            "直接放在压缩包的顶层"
        ),
    )


def missing(submission_dir: Path, expected: list[str], *, en: str, zh: str) -> SubmissionError:
    """``en``/``zh`` naming what is missing, or the wrapper folder when that explains it."""
    folder = wrapper_folder(submission_dir, expected)
    if folder is not None:
        return wrapped_error(folder, expected)
    return SubmissionError(en=en, zh=zh)
