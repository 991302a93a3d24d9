"""Enter the hand-graded points of written questions into nbgrader's gradebook, without the web UI.

The written questions (answer cells ``q_*``, issue 13) are nbgrader "manually graded answer" cells:
``nbgrader autograde`` leaves them at no score and flags them ``needs_manual_grade``. Grade them in
the Formgrader (``nbgrader formgrader``, or the Formgrader tab of Jupyter), or from a script or a
CSV file with this module, which does what the Formgrader's score box does (``Grade.manual_score``)::

    python -m grading.manual_grades ASSIGNMENT STUDENT GRADE_ID SCORE [--db gradebook.db]
    python -m grading.manual_grades --csv written.csv     (a header row, then one grade a row)

The CSV file starts with the header row ``assignment,student,grade_id,score``
(``grading/written_grades.example.csv`` is a complete example). A file without that header, a row with
a missing field or a score that is not a number is an error naming the line, before anything is entered.

Run it from the course root; ``nbgrader export`` then counts the points in each student's ``score``.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path


def enter_manual_score(db: Path, assignment: str, student: str, grade_id: str, score: float) -> float:
    """Set ``student``'s hand-graded score for answer cell ``grade_id``; return the cell's maximum.

    The notebook of an assignment is named like it (this course's convention). Raises ValueError for
    a score outside [0, max_score] or a cell that is not graded by hand.
    """
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{db}") as gradebook:
        grade = gradebook.find_grade(grade_id, assignment, assignment, student)
        if grade.cell.cell_type != "markdown":
            raise ValueError(f"{grade_id} is an autograded test cell, not a written answer")
        if not 0 <= score <= grade.max_score:
            raise ValueError(f"{grade_id} is worth at most {grade.max_score} points, got {score}")
        grade.manual_score = score
        grade.needs_manual_grade = False
        gradebook.db.commit()
        return float(grade.max_score)


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
        rows = [tuple(args.fields)]
    else:
        parser.error("give ASSIGNMENT STUDENT GRADE_ID SCORE, or --csv FILE")
    for assignment, student, grade_id, score in rows:
        maximum = enter_manual_score(args.db, assignment, student, grade_id, float(score))
        print(f"{assignment} {student} {grade_id}: {float(score)} of {maximum}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
