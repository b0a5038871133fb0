"""Anonymous reads of a board this process holds cached, answered before routing.

A public board is the page every participant keeps open, so its cached copy is served as
cheaply as /healthz: no route matching, no dependency resolution, no thread hop, no database.
Anything this path is not sure of (a token, other query parameters, a board not cached, a
refusal to explain) goes on to the ordinary route, which gives the same answer more slowly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from jiebang.core.errors import DomainError
from jiebang.leaderboards import views

_SPLITS = {b"": "public", b"split=public": "public", b"split=private": "private"}


@dataclass(frozen=True)
class _Route:
    path: str  # what the request metrics label the request with, as for the routed path


class CachedBoards:
    """ASGI middleware for GET {prefix}/phases/{id}/leaderboard without credentials."""

    def __init__(self, app: ASGIApp, *, prefix: str = "/api/v1") -> None:
        self.app = app
        self.pattern = re.compile(re.escape(prefix) + r"/phases/([1-9][0-9]{0,17})/leaderboard")
        self.route = _Route(prefix + "/phases/{phase_id}/leaderboard")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET":
            match = self.pattern.fullmatch(scope["path"])
            split = _SPLITS.get(scope.get("query_string", b"")) if match else None
            if match and split is not None:
                headers = Headers(scope=scope)
                if "authorization" not in headers:
                    rendered = views.cached(phase_id=int(match[1]), split=split, staff=False)
                    if rendered is not None and _allowed(rendered, split):
                        scope["route"] = self.route
                        response = views.encoded(
                            rendered,
                            if_none_match=headers.get("if-none-match", ""),
                            accept_encoding=headers.get("accept-encoding", ""),
                        )
                        await response(scope, receive, send)
                        return
        await self.app(scope, receive, send)


def _allowed(rendered: views.Rendered, split: str) -> bool:
    try:
        views.check_access(rendered=rendered, user=None, staff=False, split=split)
    except DomainError:
        return False  # the route explains the refusal, in the reader's language
    return True
