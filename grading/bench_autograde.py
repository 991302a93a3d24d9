"""Time the autograding of one complete submission (every assignment), per notebook and in total.

Builds a temporary course from this repository (nbgrader_config.py + solutions/), generates the
release, submits the reference solutions for one student, then times ``nbgrader autograde`` for
each assignment: the wall time of the whole command (start-up, sanitising, kernel, tests, saving
grades) and the kernel's own execution time (first to last cell). Prints a table and writes
``grading/bench_autograde.json``. Run from the repository root::

    FASHION_MNIST_DIR=... .venv/bin/python grading/bench_autograde.py [--repeat 2]

The course and the submission come from ``grading/submissions.py``, as in the exercise tests.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the grading package importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from cae_ref.provenance import children_cpu_seconds, environment, utc_timestamp
from grading.submissions import ASSIGNMENTS, REPO, make_course, nbgrader, write_submission


def _timed_nbgrader(course: Path, *args: str) -> tuple[float, float]:
    """Run nbgrader; return its wall time and the CPU time it and its kernels used."""
    start, cpu = time.perf_counter(), children_cpu_seconds()  # nbgrader and its kernels
    nbgrader(course, *args)
    return time.perf_counter() - start, children_cpu_seconds() - cpu


def _score(course: Path, assignment: str) -> tuple[float, float]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        submission = gb.find_submission(assignment, "bench")
        return submission.score, submission.max_score


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="grade the submission this many times; keep the best")
    parser.add_argument("--out", type=Path, default=REPO / "grading" / "bench_autograde.json")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-course-") as tmp:
        course = make_course(Path(tmp))
        for assignment in ASSIGNMENTS:
            write_submission(course, "bench", assignment)  # the reference answers
        results = {}
        for assignment in ASSIGNMENTS:
            runs = []
            for _ in range(args.repeat):
                load = os.getloadavg()[0]
                seconds, cpu = _timed_nbgrader(course, "autograde", assignment, "--force")
                runs.append((seconds, cpu, load))
            score, max_score = _score(course, assignment)
            best, cpu, load = min(runs)
            results[assignment] = {
                "seconds": round(best, 1),
                "cpu_seconds": round(cpu, 1),
                "all_runs_seconds": [round(s, 1) for s, _, _ in runs],
                "load_average_1min_at_start": round(load, 2),
                "score": score,
                "max_score": max_score,
            }
            print(
                f"{assignment:<18} {best:6.1f} s wall {cpu:6.1f} s CPU   score {score:g}/{max_score:g}"
                f"   (load {load:.1f})",
                flush=True,
            )
    total = sum(item["seconds"] for item in results.values())
    total_cpu = sum(item["cpu_seconds"] for item in results.values())
    print(f"{'total':<18} {total:6.1f} s wall {total_cpu:6.1f} s CPU   (goal: 60 s wall)")
    record = {
        "created_utc": utc_timestamp(),
        "environment": environment(),
        "note": (
            "wall time of `nbgrader autograde <assignment>` for one student, start-up included; CPU time of "
            "nbgrader and its kernel (user + system). On a shared machine the wall time mostly measures the load."
        ),
        "per_notebook": results,
        "total_seconds": round(total, 1),
        "total_cpu_seconds": round(total_cpu, 1),
        "goal_seconds": 60,
    }
    args.out.write_text(json.dumps(record, indent=1) + "\n")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
