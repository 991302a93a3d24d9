"""Start one grading kernel inside a sandbox (the ``argv`` of the ``cae-grading`` kernelspec).

    python grading/classroom/sandbox_kernel.py --memory BYTES --runtime DIR -- python -m ipykernel_launcher -f FILE

jupyter_client starts this in the notebook's folder (``autograded/<student>/<assignment>``). It
sets the address-space limit (``RLIMIT_AS``, inherited by everything the kernel starts) and
replaces itself with the kernel wrapped in bubblewrap: no network (own network namespace), the
whole file system read-only except the notebook's folder and ``--runtime`` (where the kernel's
Unix sockets live: the kernelspec uses the ``ipc`` transport, since TCP to the grader would need
the network), a private tmpfs ``/tmp`` that holds HOME and TMPDIR, and no way to outlive the
grader (``--die-with-parent``). Without bubblewrap it falls back to ``unshare -rn`` (no network,
memory limit, private HOME and TMPDIR, but the file system stays writable) and says so loudly on
stderr, which nbgrader's log shows (never a cell's output). Standard library only: it runs
before the course is importable.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import resource
import shutil
import sys
import tempfile

WARNING = (
    "WARNING: bubblewrap (bwrap) not found: grading kernel sandboxed with `unshare -rn` only "
    "(no network, memory limit, private HOME/TMPDIR; the file system is NOT read-only). "
    "Install it: apt-get install -y bubblewrap"
)


def kept_under_tmp(kernel: list[str]) -> list[str]:
    """What the kernel needs to read that lies under ``/tmp``, which the sandbox replaces by a tmpfs.

    A course checked out under ``/tmp`` (a CI clone, say) keeps its Python environment, the course
    package and the data there; they are mounted back read-only, parents before children.
    """
    package = importlib.util.find_spec("cae_ref")
    candidates = [sys.prefix, sys.base_prefix, os.path.dirname(os.path.abspath(kernel[0]))]
    candidates += os.environ.get("PYTHONPATH", "").split(os.pathsep)
    candidates += [os.environ.get("FASHION_MNIST_DIR", "")]
    candidates += [os.path.dirname(os.environ.get("CAE_GRADING_DATA", ""))]  # cae_ref/grader/grading_data.py
    if package is not None and package.origin:
        candidates.append(os.path.dirname(os.path.dirname(package.origin)))
    # the paths as the kernel will use them (a symlink under /tmp, e.g. ../shared, must resolve too)
    paths = {os.path.abspath(path) for path in candidates if path}
    paths |= {os.path.realpath(path) for path in paths}
    return sorted(path for path in paths if path.startswith("/tmp/") and os.path.exists(path))


def bwrap_command(kernel: list[str], workdir: str, runtime: str) -> list[str]:
    """The bubblewrap command line that runs ``kernel`` with only ``workdir`` and ``runtime`` writable.

    The connection file (``-f FILE``, wherever jupyter_client wrote it) is mounted read-only.
    """
    home = "/tmp/home"
    command = ["bwrap", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp"]
    for path in kept_under_tmp(kernel):
        command += ["--ro-bind", path, path]
    command += ["--dir", home, "--bind", runtime, runtime, "--bind", workdir, workdir, "--chdir", workdir]
    if "-f" in kernel[:-1]:
        connection = os.path.realpath(kernel[kernel.index("-f") + 1])
        command += ["--ro-bind", connection, connection]
    command += ["--unshare-net", "--unshare-ipc", "--unshare-uts", "--die-with-parent"]
    for name, value in {"HOME": home, "TMPDIR": "/tmp", "MPLCONFIGDIR": f"{home}/.matplotlib"}.items():
        command += ["--setenv", name, value]
    return [*command, "--", *kernel]


def unshare_command(kernel: list[str]) -> list[str]:
    """The fallback: a private HOME and TMPDIR (set in this environment) and no network."""
    private = tempfile.mkdtemp(prefix="cae-kernel-")
    os.environ.update(HOME=private, TMPDIR=private, MPLCONFIGDIR=os.path.join(private, ".matplotlib"))
    return ["unshare", "-rn", "--", *kernel]


def _warm(address: str, kernel: list[str], memory: int, runtime: str) -> int:
    """Have the warm start server fork the kernel (it sandboxes itself there); wait for it; return its status."""
    import warm_start  # this script's folder is on sys.path: the course package is not needed

    arguments = kernel[kernel.index("ipykernel_launcher") + 1 :]
    request = {
        "kind": "kernel",
        "argv": arguments,
        "cwd": os.getcwd(),
        "env": dict(os.environ),
        "memory": memory,
        "runtime": runtime,
    }
    return warm_start.run(address, request)


def main(argv: list[str] | None = None) -> int:
    """Set the memory limit and replace this process with the sandboxed kernel."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--memory", type=int, required=True, help="address-space limit in bytes")
    parser.add_argument("--runtime", required=True, help="folder of the kernel's connection file and sockets")
    parser.add_argument("--warm", help="address of a warm start server to fork the kernel from (warm_start.py)")
    parser.add_argument("kernel", nargs=argparse.REMAINDER, help="-- then the kernel's command line")
    args = parser.parse_args(argv)
    kernel = args.kernel[1:] if args.kernel[:1] == ["--"] else args.kernel
    if args.warm:
        return _warm(args.warm, kernel, args.memory, os.path.realpath(args.runtime))
    resource.setrlimit(resource.RLIMIT_AS, (args.memory, args.memory))
    if shutil.which("bwrap") and os.environ.get("CAE_SANDBOX") != "unshare":
        command = bwrap_command(kernel, os.getcwd(), os.path.realpath(args.runtime))
    else:
        print(WARNING, file=sys.stderr, flush=True)
        command = unshare_command(kernel)
    os.execvp(command[0], command)
    return 1  # not reached


if __name__ == "__main__":
    raise SystemExit(main())
