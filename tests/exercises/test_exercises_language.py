"""A graded notebook speaks the student's language (issue 27, item 3), with the same points.

Two students hand in 01_data with the same typical mistake (``preprocess`` without the channel
axis); one of them starts the notebook with the Indonesian release's first cell
``%env CAE_LANGUAGE=id``. One ``nbgrader autograde`` batch grades both: every test cell scores the
same, and the failing cell's message (and a passing cell's printed line) is in each student's
language. Cost: one autograde batch of two 01_data notebooks (kernel start, TensorFlow import, no
training): about 40 s wall on the shared 2-core machine.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest

from grading.assignments import MISTAKES
from grading.submissions import REPO, nbgrader, notebook_path, read_notebook, write_submission

pytestmark = [pytest.mark.slow, pytest.mark.needs_solutions]

ASSIGNMENT = "01_data"
LANGUAGE_CELL = "%env CAE_LANGUAGE=id"
STUDENTS = {"english": "en", "indonesian": "id"}


def _first_cell_indonesian(nb: nbformat.NotebookNode) -> None:
    nb.cells.insert(0, nbformat.v4.new_code_cell(LANGUAGE_CELL))


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, dict[str, float]]]:
    """Both students graded in one batch: (the course folder, student -> grade cell -> score)."""
    from nbgrader.api import Gradebook

    course = tmp_path_factory.mktemp("language_course")
    shutil.copy(REPO / "nbgrader_config.py", course / "nbgrader_config.py")
    shutil.copytree(REPO / "solutions" / ASSIGNMENT, course / "solutions" / ASSIGNMENT)
    nbgrader(course, "generate_assignment", ASSIGNMENT, "--force")
    mistake = MISTAKES["no_channel_axis"]
    for student, language in STUDENTS.items():
        edit = _first_cell_indonesian if language == "id" else None
        write_submission(course, student, ASSIGNMENT, mistake.sources, edit=edit)
    run = nbgrader(course, "autograde", ASSIGNMENT, "--force", check=False)
    assert run.returncode == 0, (run.stdout + run.stderr)[-3000:]
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        scores = {
            student: {
                g.name: float(g.score or 0.0)
                for g in gb.find_submission_notebook(ASSIGNMENT, ASSIGNMENT, student).grades
                if g.name.startswith("test_")
            }
            for student in STUDENTS
        }
    return course, scores


def _outputs(course: Path, student: str) -> dict[str, str]:
    """grade_id -> the text the autograded test cell showed (printed lines and the error)."""
    shown = {}
    for cell in read_notebook(notebook_path(course / "autograded" / student, ASSIGNMENT)).cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
        if grade_id.startswith("test_"):
            shown[grade_id] = "\n".join(o.get("text", "") or o.get("evalue", "") for o in cell.get("outputs", []))
    return shown


def test_both_languages_score_the_same_cell_by_cell(graded):
    _, scores = graded
    assert scores["english"] == scores["indonesian"]
    lost = {name for name, score in scores["english"].items() if score == 0}
    assert lost == MISTAKES["no_channel_axis"].loses  # the mistake is graded as it always was


def test_the_failing_cell_speaks_the_students_language(graded):
    course, _ = graded
    english, indonesian = _outputs(course, "english"), _outputs(course, "indonesian")
    failing = "test_preprocess_shape"
    assert "shape of preprocess(50 images): expected (50, 28, 28, 1), got (50, 28, 28)" in english[failing]
    assert "Hint: add a channel axis" in english[failing]
    assert "bentuk preprocess(50 gambar): seharusnya (50, 28, 28, 1), yang didapat (50, 28, 28)" in indonesian[failing]
    assert "Petunjuk: tambahkan sumbu channel" in indonesian[failing]
    assert "expected" not in indonesian[failing]
    passing = "test_preprocess_range"
    assert "values are scaled to [0, 1]" in english[passing]
    assert "nilai sudah diskalakan ke [0, 1]" in indonesian[passing]
