"""A draft list's time zone edited while it is published, twenty requests at once (SQLite and
PostgreSQL): each edit reads the list's status under its row lock, so it lands before the
publish or is refused with list_timezone_fixed after it; never a 500."""

from __future__ import annotations

from collections import Counter

from fastapi.testclient import TestClient

from tests.concurrency import at_once

from .test_list_time_zone import _draft, _patch

TIMES = 20
ZONES = ("Europe/London", "America/New_York")


def test_zone_edits_and_publishes_at_once_never_move_a_published_list(
    client: TestClient, organiser: dict[str, str]
) -> None:
    list_id = _draft(client, organiser)
    publish = {"status": "published"}
    url = f"/api/v1/challenge-lists/{list_id}/status"
    edits = [
        (lambda z=ZONES[n % 2]: _patch(client, organiser, list_id, timezone=z))
        for n in range(TIMES // 2)
    ]
    publishes = [lambda: client.put(url, json=publish, headers=organiser)] * (TIMES // 2)
    answers = at_once([c for pair in zip(edits, publishes, strict=True) for c in pair])
    edited, published = answers[0::2], answers[1::2]
    assert set(Counter(r.status_code for r in edited)) <= {200, 409}, [r.text for r in edited]
    assert {r.json()["code"] for r in edited if r.status_code == 409} <= {"list_timezone_fixed"}
    assert Counter(r.status_code for r in published)[200] >= 1, [r.text for r in published]
    assert all(r.status_code < 500 for r in published), [r.text for r in published]
    asked = [ZONES[n % 2] for n in range(TIMES // 2)]
    # a 200 after the publish is an edit to the zone the list already had: nothing moved
    landed = [(r.json(), want) for r, want in zip(edited, asked, strict=True) if r.is_success]
    assert all(got["status"] == "draft" or got["timezone"] == want for got, want in landed)
    won = [r.json() for r in published if r.status_code == 200]
    final = client.get(f"/api/v1/challenge-lists/{list_id}", headers=organiser).json()
    assert final["status"] == "published"
    assert [w["timezone"] for w in won] == [final["timezone"]], won  # as it was published
    late = _patch(client, organiser, list_id, timezone="Asia/Tokyo")
    assert late.status_code == 409 and late.json()["code"] == "list_timezone_fixed"
    assert (
        client.get(f"/api/v1/challenge-lists/{list_id}").json()["timezone"] == (final["timezone"])
    )
