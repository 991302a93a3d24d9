"""A wall-time budget per notebook on top of nbgrader's per-cell timeout (``Execute.timeout``).

``BudgetedExecute`` replaces nbgrader's ``Execute`` in ``Autograde.autograde_preprocessors``: each
cell may run for at most ``min(Execute.timeout, what is left of the budget)``; once the budget is
spent, the remaining code cells are not run and get an error output that says so, so their test
cells score 0 and the feedback explains why. A looping submission costs at most about the budget
(plus kernel start-up and shutdown), not 90 s for every cell that calls the loop.
"""

from __future__ import annotations

import time

from nbformat import NotebookNode
from nbgrader.preprocessors import Execute
from traitlets import Integer

# Seconds of grading per notebook. The reference takes 8-15 s per notebook on 2 idle cores and
# 30-55 s under a load of 10; 300 s leaves room for slow valid designs and a few slow cells.
NOTEBOOK_BUDGET_S = 300
NOT_RUN = "NotGradedError"


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


def config_lines(budget: int = NOTEBOOK_BUDGET_S) -> list[str]:
    """Lines for an nbgrader_config.py that grade with :class:`BudgetedExecute` (same preprocessors otherwise)."""
    from nbgrader.converters import Autograde

    default = Autograde.class_traits()["autograde_preprocessors"].default()
    names = [f"{pp.__module__}.{pp.__name__}" for pp in default]
    names = [
        "grading.classroom.parallel_budget.BudgetedExecute" if name.endswith(".Execute") else name for name in names
    ]
    return [f"c.Autograde.autograde_preprocessors = {names!r}", f"c.BudgetedExecute.notebook_budget = {budget}"]
