"""No dead error path (issue 26): a submission whose key function raises is told why, in every notebook.

For each assignment one student hands in the reference with one function that raises, as a typical
slip does (``fit(x_train, x_val, ...)``, a reshape to the wrong size, a missing argument); in 08 a
second one's ``pick_labelled`` raises, whose rows a later preview cell reuses. Graded with
nbgrader, the notebook must show no ``NameError`` (every cell that runs the student's function leaves
the names later cells use defined), the test cells that depend on the function must fail with the
grader's message that names the error (type and message), and every other test cell keeps its points.

Cost: one ``nbgrader autograde`` batch per assignment, eight in all (the untouched release is graded
beside each); the raising functions stop before any graded training, so each notebook is mostly a
kernel start and TensorFlow's import (04 and 08 still train the course's encoder at their grading
budgets): 2.5 CPU-minutes, 3 to 5 minutes wall on the shared 2-core machine (measured, issue 26).
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pytest
from class_grading import GradedClass, grade_class

from grading.simulated import from_reference
from grading.submissions import notebook_path, read_notebook

pytestmark = [pytest.mark.slow, pytest.mark.needs_solutions]

STUDENT = "raises"


class Raising(NamedTuple):
    """A submission whose ``sources`` raise ``error`` and the test cells that depend on the failing function."""

    sources: dict[str, str]
    error: str  # a piece of the exception's message, as the grader must quote it
    loses: set[str]
    told: set[str]  # the dependent cells whose message must name the error
    unfinished: frozenset[str] = frozenset()  # of those, the cells that read the grader's record: "did not finish"


def _raising(assignment: str, cell: str, *replacements: tuple[str, str]) -> str:
    """The reference answer's ``cell`` with the substitution that makes it raise."""
    return from_reference(f"{assignment}/{cell} raises", assignment, cell, *replacements)


RAISING: dict[str, dict[str, Raising]] = {  # assignment -> student -> submission
    # Each is the reference answer with one named substitution (grading.simulated.from_reference).
    "01_data": {
        STUDENT: Raising(
            {"preprocess": _raising("01_data", "preprocess", ("scaled[..., np.newaxis]", "scaled.reshape(-1, 28, 28, 3)"))},
            "cannot reshape array",
            {"test_preprocess_shape", "test_preprocess_range", "test_preprocess_reference"},
            {"test_preprocess_shape", "test_preprocess_range", "test_preprocess_reference"},
        ),
    },
    "02_architecture": {
        STUDENT: Raising(  # the input forgot the channel axis
            {"build_encoder": _raising("02_architecture", "build_encoder", ("shape=(28, 28, 1)", "shape=(28, 28)"))},
            "expected min_ndim=4",
            {"test_build_encoder_shape", "test_build_encoder_layers"},
            {"test_build_encoder_shape", "test_build_encoder_layers"},
        ),
    },
    "03_training": {
        STUDENT: Raising(  # fits x_train to x_val
            {
                "train_autoencoder": _raising(
                    "03_training",
                    "train_autoencoder",
                    ("x_train,  # the target is the input itself\n        validation_data=(x_val, x_val)", "x_val"),
                )
            },
            "Data cardinality is ambiguous",
            {"test_train_history", "test_heldout_mse", "test_validation_loss"},
            {"test_train_history", "test_heldout_mse"},
            {"test_train_history", "test_heldout_mse"},
        ),
    },
    "04_latent_space": {
        STUDENT: Raising(
            {"encode": _raising("04_latent_space", "encode", ("reshape(len(images), -1)", "reshape(len(images), 784)"))},
            "cannot reshape array",
            {"test_encode"},
            {"test_encode"},
        ),
    },
    "05_denoising": {
        STUDENT: Raising(  # fits the noisy inputs to x_val
            {
                "train_denoiser": _raising(
                    "05_denoising",
                    "train_denoiser",
                    ("x_train,  # clean targets, not the noisy inputs\n        validation_data=(x_val_noisy, x_val)", "x_val"),
                )
            },
            "Data cardinality is ambiguous",
            {"test_train_denoiser_history", "test_denoising_gain", "test_denoiser_validation"},
            {"test_train_denoiser_history", "test_denoising_gain", "test_denoiser_validation"},
            {"test_train_denoiser_history", "test_denoising_gain", "test_denoiser_validation"},
        ),
    },
    "06_bottleneck": {
        STUDENT: Raising(  # fits x_train to x_val
            {
                "psnr_by_size": _raising(
                    "06_bottleneck",
                    "psnr_by_size",
                    ("model.fit(x_train, x_train, validation_data=(x_val, x_val),", "model.fit(x_train, x_val,"),
                )
            },
            "Data cardinality is ambiguous",
            {"test_psnr_by_size", "test_psnr_by_size_honest", "test_bottleneck_gain"},
            {"test_psnr_by_size", "test_psnr_by_size_honest", "test_bottleneck_gain"},
            {"test_psnr_by_size", "test_psnr_by_size_honest", "test_bottleneck_gain"},
        ),
    },
    "07_vae": {
        STUDENT: Raising(  # its train_step forgets two arguments of negative_elbo
            {
                "VAE": _raising(
                    "07_vae",
                    "VAE",
                    ("negative_elbo(data, reconstructions, z_mean, z_log_var)", "negative_elbo(data, reconstructions)"),
                )
            },
            "missing 2 required positional arguments",
            {"test_vae_history", "test_vae_elbo_gain"},
            {"test_vae_history", "test_vae_elbo_gain"},
            {"test_vae_history", "test_vae_elbo_gain"},
        ),
    },
    "08_few_labels": {
        STUDENT: Raising(  # fit without the labelled rows
            {
                "few_label_accuracies": _raising(
                    "08_few_labels", "few_label_accuracies", ("fit(pool, y_pool, labelled)", "fit(pool, y_pool)")
                )
            },
            "missing 1 required positional argument",
            {"test_few_label_accuracies", "test_few_label_accuracies_honest"},
            {"test_few_label_accuracies", "test_few_label_accuracies_honest"},
            {"test_few_label_accuracies", "test_few_label_accuracies_honest"},
        ),
        "pick_raises": Raising(  # a preview cell reuses pick_labelled's rows: it must not read a missing name
            {
                "pick_labelled": _raising(
                    "08_few_labels", "pick_labelled", ("np.sort(np.concatenate(chosen))", "np.concatenate(chosen, axis=1)")
                )
            },
            "axis 1 is out of bounds",
            {
                "test_pick_labelled",
                "test_pick_labelled_seeded",
                "test_few_label_accuracies",
                "test_few_label_accuracies_honest",
            },
            {"test_pick_labelled", "test_pick_labelled_seeded", "test_few_label_accuracies"},
            {"test_few_label_accuracies"},
        ),
    },
}


def cell_texts(graded: GradedClass, student: str) -> dict[str, str]:
    """grade_id (or cell index) -> every output text of that cell in ``student``'s autograded notebook."""
    path = notebook_path(graded.course / "autograded" / student, graded.assignment)
    texts = {}
    for index, cell in enumerate(read_notebook(path).cells):
        name = cell.metadata.get("nbgrader", {}).get("grade_id") or f"cell {index}"
        parts = []
        for output in cell.get("outputs", []):
            parts += [output.get("ename", ""), output.get("evalue", ""), output.get("text", "")]
            parts += output.get("traceback", [])
        texts[name] = "\n".join(parts)
    return texts


@pytest.fixture(scope="module", params=sorted(RAISING))
def graded(request: pytest.FixtureRequest, course: Path) -> GradedClass:
    """One assignment with its raising students, autograded in one batch."""
    return grade_class(course, request.param, {name: r.sources for name, r in RAISING[request.param].items()})


def test_no_name_error(graded):
    """No cell of the notebook fails with NameError: every run cell left the names later cells read."""
    for student in RAISING[graded.assignment]:
        bad = {name: text[-400:] for name, text in cell_texts(graded, student).items() if "NameError" in text}
        assert not bad, (student, bad)


def test_dependent_cells_name_the_error(graded):
    """The test cells after the failing call quote the exception's type and message; those that read the
    grader's record of the run cell's call also say that it did not finish."""
    for student, raising in RAISING[graded.assignment].items():
        texts = cell_texts(graded, student)
        for name in raising.told:
            assert raising.error in texts[name], f"{student} {name}: {texts[name][-600:]}"
        for name in raising.unfinished:
            assert "did not finish" in texts[name], f"{student} {name}: {texts[name][-600:]}"


def test_only_dependent_cells_lose(graded):
    """Every test cell that does not depend on the failing function keeps its points."""
    for student, raising in RAISING[graded.assignment].items():
        assert graded.autograded(student) == graded.expected(raising.loses), (student, graded.explain(student))
