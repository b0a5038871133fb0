"""The seccomp filter of every sandboxed program: compiled with libseccomp, loaded by bwrap.

:data:`~jiebang.sandbox.policy.DENIED_SYSCALLS` is compiled once per process into a
classic-BPF program (``seccomp_export_bpf``); the runner hands it to bubblewrap on a
memfd (``bwrap --seccomp FD``), and bubblewrap installs it on the program after its
own set-up, so bwrap may still call ``unshare`` and ``mount`` while the program may not.
Everything not listed is allowed; a call from another ABI than the native one (and
32-bit x86 on x86-64) kills the process, so the list cannot be sidestepped through
``int 0x80`` or x32 numbers.
"""

from __future__ import annotations

import ctypes
import errno as errno_codes
import functools
import os
import tempfile
from collections.abc import Sequence
from typing import Any

from jiebang.sandbox.policy import DENIED_SYSCALLS, DeniedSyscall

PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2
BPF_INSTRUCTION_BYTES = 8


class SeccompUnavailable(RuntimeError):
    """libseccomp cannot be loaded, so no filter can be built."""


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def native_syscall_number(name: str) -> int | None:
    """Return ``name``'s number on this machine's ABI, or ``None`` where it has none."""
    seccomp = _library()
    number = int(seccomp.resolve_syscall(seccomp.Arch.NATIVE, name))
    return number if number >= 0 else None


def compile_filter(
    denied: Sequence[DeniedSyscall] = DENIED_SYSCALLS, *, errno_override: int | None = None
) -> bytes:
    """Return the BPF program refusing ``denied`` (each with its errno, or ``errno_override``).

    The override exists for tests: with an errno no kernel path returns, a probe
    shows that each rule really matches the call it names.
    """
    seccomp = _library()
    rules = seccomp.SyscallFilter(seccomp.ALLOW)
    if seccomp.system_arch() == seccomp.Arch.X86_64:
        rules.add_arch(seccomp.Arch.X86)
    for entry in denied:
        action = seccomp.ERRNO(errno_override if errno_override is not None else entry.errno)
        try:
            if entry.arg0_mask:
                condition = seccomp.Arg(0, seccomp.MASKED_EQ, entry.arg0_mask, entry.arg0_mask)
                rules.add_rule(action, entry.name, condition)
            else:
                rules.add_rule(action, entry.name)
        except (OSError, ValueError) as error:
            # A call this kernel ABI does not have cannot be made, so it needs no rule.
            if native_syscall_number(entry.name) is not None:
                raise SeccompUnavailable(f"cannot add a rule for {entry.name}: {error}") from error
    with tempfile.TemporaryFile() as handle:
        rules.export_bpf(handle)
        handle.seek(0)
        program = handle.read()
    if not program or len(program) % BPF_INSTRUCTION_BYTES:
        raise SeccompUnavailable("libseccomp exported an empty or truncated BPF program")
    return program


@functools.lru_cache(maxsize=1)
def sandbox_filter() -> bytes:
    """Return the compiled filter for :data:`DENIED_SYSCALLS` (built once per process)."""
    return compile_filter()


def seccomp_problem() -> str | None:
    """Return why no filter can be built here, or ``None`` when it can."""
    try:
        sandbox_filter()
    except (SeccompUnavailable, OSError) as error:
        return str(error)
    return None


def filter_memfd(program: bytes) -> int:
    """Return a file descriptor holding ``program``, positioned at its start, for bwrap."""
    fd = os.memfd_create("jiebang-seccomp", os.MFD_CLOEXEC)
    os.write(fd, program)
    os.lseek(fd, 0, os.SEEK_SET)
    return fd


def load_filter(program: bytes) -> None:
    """Install ``program`` on the calling process (needs ``PR_SET_NO_NEW_PRIVS`` or root).

    Used where no bubblewrap installs it: the fallback runner and the tests.
    """
    buffer = ctypes.create_string_buffer(program, len(program))
    fprog = _SockFprog(len(program) // BPF_INSTRUCTION_BYTES, ctypes.addressof(buffer))
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) != 0:
        code = ctypes.get_errno()
        raise OSError(code, f"prctl(PR_SET_SECCOMP): {os.strerror(code)}")


def errno_name(code: int) -> str:
    """Return the symbolic name of an errno value (``EPERM``), or the number."""
    return errno_codes.errorcode.get(code, str(code))


@functools.lru_cache(maxsize=1)
def _library() -> Any:
    try:
        import pyseccomp
    except (ImportError, OSError, AttributeError, TypeError) as error:
        raise SeccompUnavailable(f"libseccomp cannot be loaded: {error}") from error
    return pyseccomp
