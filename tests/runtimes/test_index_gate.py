"""The index gate on its own: a SOCKS5 server on a Unix socket that connects only to the
allowed host:port pairs, refusing (reply 2) and recording everything else."""

from __future__ import annotations

import logging
import socket
import socketserver
import threading
from collections.abc import Iterator

import pytest

from jiebang.runtimes.config import RuntimeSettings
from jiebang.runtimes.index_gate import (
    IndexGate,
    index_destination,
    parse_destination,
    running_gate,
)


class _Echo(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        self.request.sendall(self.request.recv(1024).upper())


@pytest.fixture
def echo() -> Iterator[int]:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Echo)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def _connect(gate: IndexGate, host: str, port: int, *, ipv4: bool = False) -> socket.socket:
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    client.settimeout(10)
    client.connect(str(gate.socket_path))
    client.sendall(b"\x05\x01\x00")
    assert client.recv(2) == b"\x05\x00"
    if ipv4:
        address = b"\x01" + socket.inet_aton(host)
    else:
        address = b"\x03" + bytes([len(host)]) + host.encode()
    client.sendall(b"\x05\x01\x00" + address + port.to_bytes(2, "big"))
    return client


def test_an_allowed_destination_is_relayed(echo: int) -> None:
    with running_gate([("127.0.0.1", echo)]) as gate:
        client = _connect(gate, "127.0.0.1", echo, ipv4=True)
        reply = client.recv(10)
        assert reply[:2] == b"\x05\x00"
        client.sendall(b"simple")
        assert client.recv(16) == b"SIMPLE"
        client.close()
        assert gate.refused == []


def test_another_host_or_port_is_refused_and_recorded(
    echo: int, caplog: pytest.LogCaptureFixture
) -> None:
    noted: list[str] = []
    with (
        caplog.at_level(logging.WARNING, logger="jiebang.runtimes.index_gate"),
        running_gate([("127.0.0.1", echo)], on_refusal=noted.append) as gate,
    ):
        for host, port in (("127.0.0.1", echo + 1), ("localhost", echo), ("evil.example", 443)):
            client = _connect(gate, host, port, ipv4=host == "127.0.0.1")
            assert client.recv(10)[:2] == b"\x05\x02"  # not allowed by ruleset
            assert client.recv(1) == b""  # and closed
            client.close()
        assert gate.refused == [("127.0.0.1", echo + 1), ("localhost", echo), ("evil.example", 443)]
    assert noted[0] == f"index gate: refused a connection to 127.0.0.1:{echo + 1}"
    assert "index gate: refused a connection to evil.example:443" in caplog.text


def test_only_connect_without_authentication_is_spoken(echo: int) -> None:
    with running_gate([("127.0.0.1", echo)]) as gate:
        client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        client.settimeout(10)
        client.connect(str(gate.socket_path))
        client.sendall(b"\x05\x01\x02")  # username/password only
        assert client.recv(2) == b"\x05\xff"
        client.close()
        client = _connect(gate, "127.0.0.1", echo, ipv4=True)
        client.close()
        bind = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        bind.settimeout(10)
        bind.connect(str(gate.socket_path))
        bind.sendall(b"\x05\x01\x00")
        bind.recv(2)
        bind.sendall(b"\x05\x02\x00\x01" + socket.inet_aton("127.0.0.1") + echo.to_bytes(2, "big"))
        assert bind.recv(10)[:2] == b"\x05\x07"  # BIND: command not supported
        bind.close()


def test_the_allowed_hosts_come_from_the_index_and_the_setting() -> None:
    assert parse_destination("files.pythonhosted.org") == ("files.pythonhosted.org", 443)
    assert parse_destination("Mirror.Example:8443") == ("mirror.example", 8443)
    assert index_destination("http://127.0.0.1:8080/simple") == ("127.0.0.1", 8080)
    with pytest.raises(ValueError, match="http"):
        index_destination("file:///srv/wheels")
    assert RuntimeSettings().index_destinations() == [
        ("pypi.org", 443),
        ("files.pythonhosted.org", 443),
    ]
    mirror = RuntimeSettings(
        index_url="https://mirror.example/simple", index_hosts=["cdn.example:8443"]
    )
    assert mirror.index_destinations() == [("mirror.example", 443), ("cdn.example", 8443)]


def test_closing_the_gate_ends_a_connection_to_an_index_that_hangs() -> None:
    silent = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)  # connections complete in the backlog; nothing ever answers
    port = silent.getsockname()[1]
    with running_gate([("127.0.0.1", port)]) as gate:
        client = _connect(gate, "127.0.0.1", port, ipv4=True)
        assert client.recv(10)[:2] == b"\x05\x00"
        client.sendall(b"GET /simple/ HTTP/1.1\r\n\r\n")
    assert client.recv(1) == b""
    client.close()
    silent.close()
