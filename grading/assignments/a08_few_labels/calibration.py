"""Exercise 08's valid designs and the calibration of its margin ``few_label_agreement``.

Each design is the solution cells a student may write instead of the reference (grade_id -> source): another
classifier in ``fit_on_labelled`` (logistic regression, nearest centroid, 1-nearest neighbour in NumPy, a small
Keras dense network), another way to pick and encode. ``calibrate_few_labels`` runs the notebook's own code path
at ``checks.FEW_LABEL_BUDGET`` for every design over ``seeds`` and every calibrated mistake of
``grading/assignments/`` over ``mistake_seeds``: the given autoencoder trained with the seed, then, as the test
``test_fit_on_labelled_agreement`` does, the student's classifier on the grader's rows (10 and 100 per class) of
codes and pixels against the course's kNN (k = 5). A row's value is the largest |yours - course's| of the four.
Each row keeps the four accuracies, so 08's section of ``grading/calibration.md`` also shows whether the codes
beat the pixels (not a threshold). ``tests/exercises/test_exercises_08.py`` grades the same designs with nbgrader.
About 3 minutes: ``python -m grading calibrate 08_few_labels [--seeds 3]``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

import cae_ref
from cae_ref.grader import checks
from cae_ref.latent import knn_accuracy
from cae_ref.subsets import subset_per_class
from grading.calibration import calibration_runs, run_cells
from grading.submissions import REPO

ASSIGNMENT = "08_few_labels"
THRESHOLD = "few_label_agreement"
# Mistakes that this margin is not meant to separate, and the test that catches them instead.
CAUGHT_ELSEWHERE = {"mistake: fits on every pool row": "test_fit_on_labelled_honest (scrambled labels)"}

DESIGNS: dict[str, dict[str, str]] = {
    # Standardised logistic regression (the book's probe), a permutation-based pick, Keras' own predict.
    "logistic_08": {
        "pick_labelled": '''
def pick_labelled(labels, per_class, seed):
    """Indices of per_class rows of each class in labels, drawn at random with np.random.default_rng(seed)."""
    order = np.random.default_rng(seed).permutation(len(labels))
    return np.concatenate([order[labels[order] == label][:per_class] for label in np.unique(labels)])
''',
        "fit_on_labelled": '''
def fit_on_labelled(features, labels, labelled):
    """Fit a classifier on features[labelled] and labels[labelled] only; return it (it has .predict)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=300)).fit(features[labelled], labels[labelled])
''',
        "encode": '''
def encode(encoder, images):
    """The encoder's codes of images as a NumPy array, one flat row per image: (N, number of code values)."""
    return keras.ops.convert_to_numpy(encoder(images, training=False)).reshape(images.shape[0], -1)
''',
    },
    # scikit-learn's nearest centroid.
    "centroid_08": {
        "fit_on_labelled": '''
def fit_on_labelled(features, labels, labelled):
    """Fit a classifier on features[labelled] and labels[labelled] only; return it (it has .predict)."""
    from sklearn.neighbors import NearestCentroid

    return NearestCentroid().fit(features[labelled], labels[labelled])
''',
    },
    # One nearest neighbour written in NumPy, as a small class with predict.
    "numpy_1nn_08": {
        "fit_on_labelled": '''
class OneNearestNeighbour:
    def __init__(self, features, labels):
        self.features, self.labels = np.asarray(features, np.float64), np.asarray(labels)

    def predict(self, features):
        features = np.asarray(features, np.float64)
        distances = (features**2).sum(1)[:, None] - 2 * features @ self.features.T + (self.features**2).sum(1)[None]
        return self.labels[np.argmin(distances, axis=1)]


def fit_on_labelled(features, labels, labelled):
    """Fit a classifier on features[labelled] and labels[labelled] only; return it (it has .predict)."""
    return OneNearestNeighbour(features[labelled], labels[labelled])
''',
    },
    # A small Keras dense classifier, wrapped so that predict returns class labels.
    "keras_dense_08": {
        "fit_on_labelled": '''
class KerasClassifier:
    def __init__(self, model, mean, scale):
        self.model, self.mean, self.scale = model, mean, scale

    def predict(self, features):
        scores = self.model.predict((features - self.mean) / self.scale, verbose=0)
        return np.argmax(scores, axis=1)


def fit_on_labelled(features, labels, labelled):
    """Fit a classifier on features[labelled] and labels[labelled] only; return it (it has .predict)."""
    x, y = features[labelled], labels[labelled]
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-6
    keras.utils.set_random_seed(0)
    model = keras.Sequential([
        keras.Input(shape=(x.shape[1],)),
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy")
    model.fit((x - mean) / scale, y, epochs=30, batch_size=32, verbose=0)
    return KerasClassifier(model, mean, scale)
''',
    },
}


def given_encoder(seed: int, data: dict[str, np.ndarray]) -> Any:
    """The notebook's cell ``given_encoder``: the small autoencoder trained on the pool images with ``seed``."""
    notebook = notebook_cells()
    namespace = run_cells({"given": notebook["given_encoder"].split("\n\ncae_ref.set_global_seed")[0]})
    budget = checks.FEW_LABEL_BUDGET
    import keras

    with checks.quiet():
        cae_ref.set_global_seed(seed)
        encoder, autoencoder = namespace["build_small_autoencoder"]()
        autoencoder.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3), loss="binary_crossentropy")
        autoencoder.fit(data["x_train"], data["x_train"], epochs=budget.epochs, batch_size=budget.batch_size, verbose=0)
    return encoder


def notebook_cells() -> dict[str, str]:
    """Every code cell of the source notebook by grade_id (the given encoder's cell among them)."""
    from grading.submissions import notebook_path, read_notebook

    nb = read_notebook(notebook_path(REPO / "solutions", ASSIGNMENT))
    return {c.metadata["nbgrader"]["grade_id"]: c.source for c in nb.cells if c.metadata.get("nbgrader")}


def agreement(cells: dict[str, Any], encoder: Any, data: dict[str, np.ndarray], seed: int) -> dict[str, float]:
    """The test ``test_fit_on_labelled_agreement`` on rows drawn with ``seed``: |yours - kNN| and the accuracies."""
    y_pool, y_test = data["y_train"], data["y_test"]
    with checks.quiet():
        features = {
            "codes": tuple(
                encoder.predict(data[key], verbose=0).reshape(len(data[key]), -1) for key in ("x_train", "x_test")
            ),
            "pixels": tuple(data[key].reshape(len(data[key]), -1) for key in ("x_train", "x_test")),
        }
        found: dict[str, float] = {}
        for count in checks.FEW_LABEL_COUNTS:
            labelled = subset_per_class(y_pool, count, seed=seed)
            for name, (pool, test) in features.items():
                classifier = cells["fit_on_labelled"](pool, y_pool, labelled)
                yours = float(np.mean(np.asarray(classifier.predict(test)) == y_test))
                course = knn_accuracy(pool[labelled], y_pool[labelled], test, y_test, k=5)
                found[f"{name}_{count}"], found[f"knn_{name}_{count}"] = yours, course
    found["gap"] = max(
        abs(found[f"{n}_{c}"] - found[f"knn_{n}_{c}"]) for n in features for c in checks.FEW_LABEL_COUNTS
    )
    return found


def calibrate_few_labels(seeds: list[int], mistake_seeds: list[int], log: Callable[[str], None] = print) -> list[dict]:
    """Rows {threshold, design, variant, kind, seed, value, accuracies} of ``few_label_agreement``."""
    data = checks.grading_data(checks.FEW_LABEL_BUDGET)
    encoders = {seed: given_encoder(seed, data) for seed in sorted(set(seeds) | set(mistake_seeds))}
    rows = []
    for design, variant, kind, sources in calibration_runs(ASSIGNMENT, DESIGNS):
        cells = run_cells(sources)
        for seed in seeds if kind == "valid" else mistake_seeds:
            found = agreement(cells, encoders[seed], data, seed)
            rows.append(
                {"threshold": THRESHOLD, "design": design, "variant": variant, "kind": kind, "seed": seed,
                 "value": found["gap"], "accuracies": {k: v for k, v in found.items() if k != "gap"}}
            )  # fmt: skip
            accuracies = " ".join(f"{k} {v:.3f}" for k, v in found.items() if k != "gap")
            log(f"few_labels {design:<15} {variant:<32} seed {seed}: gap {found['gap']:.3f} ({accuracies})")
    return rows


def section(rows: list[dict]) -> str:
    """The Markdown section of ``grading/calibration.md`` for exercise 08, from the calibration rows."""
    threshold = checks.THRESHOLDS[THRESHOLD]
    valid = [r["value"] for r in rows if r["kind"] == "valid"]
    mistakes = [r["value"] for r in rows if r["kind"] == "mistake" and r["variant"] not in CAUGHT_ELSEWHERE]
    lines = [
        f"## `{THRESHOLD}` (exercise 08, few labels)",
        "",
        f"The test `test_fit_on_labelled_agreement` fits the student's classifier on the grader's rows (10 and 100 "
        f"per class of the {checks.FEW_LABEL_BUDGET.train_images:,} pool images, drawn with the seed) of the given "
        "encoder's codes and of the pixels, and passes when every held-out accuracy lies within the margin of the "
        "course's kNN (k = 5) on the same rows. Value: the largest |yours - course's| of the four. Passes when "
        f"value <= {threshold}: worst valid run {max(valid):.3f} (margin {threshold - max(valid):.3f}), best mistake "
        f"not caught elsewhere {min(mistakes):.3f} (margin {min(mistakes) - threshold:.3f}). Rows: "
        "`grading/assignments/a08_few_labels/calibration.json`.",
        "",
        "| design | variant | kind | runs | min | median | max | pass | if not failed here, caught by |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    groups: dict[tuple[str, str, str], list[float]] = {}
    for row in rows:
        groups.setdefault((row["design"], row["variant"], row["kind"]), []).append(row["value"])
    for (design, variant, kind), values in groups.items():
        passes = sum(v <= threshold for v in values)
        lines.append(
            f"| {design} | {variant} | {kind} | {len(values)} | {min(values):.3f} | {float(np.median(values)):.3f} "
            f"| {max(values):.3f} | {passes}/{len(values)} | {CAUGHT_ELSEWHERE.get(variant, '')} |"
        )
    lines += [
        "",
        "**Do the codes beat the pixels?** Not a graded threshold. Held-out accuracy on codes minus pixels, "
        "per valid design, min to max over the seeds:",
        "",
        "| design | codes - pixels, 10 per class | codes - pixels, 100 per class |",
        "|---|---|---|",
    ]
    for design in dict.fromkeys(r["design"] for r in rows if r["kind"] == "valid"):
        mine = [r["accuracies"] for r in rows if r["kind"] == "valid" and r["design"] == design]
        cells = []
        for count in checks.FEW_LABEL_COUNTS:
            gaps = [a[f"codes_{count}"] - a[f"pixels_{count}"] for a in mine]
            cells.append(f"{min(gaps):+.3f} to {max(gaps):+.3f}")
        lines.append(f"| {design} | {' | '.join(cells)} |")
    lines += [
        "",
        "At this budget (a small autoencoder, 2 epochs on 2,000 images, 32-number codes) the codes lose to the "
        "pixels for every valid design and seed, so 'codes beat pixels' cannot be graded: the reference itself "
        "would fail it. The notebook prints the verdict and the written questions ask the student to explain it "
        "against the book's full-budget result (codes 0.726 against pixels 0.679 at 10 labels per class).",
    ]
    return "\n".join(lines)


def record(seeds: list[int], mistake_seeds: list[int]) -> dict:
    """08's calibration record (``python -m grading calibrate 08_few_labels``): every run with its accuracies."""
    return {"runs": calibrate_few_labels(seeds, mistake_seeds)}


def sections(record: dict) -> list[str]:
    """08's section of ``grading/calibration.md``."""
    return [section(record["runs"])]
