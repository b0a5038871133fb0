"""Who may see which board, and the rendered (cached, pre-encoded) board itself."""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass

from pydantic_core import to_json
from sqlmodel import Session
from starlette.responses import Response

from jiebang.auth.models import User
from jiebang.contests.models import Contest, LeaderboardVisibility, Phase, PublicationStatus, Track
from jiebang.core.errors import Forbidden, NotFound, Unauthorized
from jiebang.db import get_engine, utcnow
from jiebang.leaderboards import cache, fact_sheet_columns, publication, service


@dataclass(frozen=True)
class Rendered:
    phase_id: int
    contest_published: bool
    visibility: str
    body: bytes  # the Leaderboard as JSON
    gzipped: bytes  # the same, compressed once here rather than per request
    etag: str


def _phase_context(db: Session, phase_id: int) -> tuple[Phase, Contest]:
    phase = db.get(Phase, phase_id)
    track = db.get(Track, phase.track_id) if phase else None
    contest = db.get(Contest, track.contest_id) if track else None
    if phase is None or contest is None:
        raise NotFound("phase")
    return phase, contest


def _compute(db: Session, phase_id: int, split: str, staff: bool) -> tuple[Rendered, float | None]:
    phase, contest = _phase_context(db, phase_id)
    track = service.track_of(db=db, phase=phase)
    valid_until = None
    if split == service.PRIVATE and not staff:
        version = (
            publication.latest(db=db, phase_id=phase_id) if phase.published_at is not None else None
        )
        board = publication.board_from_version(phase=phase, version=version) if version else None
        if board is not None and version is not None and not publication.answers_frozen(version):
            fact_sheet_columns.attach_to_board(db=db, track=track, board=board)
        body = board.model_dump_json().encode() if board is not None else b""
    else:
        data = service.live_board_data(db=db, phase=phase, split=split, staff=staff)
        fact_sheet_columns.attach_to_data(db=db, track=track, data=data)
        body = to_json(data)  # what the Leaderboard model would encode, without building it
        if phase.freeze_at is not None and utcnow() < phase.freeze_at:
            valid_until = phase.freeze_at.timestamp()  # the view changes at the freeze moment
    rendered = Rendered(
        phase_id=phase_id,
        contest_published=contest.status == PublicationStatus.published,
        visibility=str(phase.leaderboard_visibility),
        body=body,
        gzipped=gzip.compress(body, compresslevel=6, mtime=0),
        etag=hashlib.sha256(body).hexdigest()[:32],
    )
    return rendered, valid_until


def _compute_key(key: tuple[object, ...]) -> tuple[Rendered, float | None]:
    _, phase_id, split, staff = key
    with Session(get_engine(), expire_on_commit=False) as db:
        return _compute(db, int(phase_id), str(split), bool(staff))  # type: ignore[call-overload]


cache.set_computer(_compute_key)


def render(*, db: Session, phase_id: int, split: str, staff: bool) -> Rendered:
    """The board as this audience sees it, from the cache when fresh."""
    return cache.boards.get_or_compute(
        ("board", phase_id, split, staff), lambda: _compute(db, phase_id, split, staff)
    )


def cached(*, phase_id: int, split: str, staff: bool) -> Rendered | None:
    """The rendered board if this process holds a servable copy; never waits for the database
    (an aged copy is refreshed in the background)."""
    key = ("board", phase_id, split, staff)

    def refresh() -> None:
        with Session(get_engine(), expire_on_commit=False) as db:
            cache.boards.recompute(key, lambda: _compute(db, phase_id, split, staff))

    return cache.boards.peek(key, refresh)


def encoded(rendered: Rendered, *, if_none_match: str, accept_encoding: str) -> Response:
    """The pre-encoded body (gzip when accepted), or 304 when the client already has it."""
    etag = f'"{rendered.etag}"'
    headers = {"ETag": etag, "Cache-Control": "no-cache", "Vary": "Accept-Encoding"}
    if etag in if_none_match:
        return Response(status_code=304, headers=headers)
    if "gzip" in accept_encoding:
        headers["Content-Encoding"] = "gzip"
        return Response(rendered.gzipped, media_type="application/json", headers=headers)
    return Response(rendered.body, media_type="application/json", headers=headers)


def check_access(*, rendered: Rendered, user: User | None, staff: bool, split: str) -> None:
    """Refuse what the audience may not see; the checks never depend on score values."""
    if staff:
        return
    if not rendered.contest_published:
        raise NotFound("phase")
    if rendered.visibility == LeaderboardVisibility.hidden:
        raise Forbidden("leaderboard_hidden")
    if rendered.visibility == LeaderboardVisibility.participants and user is None:
        raise Unauthorized()
    if split == service.PRIVATE and not rendered.body:
        raise Forbidden("private_not_published")
