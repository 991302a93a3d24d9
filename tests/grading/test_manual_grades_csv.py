"""The written-grades CSV is read whole and checked before any grade is entered (grading/classroom/manual_grades.py).

A header-less file used to exit 0 and record nothing (its first grade was taken for the header);
another shape ended in ``KeyError: 'assignment'``. Both are now one clear error naming the file and line.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from grading.classroom import manual_grades

ROOT = Path(__file__).resolve().parents[2]


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "written.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_example_file_reads_as_the_guide_says() -> None:
    rows = manual_grades.read_grades_csv(ROOT / "grading" / "written_grades.example.csv")
    assert rows == [("03_training", "alice", "q_loss_curve", 2.0), ("06_bottleneck", "alice", "q_code_size", 1.5)]


def test_blank_lines_and_spaces_are_tolerated(tmp_path: Path) -> None:
    path = _write(tmp_path, "assignment, student, grade_id, score\n\n01_data ,bob, q_pixels , 1\n")
    assert manual_grades.read_grades_csv(path) == [("01_data", "bob", "q_pixels", 1.0)]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("03_training,alice,q_loss_curve,2\n", "the first line must be the header"),
        ("student,assignment,grade_id,score\n03_training,alice,q_loss_curve,2\n", "the first line must be the header"),
        ("", "the first line must be the header"),
        ("assignment,student,grade_id,score\n", "no grades after the header"),
        ("assignment,student,grade_id,score\n03_training,alice,q_loss_curve\n", "line 2: expected 4 fields"),
        ("assignment,student,grade_id,score\n03_training,alice,,2\n", "line 2: expected 4 fields"),
        ("assignment,student,grade_id,score\n03_training,alice,q_loss_curve,two\n", "line 2: the score 'two'"),
    ],
)
def test_a_malformed_file_is_a_clear_error(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        manual_grades.read_grades_csv(_write(tmp_path, text))


def test_the_command_exits_2_with_the_reason_and_enters_nothing(tmp_path: Path, capsys) -> None:
    path = _write(tmp_path, "03_training,alice,q_loss_curve,2\n")
    missing_db = tmp_path / "gradebook.db"
    with pytest.raises(SystemExit) as exit_info:
        manual_grades.main(["--csv", str(path), "--db", str(missing_db)])
    assert exit_info.value.code == 2
    assert "the first line must be the header" in capsys.readouterr().err
    assert not missing_db.exists()
