"""One shard of a parallel grading run: some students' submissions of one assignment, graded in a course copy.

A shard is a folder of its own (``<course>/.parallel/shards/<assignment>-<key>-<attempt>``) with a
copy of ``nbgrader_config.py`` plus the grading lines (sandboxed kernel, notebook budget), links
to every other top-level entry of the course (source and release folders), copies of its
students' ``submitted/`` folders (repaired: ``grading/classroom/repair.py``) and its own ``gradebook.db``
(a snapshot of the course's). ``nbgrader autograde`` runs there once for all its students, so no
two processes ever write the same SQLite file; the coordinator merges the result
(``grading/classroom/parallel_merge.py``). Every attempt gets a fresh folder: a retried shard never meets
the leftovers of a killed one.
"""

from __future__ import annotations

import ctypes
import os
import resource
import shutil
import signal
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from cae_ref.grader import grading_data
from grading.classroom import parallel_budget, sandbox, warm_start
from grading.classroom.repair import repair_assignment
from grading.submissions import BIN, REPO, course_env

# Entries of the course that a shard never links: it has its own.
OWN = {"submitted", "autograded", "feedback", "gradebook.db", "nbgrader_config.py", ".parallel", ".git"}
THREAD_VARIABLES = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "TF_NUM_INTRAOP_THREADS",
    "TF_NUM_INTEROP_THREADS",
)


@dataclass(frozen=True)
class Task:
    """Grade ``students``' submissions of ``assignment``."""

    assignment: str
    students: tuple[str, ...]
    key: str  # names the shard folder


@dataclass(frozen=True)
class Settings:
    """How every shard grades (the same for all shards of a run)."""

    course: Path
    release_directory: str
    template_db: Path  # snapshot of the course's gradebook (assignments and their cells)
    threads: int  # per kernel: TensorFlow and BLAS thread pools
    budget: int  # seconds per notebook (grading/classroom/parallel_budget.py)
    memory: int  # bytes of address space per kernel
    warm: bool = True  # fork nbgrader and the kernels from a warm start server (grading/classroom/warm_start.py)
    warm_address: str | None = None  # the coordinator's server (local workers); None: each worker starts its own
    warm_kernels: bool = False  # whether that server forks kernels (its sandbox probe passed)
    grading_data: Path | None = None  # every grading budget's subsets, written once (cae_ref/grader/grading_data.py)


@dataclass(frozen=True)
class ShardResult:
    """What one shard did; the coordinator merges ``folder``."""

    task: Task
    folder: Path
    returncode: int
    seconds: float
    cpu_seconds: float  # nbgrader and its kernels (user + system)
    timed_out: bool
    repairs: dict[str, list[str]]
    log_tail: str
    cpu_by_kind: dict[str, float] | None = None  # warm start: {"kernel": ..., "nbgrader": ...}


def _die_with_parent() -> None:
    """In the child: get SIGKILL when the worker that started nbgrader dies (Linux prctl PR_SET_PDEATHSIG)."""
    ctypes.CDLL(None).prctl(1, signal.SIGKILL)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # one shard at a time per worker process
    return usage.ru_utime + usage.ru_stime


_SERVER: list[warm_start.Server] = []  # this worker's warm start server, started by its first shard


def start_warm_server(threads: int) -> warm_start.Server:
    """A warm start server with the course's environment and ``threads`` per kernel."""
    env = course_env()
    env.update({name: str(threads) for name in THREAD_VARIABLES})
    return warm_start.Server(env, cwd=REPO)


def warm_server(settings: Settings) -> tuple[str | None, bool]:
    """The address of the warm start server this shard uses (None: none) and whether it forks kernels.

    Local workers share the coordinator's; a worker elsewhere starts its own at its first shard.
    """
    if not settings.warm:
        return None, False
    if settings.warm_address:
        return settings.warm_address, settings.warm_kernels
    if not _SERVER:
        _SERVER.append(start_warm_server(settings.threads))
    return _SERVER[0].address, _SERVER[0].kernels


def stop_warm_server() -> None:
    """End this worker's warm start server, if any (its children's CPU time then counts as the worker's)."""
    while _SERVER:
        _SERVER.pop().stop()


def prepare(
    task: Task, settings: Settings, runtime: Path, warm: str | None = None
) -> tuple[Path, dict[str, list[str]]]:
    """Build the shard folder for ``task``; return it and the repairs made to its submissions."""
    course = settings.course
    folder = course / ".parallel" / "shards" / f"{task.assignment}-{task.key}-{uuid.uuid4().hex[:8]}"
    folder.mkdir(parents=True)
    for entry in course.iterdir():
        if entry.name not in OWN:
            (folder / entry.name).symlink_to(entry)
    grading_lines = [*sandbox.config_lines(runtime), *parallel_budget.config_lines(settings.budget)]
    config = (course / "nbgrader_config.py").read_text()
    (folder / "nbgrader_config.py").write_text(config + "\n# parallel grading\n" + "\n".join(grading_lines) + "\n")
    shutil.copy(settings.template_db, folder / "gradebook.db")
    sandbox.install_kernelspec(folder / "jupyter", runtime, settings.memory, warm=warm)
    repairs = {}
    release = course / settings.release_directory / task.assignment
    for student in task.students:
        target = folder / "submitted" / student / task.assignment
        shutil.copytree(course / "submitted" / student / task.assignment, target, symlinks=False)
        for notebook, report in repair_assignment(release, target).items():
            if report:
                repairs[f"{student}/{notebook}"] = report.inserted + report.restored
    return folder, repairs


def shard_env(settings: Settings, folder: Path, runtime: Path) -> dict[str, str]:
    """nbgrader's environment in a shard: the course's, capped threads, the sandbox's kernelspec."""
    env = course_env()
    env.update({name: str(settings.threads) for name in THREAD_VARIABLES})
    env.update(sandbox.sandbox_env(folder / "jupyter", runtime))
    if settings.grading_data is not None:
        env[grading_data.ENV] = str(settings.grading_data)
    return env


def grade(task: Task, settings: Settings) -> ShardResult:
    """Grade one shard (runs on a worker): prepare it, run ``nbgrader autograde`` once, under a hard limit."""
    runtime = Path(tempfile.mkdtemp(prefix="cae-rt-"))  # short: Unix socket paths
    try:
        address, kernels = warm_server(settings)
        folder, repairs = prepare(task, settings, runtime, address if kernels else None)
        # The notebook budget bounds each notebook; this bounds the whole call (kernel start-up, saving).
        limit = len(task.students) * (settings.budget + 120) + 300
        arguments = ["autograde", task.assignment, "--force"]
        env = shard_env(settings, folder, runtime)
        start = time.monotonic()
        by_kind = None
        if address is None:
            returncode, timed_out, log, cpu = _run_process(arguments, folder, env, limit)
        else:
            returncode, timed_out, log, by_kind = _run_warm(address, arguments, folder, env, limit)
            cpu = by_kind["kernel"] + by_kind["nbgrader"]
        (folder / "autograde.log").write_text(log)
        seconds = time.monotonic() - start
        return ShardResult(task, folder, returncode, seconds, cpu, timed_out, repairs, log[-3000:], by_kind)
    finally:
        shutil.rmtree(runtime, ignore_errors=True)


def _run_process(arguments: list[str], folder: Path, env: dict[str, str], limit: float):
    """``nbgrader ARGUMENTS`` as a process of its own: return code, timed out, log, CPU seconds."""
    cpu = _children_cpu()
    process = subprocess.Popen(
        [str(BIN / "nbgrader"), *arguments],
        cwd=folder,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
        preexec_fn=_die_with_parent,
    )
    timed_out = False
    try:
        log, _ = process.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        timed_out = True
        os.killpg(process.pid, signal.SIGKILL)
        log, _ = process.communicate()
    return process.returncode, timed_out, log, _children_cpu() - cpu


def _run_warm(address: str, arguments: list[str], folder: Path, env: dict[str, str], limit: float):
    """``nbgrader ARGUMENTS`` forked from the warm start server: return code, timed out, log, CPU seconds by kind."""
    env = {**env, warm_start.TAG: folder.name}
    log_path = folder / "autograde.log"
    with open(os.devnull, "rb") as nothing, open(log_path, "wb") as log:
        request = {"kind": "nbgrader", "argv": arguments, "cwd": str(folder), "env": env}
        returncode = warm_start.run(address, request, limit, (nothing.fileno(), log.fileno(), log.fileno()), False)
    timed_out = returncode == -signal.SIGKILL
    spent = warm_start.usage(address, folder.name)
    by_kind = {kind: spent[kind] for kind in ("kernel", "nbgrader")}
    return returncode, timed_out, log_path.read_text(errors="replace"), by_kind
