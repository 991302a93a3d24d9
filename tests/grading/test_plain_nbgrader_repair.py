"""Plain ``nbgrader autograde`` puts deleted and blanked test cells back (issue 25), and nobody gains by it.

``nbgrader_config.py`` runs ``grading.classroom.repair.RepairCells`` before ``OverwriteCells``. Without it, a correct
01 with its test cells deleted scores 0 (``add_missing_cells`` raises KeyError, upstream #1682). The
cheapest assignments: 01 (every test cell deleted, every one blanked, a mistake with its failing tests
deleted) and 02 (the encoder's tests deleted after a locked run cell, the decoder's blanked).
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import nbformat
import pytest

from grading.assignments import MISTAKES
from grading.submissions import nbgrader, write_submission

pytestmark = [pytest.mark.slow, pytest.mark.needs_solutions]


def _grade(cell: nbformat.NotebookNode) -> bool:
    return bool(cell.metadata.get("nbgrader", {}).get("grade")) and cell.cell_type == "code"


def delete_tests(nb: nbformat.NotebookNode, only: set[str] | None = None) -> None:
    gid = lambda c: c.metadata.get("nbgrader", {}).get("grade_id")  # noqa: E731
    nb.cells = [c for c in nb.cells if not (_grade(c) and (only is None or gid(c) in only))]


def blank_tests(nb: nbformat.NotebookNode, only: set[str] | None = None) -> None:
    for cell in nb.cells:
        if _grade(cell) and (only is None or cell.metadata["nbgrader"]["grade_id"] in only):
            cell.source = ""


def delete_encoder_tests_blank_decoder_tests(nb: nbformat.NotebookNode) -> None:
    delete_tests(nb, {"test_build_encoder_shape", "test_build_encoder_layers"})
    blank_tests(nb, {"test_build_decoder_shape", "test_build_decoder_range"})


MISTAKE = MISTAKES["not_normalised"]  # 01: loses test_preprocess_range and test_preprocess_reference
# student -> (assignment, solution cells, edit, the test cells it must lose)
STUDENTS = {
    "deletes_every_test": ("01_data", {}, delete_tests, set()),
    "blanks_every_test": ("01_data", {}, blank_tests, set()),
    "mistake_deletes_every_test": ("01_data", MISTAKE.sources, delete_tests, MISTAKE.loses),
    "deletes_and_blanks_02": ("02_architecture", {}, delete_encoder_tests_blank_decoder_tests, set()),
}


def _autograde(course: Path, students: dict, *options: str) -> dict:
    """Hand in ``students`` and grade them with plain ``nbgrader autograde``: logs, scores, file digests."""
    from nbgrader.api import Gradebook

    hashes = {}
    for student, (assignment, sources, edit, _) in students.items():
        path = write_submission(course, student, assignment, sources, edit=edit)
        hashes[path] = hashlib.sha256(path.read_bytes()).hexdigest()
    assignments = sorted({assignment for assignment, *_ in students.values()})
    logs = {a: nbgrader(course, "autograde", a, "--force", *options, check=False) for a in assignments}
    scores = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for student, (assignment, *_) in students.items():
            notebook = gb.find_submission_notebook(assignment, assignment, student)
            scores[student] = {g.name: (g.score, g.max_score) for g in notebook.grades if g.cell.cell_type == "code"}
    return {"scores": scores, "logs": logs, "hashes": hashes}


def _copy(course_template: Path, tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    return Path(shutil.copytree(course_template, tmp_path_factory.mktemp(name) / "course", symlinks=True))


@pytest.fixture(scope="module")
def graded(course_template: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    return _autograde(_copy(course_template, tmp_path_factory, "plain"), STUDENTS)


def test_every_notebook_is_graded(graded):
    for assignment, run in graded["logs"].items():
        assert run.returncode == 0 and "There was an error processing" not in run.stdout + run.stderr, (
            assignment,
            (run.stdout + run.stderr)[-3000:],
        )
        assert "put back from the release" in run.stdout + run.stderr


@pytest.mark.parametrize("student", sorted(STUDENTS))
def test_repaired_submission_scores_as_if_intact(graded, student):
    """Full marks for correct code; the mistake loses exactly its part, as with its test cells intact."""
    loses = STUDENTS[student][3]
    scores = graded["scores"][student]
    assert len(scores) >= 3 and loses <= set(scores)
    assert scores == {cell: (0.0 if cell in loses else top, top) for cell, (_, top) in scores.items()}


def test_submitted_files_are_not_changed(graded):
    for path, digest in graded["hashes"].items():
        assert hashlib.sha256(path.read_bytes()).hexdigest() == digest, path


def test_without_the_repair_plain_nbgrader_scores_it_zero(course_template, tmp_path_factory):
    """The control: with RepairCells disabled, nbgrader 0.9.6 fails on the deleted cells (#1682)."""
    student = {"deletes_every_test": STUDENTS["deletes_every_test"]}
    run = _autograde(_copy(course_template, tmp_path_factory, "unrepaired"), student, "--RepairCells.enabled=False")
    assert "There was an error processing" in run["logs"]["01_data"].stdout + run["logs"]["01_data"].stderr
    assert sum(score for score, _ in run["scores"]["deletes_every_test"].values()) == 0
