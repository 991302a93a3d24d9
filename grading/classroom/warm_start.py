"""A warm start server: TensorFlow, Keras, ipykernel and nbgrader imported once, a fork per kernel or nbgrader run.

Every grading kernel used to pay the same start-up (a Python process, ``import tensorflow``,
ipykernel), and every shard an nbgrader process (``import nbgrader``): together most of what an
untouched notebook costs (``grading/benchmarks/bench_autograde.py``). One server per run (the
command's, shared by its local workers; on a cluster, one per worker) imports those modules once,
before any submission is seen, and then forks:

- ``nbgrader`` requests: a child that runs ``nbgrader autograde ...`` in the shard's folder;
- ``kernel`` requests (from ``sandbox_kernel.py --warm ADDRESS``, the argv of the grading
  kernelspec): a child that enters the sandbox (``namespace_sandbox.py``: own namespaces,
  read-only file system but the notebook's folder, no network, memory limit) and becomes the
  ipykernel of the connection file. Nothing of the student's has run in the server, so every
  kernel starts from the same state a fresh process would reach, in its own process.

The server imports no module of the course (``cae_ref``'s grader installs audit hooks when the
setup cell imports it: in the kernel, as before). It listens on an abstract Unix socket: a
sandboxed kernel has a network namespace of its own and cannot reach it. Protocol: one JSON line per
request (``kind``, ``argv``, ``cwd``, ``env``, and for kernels ``memory``, ``runtime``) with the
client's stdin, stdout and stderr passed along (``SCM_RIGHTS``); the server answers ``{"pid": N}``,
then ``{"exit": CODE}`` when the child ends. A client that hangs up gets its child killed; a
``{"usage": TAG}`` request answers the CPU seconds of the server and, by kind, of its ended children
whose environment had ``CAE_WARM_TAG=TAG`` (a shard sets it for nbgrader; its kernels inherit it).
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import resource
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TAG = "CAE_WARM_TAG"
# What every grading kernel and nbgrader run imports anyway; each costs seconds per process.
PRELOAD = (
    "numpy",
    "tensorflow",
    "keras",
    "matplotlib",
    "matplotlib.pyplot",
    "sklearn.linear_model",
    "sklearn.cluster",
    "ipykernel.kernelapp",
    "nbgrader.apps.nbgraderapp",
)


def _send_json(connection: socket.socket, message: dict) -> None:
    connection.sendall(json.dumps(message).encode() + b"\n")


def _read_line(connection: socket.socket, fds: int = 0) -> tuple[dict | None, list[int]]:
    """One JSON line from ``connection`` (and up to ``fds`` file descriptors); None when it hung up."""
    data, received = b"", []
    while not data.endswith(b"\n"):
        chunk, new_fds, _, _ = socket.recv_fds(connection, 65536, fds) if fds else (connection.recv(65536), [], 0, 0)
        received += new_fds
        if not chunk:
            return None, received
        data += chunk
    return json.loads(data), received


def _kill(pid: int, signum: int) -> None:
    """Signal ``pid``'s process group (the child's own, from ``setsid``), or ``pid`` before it has one."""
    try:
        os.killpg(pid, signum)
    except ProcessLookupError:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signum)


def _inline_figures() -> None:
    """Choose the inline Matplotlib backend, as ipykernel does for a kernel that imports Matplotlib later."""
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    if "matplotlib" in sys.modules:  # imported by the server: it read MPLBACKEND then, unset
        sys.modules["matplotlib"].rcParams["backend"] = os.environ["MPLBACKEND"]


def _run_child(request: dict, fds: list[int], closing: list[socket.socket]) -> int:
    """In the forked child: become what ``request`` asks for; return its exit status."""
    for connection in closing:
        connection.close()
    for signum in (signal.SIGCHLD, signal.SIGTERM, signal.SIGINT, signal.SIGPIPE):
        signal.signal(signum, signal.SIG_DFL)
    os.setsid()
    ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG: never outlive the server
    for target, fd in enumerate(fds[:3]):
        os.dup2(fd, target)
    for fd in fds:
        os.close(fd)
    os.environ.clear()
    os.environ.update(request["env"])
    os.chdir(request["cwd"])
    if request["kind"] == "kernel":
        from grading.classroom import namespace_sandbox

        private = os.path.join(request["runtime"], f"home-{os.getpid()}")
        os.mkdir(private, 0o700)
        namespace_sandbox.enter([request["cwd"], request["runtime"]], private, request["memory"])
        os.chdir(request["cwd"])  # into the writable mount that now covers the folder
        os.environ.update(HOME=private, TMPDIR=private, MPLCONFIGDIR=os.path.join(private, ".matplotlib"))
        tempfile.tempdir = None  # chosen again from TMPDIR, not the server's
        _inline_figures()
        sys.path[0] = request["cwd"]  # as `python -m ipykernel_launcher` run in the notebook's folder
        sys.argv = ["ipykernel_launcher", *request["argv"]]
        from ipykernel import kernelapp

        kernelapp.launch_new_instance()
        return 0
    if request["kind"] != "nbgrader":
        raise ValueError(f"unknown request kind {request['kind']!r}: expected 'kernel' or 'nbgrader'")
    sys.argv = ["nbgrader", *request["argv"]]
    from nbgrader.apps.nbgraderapp import NbGraderApp

    NbGraderApp.launch_instance(argv=request["argv"])
    return 0


def _fork(request: dict, fds: list[int], closing: list[socket.socket]) -> int:
    pid = os.fork()
    if pid:
        for fd in fds:
            os.close(fd)
        return pid
    status = 1
    try:
        status = _run_child(request, fds, closing)
    except SystemExit as stop:
        status = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    except BaseException as error:
        print(f"warm start: {request.get('kind')} failed: {error!r}", file=sys.stderr, flush=True)
    finally:
        sys.stdout.flush() if sys.stdout else None
        os._exit(status)
    return -1  # not reached


def serve(address: str) -> None:
    """Import ``PRELOAD``, listen on the abstract socket ``address``, serve until SIGTERM or the parent's end."""
    import importlib

    from grading.classroom import namespace_sandbox

    for module in PRELOAD:
        importlib.import_module(module)
    kernels = os.environ.get("CAE_SANDBOX") not in ("unshare", "bwrap")  # those ask for a kernel process each
    why = namespace_sandbox.probe(tempfile.mkdtemp(prefix="cae-probe-")) if kernels else "CAE_SANDBOX is set"
    parent = os.getppid()
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind("\0" + address)
    listener.listen(64)
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ)
    children: dict[int, socket.socket] = {}  # pid -> the client waiting for it
    kinds: dict[int, tuple[str, str]] = {}  # pid -> (its TAG, its kind)
    spent: dict[str, dict[str, float]] = {}  # TAG -> kind -> CPU seconds of its children ended so far
    print(json.dumps({"ready": True, "kernels": why is None, "why": why}), flush=True)
    while os.getppid() == parent and not stopping:
        for key, _ in selector.select(timeout=0.2):
            if key.fileobj is listener:
                connection, _ = listener.accept()
                selector.register(connection, selectors.EVENT_READ)
                continue
            connection = key.fileobj
            request, fds = _read_line(connection, fds=3)
            if request is None:  # the client hung up: its child goes too
                selector.unregister(connection)
                for pid, client in list(children.items()):
                    if client is connection:
                        _kill(pid, signal.SIGKILL)
                connection.close()
            elif "usage" in request:
                own = resource.getrusage(resource.RUSAGE_SELF)
                tagged = spent.get(request["usage"], {})
                _send_json(
                    connection, {"kernel": 0.0, "nbgrader": 0.0, **tagged, "server": own.ru_utime + own.ru_stime}
                )
            elif request.get("signal"):
                for pid, client in children.items():
                    if client is connection:
                        _kill(pid, request["signal"])
            else:
                closing = [listener, *(k.fileobj for k in selector.get_map().values() if k.fileobj is not listener)]
                pid = _fork(request, fds, closing)
                children[pid] = connection
                kinds[pid] = (request["env"].get(TAG, ""), request["kind"])
                _send_json(connection, {"pid": pid})
        while children:
            pid, status, usage = os.wait4(-1, os.WNOHANG)
            if pid == 0:
                break
            tag, kind = kinds.pop(pid)
            by_kind = spent.setdefault(tag, {})
            by_kind[kind] = by_kind.get(kind, 0.0) + usage.ru_utime + usage.ru_stime
            client = children.pop(pid, None)
            if client is not None:
                with contextlib.suppress(OSError):
                    _send_json(client, {"exit": os.waitstatus_to_exitcode(status)})
    for pid in children:
        _kill(pid, signal.SIGKILL)
    for pid in children:
        os.waitpid(pid, 0)  # so that their CPU time counts


class Server:
    """A running warm start server (the parent's handle): start it, ask it, stop it."""

    def __init__(self, env: dict[str, str], cwd: Path) -> None:
        self.address = f"cae-warm-{os.getpid()}-{time.monotonic_ns()}"
        command = [sys.executable, "-m", "grading.classroom.warm_start", self.address]
        # A home of its own: what Keras and Matplotlib write at import does not land in the grader's.
        self.home = tempfile.mkdtemp(prefix="cae-warm-home-")
        env = {**env, "HOME": self.home, "MPLCONFIGDIR": os.path.join(self.home, ".matplotlib")}
        self.process = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL
        )
        line = self.process.stdout.readline()
        if not line.startswith(b'{"ready": true'):
            self.process.kill()
            self.process.wait()
            raise RuntimeError(f"the warm start server did not start ({' '.join(command)})")
        ready = json.loads(line)
        self.kernels: bool = ready["kernels"]  # False: kernels start under bubblewrap, one process each
        self.why: str | None = ready["why"]

    def usage(self, tag: str = "") -> dict[str, float]:
        """CPU seconds (user + system) of the server itself and of its ended children tagged ``tag``, by kind."""
        return usage(self.address, tag)

    def stop(self) -> None:
        """End the server and wait for it (its children's CPU time then counts as this process's)."""
        self.process.terminate()
        self.process.wait()
        shutil.rmtree(self.home, ignore_errors=True)


def usage(address: str, tag: str = "") -> dict[str, float]:
    """CPU seconds of the server at ``address`` and, by kind, of its ended children tagged ``tag``."""
    with connect(address) as connection:
        _send_json(connection, {"usage": tag})
        answer, _ = _read_line(connection)
    return answer


def connect(address: str) -> socket.socket:
    """A connection to the server listening on ``address``."""
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    connection.connect("\0" + address)
    return connection


def run(
    address: str,
    request: dict,
    timeout: float | None = None,
    fds: tuple[int, int, int] = (0, 1, 2),
    forward: bool = True,
) -> int:
    """Ask the server to fork ``request`` with ``fds`` as its stdin, stdout and stderr; wait; return its status.

    On timeout the child is killed and ``-signal.SIGKILL`` returned. With ``forward`` (main thread
    only), a SIGTERM or SIGINT to this process is passed on to the child.
    """
    with connect(address) as connection:
        socket.send_fds(connection, [json.dumps(request).encode() + b"\n"], list(fds))
        answer, _ = _read_line(connection)
        if answer is None:
            raise RuntimeError("the warm start server hung up before it started the child")

        def pass_on(signum: int, _frame: object) -> None:
            _send_json(connection, {"signal": signum})

        if forward:
            for signum in (signal.SIGTERM, signal.SIGINT):
                signal.signal(signum, pass_on)
        connection.settimeout(timeout)
        try:
            answer, _ = _read_line(connection)
        except TimeoutError:
            _send_json(connection, {"signal": signal.SIGKILL})
            return -signal.SIGKILL
        return -signal.SIGKILL if answer is None else int(answer["exit"])


def main(argv: list[str] | None = None) -> int:  # pragma: no cover (manual use)
    """``python -m grading.classroom.warm_start ADDRESS``: serve on ADDRESS until this process's parent ends."""
    args = argv if argv is not None else sys.argv[1:]
    serve(args[0])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
