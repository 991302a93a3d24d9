"""Autograde exercise 07 (the VAE) end to end: its own class of simulated students, graded in one batch.

The reference earns full marks (twice, identically), the untouched release 0, the valid designs of
``grading/assignments/a07_vae/calibration.py`` full marks, each typical 07 mistake of ``grading/assignments/`` loses
exactly its part, a submission built on cae_ref's own VAE classes loses what they touch, and one that
patches the grader's measure, overrides fit, fakes its metrics or swaps the measured decoder gains nothing
(``grading/assignments/``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from class_grading import UNTOUCHED, GradedClass, grade_class

from grading.assignments import MISTAKES
from grading.assignments import TAMPER
from grading.assignments.a07_vae.calibration import ASSIGNMENT, DESIGNS

pytestmark = [pytest.mark.slow, pytest.mark.needs_solutions]

MISTAKES_07 = {name: m for name, m in MISTAKES.items() if m.assignment == ASSIGNMENT}

# Hostile: cae_ref's answer classes under the student's names (the guard fails every call that runs them).
ANSWER_KEY = {
    "Sampling": '''
import cae_ref.vae


class Sampling(cae_ref.vae.Sampling):
    """Draw z = z_mean + exp(z_log_var / 2) * eps, eps ~ N(0, I), from a generator seeded with `seed`."""
''',
    "VAE": '''
class VAE(cae_ref.vae.VariationalAutoencoder):
    """Encoder -> (z_mean, z_log_var) -> Sampling -> decoder, trained on the mean negative ELBO of each batch."""
''',
}
# Hostile: a VAE that never learns, with the grader's measure and threshold patched to pass it.
PATCHES_GRADER = {
    "VAE": MISTAKES["no_gradient_update"].sources["VAE"]
    + """

import cae_ref.grader.checks

cae_ref.grader.checks.vae_negative_elbo = lambda *args, **kwargs: 1e9
cae_ref.grader.checks.THRESHOLDS["vae_elbo_gain"] = -1e9
checks = cae_ref.grader.checks
""",
}
# student -> (solution cells, the test cells it must lose)
STUDENTS: dict[str, tuple[dict[str, str], set[str]]] = {
    "vae_reference": ({}, set()),
    "vae_reference_twin": ({}, set()),
    **{f"vae_design_{name}": (sources, set()) for name, sources in DESIGNS.items()},
    **{f"vae_{name}": (m.sources, m.loses) for name, m in MISTAKES_07.items()},
    "vae_answer_key": (
        ANSWER_KEY,
        {"test_sampling_statistics", "test_sampling_gradients", "test_vae_history", "test_vae_elbo_gain"},
    ),
    "vae_patches_grader": (PATCHES_GRADER, {"test_vae_elbo_gain"}),
    # Tampering (issue 14): a VAE that overrides fit, fakes its metrics, or swaps the decoder the grader measures.
    **{f"vae_{name}": (t.sources, t.loses) for name, t in TAMPER.items() if t.assignment == ASSIGNMENT},
}


@pytest.fixture(scope="module")
def graded(course: Path) -> GradedClass:
    """Every student's 07 and the untouched release, autograded in one batch."""
    return grade_class(course, ASSIGNMENT, {student: sources for student, (sources, _) in STUDENTS.items()})


@pytest.mark.parametrize("student", sorted(STUDENTS))
def test_each_student_loses_exactly_their_part(graded, student):
    """Autograded points only: the written question (manual) is not scored by autograde."""
    _, loses = STUDENTS[student]
    assert graded.autograded(student) == graded.expected(loses), graded.explain(student)


def test_untouched_release_earns_nothing(graded):
    assert sum(graded.scores[UNTOUCHED].values()) == 0


def test_grades_are_deterministic(graded):
    assert graded.scores["vae_reference_twin"] == graded.scores["vae_reference"]


def test_the_class_covers_the_issue(graded):
    """At least 2 valid designs and 5 typical mistakes; 16 points in all."""
    assert len(DESIGNS) >= 2 and len(MISTAKES_07) >= 5
    assert sum(graded.max_scores.values()) == 16  # 14 automatic + the 2-point written question
