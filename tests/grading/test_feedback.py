"""The feedback preprocessor (grading/classroom/feedback.py): hidden blocks out, hidden tracebacks cut short."""

from __future__ import annotations

import nbformat

from grading.classroom.feedback import HiddenTestFeedback


def _notebook() -> nbformat.NotebookNode:
    meta = {"nbgrader": {"grade": True, "grade_id": "test_x", "points": 2, "locked": True, "solution": False}}
    cell = nbformat.v4.new_code_cell(
        '"""x works."""\ngrade("01_data/test_x", f)\n### BEGIN HIDDEN TESTS\n'
        'grade("01_data/hidden_x", f)\n### END HIDDEN TESTS',
        metadata=meta,
    )
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="graded after submission\n"),
        nbformat.v4.new_output(
            "error",
            ename="AssertionError",
            evalue="dark images are scaled differently: divide by the fixed 255",
            traceback=[
                "Traceback (most recent call last)",
                'Cell In[12], line 4\n----> 4 grade("01_data/hidden_x", f)',
                "File grading/hidden/01_data.py:22, in hidden_x\n     21 expected = cae_ref.preprocess_images(raw)",
                "AssertionError: dark images are scaled differently: divide by the fixed 255",
            ],
        ),
    ]
    visible = nbformat.v4.new_code_cell('grade("01_data/test_y", f)', metadata={"nbgrader": {**meta["nbgrader"]}})
    visible.metadata["nbgrader"]["grade_id"] = "test_y"
    visible.outputs = [
        nbformat.v4.new_output(
            "error", ename="AssertionError", evalue="shape: expected 1, got 2", traceback=["Traceback", "x.py:1"]
        )
    ]
    return nbformat.v4.new_notebook(cells=[cell, visible])


def test_hidden_blocks_and_tracebacks_are_removed():
    notebook, _ = HiddenTestFeedback().preprocess(_notebook(), {})
    hidden, visible = notebook.cells
    assert hidden.source == '"""x works."""\ngrade("01_data/test_x", f)'
    assert hidden.outputs[0].text == "graded after submission\n"
    assert hidden.outputs[1].traceback == [
        "AssertionError: dark images are scaled differently: divide by the fixed 255"
    ]
    assert hidden.outputs[1].evalue.startswith("dark images")
    assert visible.outputs[0].traceback == ["Traceback", "x.py:1"]  # a visible check keeps its traceback
