"""python -m grading autograde gives the grades of serial nbgrader, cell by cell, even when a worker is killed.

A 3-student class on the two fastest assignments: graded serially with plain ``nbgrader
autograde``, the scores set aside and wiped, then graded by the parallel command on 2 workers
(nbgrader and the kernels forked from its warm start server), whose workers are killed while a
kernel runs; the command is then run again, as an instructor would, and must finish the job.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from nbgrader.api import Gradebook

from grading.assignments import MISTAKES
from grading.classroom.parallel_merge import gradebook_scores
from grading.submissions import REPO, course_env, nbgrader, write_submission

pytestmark = [pytest.mark.slow, pytest.mark.needs_solutions]
ASSIGNMENTS = ("01_data", "02_architecture")
CLASS = {
    "ada": {},  # the reference
    "ben": {"01_data": MISTAKES["not_normalised"].sources, "02_architecture": MISTAKES["no_pooling"].sources},
    "cy": {"01_data": MISTAKES["no_channel_axis"].sources, "02_architecture": MISTAKES["linear_output"].sources},
}


def command(course: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "grading",
        "autograde",
        "--course",
        str(course),
        "--workers",
        "2",
        "--assignments",
        *ASSIGNMENTS,
    ]


def wipe_scores(course: Path) -> None:
    """Forget every autograde score and folder, so the parallel run must write all of them."""
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for assignment in gb.assignments:
            for submission in assignment.submissions:
                for notebook in submission.notebooks:
                    for grade in notebook.grades:
                        grade.auto_score = None
        gb.db.commit()
    shutil.rmtree(course / "autograded")


def kill_the_workers_of_a_running_nbgrader(run: subprocess.Popen, timeout: float = 600) -> int:
    """SIGKILL the Dask workers once a grading kernel runs; return the pid of the nbgrader that started it.

    The kernel's launcher (``sandbox_kernel.py``) is nbgrader's child: a process of the worker's own
    (``--cold``) or forked from the warm start server (the default), which the worker holds a
    connection to. Either way nbgrader must not outlive its worker.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and run.poll() is None:
        tree = psutil.Process(run.pid).children(recursive=True)
        for proc in tree:
            try:
                if any(part.endswith("sandbox_kernel.py") for part in proc.cmdline()):
                    nbgrader = proc.parent()
                    break
            except psutil.Error:
                continue
        else:
            time.sleep(0.5)
            continue
        for worker in psutil.Process(run.pid).children():
            if any("spawn_main" in part for part in worker.cmdline()):
                worker.kill()
        return nbgrader.pid
    raise AssertionError("no grading kernel appeared under the parallel command")


def test_parallel_equals_serial_after_a_killed_worker(course):
    for student, sources in CLASS.items():
        for assignment in ASSIGNMENTS:
            write_submission(course, student, assignment, sources.get(assignment))
    for assignment in ASSIGNMENTS:
        nbgrader(course, "autograde", assignment)
    serial = gradebook_scores(course)
    autograded = {key: value for key, value in serial.items() if not key[3].startswith("q_")}
    assert len(autograded) == 3 * (3 + 7) and None not in autograded.values()
    assert len(serial) == len(autograded) + 3 * 2  # one written answer per notebook, left to a person
    assert 0 < sum(autograded.values()) < 3 * (4 + 12)  # the mistakes lose points, the reference keeps them
    wipe_scores(course)

    run = subprocess.Popen(
        command(course), cwd=REPO, env=course_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    orphan = kill_the_workers_of_a_running_nbgrader(run)
    first_log, _ = run.communicate(timeout=1800)
    assert not psutil.pid_exists(orphan) or psutil.Process(orphan).status() == psutil.STATUS_ZOMBIE, (
        "nbgrader outlived its killed worker"
    )
    again = subprocess.run(command(course), cwd=REPO, env=course_env(), capture_output=True, text=True, timeout=1800)
    assert again.returncode == 0, f"first run:\n{first_log}\nsecond run:\n{again.stdout}\n{again.stderr}"
    assert gradebook_scores(course) == serial
    for student in CLASS:
        for assignment in ASSIGNMENTS:
            assert (course / "autograded" / student / assignment / f"{assignment}.ipynb").is_file()
