"""Grade a class in parallel on Dask ``distributed`` and merge the scores into the one nbgrader gradebook.

    python -m grading autograde [--workers 8] [--assignments 01_data ...] [--students ...] [--course DIR]

The pending submissions (not yet graded, or changed since) of each assignment are split into one
shard per worker (``grading/classroom/parallel_shard.py``); Dask runs the shards, locally on a
``LocalCluster`` of ``--workers`` processes, or on any running Dask scheduler (``--scheduler``:
e.g. a Slurm or PBS cluster started with ``dask-jobqueue``, INSTRUCTORS.md); every shard needs the
course folder on a shared file system. As each shard finishes, this process (the only writer)
merges it (``grading/classroom/parallel_merge.py``). Killing a worker is safe: Dask reruns its shard in a
fresh folder; killing the whole run is safe: run the same command again and it grades only what
was not merged.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from hashlib import sha256
from pathlib import Path

from traitlets.config.loader import PyFileConfigLoader

from cae_ref.grader import grading_data
from grading.classroom import parallel_budget, sandbox
from grading.classroom.parallel_merge import is_done, merge
from grading.classroom.parallel_shard import Settings, Task, grade, start_warm_server, stop_warm_server


@dataclass
class Summary:
    """What a run did: each (assignment, student)'s outcome and the shards' wall times."""

    outcomes: dict[tuple[str, str], str] = field(default_factory=dict)
    skipped: int = 0
    shard_seconds: list[float] = field(default_factory=list)
    shard_cpu_seconds: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    repairs: dict[str, list[str]] = field(default_factory=dict)
    shards: list[dict] = field(default_factory=list)  # per shard: assignment, students, seconds, CPU by kind
    server_cpu_seconds: float | None = None  # the warm start server's own (its imports), when there was one

    @property
    def ok(self) -> bool:
        """True when every submission was graded and merged."""
        return not self.errors and all(v == "graded" for v in self.outcomes.values())


def release_directory(course: Path) -> str:
    """The course's release folder name, from its nbgrader_config.py (nbgrader's default: ``release``)."""
    config = PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config()
    return config.CourseDirectory.get("release_directory", "release")


def plan(course: Path, assignments: Iterable[str], students: Iterable[str] | None, shards: int, force: bool = False):
    """The tasks of a run (at most ``shards`` per assignment) and how many submissions are already done."""
    tasks, skipped = [], 0
    everyone = sorted(p.name for p in (course / "submitted").iterdir() if p.is_dir())
    for assignment in assignments:
        todo = []
        for student in everyone if students is None else sorted(students):
            if not (course / "submitted" / student / assignment).is_dir():
                continue
            if not force and is_done(course, assignment, student):
                skipped += 1
                continue
            todo.append(student)
        for i in range(min(shards, len(todo))):
            chunk = tuple(todo[i::shards])
            tasks.append(Task(assignment, chunk, sha256(" ".join(chunk).encode()).hexdigest()[:10]))
    return tasks, skipped


def snapshot_gradebook(course: Path) -> Path:
    """A consistent copy of the course's gradebook (SQLite backup API) for the shards to start from."""
    target = course / ".parallel" / "template.db"
    target.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(course / "gradebook.db") as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return target


def _client(workers: int, scheduler: str | None):
    from distributed import Client, LocalCluster

    if scheduler:
        return Client(scheduler)
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0")
    return Client(cluster)


def autograde_class(
    course: Path,
    assignments: Iterable[str],
    students: Iterable[str] | None = None,
    *,
    workers: int = 2,
    scheduler: str | None = None,
    threads: int | None = None,
    budget: int = parallel_budget.NOTEBOOK_BUDGET_S,
    memory: int = sandbox.MEMORY_BYTES,
    force: bool = False,
    warm: bool = True,
    log=print,
) -> Summary:
    """Grade the pending submissions of ``course`` on ``workers`` and merge them into its gradebook.

    With ``warm`` (the default), nbgrader and every kernel are forked from a warm start server
    (``grading/classroom/warm_start.py``): the coordinator's for local workers, each worker's own on a cluster.
    """
    course = course.resolve()
    summary = Summary()
    tasks, summary.skipped = plan(course, assignments, students, workers, force)
    log(f"{len(tasks)} shards to grade, {summary.skipped} submissions already graded; sandbox: {sandbox.mechanism()}")
    if not tasks:
        return summary
    threads = threads or max(1, (os.cpu_count() or 1) // workers)
    server = start_warm_server(threads) if warm and not scheduler else None  # local workers share it
    settings = Settings(
        course=course,
        release_directory=release_directory(course),
        template_db=snapshot_gradebook(course),
        threads=threads,
        budget=budget,
        memory=memory,
        warm=warm,
        warm_address=server.address if server else None,
        warm_kernels=server.kernels if server else False,
        grading_data=grading_data.write(course / ".parallel" / "grading-data.npz"),
    )
    if server is not None and server.kernels:
        log("warm start: nbgrader and every kernel forked from one server; kernels in namespaces of their own")
    elif server is not None:
        log(f"warm start: nbgrader forked; kernels start one process each ({server.why})")
    try:
        _grade_shards(course, tasks, settings, workers, scheduler, summary, log)
    finally:
        if server is not None:
            summary.server_cpu_seconds = server.usage()["server"]
            server.stop()
    if summary.ok:  # keep the shard folders (and their autograde.log) only when something failed
        shutil.rmtree(course / ".parallel" / "shards", ignore_errors=True)
    return summary


def _grade_shards(course, tasks, settings, workers, scheduler, summary, log) -> None:
    """Run the shards on Dask and merge each as it finishes."""
    from distributed import as_completed

    with _client(workers, scheduler) as client:
        futures = [client.submit(grade, task, settings, pure=False) for task in tasks]
        for future in as_completed(futures):
            try:
                result = future.result()
            except Exception as error:
                summary.errors.append(repr(error))
                log(f"shard failed: {error!r}")
                continue
            outcome = merge(course, result)
            summary.shard_seconds.append(result.seconds)
            summary.shard_cpu_seconds.append(result.cpu_seconds)
            summary.shards.append(
                {
                    "assignment": result.task.assignment,
                    "students": list(result.task.students),
                    "seconds": round(result.seconds, 2),
                    "cpu_seconds": round(result.cpu_seconds, 2),
                    "cpu_by_kind": {k: round(v, 2) for k, v in (result.cpu_by_kind or {}).items()},
                }
            )
            summary.repairs.update({f"{result.task.assignment}:{k}": v for k, v in result.repairs.items()})
            summary.outcomes.update({(result.task.assignment, s): v for s, v in outcome.items()})
            log(f"{result.task.assignment} {', '.join(result.task.students)}: {outcome} in {result.seconds:.0f} s")
            if result.returncode != 0:
                log(f"nbgrader exited {result.returncode} in {result.folder}; end of its log:\n{result.log_tail}")
        client.run(stop_warm_server)  # a worker waits for a server it started: its CPU time counts
