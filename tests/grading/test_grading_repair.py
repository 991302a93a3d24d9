"""grading/classroom/repair.py puts deleted or edited locked cells back from the release, and nothing else."""

from __future__ import annotations

import copy

import nbformat
import pytest

from grading.classroom.repair import repair_notebook
from grading.submissions import REPO, fill_release, notebook_path, read_notebook

pytestmark = pytest.mark.needs_solutions  # fill_release takes the reference answers from solutions/


@pytest.fixture(scope="module")
def release() -> nbformat.NotebookNode:
    return read_notebook(notebook_path(REPO / "exercises", "01_data"))


@pytest.fixture
def submitted() -> nbformat.NotebookNode:
    return fill_release(REPO, "01_data")


def ids(nb: nbformat.NotebookNode) -> list[str | None]:
    return [c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells]


def drop(nb: nbformat.NotebookNode, grade_id: str) -> None:
    nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") != grade_id]


def cell(nb: nbformat.NotebookNode, grade_id: str) -> nbformat.NotebookNode:
    (found,) = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id]
    return found


def test_intact_submission_is_left_alone(release, submitted):
    before = copy.deepcopy(submitted)
    assert not repair_notebook(release, submitted)
    assert submitted == before


@pytest.mark.parametrize("grade_id", ["test_preprocess_range", "test_preprocess_shape", "run_preprocess", "setup"])
def test_deleted_locked_cell_is_put_back_in_place(release, submitted, grade_id):
    # test_preprocess_range follows another test cell; run_preprocess follows a markdown cell and the
    # solution; setup is the first cell with an id: each position nbgrader 0.9.6 may get wrong (#1682).
    drop(submitted, grade_id)
    report = repair_notebook(release, submitted)
    assert report.inserted == [grade_id] and report.restored == []
    assert [i for i in ids(submitted) if i] == [i for i in ids(release) if i]
    assert cell(submitted, grade_id).source == cell(release, grade_id).source


def test_blanked_or_edited_test_cell_is_restored(release, submitted):
    cell(submitted, "test_preprocess_range").source = ""
    cell(submitted, "test_preprocess_reference").source = "pass  # all good"
    cell(submitted, "test_preprocess_shape").metadata["nbgrader"]["points"] = 100
    report = repair_notebook(release, submitted)
    assert report.restored == ["test_preprocess_range", "test_preprocess_reference"]
    for grade_id in ("test_preprocess_range", "test_preprocess_reference", "test_preprocess_shape"):
        assert cell(submitted, grade_id) == cell(release, grade_id)


def test_solution_and_added_cells_are_kept(release, submitted):
    answer = cell(submitted, "preprocess").source
    submitted.cells.insert(3, nbformat.v4.new_code_cell("helper = 1  # the student's own cell"))
    drop(submitted, "test_preprocess_shape")
    repair_notebook(release, submitted)
    assert cell(submitted, "preprocess").source == answer != cell(release, "preprocess").source
    assert any(c.source.startswith("helper = 1") for c in submitted.cells)
    assert len(submitted.cells) == len(release.cells) + 1


def test_two_deleted_neighbours_come_back_in_order(release, submitted):
    drop(submitted, "test_preprocess_range")
    drop(submitted, "test_preprocess_reference")
    assert repair_notebook(release, submitted).inserted == ["test_preprocess_range", "test_preprocess_reference"]
    assert [i for i in ids(submitted) if i] == [i for i in ids(release) if i]
