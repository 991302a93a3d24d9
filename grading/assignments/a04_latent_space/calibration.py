"""04's thresholds ``latent_accuracy`` and ``latent_shuffled_accuracy``: separation scores of the codes.

Every valid design trained as cell ``run_training`` does, then every separation measure (the reference answer,
``LATENT_MEASURES`` and each calibrated mistake's ``separation_score``) on its codes, with the true labels and
with shuffled ones (chance). Rows in ``grading/calibration.py``'s format.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

import cae_ref
from cae_ref.grader import checks
from grading.assignments import calibrated
from grading.calibration import _own_model, _row, designs, run_cells
from grading.submissions import REPO, reference_answers

THRESHOLDS = (
    "latent_accuracy",
    "latent_shuffled_accuracy",
)


def _knn(k: int, weights: str = "uniform"):
    from sklearn.neighbors import KNeighborsClassifier

    def score(train, y_train, test, y_test):
        return KNeighborsClassifier(n_neighbors=k, weights=weights).fit(train, y_train).score(test, y_test)

    return score


def _probe(train, y_train, test, y_test):
    # On all 6,272 numbers of a code a logistic regression takes minutes; on 50 principal components, seconds.
    from sklearn.decomposition import PCA

    pca = PCA(n_components=50, random_state=0).fit(train)
    return cae_ref.linear_probe_accuracy(pca.transform(train), y_train, pca.transform(test), y_test, max_iter=300)


def _centroid(train, y_train, test, y_test):
    from sklearn.neighbors import NearestCentroid

    return NearestCentroid().fit(train, y_train).score(test, y_test)


# Valid measures besides the reference answer (kNN k=5, the solution's separation_score).
LATENT_MEASURES: dict[str, Callable] = {
    "kNN k=1": _knn(1),
    "logistic regression on PCA-50": _probe,
    "nearest centroid": _centroid,
}


def calibrate(seeds: list[int], mistake_seeds: list[int]) -> list[dict]:
    """04: own_autoencoder trained as cell run_training does, then each separation measure on its codes."""
    budget = checks.LATENT_BUDGET
    data = checks.grading_data(budget)
    shuffled = np.random.default_rng(0).permutation(data["y_train"])
    reference = run_cells(reference_answers(REPO, "04_latent_space"))
    measures = {"reference answers": ("valid", reference["separation_score"])}
    measures.update({name: ("valid", measure) for name, measure in LATENT_MEASURES.items()})
    for label, mistake in calibrated("04_latent_space").items():  # the student's separation_score
        measures[f"mistake: {label}"] = ("mistake", mistake.function("separation_score"))
    rows = []
    for design, cells in designs().items():
        namespace = run_cells(cells)
        for seed in sorted(set(seeds) | set(mistake_seeds)):
            own = _own_model(namespace, seed)
            with checks.quiet():
                autoencoder = cae_ref.compile_autoencoder(own.autoencoder)
                cae_ref.train_autoencoder(
                    autoencoder, data["x_train"], data["x_val"], epochs=budget.epochs, batch_size=budget.batch_size,
                    seed=seed, quiet=True,
                )  # fmt: skip
                train, test = (
                    cae_ref.encode_flat(own.encoder, data["x_train"]),
                    cae_ref.encode_flat(own.encoder, data["x_test"]),
                )
            for variant, (kind, measure) in measures.items():
                if seed not in (seeds if kind == "valid" else mistake_seeds):
                    continue
                value = float(measure(train, data["y_train"], test, data["y_test"]))
                chance = float(measure(train, shuffled, test, data["y_test"]))
                rows.append(_row("latent_accuracy", design, variant, kind, seed, value))
                rows.append(_row("latent_shuffled_accuracy", design, variant, kind, seed, chance))
                print(f"latent        {design:<11} {variant:<40} seed {seed}: {value:.3f} (shuffled {chance:.3f})")
    return rows


def record(seeds: list[int], mistake_seeds: list[int]) -> dict:
    """This assignment's calibration record (``python -m grading calibrate 04_latent_space``)."""
    from grading.calibration import threshold_record

    return threshold_record(calibrate, seeds, mistake_seeds)
