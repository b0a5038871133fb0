"""The first program of a python runtime build sandbox: it starts uv and, with a gate, relays.

Run by the platform interpreter inside the sandbox as a plain script (standard library
only; it imports nothing of Jiebang's, so only this file is bound in)::

    python -I -S build_launcher.py --log FILE [--gate SOCKET] -- uv ARGS...

It appends everything uv says to ``--log`` (the build's progress log, bound in writable)
and exits with uv's code (128 + N when a signal N ended it). With ``--gate`` (index
mode) the sandbox's network namespace has only loopback: the launcher listens on
``127.0.0.1:<free port>`` and forwards every connection, unread, to the index gate's Unix
socket outside (``index_gate.py``, a SOCKS5 server that allows only the index), and uv
gets ``ALL_PROXY=socks5h://127.0.0.1:<port>`` so that it resolves no name itself.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Sequence

CHUNK = 65536
PROXY_VARIABLES = (
    *("ALL_PROXY", "all_proxy", "HTTPS_PROXY", "https_proxy"),
    *("HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy"),
)


def relay_streams(one: socket.socket, other: socket.socket) -> None:
    """Copy bytes both ways between two connected sockets until both directions end."""

    def copy(source: socket.socket, target: socket.socket) -> None:
        try:
            while True:
                data = source.recv(CHUNK)
                if not data:
                    break
                target.sendall(data)
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                target.shutdown(socket.SHUT_WR)

    back = threading.Thread(target=copy, args=(other, one), daemon=True)
    back.start()
    copy(one, other)
    back.join()
    one.close()
    other.close()


def start_relay(gate: str) -> int:
    """Listen on a free loopback port, forwarding each connection to ``gate``; return the port."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)

    def forward(client: socket.socket) -> None:
        upstream = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            upstream.connect(gate)
        except OSError:
            client.close()
            upstream.close()
            return
        relay_streams(client, upstream)

    def accept() -> None:
        while True:
            client, _ = listener.accept()
            threading.Thread(target=forward, args=(client,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    return int(listener.getsockname()[1])


def uv_environment(port: int | None) -> dict[str, str]:
    """Return this process's environment for uv, with the relay as its only proxy."""
    env = {name: value for name, value in os.environ.items() if name not in PROXY_VARIABLES}
    if port is not None:
        env["ALL_PROXY"] = f"socks5h://127.0.0.1:{port}"
    return env


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--log", required=True)
    parser.add_argument("--gate")
    parser.add_argument("command", nargs="+")
    args = parser.parse_args(argv)
    port = start_relay(args.gate) if args.gate else None
    with open(args.log, "ab", buffering=0) as log:
        done = subprocess.run(
            args.command,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=uv_environment(port),
            check=False,
        )
    if done.returncode < 0:
        return 128 + (-done.returncode if -done.returncode < signal.NSIG else 0)
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
