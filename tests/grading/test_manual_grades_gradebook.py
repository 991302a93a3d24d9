"""Written grades go into the gradebook all or none (grading/classroom/manual_grades.py, issue 26).

A gradebook made with nbgrader's API (no notebook is run): assignment ``01_data`` with one written
answer cell ``q_pixel_scale`` (2 points) and one autograded test cell, submitted by ``ada``. A row
the gradebook cannot take (an unknown student, a test cell, too many points) stops the command with
a message naming it, and no row of the file is entered, not even the valid ones before it.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from grading.classroom import manual_grades

HEADER = "assignment,student,grade_id,score\n"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A gradebook with one submission of 01_data by ada (the venv's alembic on PATH, as nbgrader needs)."""
    path = tmp_path_factory.mktemp("gradebook") / "gradebook.db"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PATH", os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]))
        with Gradebook(f"sqlite:///{path}") as gradebook:
            gradebook.add_assignment("01_data")
            gradebook.add_notebook("01_data", "01_data")
            gradebook.add_grade_cell("q_pixel_scale", "01_data", "01_data", max_score=2, cell_type="markdown")
            gradebook.add_grade_cell("test_preprocess_shape", "01_data", "01_data", max_score=1, cell_type="code")
            gradebook.add_student("ada")
            gradebook.add_submission("01_data", "ada")
    return path


@pytest.fixture
def db(template: Path, tmp_path: Path) -> Path:
    """A private copy of the template gradebook."""
    return Path(shutil.copy(template, tmp_path / "gradebook.db"))


def manual_score(db: Path) -> float | None:
    with Gradebook(f"sqlite:///{db}") as gradebook:
        return gradebook.find_grade("q_pixel_scale", "01_data", "01_data", "ada").manual_score


def test_a_valid_file_enters_its_grades(db: Path, tmp_path: Path, capsys) -> None:
    (tmp_path / "written.csv").write_text(HEADER + "01_data,ada,q_pixel_scale,1.5\n", encoding="utf-8")
    assert manual_grades.main(["--csv", str(tmp_path / "written.csv"), "--db", str(db)]) == 0
    assert "01_data ada q_pixel_scale: 1.5 of 2.0" in capsys.readouterr().out
    assert manual_score(db) == 1.5


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        ("01_data,bob,q_pixel_scale,2", "no answer cell q_pixel_scale of 01_data for student bob"),
        ("01_data,ada,q_pixel_sclae,2", "no answer cell q_pixel_sclae"),
        ("01_data,ada,test_preprocess_shape,1", "is an autograded test cell"),
        ("01_data,ada,q_pixel_scale,3", "worth at most 2.0 points, got 3.0"),
    ],
)
def test_a_row_the_gradebook_cannot_take_enters_nothing(db, tmp_path, capsys, bad_row, message) -> None:
    (tmp_path / "written.csv").write_text(HEADER + "01_data,ada,q_pixel_scale,1.5\n" + bad_row + "\n")
    with pytest.raises(SystemExit) as exit_info:
        manual_grades.main(["--csv", str(tmp_path / "written.csv"), "--db", str(db)])
    assert exit_info.value.code == 2
    error = capsys.readouterr().err
    assert message in error and "no grade entered" in error, error
    assert manual_score(db) is None


def test_without_a_gradebook_the_command_says_where_to_run_it(tmp_path: Path, capsys) -> None:
    with pytest.raises(SystemExit):
        manual_grades.main(["01_data", "ada", "q_pixel_scale", "2", "--db", str(tmp_path / "gradebook.db")])
    assert "no gradebook at" in capsys.readouterr().err
    assert not (tmp_path / "gradebook.db").exists()
