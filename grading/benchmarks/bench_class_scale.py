"""Time the grading of a simulated class: serial nbgrader, then ``python -m grading autograde`` on 2 workers.

Builds a temporary course (``grading/submissions.py``), hands in ``--students`` complete
submissions of each chosen assignment (the reference answers, every fourth student a typical
mistake from ``grading/assignments/``), then grades them twice: one ``nbgrader autograde
<assignment>`` call for all students (serial), and, after wiping the scores, the parallel
command (sandboxed kernels, notebook budget, repair, merge). Checks that both give the same
grades cell by cell and writes the record as the one run in ``grading/benchmarks/class_scale.json``
(``{"runs": [...]}``; ``--append`` adds it to the runs already there). Heavy (minutes per assignment):
not part of CI. Run from the repository root::

    FASHION_MNIST_DIR=... .venv/bin/python grading/benchmarks/bench_class_scale.py [--students 20] \
        [--assignments 01_data]
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
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from cae_ref.provenance import children_cpu_seconds, environment, load_average, utc_timestamp
from grading.assignments import MISTAKES
from grading.classroom.parallel import autograde_class
from grading.classroom.parallel_merge import gradebook_scores
from grading.submissions import ASSIGNMENTS, REPO, make_course, nbgrader, write_submission


def hand_in(course: Path, assignments: list[str], students: int) -> None:
    """Every student hands in every assignment: the reference, or (every fourth) a typical mistake."""
    for assignment in assignments:
        mistakes = [m for m in MISTAKES.values() if m.assignment == assignment and m.autograded]
        for i in range(students):
            sources = mistakes[(i // 4) % len(mistakes)].sources if i % 4 == 3 and mistakes else None
            write_submission(course, f"s{i:03d}", assignment, sources)


def wipe(course: Path) -> None:
    """Forget every score and autograded folder (the parallel run then grades everything)."""
    import shutil

    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for assignment in gb.assignments:
            for submission in assignment.submissions:
                for notebook in submission.notebooks:
                    for grade in notebook.grades:
                        grade.auto_score = None
        gb.db.commit()
    shutil.rmtree(course / "autograded", ignore_errors=True)


def timed(run) -> tuple[float, float]:
    """Wall and CPU seconds (this process's children: nbgrader, Dask workers, kernels) of ``run()``."""
    start, cpu = time.perf_counter(), children_cpu_seconds()
    run()
    return time.perf_counter() - start, children_cpu_seconds() - cpu


def main(argv: list[str] | None = None) -> int:
    """Grade the simulated class serially and in parallel; write the record."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=20)
    parser.add_argument("--assignments", nargs="+", default=list(ASSIGNMENTS))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=REPO / "grading" / "benchmarks" / "class_scale.json")
    parser.add_argument("--append", action="store_true", help="add this run to those in --out")
    args = parser.parse_args(argv)
    record: dict = {"created_utc": utc_timestamp(), "environment": environment(), "students": args.students}
    record["load_average_at_start"] = load_average()
    with tempfile.TemporaryDirectory(prefix="class-scale-") as tmp:
        course = make_course(Path(tmp) / "course")
        hand_in(course, args.assignments, args.students)
        serial = {}
        for assignment in args.assignments:
            wall, cpu = timed(lambda a=assignment: nbgrader(course, "autograde", a, timeout=4 * 3600))
            serial[assignment] = {"seconds": round(wall, 1), "cpu_seconds": round(cpu, 1)}
            print(f"serial   {assignment}: {wall:7.1f} s wall {cpu:7.1f} s CPU", flush=True)
        expected = gradebook_scores(course)
        wipe(course)
        start = time.perf_counter()
        summary = autograde_class(course, args.assignments, workers=args.workers, log=print)
        # the shards' nbgrader and kernels, and the warm start server's own imports
        wall, cpu = time.perf_counter() - start, sum(summary.shard_cpu_seconds) + (summary.server_cpu_seconds or 0.0)
        print(f"parallel ({args.workers} workers, all assignments): {wall:7.1f} s wall {cpu:7.1f} s CPU", flush=True)
        got = gradebook_scores(course)
    serial_total = sum(v["seconds"] for v in serial.values())
    record.update(
        {
            "load_average_at_end": load_average(),
            "cores": os.cpu_count(),
            "assignments": args.assignments,
            "class": "reference answers; every fourth student a typical mistake (grading/assignments/)",
            "serial": {"per_assignment": serial, "seconds": round(serial_total, 1), "how": "one nbgrader call each"},
            "parallel": {
                "workers": args.workers,
                "seconds": round(wall, 1),
                "cpu_seconds": round(cpu, 1),
                "how": (
                    "python -m grading autograde: nbgrader and sandboxed kernels forked from the warm start server, "
                    "notebook budget, repair, merge"
                ),
                "server_cpu_seconds": round(summary.server_cpu_seconds or 0.0, 1),
            },
            "speedup": round(serial_total / wall, 2),
            "seconds_per_notebook_serial": round(serial_total / (args.students * len(args.assignments)), 1),
            "grades_equal_cell_by_cell": got == expected,
            "graded_cells": len(expected),
        }
    )
    runs = json.loads(args.out.read_text())["runs"] if args.append and args.out.exists() else []
    args.out.write_text(json.dumps({"runs": [*runs, record]}, indent=1) + "\n")
    print(f"speed-up {record['speedup']}x; grades equal: {record['grades_equal_cell_by_cell']}; wrote {args.out}")
    return 0 if record["grades_equal_cell_by_cell"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
