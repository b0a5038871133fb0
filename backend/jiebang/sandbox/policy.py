"""The system calls a sandboxed program is refused, kept as plain data.

Every entry names a call an evaluation never needs (kernel modules, mounts,
namespaces, tracing, BPF, keyrings, raw I/O ports, ...), the errno it answers
instead of running, and harmless probe arguments: arguments the kernel would
reject (a NULL or bad pointer, an invalid flag, fd -1), so that the self-test can
call it for real and tell a refusal by the filter from a call that ran.

``seccomp.py`` compiles this list with libseccomp; bubblewrap installs it on the
program it starts (``bwrap --seccomp FD``), after it has built its own namespaces.
"""

from __future__ import annotations

import dataclasses
import errno

BAD_POINTER = 1  # never mapped: the kernel answers EFAULT where NULL could mean "default"

CLONE_THREAD = 0x0001_0000
NAMESPACE_FLAGS = (
    ("CLONE_NEWNS", 0x0002_0000),
    ("CLONE_NEWCGROUP", 0x0200_0000),
    ("CLONE_NEWUTS", 0x0400_0000),
    ("CLONE_NEWIPC", 0x0800_0000),
    ("CLONE_NEWUSER", 0x1000_0000),
    ("CLONE_NEWPID", 0x2000_0000),
    ("CLONE_NEWNET", 0x4000_0000),
)


@dataclasses.dataclass(frozen=True)
class DeniedSyscall:
    """One refused call: ``name`` answers ``-1`` with ``errno`` instead of running.

    ``arg0_mask`` narrows the rule to calls whose first argument has one of those
    bits set (``clone`` with a namespace flag); 0 refuses the call whatever its
    arguments. ``probe`` are the arguments the self-test calls it with.
    """

    name: str
    probe: tuple[int, ...]
    errno: int = errno.EPERM
    arg0_mask: int = 0
    why: str = ""

    @property
    def label(self) -> str:
        """The self-test row name, e.g. ``clone(CLONE_NEWUSER)``."""
        if not self.arg0_mask:
            return self.name
        flag = next(name for name, bit in NAMESPACE_FLAGS if bit == self.arg0_mask)
        return f"{self.name}({flag})"


def _deny(name: str, *probe: int, why: str, code: int = errno.EPERM) -> DeniedSyscall:
    return DeniedSyscall(name=name, probe=tuple(probe), errno=code, why=why)


_CLONE_RULES = tuple(
    DeniedSyscall(
        name="clone",
        # CLONE_THREAD without CLONE_SIGHAND is invalid: were it let through it fails.
        probe=(bit | CLONE_THREAD, 0, 0, 0, 0),
        arg0_mask=bit,
        why="a new namespace from inside the sandbox",
    )
    for _, bit in NAMESPACE_FLAGS
)

DENIED_SYSCALLS: tuple[DeniedSyscall, ...] = (
    _deny("ptrace", 16, 0x7FFF_FFFF, 0, 0, why="tracing another process"),
    _deny("process_vm_readv", 0x7FFF_FFFF, 0, 1, 0, 1, 1, why="reading another process"),
    _deny("process_vm_writev", 0x7FFF_FFFF, 0, 1, 0, 1, 1, why="writing another process"),
    _deny("pidfd_getfd", -1, 0, 0, why="stealing another process's file"),
    _deny("mount", 0, 0, 0, 0, 0, why="mounting file systems"),
    _deny("umount2", 0, 0, why="unmounting the sandbox's view"),
    _deny("pivot_root", 0, 0, why="changing the root"),
    _deny("chroot", 0, why="changing the root"),
    _deny("fsopen", BAD_POINTER, 0, why="mounting (new mount API)"),
    _deny("fsconfig", -1, 0, 0, 0, 0, why="mounting (new mount API)"),
    _deny("fsmount", -1, 0, 0, why="mounting (new mount API)"),
    _deny("fspick", -1, BAD_POINTER, 0, why="mounting (new mount API)"),
    _deny("move_mount", -1, BAD_POINTER, -1, BAD_POINTER, 0, why="mounting (new mount API)"),
    _deny("open_tree", -1, BAD_POINTER, 0, why="mounting (new mount API)"),
    _deny("mount_setattr", -1, BAD_POINTER, 0, BAD_POINTER, 0, why="changing mount flags"),
    _deny("unshare", 0, why="new namespaces (bubblewrap made the sandbox's already)"),
    *_CLONE_RULES,
    # glibc falls back to clone() on ENOSYS; clone3's flags sit in memory a filter cannot read.
    _deny("clone3", 0, 0, why="clone with flags a filter cannot inspect", code=errno.ENOSYS),
    _deny("setns", -1, 0, why="joining another namespace"),
    _deny("kexec_load", 0, 0, 0, 0xFFFF_FFFF, why="loading a new kernel"),
    _deny("kexec_file_load", -1, -1, 0, 0, 0xFFFF, why="loading a new kernel"),
    _deny("reboot", 0, 0, 0, 0, why="rebooting the host"),
    _deny("init_module", 0, 0, 0, why="loading kernel modules"),
    _deny("finit_module", -1, 0, 0, why="loading kernel modules"),
    _deny("delete_module", 0, 0, why="unloading kernel modules"),
    _deny("bpf", -1, 0, 0, why="BPF programs in the kernel"),
    _deny("perf_event_open", 0, 0, -1, -1, 0, why="performance counters (side channels)"),
    _deny("userfaultfd", 0xFFFF, why="page-fault handling used by kernel exploits"),
    _deny("io_uring_setup", 0, 0, why="io_uring, a frequent source of kernel exploits"),
    _deny("io_uring_enter", -1, 0, 0, 0, 0, 0, why="io_uring"),
    _deny("io_uring_register", -1, 0, 0, 0, why="io_uring"),
    _deny("keyctl", -1, 0, 0, 0, 0, why="kernel keyrings (not namespaced)"),
    _deny("add_key", 0, 0, 0, 0, 0, why="kernel keyrings (not namespaced)"),
    _deny("request_key", 0, 0, 0, 0, why="kernel keyrings (not namespaced)"),
    _deny("swapon", 0, 0, why="host swap"),
    _deny("swapoff", 0, why="host swap"),
    _deny("open_by_handle_at", -1, 0, 0, why="opening files by handle past the mounts"),
    _deny("name_to_handle_at", -1, 0, 0, 0, 0, why="file handles"),
    _deny("iopl", 4, why="raw I/O ports"),
    _deny("ioperm", 0xFFFF_FFFF, 1, 0, why="raw I/O ports"),
    _deny("quotactl", 0, 0, 0, 0, why="disk quotas"),
    _deny("quotactl_fd", -1, 0, 0, 0, why="disk quotas"),
    _deny("acct", BAD_POINTER, why="process accounting"),
    _deny("lookup_dcookie", 0, 0, 0, why="kernel profiling"),
    _deny("syslog", -1, 0, 0, why="the kernel log"),
    _deny("fanotify_init", 0xFFFF_FFFF, 0, why="watching the whole file system"),
    _deny("settimeofday", BAD_POINTER, BAD_POINTER, why="setting the host clock"),
    _deny("clock_settime", -1, 0, why="setting the host clock"),
    _deny("sethostname", BAD_POINTER, 1, why="host names"),
    _deny("setdomainname", BAD_POINTER, 1, why="host names"),
    _deny("uselib", BAD_POINTER, why="an obsolete loader"),
)
"""Refused in every sandboxed program (team programs and evaluators alike)."""
