"""A track's fact sheet (its questions, from the Codabench bundle's ``fact_sheet``) and the
answers each submission gives: checked against the questions, stored once per submission,
read by the team and the contest's staff."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from jiebang.contests.models import Track
from jiebang.core.errors import Conflict, InvalidInput
from jiebang.core.i18n import current_locale
from jiebang.fact_sheets.models import FactSheetAnswers
from jiebang.submissions.models import Submission

TYPES = ("text", "checkbox", "select")
MAX_TEXT = 2000


class FactSheetInvalid(InvalidInput):
    """A 422 naming ``fact_sheet.<key>``, with its message in the request's locale."""

    def __init__(self, key: str, *, en: str, zh: str) -> None:
        super().__init__(f"fact_sheet.{key}" if key else "fact_sheet", "fact_sheet_invalid")
        self.en, self.zh = en, zh

    def message(self) -> str:
        return self.zh if current_locale.get() == "zh-CN" else self.en


class FactSheetClosed(Conflict):
    """409: the answers are given with the submission, before its upload completes."""

    def __init__(self) -> None:
        super().__init__("submission", "fact_sheet_closed")

    def message(self) -> str:
        if current_locale.get() == "zh-CN":
            return "提交已完成上传，事实表不能再修改"
        return "the submission's upload is complete: its fact sheet can no longer change"


def questions(track: Track) -> list[dict[str, Any]]:
    """The track's questions in order (none for most tracks)."""
    board = track.leaderboard if isinstance(track.leaderboard, dict) else {}
    codabench = board.get("codabench") if isinstance(board.get("codabench"), dict) else {}
    listed = (codabench or {}).get("fact_sheet") or []
    return [q for q in listed if isinstance(q, dict) and q.get("key")]


def _title(question: dict[str, Any]) -> str:
    return str(question.get("title") or question["key"])


def clean(asked: list[dict[str, Any]], answers: dict[str, Any]) -> dict[str, Any]:
    """The answers checked against the questions: unknown keys, a missing required answer,
    a wrong type or an option not offered are each a 422 naming the question."""
    by_key = {str(q["key"]): q for q in asked}
    for key in answers:
        if key not in by_key:
            raise FactSheetInvalid(
                key,
                en=f"'{key}' is not a question of this fact sheet",
                zh=f"事实表没有问题 '{key}'",
            )
    kept: dict[str, Any] = {}
    for key, question in by_key.items():
        value = answers.get(key)
        title = _title(question)
        if value is None or value == "":
            if question.get("required"):
                raise FactSheetInvalid(key, en=f"'{title}' needs an answer", zh=f"请回答“{title}”")
            continue
        kind = question.get("type", "text")
        if kind == "checkbox":
            if not isinstance(value, bool):
                raise FactSheetInvalid(
                    key, en=f"'{title}' is answered yes or no", zh=f"“{title}”应回答是或否"
                )
        elif kind == "select":
            options = [str(o) for o in question.get("options") or []]
            if str(value) not in options:
                raise FactSheetInvalid(
                    key,
                    en=f"'{title}' must be one of: {', '.join(options)}",
                    zh=f"“{title}”须为以下之一：{'、'.join(options)}",
                )
            value = str(value)
        else:
            if not isinstance(value, str | int | float) or isinstance(value, bool):
                raise FactSheetInvalid(
                    key, en=f"'{title}' is answered in text", zh=f"“{title}”应以文字回答"
                )
            value = str(value).strip()
            if len(value) > MAX_TEXT:
                raise FactSheetInvalid(
                    key,
                    en=f"the answer to '{title}' is longer than {MAX_TEXT} characters",
                    zh=f"“{title}”的回答超过 {MAX_TEXT} 个字符",
                )
        kept[key] = value
    return kept


def save(*, db: Session, submission: Submission, answers: dict[str, Any]) -> FactSheetAnswers:
    """Store (or replace, before the upload completes) the submission's answers; commits."""
    row = db.get(FactSheetAnswers, submission.id) or FactSheetAnswers(
        submission_id=submission.id or 0
    )
    row.answers = answers
    db.add(row)
    db.commit()
    db.refresh(row)
    return row


def answers_of(*, db: Session, submission_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Each submission's answers (submissions without any are left out)."""
    if not submission_ids:
        return {}
    rows = db.exec(
        select(FactSheetAnswers).where(col(FactSheetAnswers.submission_id).in_(submission_ids))
    ).all()
    return {r.submission_id: dict(r.answers) for r in rows}


def require_answered(*, db: Session, submission: Submission, track: Track) -> None:
    """Before an upload completes: a track with required questions needs the answers."""
    required = [q for q in questions(track) if q.get("required")]
    if not required or db.get(FactSheetAnswers, submission.id) is not None:
        return
    names = ", ".join(_title(q) for q in required)
    raise FactSheetInvalid(
        "",
        en=f"answer the fact sheet before submitting (required: {names})",
        zh=f"提交前请填写事实表（必答：{names}）",
    )
