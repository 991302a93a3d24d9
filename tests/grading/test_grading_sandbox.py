"""The grading kernel's sandbox: no network, no writes outside its folder, a private HOME/TMPDIR, a memory cap.

Each test runs a few cells in the ``cae-grading`` kernel (grading/classroom/sandbox.py) through nbclient, as
nbgrader does, with bubblewrap (CI installs it: .ci/run) and with the ``unshare -rn`` fallback.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from traitlets.config import Config

from grading.classroom import sandbox
from grading.submissions import REPO

LIMIT = 2 * 2**30  # the test kernel's address space


def run_cells(tmp_path: Path, cells: list[str], monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Run ``cells`` in a sandboxed kernel whose folder is ``tmp_path/work``; return each cell's text output."""
    runtime, jupyter, work = tmp_path / "rt", tmp_path / "jupyter", tmp_path / "work"
    work.mkdir()
    sandbox.install_kernelspec(jupyter, runtime, LIMIT)
    for name, value in sandbox.sandbox_env(jupyter, runtime).items():
        monkeypatch.setenv(name, value)
    config = Config({"KernelManager": {"transport": "ipc", "ip": str(runtime / "kernel")}})
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    client = NotebookClient(
        nb,
        config=config,
        kernel_name=sandbox.KERNEL_NAME,
        timeout=20,
        allow_errors=True,
        resources={"metadata": {"path": str(work)}},
    )
    client.execute()
    texts = []
    for cell in nb.cells:
        parts = [o.get("text", "") for o in cell.outputs if o.output_type == "stream"]
        parts += [f"{o.ename}: {o.evalue}" for o in cell.outputs if o.output_type == "error"]
        texts.append("".join(parts))
    return texts


PROBES = [
    # network: nothing but a loopback that is not the host's
    "import socket\ntry:\n    socket.create_connection(('1.1.1.1', 80), timeout=3)\n    print('NET OPEN')\n"
    "except OSError as e:\n    print('net blocked', e.errno)",
    "open('answer.txt', 'w').write('42'); print('wrote here')",
    "import os\nprint(os.environ['HOME'], os.environ['TMPDIR'])\n"
    "open(os.path.expanduser('~/.cache-probe'), 'w').write('x')",
    "x = bytearray(3 * 2**30)\nprint('ALLOCATED')",
    "print('still alive')",
]


def outside_writes(targets: list[Path]) -> list[str]:
    return [
        "\n".join(
            [
                f"for target in {[str(t) for t in targets]!r}:",
                "    try:",
                "        open(target, 'w').write('leak')",
                "        print('WROTE', target)",
                "    except OSError as e:",
                "        print('blocked', e.errno)",
            ]
        )
    ]


@pytest.fixture
def targets(tmp_path: Path):
    """Files outside the kernel's folder: in the course root, in the real HOME, beside the folder."""
    name = f".sandbox-probe-{uuid.uuid4().hex}"
    paths = [REPO / name, Path.home() / name, tmp_path / name]
    yield paths
    for path in paths:
        path.unlink(missing_ok=True)


def test_bubblewrap_sandbox(tmp_path, monkeypatch, targets):
    monkeypatch.delenv("CAE_SANDBOX", raising=False)
    assert sandbox.mechanism() == "bwrap", "install bubblewrap (apt-get install -y bubblewrap): the sandbox needs it"
    out = run_cells(tmp_path, PROBES + outside_writes(targets), monkeypatch)
    assert out[0].startswith("net blocked"), out[0]
    assert out[1].startswith("wrote here") and (tmp_path / "work" / "answer.txt").read_text() == "42"
    assert out[2].split() == ["/tmp/home", "/tmp"], out[2]  # a private tmpfs, gone with the kernel
    assert "MemoryError" in out[3] and "ALLOCATED" not in out[3]
    assert out[4] == "still alive\n"
    # The course root and the real HOME are read-only; beside the folder is the private /tmp.
    assert out[5].splitlines()[:2] == ["blocked 30", "blocked 30"], out[5]
    assert not any(path.exists() for path in targets), "a write left the sandbox"
    assert not (Path.home() / ".cache-probe").exists()


def test_unshare_fallback_still_cuts_network_and_memory(tmp_path, monkeypatch, capfd):
    monkeypatch.setenv("CAE_SANDBOX", "unshare")
    assert sandbox.mechanism() == "unshare"
    out = run_cells(tmp_path, PROBES, monkeypatch)
    assert out[0].startswith("net blocked"), out[0]
    home, tmp = out[2].split()
    assert home == tmp and Path(home).name.startswith("cae-kernel-") and home != os.environ.get("HOME")
    assert "MemoryError" in out[3] and out[4] == "still alive\n"
    assert "bubblewrap (bwrap) not found" in capfd.readouterr().err  # said loudly, on the grader's log


def test_a_course_under_tmp_stays_readable_in_the_sandbox(tmp_path, monkeypatch):
    """The sandbox's tmpfs /tmp would hide a course cloned under /tmp: its paths are mounted back read-only."""
    from grading.classroom.sandbox_kernel import bwrap_command

    course = tmp_path / "course"  # pytest's tmp_path lies under /tmp
    course.mkdir()
    monkeypatch.setenv("PYTHONPATH", str(course))
    workdir, runtime = course / "autograded" / "s" / "a", tmp_path / "runtime"
    workdir.mkdir(parents=True)
    runtime.mkdir()
    command = bwrap_command(["python", "-m", "ipykernel_launcher"], str(workdir), str(runtime))
    kept = command.index(os.path.realpath(course))
    assert command[kept - 1] == "--ro-bind" and command[kept + 1] == os.path.realpath(course)
    assert command.index("--tmpfs") < kept < command.index(str(workdir)), (
        "the course must be mounted after the tmpfs and before the writable notebook folder"
    )


def test_a_missing_bubblewrap_is_named_on_the_first_lines_of_the_run(monkeypatch):
    """The README's promise for a fresh machine: the test run's header says what to install."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("top_conftest", REPO / "tests" / "conftest.py")
    conftest = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conftest)
    monkeypatch.setattr(conftest.shutil, "which", lambda name: None)
    (line,) = conftest.pytest_report_header(None)
    assert line.startswith("MISSING bubblewrap") and "apt-get install -y bubblewrap" in line
    monkeypatch.setattr(conftest.shutil, "which", lambda name: "/usr/bin/bwrap")
    assert conftest.pytest_report_header(None) == []
