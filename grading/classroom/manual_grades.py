"""Enter the hand-graded points of written questions into nbgrader's gradebook, without the web UI.

The written questions (answer cells ``q_*``, issue 13) are nbgrader "manually graded answer" cells:
``nbgrader autograde`` leaves them at no score and flags them ``needs_manual_grade``. Grade them in
the Formgrader (``nbgrader formgrader``, or the Formgrader tab of Jupyter), or from a script or a
CSV file with this module, which does what the Formgrader's score box does (``Grade.manual_score``)::

    python -m grading.classroom.manual_grades ASSIGNMENT STUDENT GRADE_ID SCORE [--db gradebook.db]
    python -m grading.classroom.manual_grades --csv written.csv     (a header row, then one grade a row)

The CSV file starts with the header row ``assignment,student,grade_id,score``
(``grading/written_grades.example.csv`` is a complete example). A file without that header, a row with
a missing field or a score that is not a number is an error naming the line; a row whose answer cell the
gradebook lacks, or whose score exceeds the question's points, is an error naming it. Either way nothing
is entered.

Run it from the course root; ``nbgrader export`` then counts the points in each student's ``score``.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path


def enter_manual_score(db: Path, assignment: str, student: str, grade_id: str, score: float) -> float:
    """Set ``student``'s hand-graded score for answer cell ``grade_id``; return the cell's maximum.

    The notebook of an assignment is named like it (this course's convention). Raises ValueError for
    a score outside [0, max_score], a cell that is not graded by hand, or one the gradebook lacks.
    """
    (maximum,) = enter_manual_scores(db, [(assignment, student, grade_id, score)])
    return maximum


def enter_manual_scores(db: Path, rows: list[tuple[str, str, str, float]]) -> list[float]:
    """Set every row's hand-graded score, or none: each is checked first; return each cell's maximum.

    Raises ValueError naming the first row that has no answer cell in the gradebook (a student or
    assignment not autograded yet, a misspelt ``grade_id``), names an autograded test cell, or gives a
    score outside [0, max_score].
    """
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(f"sqlite:///{db}") as gradebook:
        grades = []
        for assignment, student, grade_id, score in rows:
            try:
                grade = gradebook.find_grade(grade_id, assignment, assignment, student)
            except MissingEntry:
                raise ValueError(
                    f"{db} has no answer cell {grade_id} of {assignment} for student {student} "
                    "(a misspelt name, or a submission not autograded yet?)"
                ) from None
            if grade.cell.cell_type != "markdown":
                raise ValueError(f"{grade_id} is an autograded test cell, not a written answer")
            if not 0 <= score <= grade.max_score:
                raise ValueError(f"{grade_id} is worth at most {grade.max_score} points, got {score}")
            grades.append((grade, score))
        for grade, score in grades:
            grade.manual_score = score
            grade.needs_manual_grade = False
        gradebook.db.commit()
        return [float(grade.max_score) for grade, _ in grades]


CSV_COLUMNS = ("assignment", "student", "grade_id", "score")


def read_grades_csv(path: Path) -> list[tuple[str, str, str, float]]:
    """The rows of a written-grades CSV file, checked before any is entered.

    Raises ValueError naming the file and line when the header is not ``assignment,student,grade_id,score``,
    a field is empty, a score is not a number, or the file has no grade at all.
    """
    with open(path, newline="", encoding="utf-8") as handle:
        lines = list(csv.reader(handle))
    header = [field.strip() for field in lines[0]] if lines else []
    if header != list(CSV_COLUMNS):
        raise ValueError(
            f"{path}: the first line must be the header {','.join(CSV_COLUMNS)!r}, "
            f"got {','.join(header)!r} (see grading/written_grades.example.csv)"
        )
    rows = []
    for number, fields in enumerate(lines[1:], start=2):
        if not any(field.strip() for field in fields):
            continue  # a blank line
        fields = [field.strip() for field in fields]
        if len(fields) != len(CSV_COLUMNS) or not all(fields):
            raise ValueError(f"{path}, line {number}: expected 4 fields {','.join(CSV_COLUMNS)}, got {fields}")
        try:
            score = float(fields[3])
        except ValueError:
            raise ValueError(f"{path}, line {number}: the score {fields[3]!r} is not a number") from None
        rows.append((fields[0], fields[1], fields[2], score))
    if not rows:
        raise ValueError(f"{path}: no grades after the header line")
    return rows


def main(argv: list[str] | None = None) -> int:
    """Enter one score from the arguments, or every row of ``--csv``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("fields", nargs="*", help="ASSIGNMENT STUDENT GRADE_ID SCORE")
    parser.add_argument("--csv", type=Path, help="a header row assignment,student,grade_id,score, then one grade a row")
    parser.add_argument("--db", type=Path, default=Path("gradebook.db"))
    args = parser.parse_args(argv)
    if args.csv:
        try:
            rows = read_grades_csv(args.csv)
        except (OSError, ValueError) as error:
            parser.error(str(error))
    elif len(args.fields) == 4:
        try:
            rows = [(*args.fields[:3], float(args.fields[3]))]
        except ValueError:
            parser.error(f"the score {args.fields[3]!r} is not a number")
    else:
        parser.error("give ASSIGNMENT STUDENT GRADE_ID SCORE, or --csv FILE")
    if not args.db.is_file():
        parser.error(f"no gradebook at {args.db}: run it from the course root, after autograding")
    try:
        maxima = enter_manual_scores(args.db, rows)
    except ValueError as error:
        parser.error(f"{error}; no grade entered")
    for (assignment, student, grade_id, score), maximum in zip(rows, maxima, strict=True):
        print(f"{assignment} {student} {grade_id}: {float(score)} of {maximum}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
