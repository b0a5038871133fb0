"""Anonymous reads of cached boards answered before routing: the same answers as the route."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlmodel import Session

from jiebang.leaderboards import cache

from .helpers import add_score, constructed_board, order


def _same(a: object, b: object) -> None:
    assert a.status_code == b.status_code  # type: ignore[attr-defined]
    assert a.content == b.content  # type: ignore[attr-defined]
    skip = {"x-request-id"}
    assert {k: v for k, v in a.headers.items() if k not in skip} == {  # type: ignore[attr-defined]
        k: v
        for k, v in b.headers.items()  # type: ignore[attr-defined]
        if k not in skip
    }


def test_cached_boards_are_answered_like_the_route(
    client: TestClient,
    db: Session,
    organiser: dict[str, str],
    make_user: Callable[..., dict[str, str]],
) -> None:
    b = constructed_board(client, db, organiser, make_user)
    url = f"/api/v1/phases/{b.ids['phase']}/leaderboard"
    for params, headers in (
        ({}, {}),
        ({"split": "public"}, {"Accept-Encoding": "identity"}),
    ):
        cache.forget(None)
        routed = client.get(url, params=params, headers=headers)  # a miss: the route renders
        assert cache.boards.peek(("board", b.ids["phase"], "public", False)) is not None
        fast = client.get(url, params=params, headers=headers)
        _same(routed, fast)
        etag = fast.headers["etag"]
        assert client.get(url, params=params, headers={"If-None-Match": etag}).status_code == 304
    # A score recorded in this process: the next anonymous read shows it.
    add_score(db, submission_id=b.subs["beta"], public=0.0001, private=0.9, purpose="rescore")
    assert order(client.get(url).json(), b.teams) == ["beta", "alpha", "gamma"]
    # Refusals still come from the route, explained in the reader's language.
    refused = client.get(url, params={"split": "private"}, headers={"Accept-Language": "zh-CN"})
    assert refused.status_code == 403 and refused.json()["code"] == "private_not_published"
    response = client.patch(
        f"/api/v1/phases/{b.ids['phase']}",
        json={"leaderboard_visibility": "hidden"},
        headers=organiser,
    )
    assert response.status_code == 200
    client.get(url, headers=organiser)  # staff read it: nothing cached is served anonymously
    hidden = client.get(url)
    assert hidden.status_code == 403 and hidden.json()["code"] == "leaderboard_hidden"
    assert client.get(url, params={"split": "public", "x": "1"}).status_code == 403
