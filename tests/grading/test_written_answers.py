"""The grading tools that run solution cells outside nbgrader never run a written answer as code.

``reference_answers`` returns every solution cell of a notebook, the written answers (``q_*``,
nbgrader's Markdown answer cells, issue 13) among them. Calibration (``grading/calibration.py``,
``grading/assignments/a06_bottleneck/calibration.py``) executes those cells in one namespace: a Markdown
answer must be left out there, or its prose would stop it with a ``SyntaxError``.
``grading/assignments/a07_vae/calibration.py`` runs a fixed list of code cells, and ``Mistake.function``
one named cell, so neither can reach an answer cell.
"""

from __future__ import annotations

import pytest

from grading import calibration
from grading.assignments.a06_bottleneck import calibration as calibration_06
from grading.submissions import ASSIGNMENTS, REPO, WRITTEN_PREFIX, code_cells, reference_answers

pytestmark = pytest.mark.needs_solutions  # reference_answers reads solutions/

# 07's cells need the VAE's own namespace (grading/assignments/a07_vae/calibration.py): not run through these tools.
RUN_BY = {a: calibration.run_cells for a in ASSIGNMENTS[:5]} | {"06_bottleneck": calibration_06.run_cells}


def written(answers: dict[str, str]) -> dict[str, str]:
    return {grade_id: source for grade_id, source in answers.items() if grade_id.startswith(WRITTEN_PREFIX)}


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_assignment_has_written_answers_that_are_not_python(assignment):
    """Each notebook's solution cells include its model answers, prose that Python cannot run."""
    answers = written(reference_answers(REPO, assignment))
    assert answers, f"{assignment} has no written question (q_*)"
    for grade_id, source in answers.items():
        with pytest.raises(SyntaxError):
            compile(source, grade_id, "exec")


def test_code_cells_leave_out_only_the_written_answers():
    sources = {"preprocess": "def preprocess(images):\n    return images\n", "q_scaling": "Because *sigmoid*."}
    assert code_cells(sources) == {"preprocess": sources["preprocess"]}


@pytest.mark.parametrize("assignment", sorted(RUN_BY))
def test_run_cells_runs_the_reference_beside_its_written_answers(assignment):
    """Every code answer is defined; the answer cells are skipped, not executed."""
    answers = reference_answers(REPO, assignment)
    namespace = RUN_BY[assignment](answers)
    code = code_cells(answers)
    assert code and set(code) | set(written(answers)) == set(answers)
    assert all(callable(namespace[grade_id]) for grade_id in code), sorted(set(code) - set(namespace))


@pytest.mark.parametrize("assignment", ["03_training", "05_denoising"])
def test_calibration_runs_every_design_and_mistake_with_the_written_answers(assignment):
    """The calibration's runs carry the reference's answer cells along; each one still runs to a namespace."""
    runs = calibration._runs(assignment)
    assert all(written(sources) for *_, sources in runs)
    for design, variant, _, sources in runs:
        namespace = calibration.run_cells(sources)
        assert callable(namespace["build_encoder"]), (design, variant)
