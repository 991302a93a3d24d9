"""Autograde exercise 08 (few labels) end to end: its own class of simulated students, graded in one batch.

The reference earns every autograded point (twice, identically), the untouched release none, the valid
designs of ``grading/calibrate_few_labels.py`` (logistic regression, nearest centroid, 1-NN in NumPy, a Keras
dense classifier) full marks, each typical 08 mistake of ``grading/mistakes.py`` loses exactly its test cells,
and hostile submissions (the answer key, a patched grader, invented accuracies, stderr) are contained.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from grading.calibrate_few_labels import ASSIGNMENT, DESIGNS
from grading.mistakes import MISTAKES
from grading.submissions import nbgrader, notebook_path, read_notebook, write_submission

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

import cae_ref.checks

cae_ref.checks.THRESHOLDS["few_label_agreement"] = 1e9
checks = cae_ref.checks
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
}


@pytest.fixture(scope="module")
def graded(course: Path) -> dict[str, dict[str, float]]:
    """Hand in every student's 08 and the untouched release, autograde them in one batch, read the scores."""
    from nbgrader.api import Gradebook

    for student, (sources, _) in STUDENTS.items():
        write_submission(course, student, ASSIGNMENT, sources)
    write_submission(course, "fl_untouched", ASSIGNMENT, untouched=True)
    run = nbgrader(course, "autograde", ASSIGNMENT, "--force", check=False)
    assert run.returncode == 0, (run.stdout + run.stderr)[-3000:]
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        maxima = {cell.name: cell.max_score for cell in gb.find_notebook(ASSIGNMENT, ASSIGNMENT).grade_cells}
        scores = {"(max)": maxima}
        for student in [*STUDENTS, "fl_untouched"]:
            notebook = gb.find_submission_notebook(ASSIGNMENT, ASSIGNMENT, student)
            scores[student] = {g.name: float(g.score or 0.0) for g in notebook.grades}
    return scores


def _explain(course: Path, student: str) -> str:
    path = notebook_path(course / "autograded" / student, ASSIGNMENT)
    lines = []
    for cell in read_notebook(path).cells if path.exists() else []:
        errors = [o for o in cell.get("outputs", []) if o.output_type == "error" or o.get("name") == "stderr"]
        if errors:
            text = errors[0].get("evalue") or errors[0].get("text", "")
            lines.append(f"{cell.metadata.get('nbgrader', {}).get('grade_id', '?')}: {text[:300]}")
    return "\n".join(lines) or "(no errors recorded)"


@pytest.mark.parametrize("student", sorted(STUDENTS))
def test_each_student_loses_exactly_their_part(graded, course, student):
    """Autograded points only: the written questions (manual) are not scored by autograde."""
    _, loses = STUDENTS[student]
    maxima = {name: points for name, points in graded["(max)"].items() if name.startswith("test_")}
    assert not set(loses) - set(maxima), f"unknown test cells {set(loses) - set(maxima)}"
    expected = {name: 0.0 if name in loses else points for name, points in maxima.items()}
    got = {name: score for name, score in graded[student].items() if name in maxima}
    assert got == expected, _explain(course, student)


def test_untouched_release_earns_nothing(graded):
    assert sum(graded["fl_untouched"].values()) == 0


def test_grades_are_deterministic(graded):
    assert graded["fl_reference_twin"] == graded["fl_reference"]


def test_the_class_covers_the_issue(graded):
    """At least 3 valid designs and 5 typical mistakes; 16 points in all, 4 of them written."""
    assert len(DESIGNS) >= 3 and sum(m.autograded for m in MISTAKES_08.values()) >= 5
    assert sum(graded["(max)"].values()) == 16
    assert sum(v for k, v in graded["(max)"].items() if k.startswith("q_")) == 4
