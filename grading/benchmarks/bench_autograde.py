"""Time the autograding of one complete submission (every assignment), per notebook and in total.

Builds a temporary course from this repository (nbgrader_config.py + solutions/), generates the
release, submits the reference solutions for one student, then times ``nbgrader autograde`` for
each assignment: the wall time of the whole command (start-up, sanitising, kernel, tests, saving
grades) and the CPU time of nbgrader and its kernel, as the median of ``--repeat`` runs. The
untouched release is graded the same way: nothing of the student's runs, so its time is what
every notebook pays anyway (nbgrader and kernel start, the TensorFlow import, loading the data,
the checks' own set-up); the reference's time beyond it is the student's code, training included.
Prints a table with the first five assignments against all of them (issue 13's cost ratio) and
writes ``grading/benchmarks/bench_autograde.json``. Run from the repository root on an idle machine::

    FASHION_MNIST_DIR=... .venv/bin/python grading/benchmarks/bench_autograde.py [--repeat 3]

The course and the submission come from ``grading/submissions.py``, as in the exercise tests.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the grading package importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from cae_ref.provenance import children_cpu_seconds, environment, utc_timestamp
from grading.submissions import ASSIGNMENTS, REPO, make_course, nbgrader, write_submission


def _timed_nbgrader(course: Path, *args: str) -> tuple[float, float]:
    """Run nbgrader; return its wall time and the CPU time it and its kernels used."""
    start, cpu = time.perf_counter(), children_cpu_seconds()  # nbgrader and its kernels
    nbgrader(course, *args)
    return time.perf_counter() - start, children_cpu_seconds() - cpu


def _score(course: Path, assignment: str, student: str) -> tuple[float, float]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        submission = gb.find_submission(assignment, student)
        return submission.score, submission.max_score


FIRST_FIVE = ASSIGNMENTS[:5]  # the course before issue 13 added 06-08


def _grade(course: Path, assignment: str, student: str, repeat: int) -> dict:
    """Median wall and CPU seconds of ``repeat`` autograde runs of one student's notebook, and its score."""
    runs = []
    for _ in range(repeat):
        load = os.getloadavg()[0]
        seconds, cpu = _timed_nbgrader(course, "autograde", assignment, "--student", student, "--force")
        runs.append((seconds, cpu, load))
    score, max_score = _score(course, assignment, student)
    return {
        "seconds": round(statistics.median(s for s, _, _ in runs), 1),
        "cpu_seconds": round(statistics.median(c for _, c, _ in runs), 1),
        "all_runs": [
            {"seconds": round(s, 1), "cpu_seconds": round(c, 1), "load_1min": round(ld, 2)} for s, c, ld in runs
        ],
        "score": score,
        "max_score": max_score,
    }


def _totals(results: dict, assignments: list[str]) -> dict:
    """Sums over ``assignments`` of the reference's and the untouched release's medians."""
    pick = [results[a] for a in assignments]
    reference = sum(r["reference"]["cpu_seconds"] for r in pick)
    startup = sum(r["untouched"]["cpu_seconds"] for r in pick)
    return {
        "assignments": assignments,
        "seconds": round(sum(r["reference"]["seconds"] for r in pick), 1),
        "cpu_seconds": round(reference, 1),
        "untouched_cpu_seconds": round(startup, 1),
        "student_code_cpu_seconds": round(reference - startup, 1),
    }


def main(argv: list[str] | None = None) -> int:
    """Grade the reference and the untouched release of every assignment; write the record."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per notebook; the record keeps the median")
    parser.add_argument("--out", type=Path, default=REPO / "grading" / "benchmarks" / "bench_autograde.json")
    args = parser.parse_args(argv)
    load_at_start = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="bench-course-") as tmp:
        course = make_course(Path(tmp))
        for assignment in ASSIGNMENTS:
            write_submission(course, "bench", assignment)  # the reference answers
            write_submission(course, "untouched", assignment, untouched=True)
        results = {}
        for assignment in ASSIGNMENTS:
            results[assignment] = {
                "reference": _grade(course, assignment, "bench", args.repeat),
                "untouched": _grade(course, assignment, "untouched", args.repeat),
            }
            ref, blank = results[assignment]["reference"], results[assignment]["untouched"]
            print(
                f"{assignment:<18} reference {ref['seconds']:6.1f} s wall {ref['cpu_seconds']:6.1f} s CPU "
                f"(score {ref['score']:g}/{ref['max_score']:g})   untouched {blank['cpu_seconds']:6.1f} s CPU",
                flush=True,
            )
    five, eight = _totals(results, list(FIRST_FIVE)), _totals(results, list(ASSIGNMENTS))
    ratio = eight["cpu_seconds"] / five["cpu_seconds"]
    for label, total in (("first five", five), (f"all {len(ASSIGNMENTS)}", eight)):
        print(
            f"{label:<18} {total['seconds']:6.1f} s wall {total['cpu_seconds']:6.1f} s CPU: "
            f"{total['untouched_cpu_seconds']:.1f} s start-up and checks (untouched release), "
            f"{total['student_code_cpu_seconds']:.1f} s the student's code and training"
        )
    print(f"CPU ratio all/first five: {ratio:.2f} (issue 13: at most 1.8)")
    record = {
        "created_utc": utc_timestamp(),
        "environment": environment(),
        "load_average_at_start": [round(x, 2) for x in load_at_start],
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        "note": (
            "median over `repeat` runs of `nbgrader autograde <assignment> --student <id>` for one student, start-up "
            "included: wall seconds, and CPU seconds of nbgrader and its kernel (user + system). `untouched` grades "
            "the release as handed out (no student code runs): what every notebook costs anyway (nbgrader and kernel "
            "start, TensorFlow import, data, the checks' set-up); reference minus untouched is the student's code."
        ),
        "repeat": args.repeat,
        "per_notebook": results,
        "first_five": five,
        "all": eight,
        "cpu_ratio_all_to_first_five": round(ratio, 2),
        "cpu_ratio_goal": 1.8,
    }
    args.out.write_text(json.dumps(record, indent=1) + "\n")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
