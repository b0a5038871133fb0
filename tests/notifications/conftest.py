"""A real SMTP server on loopback (aiosmtpd) and the platform's API fixtures."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from jiebang.notifications.config import get_notification_settings
from tests.platform.conftest import (  # noqa: F401 - fixtures
    client,
    judge,
    make_user,
    organiser,
    participant,
    published_contest,
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Inbox:
    """What the SMTP server received, parsed."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


class SmtpServer:
    def __init__(self, port: int) -> None:
        self.port = port
        self.received = Inbox()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.received, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp_settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[int], None]]:
    def point_at(port: int) -> None:
        monkeypatch.setenv("JIEBANG_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("JIEBANG_SMTP_PORT", str(port))
        monkeypatch.setenv("JIEBANG_SMTP_SENDER", "Jiebang <noreply@jiebang.test>")
        monkeypatch.setenv("JIEBANG_EMAIL_BACKOFF_SECONDS", "30")
        get_notification_settings.cache_clear()

    yield point_at
    get_notification_settings.cache_clear()


@pytest.fixture
def smtp(smtp_settings: Callable[[int], None]) -> Iterator[SmtpServer]:
    """An SMTP server on 127.0.0.1 and a free port, with the platform pointed at it."""
    server = SmtpServer(free_port())
    smtp_settings(server.port)
    server.start()
    yield server
    server.stop()
