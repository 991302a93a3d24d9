"""The grading kernelspec: nbgrader runs every notebook in a sandboxed kernel (``grading/classroom/sandbox_kernel.py``).

What is enforced where (INSTRUCTORS.md, "Sandbox"):

- memory: ``RLIMIT_AS`` set by the launcher (``MEMORY_BYTES``); a bigger allocation raises
  ``MemoryError`` in the student's cell;
- network: the kernel's own network namespace (bubblewrap, or ``unshare -rn``); it talks to
  nbgrader over Unix sockets (``KernelManager.transport=ipc``);
- files: bubblewrap mounts everything read-only except the notebook's folder, the kernel's
  runtime folder and a private tmpfs ``/tmp`` (HOME, TMPDIR, Matplotlib's cache);
- time: nbgrader's per-cell timeout and the notebook budget (``grading/classroom/parallel_budget.py``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

KERNEL_NAME = "cae-grading"
LAUNCHER = Path(__file__).resolve().with_name("sandbox_kernel.py")
# Address space per kernel. TensorFlow reserves more virtual memory than it touches: training
# the reference (2 epochs of 1,000 images, one thread) peaked at 2.3 GiB of address space and
# 0.7 GiB resident (measured); more threads reserve more. 8 GiB leaves room for valid designs and
# stops a runaway allocation long before the machine suffers.
MEMORY_BYTES = 8 * 2**30


def mechanism() -> str:
    """``"bwrap"`` when bubblewrap runs here, else ``"unshare"`` (weaker; the launcher warns loudly)."""
    if os.environ.get("CAE_SANDBOX") != "unshare" and shutil.which("bwrap"):
        probe = ["bwrap", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--unshare-net", "true"]
        if subprocess.run(probe, capture_output=True).returncode == 0:
            return "bwrap"
    if subprocess.run(["unshare", "-rn", "true"], capture_output=True).returncode != 0:
        raise RuntimeError("neither bubblewrap nor `unshare -rn` works here: cannot sandbox the grading kernels")
    return "unshare"


def install_kernelspec(jupyter_dir: Path, runtime: Path, memory: int = MEMORY_BYTES, warm: str | None = None) -> Path:
    """Write the ``cae-grading`` kernelspec under ``jupyter_dir/kernels``; return its folder.

    ``runtime`` must be a short path: the kernel's Unix sockets live there (at most 107 bytes).
    With ``warm`` (a warm start server's address), each kernel is forked from that server.
    """
    kernel = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    launcher = [sys.executable, str(LAUNCHER), "--memory", str(memory), "--runtime", str(runtime)]
    launcher += [*(["--warm", warm] if warm else []), "--"]
    spec = {
        "argv": [*launcher, *kernel],
        "display_name": "Python 3 (grading sandbox)",
        "language": "python",
        # SIGINT to the process group would end bubblewrap's monitor: ask the kernel instead.
        "interrupt_mode": "message",
    }
    folder = jupyter_dir / "kernels" / KERNEL_NAME
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "kernel.json").write_text(json.dumps(spec, indent=1))
    runtime.mkdir(parents=True, exist_ok=True)
    return folder


def sandbox_env(jupyter_dir: Path, runtime: Path) -> dict[str, str]:
    """Environment entries that make nbgrader find the kernelspec and keep connection files in ``runtime``."""
    paths = [str(jupyter_dir), *filter(None, os.environ.get("JUPYTER_PATH", "").split(os.pathsep))]
    return {"JUPYTER_PATH": os.pathsep.join(paths), "JUPYTER_RUNTIME_DIR": str(runtime)}


def config_lines(runtime: Path) -> list[str]:
    """Lines for an nbgrader_config.py that run every notebook in the sandboxed kernel, over Unix sockets."""
    return [
        f"c.Execute.kernel_name = {KERNEL_NAME!r}",
        'c.KernelManager.transport = "ipc"',
        f"c.KernelManager.ip = {str(runtime / 'kernel')!r}",  # absolute: the kernel runs elsewhere
    ]
