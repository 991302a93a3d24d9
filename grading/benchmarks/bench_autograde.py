"""Time the autograding of one complete submission (every assignment), per notebook and in total.

Builds a temporary course from this repository (nbgrader_config.py + solutions/), generates the
release, submits the reference solutions for one student, then times ``nbgrader autograde`` for
each assignment: the wall time of the whole command (start-up, sanitising, kernel, tests, saving
grades) and the CPU time of nbgrader and its kernel, as the median of ``--repeat`` runs. The
untouched release is graded the same way: nothing of the student's runs, so its time is what
every notebook pays anyway (nbgrader and kernel start, the TensorFlow import, loading the data,
the checks' own set-up); the reference's time beyond it is the student's code, training included.
Prints a table with the first five assignments against all of them (issue 13's cost ratio).

The same two submissions are then graded through the project's command, ``python -m grading
autograde --students <id>`` (all assignments in one call, ``--workers 2``, everything included: the
command, Dask and its workers, the warm start server that imports TensorFlow, ipykernel and
nbgrader once, nbgrader and the sandboxed kernels it forks), as the median of ``--repeat`` calls,
with the breakdown from the command's ``--report``. Both go to ``grading/benchmarks/bench_autograde.json``, in
one run on one machine. Run from the repository root on an idle machine::

    FASHION_MNIST_DIR=... .venv/bin/python grading/benchmarks/bench_autograde.py [--repeat 3]

The course and the submission come from ``grading/submissions.py``, as in the exercise tests.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the grading package importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from cae_ref.provenance import children_cpu_seconds, environment, utc_timestamp
from grading.submissions import ASSIGNMENTS, REPO, course_env, make_course, nbgrader, write_submission


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


def _command_run(course: Path, student: str, workers: int, report: Path, cold: bool) -> dict:
    """One ``python -m grading autograde`` call grading every assignment of ``student``: time, CPU, breakdown."""
    command = [sys.executable, "-m", "grading", "autograde", "--course", str(course), "--students", student]
    command += ["--force", "--workers", str(workers), "--report", str(report), *(["--cold"] if cold else [])]
    load = os.getloadavg()[0]
    start, cpu = time.perf_counter(), children_cpu_seconds()  # the command and everything it started
    subprocess.run(command, cwd=REPO, env=course_env(), check=True, capture_output=True, text=True)
    seconds, cpu = time.perf_counter() - start, children_cpu_seconds() - cpu
    shards = json.loads(report.read_text())["shards"]
    kernels = sum(s["cpu_by_kind"].get("kernel", s["cpu_seconds"]) for s in shards)
    nbgrader_cpu = sum(s["cpu_by_kind"].get("nbgrader", 0.0) for s in shards)
    server = json.loads(report.read_text())["server_cpu_seconds"] or 0.0
    return {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "kernels": kernels,
        "nbgrader": nbgrader_cpu,
        "server": server,
        "rest": cpu - kernels - nbgrader_cpu - server,
        "load_1min": load,
    }


def _command(course: Path, student: str, workers: int, repeat: int, cold: bool = False) -> dict:
    """Median of ``repeat`` calls of the project's command for ``student``, with the breakdown, and the score."""
    runs = [_command_run(course, student, workers, course / "report.json", cold) for _ in range(repeat)]
    median = {key: round(statistics.median(run[key] for run in runs), 1) for key in runs[0] if key != "load_1min"}
    scores = [_score(course, assignment, student) for assignment in ASSIGNMENTS]
    return {
        **median,
        "all_runs": [{k: round(v, 2) for k, v in run.items()} for run in runs],
        "score": sum(s for s, _ in scores),
        "max_score": sum(m for _, m in scores),
    }


def main(argv: list[str] | None = None) -> int:
    """Grade the reference and the untouched release of every assignment; write the record."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per notebook; the record keeps the median")
    parser.add_argument("--workers", type=int, default=2, help="the project's command's --workers")
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
        project = {
            "reference": _command(course, "bench", args.workers, args.repeat),
            "untouched": _command(course, "untouched", args.workers, args.repeat),
            "reference_cold": _command(course, "bench", args.workers, args.repeat, cold=True),
            "untouched_cold": _command(course, "untouched", args.workers, args.repeat, cold=True),
        }
        for label, run in project.items():
            print(
                f"project command, {label:<14} {run['seconds']:6.1f} s wall {run['cpu_seconds']:6.1f} s CPU "
                f"(kernels {run['kernels']:.1f}, nbgrader {run['nbgrader']:.1f}, server {run['server']:.1f}, "
                f"the command, Dask and workers {run['rest']:.1f}; score {run['score']:g}/{run['max_score']:g})",
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
        "project_command": {
            "how": (
                f"python -m grading autograde --students <id> --workers {args.workers} --force: every assignment in "
                "one call; wall and CPU seconds of the call and all it started (median of `repeat`); breakdown from "
                "its --report: kernels and nbgrader (forked from the warm start server), the server itself (its "
                "imports), the rest (the command, Dask, its workers). `*_cold`: the same call with --cold (a "
                "process per kernel and per nbgrader run, the command as it was before version 0.5.0; kernels and "
                "nbgrader are then one figure, under `kernels`)"
            ),
            **project,
            "goals_cpu_seconds": {"untouched": 40, "reference": 90},
        },
    }
    args.out.write_text(json.dumps(record, indent=1) + "\n")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
