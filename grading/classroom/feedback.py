"""Feedback without the key (issue 25): what ``nbgrader generate_feedback`` hands back to a student.

nbgrader's feedback shows each test cell as graded, hidden tests included (jupyter/nbgrader#917,
#1363). ``HiddenTestFeedback``, registered in ``nbgrader_config.py`` after nbgrader's own
``c.GenerateFeedback.preprocessors``, removes every hidden block from the cells' source (the logic
of nbgrader's ``ClearHiddenTests``) and reduces the traceback of an error raised by a hidden check
(``grading/hidden/``) to its message, which names what was checked and the likely cause. The
student keeps, for each test cell, its points, its outcome and its message; the hidden checks'
code and reference values stay on the grading machine.
"""

from __future__ import annotations

from typing import Any

from nbformat.notebooknode import NotebookNode
from nbgrader import utils
from nbgrader.preprocessors import ClearHiddenTests

# what marks an error raised inside a hidden check: its name in the cell's call, or its module's path
HIDDEN_MARKS = ("/hidden_", "grading/hidden/", "grading\\hidden\\")


def reduce_hidden_error(output: NotebookNode) -> bool:
    """Cut an error output raised by a hidden check to "<name>: <message>"; return whether it was one."""
    if output.get("output_type") != "error":
        return False
    trace = "\n".join(output.get("traceback", []))
    if not any(mark in trace for mark in HIDDEN_MARKS):
        return False
    output["traceback"] = [f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"]
    return True


class HiddenTestFeedback(ClearHiddenTests):
    """Hide the hidden tests of every graded cell in the feedback; keep points, outcome and message."""

    def preprocess_cell(self, cell: NotebookNode, resources: Any, cell_index: int) -> tuple[NotebookNode, Any]:
        if cell.cell_type == "code" and utils.is_grade(cell):
            self._remove_hidden_test_region(cell)
            for output in cell.get("outputs", []):
                reduce_hidden_error(output)
        return cell, resources
