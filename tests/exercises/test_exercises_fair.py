"""Fair to valid designs (issue 25): batch normalisation earns full marks, a ReLU output costs only 02.

Each assignment that holds the model cells (02 to 05) is graded in one ``nbgrader autograde`` batch
of these students: the two batch-normalised designs of ``grading/assignments/a02_architecture/designs.py`` (the reference with
batch normalisation in the decoder, and one with it in the encoder and the decoder) earn every
autograded point, twice and identically where the notebook trains (03, 05: the grader measures with
the statistics settled on the training inputs, ``cae_ref.grader.checks.settled_predict``); a student whose
decoder ends with a ReLU loses 02's range test and nothing later, because the own-model check
(``cae_ref.grader.student_model``) sends 03 to 05 to the course's model.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from class_grading import UNTOUCHED, grade_class

from grading.assignments.a02_architecture.designs import ALTERNATIVES, PASTED_INTO
from grading.assignments import MISTAKES

pytestmark = [pytest.mark.slow, pytest.mark.needs_solutions]

BATCH_NORM = ("batchnorm", "batchnorm_decoder")
TRAINS = ("03_training", "05_denoising")  # graded twice: the same submission under two names
RELU = MISTAKES["relu_output"]


def _students(assignment: str) -> dict[str, dict[str, str]]:
    students = {design: ALTERNATIVES[design] for design in BATCH_NORM}
    if assignment in TRAINS:
        students |= {f"{design}_twin": ALTERNATIVES[design] for design in BATCH_NORM}
    return students | {"relu_output": RELU.sources}


@pytest.fixture(scope="module")
def own_course(course: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The generated course without anyone's submissions: this module grades only its own students."""
    ignore = shutil.ignore_patterns("submitted", "autograded", "feedback", ".parallel")
    return Path(shutil.copytree(course, tmp_path_factory.mktemp("fair") / "course", symlinks=True, ignore=ignore))


@pytest.fixture(scope="module", params=PASTED_INTO)
def graded(request, own_course):
    return grade_class(own_course, request.param, _students(request.param))


@pytest.mark.parametrize("design", BATCH_NORM)
def test_batch_normalised_designs_earn_every_point_twice_identically(graded, design):
    assert graded.autograded(design) == graded.expected(set()), graded.explain(design)
    if graded.assignment in TRAINS:
        assert graded.scores[f"{design}_twin"] == graded.scores[design]
    assert sum(graded.autograded(UNTOUCHED).values()) == 0


def test_a_relu_output_costs_only_the_range_test_of_02(graded):
    loses = RELU.loses if graded.assignment == RELU.assignment else set()
    assert graded.autograded("relu_output") == graded.expected(loses), graded.explain("relu_output")
