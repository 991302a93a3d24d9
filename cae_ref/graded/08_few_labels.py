"""Checks of exercise 08 (few labels), run by ``cae_ref.grader.grade``.

The encoder, the calls of ``fit`` and the accuracies are read from the grader's record
(``checks.course_training`` and ``checks.graded_few_labels`` in the run cells); every array a
student's function returns is converted with the grader's ``np.asarray`` before it is compared.
Past 200 lines because every check of the assignment, one per test cell, sits in this one file.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cae_ref import checks
from cae_ref._tf import keras
from cae_ref.latent import knn_accuracy
from cae_ref.subsets import subset_per_class

HIDDEN = "graded after submission; the visible checks above do not cover this"
COUNTS = checks.FEW_LABEL_COUNTS


def pool() -> dict[str, np.ndarray]:
    """x_pool, y_pool, x_test and y_test: the grading data of this notebook."""
    data = checks.grading_data(checks.FEW_LABEL_BUDGET)
    flat = data["x_train"][:20].reshape(20, -1)
    # scikit-learn loads its native libraries on first use: here, not in a graded call (the
    # notebook's preview cell does it first, unless an earlier function of the student raised)
    with checks.quiet():
        knn_accuracy(flat, data["y_train"][:20], flat[:5], data["y_train"][:5])
    return {
        "x_pool": data["x_train"],
        "y_pool": data["y_train"],
        "x_test": data["x_test"],
        "y_test": data["y_test"],
    }


def encoder() -> Any:
    """The encoder the notebook's run cell trained, from the grader's record."""
    return checks.last_training("few_label_encoder")[2]


def features(
    data: dict[str, np.ndarray],
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """The grader's own features (pool, test), one flat row per image: the encoder's codes and the pixels."""
    model = encoder()
    pairs = {
        "codes": (
            checks.run_model(model, data["x_pool"]),
            checks.run_model(model, data["x_test"]),
        ),
        "pixels": (data["x_pool"], data["x_test"]),
    }
    return {
        name: tuple(images.reshape(len(images), -1) for images in pair)
        for name, pair in pairs.items()
    }


def test_pick_labelled(pick_labelled: Any) -> None:
    y_pool = pool()["y_pool"]
    classes = np.unique(y_pool)
    for per_class in (1, 10, 100):
        chosen = np.asarray(
            checks.graded_call(pick_labelled, y_pool, per_class, 0)
        )
        assert chosen.ndim == 1 and np.issubdtype(chosen.dtype, np.integer), (
            checks.expected_got(
                "indices",
                "a 1-D array of integers",
                f"shape {chosen.shape}, dtype {chosen.dtype}",
                "return row indices",
            )
        )
        assert len(chosen) == per_class * len(classes), checks.expected_got(
            f"number of rows for per_class={per_class}",
            per_class * len(classes),
            len(chosen),
            "draw per_class rows of each class, not per_class rows in all",
        )
        assert chosen.min() >= 0 and chosen.max() < len(y_pool), (
            checks.expected_got(
                "indices",
                f"between 0 and {len(y_pool) - 1}",
                f"{chosen.min()} to {chosen.max()}",
            )
        )
        assert len(np.unique(chosen)) == len(chosen), checks.expected_got(
            "distinct rows",
            len(chosen),
            len(np.unique(chosen)),
            "draw without repeats: replace=False",
        )
        counts = np.bincount(y_pool[chosen], minlength=len(classes))
        assert np.all(counts == per_class), checks.expected_got(
            f"rows per class for per_class={per_class}",
            [per_class] * len(classes),
            counts.tolist(),
            "draw from each class separately (np.flatnonzero(labels == label)): "
            "a random draw from all rows is unbalanced",
        )
    print("balanced: per_class distinct rows of every class")


def test_pick_labelled_seeded(pick_labelled: Any) -> None:
    y_pool = pool()["y_pool"]
    first = np.sort(
        np.concatenate(
            [
                np.flatnonzero(y_pool == label)[:10]
                for label in np.unique(y_pool)
            ]
        )
    )
    runs = {
        seed: np.sort(
            np.asarray(checks.graded_call(pick_labelled, y_pool, 10, seed))
        )
        for seed in (0, 1)
    }
    again = np.sort(
        np.asarray(checks.graded_call(pick_labelled, y_pool, 10, 0))
    )
    assert np.array_equal(runs[0], again), (
        "the same seed gave other rows: draw with np.random.default_rng(seed), not np.random without a seed"
    )
    assert not np.array_equal(runs[0], runs[1]), (
        "seeds 0 and 1 gave the same rows: use the seed argument"
    )
    assert not np.array_equal(runs[0], first), (
        "you took the first 10 rows of each class: draw them at random (rng.choice or rng.permutation)"
    )
    print("seeded and random")
    print(HIDDEN)


def test_fit_on_labelled(fit_on_labelled: Any) -> None:
    data = pool()
    labelled = subset_per_class(
        data["y_pool"], 10, seed=7
    )  # the grader's rows
    flat_pool = data["x_pool"].reshape(len(data["x_pool"]), -1)
    flat_test = data["x_test"].reshape(len(data["x_test"]), -1)
    classifier = checks.graded_call(
        fit_on_labelled, flat_pool, data["y_pool"], labelled
    )
    assert hasattr(classifier, "predict"), checks.expected_got(
        "return value",
        "a fitted classifier with .predict",
        type(classifier).__name__,
        "return the fitted classifier",
    )
    predicted = np.asarray(checks.graded_call(classifier.predict, flat_test))
    assert predicted.shape == (len(flat_test),), checks.expected_got(
        "predict's output",
        (len(flat_test),),
        predicted.shape,
        "predict one class label per row (not scores per class)",
    )
    accuracy = float(np.mean(predicted == data["y_test"]))
    print(f"accuracy on held-out pixels, 10 labels per class: {accuracy:.3f}")


def scrambled_labels(y_pool: np.ndarray, labelled: np.ndarray) -> np.ndarray:
    """y_pool with every row outside ``labelled`` given a wrong label."""
    hidden = np.ones(len(y_pool), bool)
    hidden[labelled] = False
    scrambled = y_pool.copy()
    shift = 1 + np.random.default_rng(9).integers(0, 9, hidden.sum())
    scrambled[hidden] = (y_pool[hidden] + shift) % 10
    return scrambled


def predictions(classifier: Any, test: Any) -> np.ndarray:
    """The classifier's predictions for ``test``, through the guarded call."""
    return np.asarray(checks.graded_call(classifier.predict, test))


def test_fit_on_labelled_honest(fit_on_labelled: Any) -> None:
    data = pool()
    y_pool = data["y_pool"]
    labelled = subset_per_class(y_pool, 10, seed=8)
    flat_pool = data["x_pool"].reshape(len(data["x_pool"]), -1)
    flat_test = data["x_test"].reshape(len(data["x_test"]), -1)
    scrambled = scrambled_labels(y_pool, labelled)
    honest = predictions(
        checks.graded_call(fit_on_labelled, flat_pool, y_pool, labelled),
        flat_test,
    )
    other = predictions(
        checks.graded_call(fit_on_labelled, flat_pool, scrambled, labelled),
        flat_test,
    )
    changed = int(np.sum(honest != other))
    assert changed == 0, checks.expected_got(
        "predictions that change when the labels of the unlabelled rows change",
        0,
        f"{changed} of {len(honest)}",
        "fit on features[labelled] and labels[labelled] only: the other labels are not yours to use",
    )
    print("only the labelled rows' labels were used")
    print(HIDDEN)


def test_fit_on_labelled_agreement(fit_on_labelled: Any) -> None:
    margin = checks.THRESHOLDS[
        "few_label_agreement"
    ]  # calibrated: grading/calibration.md
    data = pool()
    y_pool, y_test = data["y_pool"], data["y_test"]
    for count in COUNTS:
        labelled = subset_per_class(
            y_pool, count, seed=checks.FEW_LABEL_BUDGET.seed
        )  # the grader's rows
        for name, (pool_rows, test) in features(data).items():
            classifier = checks.graded_call(
                fit_on_labelled, pool_rows, y_pool, labelled
            )
            yours = float(
                np.mean(
                    np.asarray(checks.graded_call(classifier.predict, test))
                    == y_test
                )
            )
            with checks.quiet():
                course = knn_accuracy(
                    pool_rows[labelled], y_pool[labelled], test, y_test, k=5
                )
            print(
                f"{name:<7}{count:>4} labels per class: yours {yours:.3f}, the course's kNN {course:.3f}"
            )
            assert abs(yours - course) <= margin, checks.expected_got(
                f"held-out accuracy of your classifier on the {name}, {count} labels per class",
                f"{course:.3f} +- {margin} (the course's kNN on the same rows)",
                f"{yours:.3f}",
                "far lower: are the features and labels of the same rows paired, and is the classifier "
                "fitted? Far higher: does the classifier see more labels than the labelled rows?",
            )


def test_encode(encode: Any) -> None:
    images = pool()["x_test"][:20]
    model = encoder()
    returned = checks.graded_call(encode, model, images)
    assert isinstance(returned, np.ndarray), checks.expected_got(
        "type", "numpy.ndarray", type(returned).__name__, "use np.asarray"
    )
    got = np.asarray(
        returned
    )  # the grader's conversion: a subclass's own comparisons are not used
    expected = checks.run_model(model, images).reshape(20, -1)
    assert got.shape == expected.shape, checks.expected_got(
        "codes' shape", expected.shape, got.shape
    )
    assert np.allclose(got, expected, atol=1e-4), checks.expected_got(
        "codes",
        np.round(expected[0, :3], 4),
        np.round(got[0, :3], 4),
        "return the encoder's output for these images",
    )
    images_in = keras.Input(shape=(28, 28, 1))
    feature_map = keras.Model(
        images_in,
        keras.layers.Conv2D(2, 3, strides=4, padding="same")(images_in),
    )
    flat = np.asarray(checks.graded_call(encode, feature_map, images[:3]))
    assert flat.shape == (3, 98), checks.expected_got(
        "codes of a feature-map encoder",
        (3, 98),
        flat.shape,
        "reshape to (len(images), -1)",
    )
    print("codes", got.shape, "and a feature map flattened to", flat.shape)


def recorded() -> tuple[Any, list[tuple[np.ndarray, np.ndarray, Any]]]:
    """What few_label_accuracies returned and every call of fit it made, from the grader's record."""
    found = checks.trainings("few_label_accuracies")
    if not found:
        raise AssertionError(
            "the grader recorded no run of few_label_accuracies: run the notebook's cells in order"
        )
    if not found[-1]["finished"]:
        raise AssertionError(
            checks.not_finished(
                "the comparison above (your few_label_accuracies)", found[-1]
            )
        )
    result, fitted = found[-1]["result"]
    return result, list(fitted)


def test_few_label_accuracies() -> None:
    accuracies, fitted = recorded()
    wanted = sorted(
        (name, count) for name in ("codes", "pixels") for count in COUNTS
    )
    assert type(accuracies) is dict and sorted(accuracies, key=repr) == sorted(
        wanted, key=repr
    ), checks.expected_got(
        "keys",
        wanted,
        sorted(accuracies, key=repr)
        if type(accuracies) is dict
        else type(accuracies).__name__,
        "key each accuracy by (features, count), e.g. ('codes', 10)",
    )
    for key, value in accuracies.items():
        ok = (
            type(value) in (float, np.float32, np.float64)
            and 0.0 <= float(value) <= 1.0
        )
        assert ok, checks.expected_got(
            f"accuracy {key}",
            "a float between 0 and 1",
            value,
            "the share of test rows predicted right, not a percentage",
        )
    assert len(fitted) == len(wanted), checks.expected_got(
        "calls of fit",
        len(wanted),
        len(fitted),
        "fit one classifier per (features, count) with the fit you are given",
    )
    print("one accuracy per features and count")


def test_few_label_accuracies_honest(pick_labelled: Any) -> None:
    accuracies, fitted = recorded()
    data = pool()
    y_pool, y_test = data["y_pool"], data["y_test"]
    grader_features = features(data)
    picked: dict[int, np.ndarray] = {}
    seen = set()
    for pool_features, labelled, classifier in fitted:
        same = [
            n
            for n, (rows, _) in grader_features.items()
            if pool_features.shape == rows.shape
        ]
        name = next(
            (
                n
                for n in same
                if np.allclose(pool_features, grader_features[n][0], atol=1e-4)
            ),
            None,
        )
        assert name is not None, checks.expected_got(
            "features given to fit",
            "the encoder's codes or the pixels of the pool images, one row per pool image",
            f"an array of shape {pool_features.shape} that is neither",
            "pass fit encode(encoder, x_pool) or the pool's flattened pixels, in the pool's order",
        )
        count = len(labelled) // 10
        per_class = (
            np.bincount(y_pool[labelled], minlength=10).tolist()
            if len(labelled)
            else []
        )
        assert count in COUNTS and len(np.unique(labelled)) == len(labelled), (
            checks.expected_got(
                f"labelled rows given to fit for the {name}",
                f"count distinct pool rows per class, count in {COUNTS}",
                f"{len(labelled)} rows ({len(np.unique(labelled))} distinct), per class {per_class}",
                "pass fit the rows your pick_labelled(y_pool, count, seed) returns",
            )
        )
        if (
            count not in picked
        ):  # the rows your pick_labelled returns for this count
            picked[count] = np.asarray(
                checks.graded_call(
                    pick_labelled, y_pool, count, checks.FEW_LABEL_BUDGET.seed
                )
            )
        balanced = per_class == [count] * 10
        yours = np.array_equal(np.sort(labelled), np.sort(picked[count]))
        assert balanced or yours, checks.expected_got(
            f"labelled rows given to fit for the {name}",
            f"the rows of pick_labelled(y_pool, {count}, seed): {count} of every class",
            f"{len(labelled)} rows, per class {per_class}",
            "pick the rows with your pick_labelled(y_pool, count, seed), not the first rows of the pool",
        )
        predicted = np.asarray(
            checks.graded_call(classifier.predict, grader_features[name][1])
        )
        held_out = float(np.mean(predicted == y_test))
        got = float(accuracies.get((name, count), np.nan))
        assert abs(got - held_out) < 1e-6, checks.expected_got(
            f"accuracy ({name!r}, {count})",
            f"{held_out:.4f} (that classifier on the held-out test rows)",
            f"{got:.4f}",
            "score each classifier on its own features of x_test against y_test, not on the rows it was fitted on",
        )
        seen.add((name, count))
    assert seen == set(accuracies), checks.expected_got(
        "entries backed by a fitted classifier",
        sorted(accuracies, key=repr),
        sorted(seen),
        "one fit per (features, count)",
    )
    print(
        "every accuracy is a held-out accuracy of a classifier fitted on the labelled pool rows"
    )
