"""Autograde exercise 08 (few labels) end to end: its own class of simulated students, graded in one batch.

The reference earns every autograded point (twice, identically), the untouched release none, the valid
designs of ``grading/assignments/a08_few_labels/calibration.py`` (logistic regression, nearest centroid, 1-NN in NumPy, a Keras
dense classifier) full marks, each typical 08 mistake of ``grading/assignments/`` loses exactly its test cells,
and hostile submissions (the answer key, a patched grader, invented accuracies, stderr) are contained.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from class_grading import UNTOUCHED, GradedClass, grade_class

from grading.assignments.a08_few_labels.calibration import ASSIGNMENT, DESIGNS
from grading.assignments import MISTAKES
from grading.assignments import TAMPER

pytestmark = [pytest.mark.slow, pytest.mark.needs_solutions]

MISTAKES_08 = {name: m for name, m in MISTAKES.items() if m.assignment == ASSIGNMENT}
MAJORITY = MISTAKES["majority_class"].sources["fit_on_labelled"]

HOSTILE: dict[str, tuple[dict[str, str], set[str]]] = {
    # cae_ref's answers under the student's names: the guard fails every graded call that reaches them.
    "answer_key": (
        {
            "pick_labelled": '''
import cae_ref.subsets


def pick_labelled(labels, per_class, seed):
    """Indices of per_class rows of each class in labels, drawn at random with np.random.default_rng(seed)."""
    return cae_ref.subsets.subset_per_class(labels, per_class, seed)
''',
            "encode": '''
def encode(encoder, images):
    """The encoder's codes of images as a NumPy array, one flat row per image: (N, number of code values)."""
    return cae_ref.encode_flat(encoder, images)
''',
        },
        {
            "test_pick_labelled",
            "test_pick_labelled_seeded",
            "test_encode",
            "test_few_label_accuracies",
            "test_few_label_accuracies_honest",
        },
    ),
    # A majority-vote classifier with the margin patched away: the test cells reload the checks.
    "patches_grader": (
        {
            "fit_on_labelled": MAJORITY
            + """

import cae_ref.grader.checks

cae_ref.grader.checks.THRESHOLDS["few_label_agreement"] = 1e9
checks = cae_ref.grader.checks
"""
        },
        {"test_fit_on_labelled_agreement"},
    ),
    # Made-up accuracies: the classifiers it fitted give them away.
    "invents_accuracies": (
        {
            "few_label_accuracies": '''
def few_label_accuracies(fit, encoder, x_pool, y_pool, x_test, y_test, counts, seed):
    """Held-out accuracy of classifiers fitted on count labelled pool rows per class: {(features, count): accuracy}."""
    result = {}
    for count in counts:
        labelled = pick_labelled(y_pool, count, seed)
        for name, pool in (("codes", encode(encoder, x_pool)), ("pixels", x_pool.reshape(len(x_pool), -1))):
            fit(pool, y_pool, labelled)
            result[(name, count)] = 0.95 if name == "codes" else 0.5
    return result
'''
        },
        {"test_few_label_accuracies_honest"},
    ),
    # Correct code that writes to stderr: the graded calls swallow it, nothing is lost.
    "writes_to_stderr": (
        {
            "fit_on_labelled": '''
import sys
import warnings


def fit_on_labelled(features, labels, labelled):
    """Fit a classifier on features[labelled] and labels[labelled] only; return it (it has .predict)."""
    from sklearn.neighbors import KNeighborsClassifier

    print("fitting", file=sys.stderr)
    warnings.warn("only a warning")
    return KNeighborsClassifier(n_neighbors=3).fit(features[labelled], labels[labelled])


print("fit cell loaded", file=sys.stderr)
'''
        },
        set(),
    ),
}
# student -> (solution cells, the test cells it must lose)
STUDENTS: dict[str, tuple[dict[str, str], set[str]]] = {
    "fl_reference": ({}, set()),
    "fl_reference_twin": ({}, set()),
    **{f"fl_design_{name}": (sources, set()) for name, sources in DESIGNS.items()},
    **{f"fl_{name}": (m.sources, m.loses) for name, m in MISTAKES_08.items() if m.autograded},
    **{f"fl_{name}": case for name, case in HOSTILE.items()},
    # issue 25: names rebound in the notebook, an array whose comparisons always agree
    **{f"fl_{name}": (t.sources, t.loses) for name, t in TAMPER.items() if t.assignment == ASSIGNMENT},
}


@pytest.fixture(scope="module")
def graded(course: Path) -> GradedClass:
    """Every student's 08 and the untouched release, autograded in one batch."""
    return grade_class(course, ASSIGNMENT, {student: sources for student, (sources, _) in STUDENTS.items()})


@pytest.mark.parametrize("student", sorted(STUDENTS))
def test_each_student_loses_exactly_their_part(graded, student):
    """Autograded points only: the written questions (manual) are not scored by autograde."""
    _, loses = STUDENTS[student]
    assert graded.autograded(student) == graded.expected(loses), graded.explain(student)


def test_untouched_release_earns_nothing(graded):
    assert sum(graded.scores[UNTOUCHED].values()) == 0


def test_grades_are_deterministic(graded):
    assert graded.scores["fl_reference_twin"] == graded.scores["fl_reference"]


def test_the_class_covers_the_issue(graded):
    """At least 3 valid designs and 5 typical mistakes; 16 points in all, 4 of them written."""
    assert len(DESIGNS) >= 3 and sum(m.autograded for m in MISTAKES_08.values()) >= 5
    assert sum(graded.max_scores.values()) == 16
    assert sum(v for k, v in graded.max_scores.items() if k.startswith("q_")) == 4
