"""Command line of the grading tools: ``python -m grading autograde|repair|check-versions|calibrate ...``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

if __package__ in (None, ""):  # pragma: no cover (python grading/__main__.py)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from grading.classroom import parallel_budget, sandbox, versions
from grading.submissions import ASSIGNMENTS


def _warn_versions(args: argparse.Namespace) -> int:
    """Print a warning for every submission made against another course version; return how many."""
    mismatches = versions.check_submissions(args.course, args.assignments, args.students)
    for mismatch in mismatches:
        print(mismatch.message(), file=sys.stderr)
    return len(mismatches)


def _check_versions(args: argparse.Namespace) -> int:
    checked = versions.submitted_notebooks(args.course, args.assignments, args.students)
    if not checked:
        print(f"no submitted notebook found under {args.course / 'submitted'} (run `nbgrader collect` first?)")
        return 1
    found = _warn_versions(args)
    students = len({path.parent.parent.name for path in checked})
    print(
        f"checked {len(checked)} submitted notebook(s) of {students} student(s): "
        f"{found} made against another course version than {versions.VERSION}"
    )
    return 1 if found else 0


def _autograde(args: argparse.Namespace) -> int:
    from grading.classroom.parallel import autograde_class

    mismatched = _warn_versions(args)  # from the files as submitted: grading restores the locked setup cell
    summary = autograde_class(
        args.course,
        args.assignments,
        args.students,
        workers=args.workers,
        scheduler=args.scheduler,
        threads=args.threads,
        budget=args.budget,
        memory=int(args.memory_gib * 2**30),
        force=args.force,
        warm=not args.cold,
    )
    if args.report:
        report = {
            "outcomes": {f"{a} {s}": v for (a, s), v in sorted(summary.outcomes.items())},
            "shards": summary.shards,
            "server_cpu_seconds": summary.server_cpu_seconds,
            "warm": not args.cold,
        }
        args.report.write_text(json.dumps(report, indent=1) + "\n")
    graded = sum(v == "graded" for v in summary.outcomes.values())
    print(f"graded {graded} of {len(summary.outcomes)} submissions ({summary.skipped} already graded)")
    for (assignment, student), outcome in sorted(summary.outcomes.items()):
        if outcome != "graded":
            print(f"  {assignment} {student}: {outcome} (look at it by hand)")
    for where, cells in sorted(summary.repairs.items()):
        print(f"  repaired {where}: {', '.join(cells)} put back from the release")
    if mismatched:
        print(
            f"  {mismatched} notebook(s) made against another course version than {versions.VERSION} (warnings above)"
        )
    return 0 if summary.ok else 1


def _repair(args: argparse.Namespace) -> int:
    from grading.classroom.repair import repair_file

    report = repair_file(args.release, args.submitted)
    print(f"inserted: {report.inserted or '-'}; restored: {report.restored or '-'}")
    return 0


def _calibrate(args: argparse.Namespace) -> int:
    from grading import calibration

    assignments = args.assignments or calibration.calibrated_assignments()
    return calibration.calibrate(assignments, args.seeds, args.mistake_seeds, page_only=args.page_only)


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the command."""
    parser = argparse.ArgumentParser(prog="python -m grading", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    auto = commands.add_parser("autograde", help="grade a class in parallel (grading/classroom/parallel.py)")
    auto.add_argument("--course", type=Path, default=Path.cwd(), help="course folder (default: here)")
    auto.add_argument("--workers", type=int, default=2, help="worker processes (local) or shards per assignment")
    auto.add_argument("--assignments", nargs="+", default=list(ASSIGNMENTS))
    auto.add_argument("--students", nargs="+", help="default: everyone under submitted/")
    auto.add_argument("--scheduler", help="address of a running Dask scheduler (e.g. from dask-jobqueue)")
    auto.add_argument("--threads", type=int, help="threads per kernel (default: cores // workers)")
    auto.add_argument("--budget", type=int, default=parallel_budget.NOTEBOOK_BUDGET_S, help="seconds per notebook")
    auto.add_argument("--memory-gib", type=float, default=sandbox.MEMORY_BYTES / 2**30, help="per kernel")
    auto.add_argument("--force", action="store_true", help="regrade submissions graded before")
    auto.add_argument(
        "--cold", action="store_true", help="no warm start server: a process per kernel and per nbgrader run"
    )
    auto.add_argument("--report", type=Path, help="write what each shard cost (JSON) to this file")
    auto.set_defaults(run=_autograde)
    fix = commands.add_parser("repair", help="put a submission's locked cells back from the release")
    fix.add_argument("release", type=Path)
    fix.add_argument("submitted", type=Path)
    fix.set_defaults(run=_repair)
    check = commands.add_parser("check-versions", help="warn about submissions made against another course version")
    check.add_argument("--course", type=Path, default=Path.cwd(), help="course folder (default: here)")
    check.add_argument("--assignments", nargs="+", default=list(ASSIGNMENTS))
    check.add_argument("--students", nargs="+", help="default: everyone under submitted/")
    check.set_defaults(run=_check_versions)
    cal = commands.add_parser(
        "calibrate", help="calibrate the thresholds: one record per assignment, then grading/calibration.md whole"
    )
    cal.add_argument("assignments", nargs="*", help="default: every assignment with a threshold")
    cal.add_argument("--seeds", type=int, default=5, help="seeds for the reference and the valid designs")
    cal.add_argument("--mistake-seeds", type=int, default=1, help="seeds for each typical mistake")
    cal.add_argument("--page-only", action="store_true", help="write calibration.md from the records, no training")
    cal.set_defaults(run=_calibrate)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    raise SystemExit(main())
