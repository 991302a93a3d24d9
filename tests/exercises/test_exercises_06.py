"""Exercise 06 (the bottleneck) autograded end to end, and the written questions graded by hand.

A class of simulated students, graded in one ``nbgrader autograde 06_bottleneck`` batch: the
reference earns every autograded point, the untouched release none, two other valid designs
(``grading/assignments/a06_bottleneck/calibration.py``) full marks, each typical mistake of ``grading/assignments/``
loses exactly its test cells, hostile code is contained, and the same submission graded twice gets
the same scores. The written answers (``q_*``) are left to a person: autograde scores them nothing
and flags them; a score entered through the gradebook (``grading/classroom/manual_grades.py``, what the
Formgrader does) then shows in the export, whose ``max_score`` counts the written points too.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from class_grading import UNTOUCHED, GradedClass, grade_class

from grading.assignments.a06_bottleneck.calibration import DESIGNS
from grading.classroom.manual_grades import enter_manual_score
from grading.assignments import MISTAKES
from grading.submissions import nbgrader
from grading.assignments import TAMPER

pytestmark = [pytest.mark.slow, pytest.mark.needs_solutions]

A = "06_bottleneck"
WRITTEN = {"q_code_size", "q_code_scatter"}
# The hostile case below loops until the per-cell limit: shorter than the course's 90 s, far above
# the slowest cell of the reference (the two trainings, about 30 s on 2 busy cores).
TIMEOUT = 75

HOSTILE: dict[str, tuple[dict[str, str], set[str]]] = {
    # Correct for the sizes the notebook shows, an endless loop for any other: only the hidden test fails.
    "loops_on_other_sizes": (
        {
            "build_bottleneck_encoder": '''
def build_bottleneck_encoder(latent_dim):
    """Return a new Keras model mapping images (N, 28, 28, 1) to codes (N, latent_dim)."""
    while latent_dim not in (2, 32):
        pass
    inputs = keras.Input(shape=(28, 28, 1))
    x = layers.Conv2D(32, 3, activation="relu", padding="same")(inputs)
    x = layers.MaxPooling2D(2, padding="same")(x)
    x = layers.Conv2D(64, 3, activation="relu", padding="same")(x)
    x = layers.MaxPooling2D(2, padding="same")(x)
    x = layers.Conv2D(128, 3, activation="relu", padding="same")(x)
    return keras.Model(inputs, layers.Dense(latent_dim)(layers.Flatten()(x)))
'''
        },
        {"test_bottleneck_any_size"},
    ),
    # Correct code that writes to stderr everywhere: the graded calls swallow it, nothing is lost.
    "writes_to_stderr": (
        {
            "build_bottleneck_decoder": '''
import sys
import warnings


def build_bottleneck_decoder(latent_dim):
    """Return a new Keras model mapping codes (N, latent_dim) to images (N, 28, 28, 1) in [0, 1]."""
    print("building a decoder", file=sys.stderr)
    warnings.warn("only a warning")
    code = keras.Input(shape=(latent_dim,))
    x = layers.Reshape((7, 7, 128))(layers.Dense(7 * 7 * 128, activation="relu")(code))
    x = layers.Conv2DTranspose(64, 3, strides=2, activation="relu", padding="same")(x)
    x = layers.Conv2DTranspose(32, 3, strides=2, activation="relu", padding="same")(x)
    return keras.Model(code, layers.Conv2D(1, 3, activation="sigmoid", padding="same")(x))


print("decoder cell loaded", file=sys.stderr)
'''
        },
        set(),
    ),
    # Made-up numbers, nothing trained: the PSNRs of the kept models give it away.
    "invents_psnr": (
        {
            "psnr_by_size": '''
def psnr_by_size(make_autoencoder, latent_dims, x_train, x_val, x_test, epochs, batch_size):
    """Train one autoencoder per size in latent_dims; return {latent_dim: PSNR in dB on x_test}."""
    return {d: 12.0 + d / 4 for d in latent_dims if make_autoencoder(d) is not None}
'''
        },
        {"test_psnr_by_size_honest", "test_bottleneck_gain"},
    ),
    # Tampering (issue 14): made-up PSNRs behind a replaced predict, nothing trained.
    **{name: (t.sources, t.loses) for name, t in TAMPER.items() if t.assignment == A},
}
BROKEN = {name: (m.sources, m.loses) for name, m in MISTAKES.items() if m.assignment == A and m.autograded}


def students() -> dict[str, dict[str, str]]:
    """student -> the solution cells they wrote (the class also hands in the untouched release)."""
    found: dict[str, dict[str, str]] = {"reference": {}, "reference_twin": {}}
    found |= {f"design_{name}": cells for name, cells in DESIGNS.items()}
    found |= {name: sources for name, (sources, _) in {**BROKEN, **HOSTILE}.items()}
    return found


@pytest.fixture(scope="module")
def graded(course: Path) -> GradedClass:
    """Every student's 06 and the untouched release, autograded in one batch under the shorter cell limit."""
    return grade_class(course, A, students(), f"--Execute.timeout={TIMEOUT}")


def test_points_add_up(graded):
    """12 autograded points and 4 written ones: the 16 the introduction states."""
    assert sum(graded.autograded_max().values()) == 12
    assert {name: graded.max_scores[name] for name in WRITTEN} == {"q_code_size": 2, "q_code_scatter": 2}


@pytest.mark.parametrize("student", ["reference", "design_sequential_06", "design_dense_06"])
def test_valid_designs_earn_every_autograded_point(graded, student):
    assert graded.autograded(student) == graded.expected(set()), graded.explain(student)


def test_untouched_release_earns_nothing(graded):
    assert sum(graded.scores[UNTOUCHED].values()) == 0


@pytest.mark.parametrize("student", sorted(BROKEN))
def test_typical_mistake_loses_only_its_part(graded, student):
    assert graded.autograded(student) == graded.expected(BROKEN[student][1]), graded.explain(student)


@pytest.mark.parametrize("student", sorted(HOSTILE))
def test_hostile_submission_is_contained(graded, student):
    assert graded.autograded(student) == graded.expected(HOSTILE[student][1]), graded.explain(student)


def test_grades_are_deterministic(graded):
    assert graded.scores["reference_twin"] == graded.scores["reference"]


def test_written_answers_wait_for_a_person(graded):
    """Autograde gives the answer cells no points and flags them for manual grading; test cells need nobody."""
    for student in ("reference", "design_sequential_06"):
        assert graded.needs_manual[student] == WRITTEN, graded.needs_manual[student]
        assert all(graded.scores[student][name] == 0.0 for name in WRITTEN)


def test_manual_score_shows_in_the_export(graded):
    """A written answer graded by hand (as in the Formgrader) counts in `score`; `max_score` counts its points."""
    course = graded.course
    assert enter_manual_score(course / "gradebook.db", A, "reference", "q_code_size", 1.5) == 2.0
    with pytest.raises(ValueError, match="at most 2"):
        enter_manual_score(course / "gradebook.db", A, "reference", "q_code_scatter", 3)
    with pytest.raises(ValueError, match="autograded"):
        enter_manual_score(course / "gradebook.db", A, "reference", "test_bottleneck_gain", 1)
    nbgrader(course, "export", "--to", "grades06.csv")
    with open(course / "grades06.csv", newline="") as handle:
        rows = {(r["student_id"], r["assignment"]): r for r in csv.DictReader(handle)}
    reference, untouched = rows[("reference", A)], rows[(UNTOUCHED, A)]
    assert float(reference["max_score"]) == 16.0 == sum(graded.max_scores.values())
    assert float(reference["score"]) == 12.0 + 1.5
    assert float(untouched["max_score"]) == 16.0 and float(untouched["score"]) == 0.0
