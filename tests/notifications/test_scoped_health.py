"""The health page for organisers of every scope: the whole queue's state, nobody's address.

A platform organiser reads the email queue's last error as the SMTP server gave it; an
organiser of one unit, contest or list that runs reads the same counts and the error with its
e-mail addresses masked; the sandbox self-test stays with platform organisers; a user with no
organiser role anywhere, or only a judge's, gets 403 as before, and so does the organiser of a
unit that only applies (tests/organisations/test_running_organisers.py).
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlmodel import Session

from jiebang.auth.models import Role
from jiebang.core.health_probes import without_addresses
from jiebang.notifications.models import EmailMessage, EmailStatus
from jiebang.organisations.models import RoleGrant, ScopedRole, ScopeKind
from tests.organisations.helpers import make_unit, me, publish_list_with_item

Maker = Callable[..., dict[str, str]]
URL = "/api/v1/admin/health"
ERROR = "(550, b'5.1.1 <zhang.san@example.org>: Recipient address rejected')"


def test_addresses_are_masked_in_any_error_text() -> None:
    assert without_addresses(ERROR) == "(550, b'5.1.1 <…@…>: Recipient address rejected')"
    assert without_addresses("to a.b+c@mail.example.cn, li@x.org") == "to …@…, …@…"
    assert without_addresses("Connection refused") == "Connection refused"


def test_every_organiser_reads_the_queue_only_platform_ones_read_addresses(
    client: TestClient, db: Session, organiser: dict[str, str], make_user: Maker
) -> None:
    unit_organiser, list_organiser, nobody = make_user(), make_user(), make_user()
    judge = make_user(Role.judge)
    publish_list_with_item(client, organiser, make_unit(client, unit_organiser, "健康单位"))
    db.add(
        RoleGrant(
            user_id=me(client, list_organiser),
            role=ScopedRole.organiser,
            scope_kind=ScopeKind.challenge_list,
            scope_id=1,
        )
    )
    failed = EmailMessage(
        recipient="zhang.san@example.org",
        subject="s",
        body="b",
        status=EmailStatus.failed,
        attempts=5,
        last_error=ERROR,
    )
    db.add(failed)
    db.add(EmailMessage(recipient="li.si@example.org", subject="s", body="b", attempts=1))
    db.commit()

    platform = client.get(URL, headers=organiser)
    assert platform.status_code == 200
    queue = platform.json()["email_queue"]
    assert (queue["failed"], queue["pending"], queue["retrying"]) == (1, 1, 1)
    assert queue["last_error"] == ERROR

    for scoped in (unit_organiser, list_organiser):
        seen = client.get(URL, headers=scoped)
        assert seen.status_code == 200, seen.text
        body = seen.json()
        assert {k: v for k, v in body["email_queue"].items() if k != "last_error"} == {
            k: v for k, v in queue.items() if k != "last_error"
        }
        assert body["email_queue"]["last_error"] == without_addresses(ERROR)
        assert "example.org" not in seen.text  # nobody's address anywhere on the page
        assert body["sandbox"]["mechanism"] == platform.json()["sandbox"]["mechanism"]
        assert client.post("/api/v1/admin/sandbox/selftest", headers=scoped).status_code == 403

    for refused in (nobody, judge):
        assert client.get(URL, headers=refused).status_code == 403
    assert client.get(URL).status_code == 401
