"""The grading sandbox entered from inside a process: what bubblewrap does for a new kernel, for a forked one.

``grading/classroom/warm_start.py`` forks each grading kernel from a process that has already imported
TensorFlow; that child cannot be started under bubblewrap, so it sandboxes itself before it runs
anything of the student's (Linux only, standard library and ``ctypes``). ``enter`` gives the calling
process, which must be single-threaded (a freshly forked child is), the same limits as
``grading/classroom/sandbox_kernel.py``'s bubblewrap command line:

- its own user, mount, network, IPC and UTS namespaces: no network but a loopback that is down;
- every mount read-only except the ``writable`` folders (the notebook's folder, the kernel's
  runtime folder), with a private tmpfs on ``private`` (HOME and TMPDIR) and on ``/dev/shm``;
- the address-space limit (``RLIMIT_AS``) and death with the parent (``PR_SET_PDEATHSIG``).

``probe`` checks all of it in a throwaway child; ``warm_start`` forks kernels only when it passes.
"""

from __future__ import annotations

import ctypes
import os
import resource
import signal
import socket
from collections.abc import Iterable

CLONE_NEWNS = 0x00020000
CLONE_NEWUTS = 0x04000000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_NOATIME, MS_NODIRATIME, MS_BIND, MS_REC = 32, 1024, 2048, 4096, 16384
MS_PRIVATE, MS_RELATIME, MS_STRICTATIME = 1 << 18, 1 << 21, 1 << 24
PR_SET_PDEATHSIG = 1
# Per-mount options that a user namespace may not drop on a remount (the kernel locks them).
LOCKED = {
    "nosuid": MS_NOSUID,
    "nodev": MS_NODEV,
    "noexec": MS_NOEXEC,
    "noatime": MS_NOATIME,
    "nodiratime": MS_NODIRATIME,
    "relatime": MS_RELATIME,
    "strictatime": MS_STRICTATIME,
}
# Kernel file systems whose writes need the initial namespace's privileges anyway.
SKIPPED = ("/proc", "/sys")

_libc = ctypes.CDLL(None, use_errno=True)
_libc.mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong, ctypes.c_char_p]


class SandboxError(OSError):
    """A step of entering the sandbox failed (the process must not go on to run student code)."""


def _check(result: int, what: str) -> None:
    if result != 0:
        errno = ctypes.get_errno()
        raise SandboxError(errno, f"sandbox: {what}: {os.strerror(errno)}")


def _mount(source: str | None, target: str, fstype: str | None, flags: int, data: str | None = None) -> None:
    encode = lambda text: None if text is None else text.encode()  # noqa: E731
    _check(_libc.mount(encode(source), encode(target), encode(fstype), flags, encode(data)), f"mount {target}")


def _mounts() -> list[tuple[str, int]]:
    """Every mount point of this namespace with its locked per-mount flags (``/proc/self/mountinfo``)."""
    points = []
    with open("/proc/self/mountinfo") as info:
        for line in info:
            fields = line.split()
            point = fields[4].encode().decode("unicode_escape")  # octal escapes: \040 for a space
            flags = 0
            for option in fields[5].split(","):
                flags |= LOCKED.get(option, 0)
            points.append((point, flags))
    return points


def _inside(path: str, folders: Iterable[str]) -> bool:
    return any(path == f or path.startswith(f.rstrip("/") + "/") for f in folders)


def _own_namespaces() -> None:
    uid, gid = os.getuid(), os.getgid()
    flags = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS
    _check(_libc.unshare(flags), "unshare")
    for name, text in (("setgroups", "deny"), ("uid_map", f"{uid} {uid} 1"), ("gid_map", f"{gid} {gid} 1")):
        with open(f"/proc/self/{name}", "w") as file:
            file.write(text)


def enter(writable: Iterable[str], private: str, memory: int) -> None:
    """Sandbox this (single-threaded) process: read-only file system but ``writable``, no network.

    ``private`` (an existing, empty folder) gets a tmpfs of its own for HOME and TMPDIR. A working
    folder inside ``writable`` must be entered again afterwards (``os.chdir``): the old one is the
    read-only folder under the new mount.
    """
    writable = [os.path.realpath(path) for path in writable]
    private = os.path.realpath(private)
    _check(_libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0), "prctl")
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    _own_namespaces()
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    for folder in writable:
        _mount(folder, folder, None, MS_BIND | MS_REC)
    for point, flags in sorted(_mounts()):
        if _inside(point, writable) or _inside(point, SKIPPED):
            continue
        _mount(None, point, None, MS_REMOUNT | MS_BIND | MS_RDONLY | flags)
    _mount("tmpfs", private, "tmpfs", MS_NOSUID | MS_NODEV, "mode=700")
    if os.path.isdir("/dev/shm"):
        _mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777")


def _failures(writable: str, private: str, outside: str) -> list[str]:
    """What a sandboxed process can do that it must not (empty when the sandbox holds)."""
    wrong = []
    for folder in (writable, private):
        try:
            with open(os.path.join(folder, "probe"), "w") as file:
                file.write("ok")
        except OSError as error:
            wrong.append(f"cannot write {folder}: {error}")
    try:
        with open(os.path.join(outside, "probe"), "w"):
            wrong.append(f"could write {outside}")
    except OSError:
        pass
    for address in (("127.0.0.1", 9), ("192.0.2.1", 80)):
        try:
            with socket.create_connection(address, timeout=1):
                wrong.append(f"could connect to {address}")
        except OSError:
            pass
    return wrong


def probe(folder: str) -> str | None:
    """Enter the sandbox in a forked child under ``folder``; return what failed, or None when it holds."""
    writable, private, outside = (os.path.join(folder, name) for name in ("writable", "private", "outside"))
    for path in (writable, private, outside):
        os.makedirs(path, exist_ok=True)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover (the child reports through the pipe)
        os.close(read)
        try:
            os.chdir(writable)
            enter([writable], private, 8 * 2**30)
            os.chdir(writable)
            report = "; ".join(_failures(writable, private, outside))
        except BaseException as error:
            report = f"{type(error).__name__}: {error}"
        os.write(write, report.encode() or b"-")
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        report = pipe.read().decode()
    os.waitpid(pid, 0)
    return None if report == "-" else report or "the probe died before it reported"
