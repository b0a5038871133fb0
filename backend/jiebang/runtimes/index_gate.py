"""The index gate: the only way out of a python runtime build sandbox that uses an index.

A small SOCKS5 server (RFC 1928, no authentication, CONNECT only) on a Unix socket that
the worker binds into the build sandbox (``build_launcher.py`` relays to it from the
sandbox's loopback). It connects only to the allowed ``host:port`` pairs, the index and
the hosts it serves files from, resolving names itself (uv uses ``socks5h``); every other
destination is refused with reply 0x02 ("not allowed by ruleset") and recorded: in
:attr:`IndexGate.refused`, in the worker's log and through ``on_refusal`` (the build's
progress log). Nothing else leaves the sandbox: it has no network interface but loopback.
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import os
import socket
import socketserver
import struct
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

from jiebang.runtimes.build_launcher import relay_streams

logger = logging.getLogger(__name__)

SOCKS_VERSION = 5
NO_AUTHENTICATION = 0
NO_ACCEPTABLE_METHOD = 0xFF
CONNECT = 1
IPV4, DOMAIN, IPV6 = 1, 3, 4
SUCCEEDED, GENERAL_FAILURE, NOT_ALLOWED = 0, 1, 2
HOST_UNREACHABLE, CONNECTION_REFUSED, COMMAND_UNSUPPORTED = 4, 5, 7
CONNECT_TIMEOUT_SECONDS = 30
HANDSHAKE_TIMEOUT_SECONDS = 30
DEFAULT_PORTS = {"http": 80, "https": 443}
SOCKET_NAME = "gate.sock"

Destination = tuple[str, int]


def parse_destination(text: str, *, default_port: int = 443) -> Destination:
    """Return ``(host, port)`` from ``host``, ``host:port`` or ``[v6]:port`` (host lower-cased)."""
    parts = urlsplit(f"//{text.strip()}")
    if not parts.hostname:
        raise ValueError(f"not a host name: {text!r}")
    return parts.hostname.lower(), parts.port or default_port


def index_destination(url: str) -> Destination:
    """Return the ``(host, port)`` an index URL is served from."""
    parts = urlsplit(url)
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        raise ValueError(f"an index URL must be http(s)://host/...: {url!r}")
    return parts.hostname.lower(), parts.port or DEFAULT_PORTS[parts.scheme]


class IndexGate:
    """A SOCKS5 server on ``socket_path`` that connects only to ``allowed`` destinations."""

    def __init__(
        self,
        socket_path: Path,
        allowed: Iterable[Destination],
        *,
        on_refusal: Callable[[str], None] | None = None,
    ) -> None:
        self.socket_path = socket_path
        self.allowed = frozenset((_normalised(host), port) for host, port in allowed)
        self.refused: list[Destination] = []
        self._on_refusal = on_refusal
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        gate = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                gate.serve_connection(self.request)

        self._server = socketserver.ThreadingUnixStreamServer(str(socket_path), Handler)
        self._server.daemon_threads = True
        # The build runs as another uid; the folder holding the socket (0700) keeps others out.
        os.chmod(socket_path, 0o666)  # noqa: S103
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> IndexGate:
        self._thread.start()
        return self

    def close(self) -> None:
        """Stop accepting, and end every relayed connection (an index that hangs included)."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
        with self._lock:
            still_open, self._open = list(self._open), set()
        for connection in still_open:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    def allows(self, destination: Destination) -> bool:
        """True when ``destination`` (host or address, port) is one the gate connects to."""
        host, port = destination
        return (_normalised(host), port) in self.allowed

    def serve_connection(self, client: socket.socket) -> None:
        """Speak SOCKS5 on ``client``: refuse, or connect and relay until either side ends."""
        client.settimeout(HANDSHAKE_TIMEOUT_SECONDS)
        try:
            destination = self._read_request(client)
        except (OSError, ValueError, struct.error):
            client.close()
            return
        if destination is None:
            client.close()
            return
        if not self.allows(destination):
            self._refuse(destination)
            _reply(client, NOT_ALLOWED)
            client.close()
            return
        try:
            upstream = socket.create_connection(destination, timeout=CONNECT_TIMEOUT_SECONDS)
        except OSError as error:
            logger.info("index gate: cannot reach %s:%s: %s", *destination, error)
            _reply(client, _failure_code(error))
            client.close()
            return
        upstream.settimeout(None)
        client.settimeout(None)
        _reply(client, SUCCEEDED)
        with self._lock:
            self._open |= {client, upstream}
        try:
            relay_streams(client, upstream)
        finally:
            with self._lock:
                self._open -= {client, upstream}

    def _read_request(self, client: socket.socket) -> Destination | None:
        version, count = _read_exactly(client, 2)
        methods = _read_exactly(client, count)
        if version != SOCKS_VERSION or NO_AUTHENTICATION not in methods:
            client.sendall(bytes([SOCKS_VERSION, NO_ACCEPTABLE_METHOD]))
            return None
        client.sendall(bytes([SOCKS_VERSION, NO_AUTHENTICATION]))
        version, command, _, kind = _read_exactly(client, 4)
        if kind == IPV4:
            host = str(ipaddress.IPv4Address(_read_exactly(client, 4)))
        elif kind == IPV6:
            host = str(ipaddress.IPv6Address(_read_exactly(client, 16)))
        elif kind == DOMAIN:
            host = _read_exactly(client, _read_exactly(client, 1)[0]).decode("idna")
        else:
            raise ValueError(f"unknown address type {kind}")
        (port,) = struct.unpack("!H", _read_exactly(client, 2))
        if version != SOCKS_VERSION or command != CONNECT:
            _reply(client, COMMAND_UNSUPPORTED)
            return None
        return host, port

    def _refuse(self, destination: Destination) -> None:
        with self._lock:
            self.refused.append(destination)
        text = f"index gate: refused a connection to {destination[0]}:{destination[1]}"
        logger.warning("%s (allowed: %s)", text, ", ".join(sorted(_label(d) for d in self.allowed)))
        if self._on_refusal is not None:
            self._on_refusal(text)


@contextlib.contextmanager
def running_gate(
    allowed: Iterable[Destination], *, on_refusal: Callable[[str], None] | None = None
) -> Iterator[IndexGate]:
    """Run a gate on a fresh socket (in a private 0700 folder) for the length of the block."""
    with tempfile.TemporaryDirectory(prefix="jiebang-gate-") as folder:
        gate = IndexGate(Path(folder) / SOCKET_NAME, allowed, on_refusal=on_refusal).start()
        try:
            yield gate
        finally:
            gate.close()


def _normalised(host: str) -> str:
    host = host.lower().rstrip(".")
    with contextlib.suppress(ValueError):
        return str(ipaddress.ip_address(host.strip("[]")))
    return host


def _label(destination: Destination) -> str:
    return f"{destination[0]}:{destination[1]}"


def _read_exactly(client: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = client.recv(size - len(data))
        if not chunk:
            raise ValueError("the client closed the connection during the handshake")
        data += chunk
    return data


def _reply(client: socket.socket, code: int) -> None:
    with contextlib.suppress(OSError):
        client.sendall(bytes([SOCKS_VERSION, code, 0, IPV4, 0, 0, 0, 0, 0, 0]))


def _failure_code(error: OSError) -> int:
    if isinstance(error, ConnectionRefusedError):
        return CONNECTION_REFUSED
    if isinstance(error, socket.gaierror | TimeoutError):
        return HOST_UNREACHABLE
    return GENERAL_FAILURE
