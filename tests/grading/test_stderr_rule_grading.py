"""The course's stderr rule, graded for real: a warning costs nothing, an error costs the cell.

``cae_ref.quiet.STDERR_RULE`` promises students that whatever their code writes to stderr inside a
graded call is not graded. nbgrader itself scores a test cell 0 as soon as stderr appears in it, so
the rule holds only because every check calls student code through ``cae_ref.grader.checks.quiet``. Two
simulated students of 05 (the assignment with ``psnr``) are graded by plain ``nbgrader autograde``
with the course's configuration: one whose ``psnr`` writes to stderr four ways (NumPy's
division-by-zero ``RuntimeWarning`` on identical images, ``warnings.warn``,
``print(..., file=sys.stderr)``, a raw write to file descriptor 2 as C++ libraries do) keeps every
point; one whose ``psnr`` raises loses ``test_psnr`` and nothing else. The kernels run without
``PYTEST_CURRENT_TEST``, with which ipykernel would stop forwarding file descriptor 2. Cost: about
50 CPU-seconds, 55 s wall on 2 cores (2 minutes under load), generating the course included (the
``course_template`` fixture, shared with the other grading tests of a session).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest

from grading.submissions import nbgrader, notebook_path, write_submission

pytestmark = [pytest.mark.slow, pytest.mark.needs_solutions]

ASSIGNMENT = "05_denoising"
WARNS = '''def psnr(clean, other):
    """Mean over images of the peak signal-to-noise ratio in dB, 10 * log10(1 / MSE), pixels in [0, 1]."""
    import os
    import sys
    import warnings

    print("psnr: computing", len(clean), "images", file=sys.stderr)
    os.write(2, b"psnr: a log line on file descriptor 2, as C++ libraries write them\\n")
    warnings.warn("psnr: this is a student's own warning", UserWarning, stacklevel=2)
    clean = np.asarray(clean, dtype=np.float64).reshape(len(clean), -1)
    other = np.asarray(other, dtype=np.float64).reshape(len(other), -1)
    mse = np.mean((clean - other) ** 2, axis=1)
    return float(np.mean(10 * np.log10(1.0 / mse)))  # MSE 0: NumPy warns "divide by zero"
'''
RAISES = '''def psnr(clean, other):
    """Mean over images of the peak signal-to-noise ratio in dB, 10 * log10(1 / MSE), pixels in [0, 1]."""
    raise ValueError("psnr is not written yet")
'''
STUDENTS = {"warns": WARNS, "raises": RAISES}


@pytest.fixture(scope="module")
def graded(course_template: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Autograde both students in a private copy of the course: scores and the autograded notebooks."""
    from nbgrader.api import Gradebook

    course = Path(shutil.copytree(course_template, tmp_path_factory.mktemp("stderr") / "course", symlinks=True))
    for student, source in STUDENTS.items():
        write_submission(course, student, ASSIGNMENT, {"psnr": source})
    with pytest.MonkeyPatch.context() as patch:  # with it set, ipykernel would not forward file descriptor 2
        patch.delenv("PYTEST_CURRENT_TEST", raising=False)
        run = nbgrader(course, "autograde", ASSIGNMENT, "--force", check=False)
    scores = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for student in STUDENTS:
            notebook = gb.find_submission_notebook(ASSIGNMENT, ASSIGNMENT, student)
            scores[student] = {g.name: (g.score, g.max_score) for g in notebook.grades if g.cell.cell_type == "code"}
    notebooks = {s: nbformat.read(notebook_path(course / "autograded" / s, ASSIGNMENT), 4) for s in STUDENTS}
    return {"run": run, "scores": scores, "notebooks": notebooks}


def _cell(nb: nbformat.NotebookNode, grade_id: str) -> nbformat.NotebookNode:
    (cell,) = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id]
    return cell


def _stderr(cell: nbformat.NotebookNode) -> str:
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("name") == "stderr")


def test_both_students_are_graded(graded):
    run = graded["run"]
    assert run.returncode == 0 and "There was an error processing" not in run.stdout + run.stderr, (
        run.stdout + run.stderr
    )[-3000:]


def test_a_psnr_that_warns_keeps_every_point(graded):
    scores = graded["scores"]["warns"]
    assert len(scores) >= 5 and "test_psnr" in scores
    outputs = {c: _cell(graded["notebooks"]["warns"], c).outputs for c in scores}
    assert scores == {cell: (top, top) for cell, (_, top) in scores.items()}, (scores, outputs)
    assert _stderr(_cell(graded["notebooks"]["warns"], "test_psnr")) == ""
    # the same function writes to stderr where no check wraps it: the preview cell shows the student's lines
    previews = [
        c for c in graded["notebooks"]["warns"].cells if c.cell_type == "code" and "psnr(x_test[:8]" in c.source
    ]
    assert previews and "psnr: computing" in _stderr(previews[0]) and "file descriptor 2" in _stderr(previews[0])


def test_a_psnr_that_raises_loses_exactly_its_cell(graded):
    scores = graded["scores"]["raises"]
    assert scores["test_psnr"] == (0.0, scores["test_psnr"][1]) and scores["test_psnr"][1] > 0
    others = {cell: score for cell, score in scores.items() if cell != "test_psnr"}
    assert others == {cell: (top, top) for cell, (_, top) in others.items()}, scores
    errors = [o for o in _cell(graded["notebooks"]["raises"], "test_psnr").outputs if o.output_type == "error"]
    assert errors and errors[0]["ename"] == "ValueError"
