"""nbgrader's ``Execute`` with a wall-time budget per notebook (``parallel_budget.py`` says how it grades)."""

from __future__ import annotations

import time

from nbformat import NotebookNode
from nbgrader.preprocessors import Execute
from traitlets import Integer

from grading.classroom.parallel_budget import NOT_RUN, NOTEBOOK_BUDGET_S


def not_run_output(budget: int) -> NotebookNode:
    """The error output of a cell that was not run because the notebook's budget was spent."""
    message = (
        f"not run: this notebook used up its grading budget of {budget} s before this cell "
        "(look for a cell that runs too long or never returns); the cell scores 0"
    )
    return NotebookNode(output_type="error", ename=NOT_RUN, evalue=message, traceback=[f"{NOT_RUN}: {message}"])


class BudgetedExecute(Execute):
    """nbgrader's Execute with a wall-time budget for the whole notebook."""

    notebook_budget = Integer(
        NOTEBOOK_BUDGET_S, help="Seconds of execution per notebook; later cells are not run and score 0"
    ).tag(config=True)

    _deadline: float = 0.0

    def preprocess(self, nb, resources=None, km=None):  # type: ignore[no-untyped-def]
        """Run the notebook with the budget counted from here (kernel start-up included)."""
        self._deadline = time.monotonic() + self.notebook_budget
        return super().preprocess(nb, resources, km)

    def _left(self) -> float:
        return self._deadline - time.monotonic()

    def _get_timeout(self, cell: NotebookNode | None) -> int | None:
        timeout = super()._get_timeout(cell)
        left = max(1, int(self._left()))
        return left if timeout is None else min(timeout, left)

    def preprocess_cell(self, cell, resources, index):  # type: ignore[no-untyped-def]
        """Run the cell, or mark it not run when the budget is spent."""
        if cell.cell_type == "code" and cell.source.strip() and self._left() <= 0:
            cell.outputs = [not_run_output(self.notebook_budget)]
            self.log.warning("Notebook budget of %d s spent: cell %d not run", self.notebook_budget, index)
            return cell, resources
        return super().preprocess_cell(cell, resources, index)


def autograde_preprocessors() -> list[str]:
    """nbgrader's autograde preprocessors, dotted, with ``BudgetedExecute`` in place of ``Execute``."""
    from nbgrader.converters import Autograde

    default = Autograde.class_traits()["autograde_preprocessors"].default()
    names = [f"{pp.__module__}.{pp.__name__}" for pp in default]
    return [
        "grading.classroom.budgeted_execute.BudgetedExecute" if name.endswith(".Execute") else name for name in names
    ]
