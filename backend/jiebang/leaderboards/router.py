"""Leaderboards, freezing, publication and result exports."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Body, Depends, Query, Request, Response
from sqlmodel import Session
from sse_starlette.sse import EventSourceResponse
from starlette.concurrency import run_in_threadpool

from jiebang.auth.dependencies import (
    OptionalUser,
    SessionDep,
    bearer_token,
    current_user,
    optional_user,
)
from jiebang.contests import service as contest_service
from jiebang.contests.models import PhasePublic
from jiebang.core.errors import NotFound, Unauthorized
from jiebang.db import get_engine
from jiebang.feed import tickets
from jiebang.feed.models import StreamTicketPublic
from jiebang.leaderboards import events, publication, views
from jiebang.leaderboards.models import (
    FreezeRequest,
    Leaderboard,
    PublishRequest,
    ResultsIndex,
    ResultVersionPublic,
)
from jiebang.organisations.permissions import ContestOrganiser, ContestStaff, is_contest_staff

router = APIRouter(tags=["leaderboards"])
public_router = APIRouter(tags=["leaderboards"])

Split = Literal["public", "private"]


@public_router.get("/phases/{phase_id}/leaderboard", response_model=Leaderboard)
async def read_leaderboard(
    phase_id: int,
    request: Request,
    token: Annotated[str | None, Depends(bearer_token)],
    split: Split = "public",
) -> Response:
    """The ranked board. Participants see the public split (frozen at freeze_at) until the final
    results are published; staff see live values of either split.

    Anonymous readers of a board this process has cached are answered without a thread hop or
    a database round trip; everyone else goes through the thread pool once."""
    rendered = views.cached(phase_id=phase_id, split=split, staff=False) if not token else None
    if rendered is not None:
        views.check_access(rendered=rendered, user=None, staff=False, split=split)
    else:
        rendered = await run_in_threadpool(_board_for, request, token, phase_id, split)
    return _encoded(request, rendered)


def _board_for(request: Request, token: str | None, phase_id: int, split: str) -> views.Rendered:
    with Session(get_engine(), expire_on_commit=False) as db:
        user = optional_user(request, db, token)
        staff = is_contest_staff(db, user, {"phase_id": phase_id})
        rendered = views.render(db=db, phase_id=phase_id, split=split, staff=staff)
        views.check_access(rendered=rendered, user=user, staff=staff, split=split)
        return rendered


def _encoded(request: Request, rendered: views.Rendered) -> Response:
    """The pre-encoded body (gzip when accepted), or 304 when the client already has it."""
    return views.encoded(
        rendered,
        if_none_match=request.headers.get("if-none-match", ""),
        accept_encoding=request.headers.get("accept-encoding", ""),
    )


@public_router.get("/phases/{phase_id}/results", response_model=ResultsIndex)
def read_results(
    phase_id: int,
    db: SessionDep,
    user: OptionalUser,
    format: Literal["json", "csv"] = "json",
    version: Annotated[int | None, Query(ge=1)] = None,
) -> object:
    """Published result versions with diffs; `?format=csv` exports one (default: the latest)."""
    staff = is_contest_staff(db, user, {"phase_id": phase_id})
    phase = contest_service.get_phase(db=db, phase_id=phase_id, include_drafts=staff)
    versions = publication.versions(db=db, phase_id=phase_id)
    if format == "csv":
        chosen = [v for v in versions if version is None or v.version == version]
        if not chosen:
            raise NotFound("results")
        filename = f"phase-{phase_id}-results-v{chosen[-1].version}.csv"
        return Response(
            publication.to_csv(chosen[-1]),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )
    if version is not None:
        versions = [v for v in versions if v.version == version]
        if not versions:
            raise NotFound("results")
    return ResultsIndex(
        phase_id=phase_id,
        published=phase.published_at is not None,
        versions=[ResultVersionPublic.model_validate(v, from_attributes=True) for v in versions],
    )


@router.post("/phases/{phase_id}/freeze", response_model=PhasePublic)
def freeze_phase(
    phase_id: int,
    organiser: ContestOrganiser,
    db: SessionDep,
    body: Annotated[FreezeRequest | None, Body()] = None,
) -> object:
    """Freeze what participants see (now, or at `at`); staff keep seeing live values."""
    phase = contest_service.get_phase(db=db, phase_id=phase_id, include_drafts=True)
    return publication.freeze(db=db, phase=phase, user=organiser, at=body.at if body else None)


@router.post("/phases/{phase_id}/unfreeze", response_model=PhasePublic)
def unfreeze_phase(phase_id: int, organiser: ContestOrganiser, db: SessionDep) -> object:
    """Lift the freeze (publication lifts it too)."""
    phase = contest_service.get_phase(db=db, phase_id=phase_id, include_drafts=True)
    return publication.unfreeze(db=db, phase=phase, user=organiser)


@router.post("/phases/{phase_id}/publish", response_model=ResultVersionPublic)
def publish_phase(
    phase_id: int,
    judge: ContestStaff,
    db: SessionDep,
    body: Annotated[PublishRequest | None, Body()] = None,
) -> object:
    """Publish the final results as a new immutable version, with a diff to the previous one.
    Judges and organisers may publish, once the phase has ended (409 before, with the date)."""
    phase = contest_service.get_phase(db=db, phase_id=phase_id, include_drafts=True)
    return publication.publish(db=db, phase=phase, user=judge, body=body or PublishRequest())


@public_router.post("/events/tickets", response_model=StreamTicketPublic, status_code=201)
async def create_stream_ticket(
    request: Request, token: Annotated[str | None, Depends(bearer_token)]
) -> StreamTicketPublic:
    """A single-use ticket, signed in with the bearer token, for opening one event stream
    within a minute: EventSource cannot send headers, and an access token in a URL would land
    in access logs. One thread hop and one short session, however many pages open at once."""
    ticket = await run_in_threadpool(_ticket_for, request, token)
    return StreamTicketPublic(ticket=ticket, expires_in=tickets.TICKET_SECONDS)


def _ticket_for(request: Request, token: str | None) -> str:
    with Session(get_engine(), expire_on_commit=False) as db:
        user = current_user(request, db, token)
        return tickets.issue(db=db, user_id=user.id or 0)


@public_router.get("/events", response_class=EventSourceResponse)
async def read_events(
    ticket: Annotated[str | None, Query(max_length=100)] = None,
    phase_id: Annotated[list[int] | None, Query(max_length=20)] = None,
    max_seconds: Annotated[float, Query(gt=0, le=3600)] = 900,
) -> EventSourceResponse:
    """Server-sent events: your team's submission status changes and changes of the boards you
    watch (`phase_id`, repeatable). Open it with a ticket from `POST /events/tickets`. The
    stream holds no database session: the ticket is spent and the watcher set up in one short
    session, then events come from the process's change feed."""
    if not ticket:
        raise Unauthorized()
    watcher = await run_in_threadpool(events.open_with_ticket, ticket, list(phase_id or []))
    return EventSourceResponse(events.stream(watcher, max_seconds), ping=15, send_timeout=30)
