"""The course is consistent: exercises/ is nbgrader's output, solutions pass, releases fail, no outputs."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from traitlets.config.loader import PyFileConfigLoader

from grading.submissions import ASSIGNMENTS, REPO, course_env, notebook_path, read_notebook

# Notebook- and cell-level metadata that editors and nbgrader versions may rewrite freely.
VOLATILE_NOTEBOOK_KEYS = {"widgets", "colab", "vscode", "toc", "celltoolbar"}
VOLATILE_CELL_KEYS = {"execution", "collapsed", "scrolled", "jupyter", "editable", "deletable", "trusted"}


def normalised(nb: nbformat.NotebookNode) -> dict:
    """The parts of a notebook that matter, with volatile metadata (ids, timings, UI state) dropped."""
    return {
        "metadata": {k: v for k, v in nb.metadata.items() if k not in VOLATILE_NOTEBOOK_KEYS},
        "cells": [
            {
                "cell_type": cell.cell_type,
                "source": cell.source,
                "metadata": {k: v for k, v in cell.metadata.items() if k not in VOLATILE_CELL_KEYS},
                "outputs": cell.get("outputs", []),
            }
            for cell in nb.cells
        ],
    }


@pytest.mark.slow  # generates every assignment with nbgrader
@pytest.mark.needs_solutions
def test_exercises_in_sync_with_solutions(course):
    """exercises/ equals what `nbgrader generate_assignment` writes from solutions/ today."""
    committed = sorted(p.relative_to(REPO / "exercises") for p in (REPO / "exercises").rglob("*") if p.is_file())
    generated = sorted(p.relative_to(course / "exercises") for p in (course / "exercises").rglob("*") if p.is_file())
    assert committed == generated, "exercises/ holds other files than nbgrader generates: run grading/generate.sh"
    for assignment in ASSIGNMENTS:
        ours = normalised(read_notebook(notebook_path(REPO / "exercises", assignment)))
        fresh = normalised(read_notebook(notebook_path(course / "exercises", assignment)))
        assert ours == fresh, f"exercises/{assignment} is not in sync with solutions/: run grading/generate.sh"


@pytest.mark.needs_solutions
def test_every_assignment_has_a_source_and_release():
    sources = sorted(p.name for p in (REPO / "solutions").iterdir() if p.is_dir())
    assert sources == list(ASSIGNMENTS)
    for assignment in ASSIGNMENTS:
        assert notebook_path(REPO / "exercises", assignment).is_file()


@pytest.mark.parametrize("folder", [pytest.param("solutions", marks=pytest.mark.needs_solutions), "exercises"])
def test_no_outputs_committed(folder):
    for path in sorted((REPO / folder).rglob("*.ipynb")):
        for index, cell in enumerate(read_notebook(path).cells):
            if cell.cell_type == "code":
                assert cell.outputs == [], f"{path.relative_to(REPO)} cell {index} has outputs: clear them"
                assert cell.execution_count is None, f"{path.relative_to(REPO)} cell {index} has an execution count"


@pytest.mark.needs_solutions
def test_notebook_conventions():
    """One H1, a setup cell, solution cells that define functions only, test cells with a docstring and points."""
    for assignment in ASSIGNMENTS:
        nb = read_notebook(notebook_path(REPO / "solutions", assignment))
        h1 = [c for c in nb.cells if c.cell_type == "markdown" and c.source.startswith("# ")]
        assert len(h1) == 1, f"{assignment}: expected one H1"
        assert "book/" in nb.cells[0].source and "colab.research.google.com" in nb.cells[0].source
        setup = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "setup"]
        assert setup and "pip install" in setup[0].source and "import cae_ref" in setup[0].source
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            if cell.cell_type == "markdown" and meta.get("grade_id", "").startswith("q_"):
                check_written_question(assignment, cell)
                continue
            if meta.get("solution"):
                before = cell.source.split("### BEGIN SOLUTION")[0]
                assert before.lstrip().startswith(("def ", "class ")) and '"""' in before, (
                    f"{assignment}/{meta['grade_id']}: signature and docstring must sit outside the solution markers"
                )
                assert meta["grade_id"] in before
            if meta.get("grade"):
                assert meta["grade_id"].startswith("test_") and meta["points"] > 0
                assert cell.source.startswith('"""'), f"{assignment}/{meta['grade_id']}: start with a docstring"
        text = nbformat.writes(nb)
        for local in (str(REPO.parent), str(Path.home())):
            assert local not in text, f"{assignment}: no local paths in notebooks ({local})"


# nbgrader's manually graded answer cell: a Markdown cell the student writes in, graded by a person.
WRITTEN_ANSWER_META = {"solution": True, "grade": True, "locked": False, "schema_version": 3, "task": False}


def check_written_question(assignment: str, cell: nbformat.NotebookNode) -> None:
    """A written question's answer cell: nbgrader's manual-answer metadata and points (issue 13's convention)."""
    meta = cell.metadata["nbgrader"]
    expected = {**WRITTEN_ANSWER_META, "grade_id": meta["grade_id"], "points": meta.get("points")}
    assert meta == expected, f"{assignment}/{meta['grade_id']}: a written answer cell needs {expected}, got {meta}"
    assert isinstance(meta["points"], int) and meta["points"] > 0, f"{assignment}/{meta['grade_id']}: points"


@pytest.mark.needs_solutions
def test_written_questions_follow_the_convention():
    """Each answer cell sits under '## Written question... (N points, graded by hand)' stating its points."""
    found = 0
    for assignment in ASSIGNMENTS:
        heading = None
        for cell in read_notebook(notebook_path(REPO / "solutions", assignment)).cells:
            if cell.cell_type == "markdown" and cell.source.startswith("## "):
                heading = cell.source.splitlines()[0]
            meta = cell.metadata.get("nbgrader", {})
            if cell.cell_type == "markdown" and meta.get("grade"):
                found += 1
                check_written_question(assignment, cell)
                assert heading and heading.startswith("## Written question"), f"{assignment}: {heading!r}"
                assert heading.endswith(f"({meta['points']} points, graded by hand)"), f"{assignment}: {heading!r}"
    assert found, "no written questions found"


def _config():
    return PyFileConfigLoader("nbgrader_config.py", path=str(REPO)).load_config()


@pytest.fixture
def kernel_env(monkeypatch):
    for key, value in course_env().items():
        if os.environ.get(key) != value:
            monkeypatch.setenv(key, value)


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
@pytest.mark.needs_solutions
def test_solution_validates(assignment, kernel_env):
    from nbgrader.validator import Validator

    result = Validator(config=_config(), validate_all=True).validate(str(notebook_path(REPO / "solutions", assignment)))
    assert result == {}, f"solutions/{assignment} does not pass its own tests: {result}"


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_fails_validation(assignment, kernel_env):
    from nbgrader.validator import Validator

    result = Validator(config=_config()).validate(str(notebook_path(REPO / "exercises", assignment)))
    assert "failed" in result, f"exercises/{assignment} passes its tests without any code: {result}"
