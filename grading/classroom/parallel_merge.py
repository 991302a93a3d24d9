"""Merge a graded shard into the course: its scores through nbgrader's API, its autograded/ folders by copy.

Only the coordinator calls this, one shard at a time: the course's ``gradebook.db`` has one writer.
A student is marked done (``.parallel/done/<assignment>/<student>`` holds the digest of the
submission that was graded) only after their scores and folder are in place, so a run that dies
anywhere leaves that student pending, and the next run grades them again.
"""

from __future__ import annotations

import contextlib
import hashlib
import shutil
import warnings
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from sqlalchemy.exc import SAWarning

from grading.classroom.parallel_shard import ShardResult

NOT_FINISHED = "not graded: the grading of this submission did not finish within its time limit; scored 0"


def submission_digest(folder: Path) -> str:
    """A digest of every file of a submission folder (names and contents)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def marker(course: Path, assignment: str, student: str) -> Path:
    """The file that says ``student``'s ``assignment`` is graded and merged."""
    return course / ".parallel" / "done" / assignment / student


def is_done(course: Path, assignment: str, student: str) -> bool:
    """True when this exact submission was graded and merged by an earlier run."""
    done = marker(course, assignment, student)
    submitted = course / "submitted" / student / assignment
    return done.exists() and done.read_text() == submission_digest(submitted)


def _copy_scores(src: Gradebook, dst: Gradebook, assignment: str, student: str) -> None:
    shard = src.find_submission(assignment, student)
    student_row = src.find_student(student)
    names = {k: getattr(student_row, k) for k in ("first_name", "last_name", "email", "lms_user_id")}
    dst.update_or_create_student(student, **{k: v for k, v in names.items() if v is not None})
    dst.update_or_create_submission(assignment, student, timestamp=shard.timestamp)
    for notebook in shard.notebooks:
        target = dst.find_submission_notebook(notebook.name, assignment, student)
        target.late_submission_penalty = notebook.late_submission_penalty
        for grade in notebook.grades:
            row = dst.find_grade(grade.name, notebook.name, assignment, student)
            row.auto_score, row.needs_manual_grade = grade.auto_score, grade.needs_manual_grade
        for comment in notebook.comments:
            dst.find_comment(comment.name, notebook.name, assignment, student).auto_comment = comment.auto_comment
    dst.db.commit()


def _zero_scores(dst: Gradebook, assignment: str, student: str, note: str) -> None:
    dst.update_or_create_student(student)
    submission = dst.update_or_create_submission(assignment, student)
    for notebook in submission.notebooks:
        for grade in notebook.grades:
            grade.auto_score, grade.needs_manual_grade = 0, False
        for comment in notebook.comments:
            comment.auto_comment = note
    dst.db.commit()


def merge(course: Path, result: ShardResult) -> dict[str, str]:
    """Merge one shard; return each student's outcome: ``graded``, ``failed`` or ``timed out``."""
    assignment, shard = result.task.assignment, result.folder
    outcome = {}
    # nbgrader's update_or_create_submission warns about its own autoflush (serial autograde does too).
    warnings.filterwarnings("ignore", category=SAWarning, module="nbgrader")
    with (
        Gradebook(f"sqlite:///{shard / 'gradebook.db'}") as src,
        Gradebook(f"sqlite:///{course / 'gradebook.db'}") as dst,
    ):
        for student in result.task.students:
            graded = shard / "autograded" / student / assignment
            target = course / "autograded" / student / assignment
            if graded.is_dir():
                _copy_scores(src, dst, assignment, student)
                shutil.rmtree(target, ignore_errors=True)
                shutil.copytree(graded, target)
                outcome[student] = "graded"
            elif result.timed_out:
                _zero_scores(dst, assignment, student, NOT_FINISHED)
                outcome[student] = "timed out"
            else:  # nbgrader reported an error (a dead kernel): as serial nbgrader, no folder, look by hand
                with contextlib.suppress(MissingEntry):
                    _copy_scores(src, dst, assignment, student)
                outcome[student] = "failed"
                continue
            done = marker(course, assignment, student)
            done.parent.mkdir(parents=True, exist_ok=True)
            done.write_text(submission_digest(course / "submitted" / student / assignment))
    return outcome


def gradebook_scores(course: Path) -> dict[tuple[str, str, str, str], float | None]:
    """Every autograde score of the course: (assignment, student, notebook, grade_id) -> auto_score."""
    scores = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for assignment in gb.assignments:
            for submission in assignment.submissions:
                for notebook in submission.notebooks:
                    for grade in notebook.grades:
                        key = (assignment.name, submission.student.id, notebook.name, grade.name)
                        scores[key] = grade.auto_score
    return scores
