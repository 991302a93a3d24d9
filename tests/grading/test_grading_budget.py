"""Bounded cost and repaired cells, graded end to end by the parallel command (grading/classroom/parallel.py).

The first test is a cost cap, not a speed test: a submission whose code never returns must cost at
most the notebook budget plus a generous allowance for nbgrader's own start and finish, far below
what the per-cell timeout alone allows (4 cells x 90 s).
"""

from __future__ import annotations

import hashlib

import nbformat
import pytest

from grading.classroom.parallel import autograde_class
from grading.classroom.parallel_budget import NOT_RUN
from grading.classroom.parallel_merge import gradebook_scores
from grading.submissions import write_submission

pytestmark = [pytest.mark.slow, pytest.mark.needs_solutions]
BUDGET = 40  # seconds for the looping notebook
SLACK = 60  # nbgrader's start, sanitising, saving and the kernel's shutdown, on a busy machine
LOOP = "def preprocess(images):\n    while True:\n        pass\n"


def test_looping_submission_costs_at_most_the_budget(course):
    write_submission(course, "looper", "01_data", {"preprocess": LOOP})
    summary = autograde_class(course, ["01_data"], workers=1, budget=BUDGET, log=print)
    assert summary.ok, summary
    (seconds,) = summary.shard_seconds
    assert seconds <= BUDGET + SLACK < 4 * 90, f"the looping notebook cost {seconds:.0f} s"
    scores = gradebook_scores(course)
    autograded = {key: value for key, value in scores.items() if not key[3].startswith("q_")}
    assert autograded and set(autograded.values()) == {0}, scores
    assert {value for key, value in scores.items() if key[3].startswith("q_")} == {None}  # left to a person
    nb = nbformat.read(course / "autograded" / "looper" / "01_data" / "01_data.ipynb", as_version=4)
    notes = [o.evalue for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.get("ename") == NOT_RUN]
    assert notes and all(f"grading budget of {BUDGET} s" in note for note in notes), "no note in the feedback"


def _drop(grade_id):
    def edit(nb):
        nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") != grade_id]

    return edit


def _blank(grade_id):
    def edit(nb):
        for cell in nb.cells:
            if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
                cell.source = ""

    return edit


def test_deleted_and_blanked_test_cells_keep_full_marks(course):
    deleted = write_submission(course, "deleted", "01_data", edit=_drop("test_preprocess_range"))
    blanked = write_submission(course, "blanked", "01_data", edit=_blank("test_preprocess_reference"))
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in (deleted, blanked)}
    summary = autograde_class(course, ["01_data"], workers=1, log=print)
    assert summary.ok, summary
    assert summary.repairs == {
        "01_data:deleted/01_data.ipynb": ["test_preprocess_range"],
        "01_data:blanked/01_data.ipynb": ["test_preprocess_reference"],
    }
    scores = gradebook_scores(course)
    for student in ("deleted", "blanked"):
        mine = {k[3]: v for k, v in scores.items() if k[1] == student}
        assert mine == {
            "test_preprocess_shape": 1,
            "test_preprocess_range": 1,
            "test_preprocess_reference": 2,
            "q_pixel_scale": None,  # the written answer: graded by a person
        }
    assert before == {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in before}, "submitted/ was modified"
