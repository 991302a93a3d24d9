"""The warm start server (grading/classroom/warm_start.py): forked kernels are sandboxed, separate and accounted for.

A kernel forked from the server must be held exactly as bubblewrap holds a kernel of its own
(tests/grading/test_grading_sandbox.py's probes: no network, no writes outside its folder, a
private HOME and TMPDIR, the memory cap), start with TensorFlow already imported, share nothing
with the kernel before it, and be unable to reach the server that forked it.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from grading.classroom import namespace_sandbox, sandbox, warm_start
from grading.classroom.parallel_shard import start_warm_server
from tests.grading.test_grading_sandbox import LIMIT, PROBES, outside_writes, targets  # noqa: F401 (fixture)

pytestmark = pytest.mark.slow  # each test starts a server: TensorFlow's import, ~6 CPU-s


@pytest.fixture(scope="module")
def server():
    running = start_warm_server(threads=1)
    yield running
    running.stop()


def run_warm(tmp_path: Path, cells: list[str], server: warm_start.Server, monkeypatch: pytest.MonkeyPatch, memory=None):
    """Run ``cells`` in a kernel the server forks, through the grading kernelspec; return their text outputs."""
    from tests.grading import test_grading_sandbox

    real, limit = sandbox.install_kernelspec, memory

    def warm_spec(jupyter_dir, runtime, memory=sandbox.MEMORY_BYTES, warm=None):
        return real(jupyter_dir, runtime, limit or memory, warm=server.address)

    monkeypatch.setattr(test_grading_sandbox.sandbox, "install_kernelspec", warm_spec)
    return test_grading_sandbox.run_cells(tmp_path, cells, monkeypatch)


def test_the_namespace_sandbox_holds_here():
    assert namespace_sandbox.probe(os.path.realpath("/tmp")) is None or pytest.fail(
        "user namespaces are not available: grading falls back to a kernel process each"
    )


def test_a_forked_kernel_is_sandboxed_like_a_bubblewrap_one(tmp_path, monkeypatch, server, targets):  # noqa: F811
    assert server.kernels, server.why
    out = run_warm(tmp_path, PROBES + outside_writes(targets), server, monkeypatch)
    assert out[0].startswith("net blocked"), out[0]
    assert out[1].startswith("wrote here") and (tmp_path / "work" / "answer.txt").read_text() == "42"
    home, tmp = out[2].split()
    assert home == tmp and Path(home).name.startswith("home-") and home != os.environ.get("HOME")
    assert "MemoryError" in out[3] and "ALLOCATED" not in out[3]
    assert out[4] == "still alive\n"
    assert out[5].splitlines() == ["blocked 30"] * 3, out[5]  # the course, the real HOME, beside the folder
    assert not any(path.exists() for path in targets), "a write left the sandbox"


def test_kernels_start_warm_and_separate(tmp_path, monkeypatch, server):
    cells = [
        "import sys, os\nprint('tensorflow' in sys.modules, os.getpid())",
        "import keras, numpy as np\nm = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])\n"
        "m.compile('sgd', 'mse'); m.fit(np.ones((8, 4)), np.ones((8, 1)), verbose=0); print('trained')\n"
        "print([line for line in open('/proc/self/status') if line.startswith('VmPeak')])",
        "import numpy\nnumpy.mean = lambda *a, **k: 'patched'\nLEFT_BEHIND = 1\nprint('patched')",
        "import matplotlib.pyplot as plt\nprint(plt.get_backend())",  # figures inline, as in a kernel of its own
    ]
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = run_warm(tmp_path / "a", cells, server, monkeypatch, memory=sandbox.MEMORY_BYTES)
    second = run_warm(
        tmp_path / "b", ["import numpy\nprint(numpy.mean([1, 3]), 'LEFT_BEHIND' in globals())"], server, monkeypatch
    )
    warm, pid = first[0].split()
    assert warm == "True" and int(pid) not in (os.getpid(), server.process.pid)
    assert first[1].startswith("trained\n"), first[1]
    assert first[3] == "module://matplotlib_inline.backend_inline\n", first[3]
    print(first[1])
    assert second == ["2.0 False\n"], "a kernel saw what the kernel before it changed"


def test_a_kernel_cannot_reach_its_server(tmp_path, monkeypatch, server):
    cell = (
        "import socket\ns = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)\n"
        f"try:\n    s.connect('\\0{server.address}')\n    print('REACHED')\n"
        "except OSError as e:\n    print('unreachable', e.errno)"
    )
    (out,) = run_warm(tmp_path, [cell], server, monkeypatch)
    assert out.startswith("unreachable"), out


def test_a_client_that_hangs_up_takes_its_child_along(tmp_path, server):
    import json
    import socket

    work, runtime = tmp_path / "work", tmp_path / "rt"
    work.mkdir()
    runtime.mkdir()
    argv = ["-f", str(runtime / "kernel.json"), "--transport=ipc", f"--ip={runtime / 'kernel'}"]
    request = {"kind": "kernel", "argv": argv, "cwd": str(work), "env": dict(os.environ), "memory": LIMIT}
    request["runtime"] = str(runtime)
    connection = warm_start.connect(server.address)
    with open(os.devnull, "wb") as nothing:
        socket.send_fds(connection, [json.dumps(request).encode() + b"\n"], [nothing.fileno()] * 3)
    pid = json.loads(connection.recv(4096))["pid"]
    deadline = time.monotonic() + 30
    while not (runtime / "kernel.json").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    os.kill(pid, 0)  # the kernel is running
    connection.close()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    os.kill(pid, signal.SIGKILL)
    pytest.fail("the kernel outlived the client that asked for it")


def test_cpu_time_is_counted_per_tag(server):
    env = {**os.environ, warm_start.TAG: "count-me"}
    before = server.usage("count-me")
    status = warm_start.run(
        server.address,
        {"kind": "nbgrader", "argv": ["--version"], "cwd": "/", "env": env},
        60,
        (0, 1, 2),
        False,
    )
    after = server.usage("count-me")
    assert status == 0
    assert after["nbgrader"] > before["nbgrader"] and after["kernel"] == before["kernel"]
    assert server.usage("someone-else")["nbgrader"] == 0.0
