"""The catalogue of hostile programs the self-test (and the test suite) run.

Each program prints ``BLOCKED`` lines when an attempt failed and ``ESCAPED`` lines
when it succeeded; ``{placeholders}`` are filled with host details the program
should never be able to reach. Each attack names the limit that must stop it.
"""

from __future__ import annotations

import dataclasses
import textwrap

Expectation = str  # "clean", "oom", "cpu", "wall", "output", "unsafe-output", "exit"


@dataclasses.dataclass(frozen=True)
class Attack:
    """One hostile program and the way a contained run must end."""

    name: str
    source: str
    expect: Expectation = "clean"
    via_bash: bool = False
    # Extra room for attacks that need it to reach their point (file creation is slow
    # on some container file systems).
    limit_overrides: tuple[tuple[str, float], ...] = ()

    def program(self, **values: object) -> str:
        """Return the program text with host details filled in."""
        return textwrap.dedent(self.source).format(**values)


def _py(name: str, source: str, expect: Expectation = "clean") -> Attack:
    return Attack(name, source, expect)


ATTACKS: tuple[Attack, ...] = (
    _py(
        "network: TCP to PostgreSQL on 127.0.0.1:5432",
        """
        import socket
        try:
            socket.create_connection(("127.0.0.1", 5432), timeout=2); print("ESCAPED")
        except OSError as e: print("BLOCKED", e)
    """,
    ),
    _py(
        "network: TCP to 1.1.1.1 fails at once",
        """
        import socket, time
        t = time.monotonic()
        try:
            socket.create_connection(("1.1.1.1", 80), timeout=5); print("ESCAPED")
        except OSError as e:
            print("BLOCKED" if time.monotonic() - t < 1 else "ESCAPED slow", e)
    """,
    ),
    _py(
        "network: DNS lookup",
        """
        import socket
        try: print("ESCAPED", socket.getaddrinfo("pypi.org", 443))
        except OSError as e: print("BLOCKED", e)
    """,
    ),
    _py(
        "read hidden reference data in the run stage",
        """
        import os
        print("ESCAPED" if os.path.exists("{reference_dir}") else "BLOCKED host path")
        for top, dirs, files in os.walk("/"):
            if top.startswith(("/proc", "/dev", "/usr", "/work", "/root")): dirs[:] = []
            if "{secret_name}" in files: print("ESCAPED", top)
        print("BLOCKED walk")
    """,
    ),
    _py(
        "read another team's submission",
        """
        try: print("ESCAPED", open("{other_team_file}").read())
        except OSError as e: print("BLOCKED", e)
    """,
    ),
    _py(
        "read /etc/shadow and /root",
        """
        import os
        for p in ("/etc/shadow", "/root/.bash_history", "/root/.ssh"):
            print("ESCAPED" if os.path.exists(p) else "BLOCKED", p)
    """,
    ),
    _py(
        "read the worker's environment",
        """
        import os
        extra = set(os.environ) - set({allowed_env!r})
        path = "/proc/1/environ"
        init = open(path, "rb").read() if os.access(path, os.R_OK) else b""
        print("ESCAPED" if extra or b"SECRET" in init else "BLOCKED", sorted(extra))
    """,
    ),
    _py(
        "fork bomb",
        """
        import os, time
        forks = 0
        try:
            while forks < 10000:
                if os.fork() == 0:
                    time.sleep(3600)
                    os._exit(0)
                forks += 1
        except OSError as e:
            print("BLOCKED after", forks, "forks:", e)
        print("ESCAPED" if forks > 32 else "capped", forks)
        """,
    ),
    _py(
        "memory bomb",
        """
        chunks = []
        while True: chunks.append(bytearray(16 << 20))
    """,
        "oom",
    ),
    _py("CPU spin (SIGXCPU)", "while True: pass", "cpu"),
    _py("sleep past the wall-time limit", "import time; time.sleep(3600)", "wall"),
    _py(
        "write 50 GiB to the output",
        """
        block = b"x" * (1 << 20)
        with open("/output/huge.bin", "wb") as f:
            for _ in range(50 * 1024): f.write(block)
    """,
        "output",
    ),
    _py(
        "endless stdout",
        """
        import sys
        line = "spam " * 200 + "\\n"
        while True: sys.stdout.write(line)
    """,
        "output",
    ),
    _py(
        "symlinks out of the output directory",
        """
        import os
        os.symlink("/etc/passwd", "/output/passwd")
        os.symlink("{reference_dir}", "/output/reference")
        print("planted")
    """,
        "unsafe-output",
    ),
    _py(
        "hard links out of the output directory",
        """
        import os
        open("/output/a", "w").write("a"); os.link("/output/a", "/output/b")
        try: os.link("/inputs/public.txt", "/output/input"); print("ESCAPED cross-mount")
        except OSError as e: print("BLOCKED", e)
    """,
        "unsafe-output",
    ),
    _py(
        "ptrace and signal host processes",
        """
        import ctypes, os, signal
        libc = ctypes.CDLL(None, use_errno=True)
        print("ESCAPED ptrace" if libc.ptrace(16, {canary_pid}, 0, 0) == 0 else "BLOCKED ptrace")
        for pid in ({canary_pid}, os.getppid(), 1):
            try: os.kill(pid, signal.SIGKILL); print("sent", pid)
            except OSError as e: print("BLOCKED kill", pid, e)
    """,
    ),
    _py(
        "leave a daemon running after exit",
        """
        import os, time
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:
                time.sleep(3600)
            os._exit(0)
        print("daemon started")
    """,
    ),
    _py(
        "setuid tricks (su, os.setuid(0), no_new_privs)",
        """
        import os, subprocess
        try: os.setuid(0); print("ESCAPED setuid")
        except OSError as e: print("BLOCKED setuid", e)
        su = ["su", "-c", "id -u", "root"]
        r = subprocess.run(su, capture_output=True, stdin=subprocess.DEVNULL)
        print("ESCAPED su" if r.stdout.strip() == b"0" else "BLOCKED su")
        nnp = [l for l in open("/proc/self/status") if l.startswith("NoNewPrivs")][0]
        print("BLOCKED nnp" if nnp.split()[1] == "1" else "ESCAPED nnp")
    """,
    ),
    _py(
        "fill /tmp",
        """
        written = 0
        try:
            with open("/tmp/fill", "wb") as f:
                while written < (1 << 30): f.write(b"x" * 65536); f.flush(); written += 65536
            print("ESCAPED", written)
        except OSError as e: print("BLOCKED", written, e)
    """,
    ),
    Attack(
        "10,000-file output",
        """
        import os
        for i in range(10000): os.close(os.open(f"/output/f{{i}}", os.O_CREAT | os.O_WRONLY))
        """,
        "unsafe-output",
        limit_overrides=(("cpu_seconds", 20), ("wall_seconds", 30)),
    ),
    _py(
        "non-UTF-8 and enormous file names",
        """
        import os
        open(b"/output/\\xff\\xfe-not-utf8", "w").close()
        open("/output/" + "n" * 255, "w").close()
    """,
        "unsafe-output",
    ),
    _py(
        "write to read-only mounts",
        """
        import os
        targets = ("/inputs/x", "/submission/x", "/usr/x", "/x", "/etc/hosts")
        for p in targets + ("/opt/jiebang/bin/ffmpeg",):
            try: open(p, "ab").write(b"x"); print("ESCAPED", p)
            except OSError as e: print("BLOCKED", p, e.errno)
    """,
    ),
    _py(
        "see host processes in /proc",
        """
        import os
        pids = [p for p in os.listdir("/proc") if p.isdigit()]
        hidden = len(pids) < 10 and not os.path.exists("/proc/{canary_pid}")
        print("BLOCKED" if hidden else "ESCAPED", pids)
    """,
    ),
    _py(
        "new user namespace or mount inside",
        """
        import subprocess
        for cmd in (["unshare", "-U", "true"], ["mount", "-t", "tmpfs", "x", "/tmp"]):
            r = subprocess.run(cmd, capture_output=True)
            print("ESCAPED" if r.returncode == 0 else "BLOCKED", cmd[0])
    """,
    ),
)
