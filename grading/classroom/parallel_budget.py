"""A wall-time budget per notebook on top of nbgrader's per-cell timeout (``Execute.timeout``).

``grading/classroom/budgeted_execute.py``'s ``BudgetedExecute`` replaces nbgrader's ``Execute`` in
``Autograde.autograde_preprocessors``: each cell may run for at most ``min(Execute.timeout, what is
left of the budget)``; once the budget is spent, the remaining code cells are not run and get an
error output that says so, so their test cells score 0 and the feedback explains why. A looping
submission costs at most about the budget (plus kernel start-up and shutdown), not 90 s for every
cell that calls the loop. This module imports neither nbgrader nor nbformat: the grading command
and its workers read it without paying for them.
"""

from __future__ import annotations

# Seconds of grading per notebook. The reference takes 8-15 s per notebook on 2 idle cores and
# 30-55 s under a load of 10; 300 s leaves room for slow valid designs and a few slow cells.
NOTEBOOK_BUDGET_S = 300
NOT_RUN = "NotGradedError"


def config_lines(budget: int = NOTEBOOK_BUDGET_S) -> list[str]:
    """Lines for an nbgrader_config.py that grade with ``BudgetedExecute`` (same preprocessors otherwise)."""
    return [
        "from grading.classroom.budgeted_execute import autograde_preprocessors",
        "c.Autograde.autograde_preprocessors = autograde_preprocessors()",
        f"c.BudgetedExecute.notebook_budget = {budget}",
    ]
