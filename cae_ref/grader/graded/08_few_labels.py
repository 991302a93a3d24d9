"""Checks of exercise 08 (few labels), run by ``cae_ref.grader.grade``.

The encoder, the calls of ``fit`` and the accuracies are read from the grader's record
(``checks.course_training`` and ``checks.graded_few_labels`` in the run cells); every array a
student's function returns is converted with the grader's ``np.asarray`` before it is compared.
Past 200 lines because every check of the assignment, one per test cell, sits in this one file.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cae_ref._tf import keras
from cae_ref.grader import checks
from cae_ref.latent import knn_accuracy
from cae_ref.subsets import subset_per_class

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
                checks.message("f_indices"),
                checks.message("f_1d"),
                checks.message(
                    "f_shape_dtype", shape=chosen.shape, dtype=chosen.dtype
                ),
                checks.message("f_hint_indices"),
            )
        )
        assert len(chosen) == per_class * len(classes), checks.expected_got(
            checks.message("f_rows_for", per_class=per_class),
            per_class * len(classes),
            len(chosen),
            checks.message("f_hint_per_class"),
        )
        assert chosen.min() >= 0 and chosen.max() < len(y_pool), (
            checks.expected_got(
                checks.message("f_indices"),
                checks.message("f_between", last=len(y_pool) - 1),
                checks.message(
                    "f_low_high", low=chosen.min(), high=chosen.max()
                ),
            )
        )
        assert len(np.unique(chosen)) == len(chosen), checks.expected_got(
            checks.message("f_distinct"),
            len(chosen),
            len(np.unique(chosen)),
            checks.message("f_hint_replace"),
        )
        counts = np.bincount(y_pool[chosen], minlength=len(classes))
        assert np.all(counts == per_class), checks.expected_got(
            checks.message("f_rows_per_class", per_class=per_class),
            [per_class] * len(classes),
            counts.tolist(),
            checks.message("f_hint_separately"),
        )
    print(checks.message("f_balanced_ok"))


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
    assert np.array_equal(runs[0], again), checks.message("f_same_seed")
    assert not np.array_equal(runs[0], runs[1]), checks.message("f_other_seed")
    assert not np.array_equal(runs[0], first), checks.message("f_first_rows")
    print(checks.message("f_seeded_ok"))
    print(checks.message("hidden"))


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
        checks.message("f_return_value"),
        checks.message("f_fitted"),
        type(classifier).__name__,
        checks.message("f_hint_fitted"),
    )
    predicted = np.asarray(checks.graded_call(classifier.predict, flat_test))
    assert predicted.shape == (len(flat_test),), checks.expected_got(
        checks.message("f_predict_output"),
        (len(flat_test),),
        predicted.shape,
        checks.message("f_hint_labels"),
    )
    accuracy = float(np.mean(predicted == data["y_test"]))
    print(checks.message("f_accuracy_print", accuracy=f"{accuracy:.3f}"))


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
        checks.message("f_changed"),
        0,
        checks.message("f_of", changed=changed, total=len(honest)),
        checks.message("f_hint_labelled"),
    )
    print(checks.message("f_honest_ok"))
    print(checks.message("hidden"))


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
                checks.message(
                    "f_agreement_print",
                    name=f"{name:<7}",
                    count=f"{count:>4}",
                    yours=f"{yours:.3f}",
                    course=f"{course:.3f}",
                )
            )
            assert abs(yours - course) <= margin, checks.expected_got(
                checks.message("f_heldout_of_yours", name=name, count=count),
                checks.message(
                    "f_course_knn", course=f"{course:.3f}", margin=margin
                ),
                f"{yours:.3f}",
                checks.message("f_hint_agreement"),
            )


def test_encode(encode: Any) -> None:
    images = pool()["x_test"][:20]
    model = encoder()
    returned = checks.graded_call(encode, model, images)
    assert isinstance(returned, np.ndarray), checks.expected_got(
        checks.message("f_type"),
        "numpy.ndarray",
        type(returned).__name__,
        checks.message("f_hint_asarray"),
    )
    got = np.asarray(
        returned
    )  # the grader's conversion: a subclass's own comparisons are not used
    expected = checks.run_model(model, images).reshape(20, -1)
    assert got.shape == expected.shape, checks.expected_got(
        checks.message("f_codes_shape"), expected.shape, got.shape
    )
    assert np.allclose(got, expected, atol=1e-4), checks.expected_got(
        "codes",
        np.round(expected[0, :3], 4),
        np.round(got[0, :3], 4),
        checks.message("f_hint_encoder_output"),
    )
    images_in = keras.Input(shape=(28, 28, 1))
    feature_map = keras.Model(
        images_in,
        keras.layers.Conv2D(2, 3, strides=4, padding="same")(images_in),
    )
    flat = np.asarray(checks.graded_call(encode, feature_map, images[:3]))
    assert flat.shape == (3, 98), checks.expected_got(
        checks.message("f_feature_map"),
        (3, 98),
        flat.shape,
        checks.message("f_hint_reshape"),
    )
    print(checks.message("f_codes_print", shape=got.shape, flat=flat.shape))


def recorded() -> tuple[Any, list[tuple[np.ndarray, np.ndarray, Any]]]:
    """What few_label_accuracies returned and every call of fit it made, from the grader's record."""
    found = checks.trainings("few_label_accuracies")
    if not found:
        raise AssertionError(checks.message("f_no_run"))
    if not found[-1]["finished"]:
        raise AssertionError(
            checks.not_finished(checks.message("f_comparison"), found[-1])
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
        checks.message("b_keys"),
        wanted,
        sorted(accuracies, key=repr)
        if type(accuracies) is dict
        else type(accuracies).__name__,
        checks.message("f_hint_key"),
    )
    for key, value in accuracies.items():
        ok = (
            type(value) in (float, np.float32, np.float64)
            and 0.0 <= float(value) <= 1.0
        )
        assert ok, checks.expected_got(
            checks.message("f_accuracy_key", key=key),
            checks.message("f_float01"),
            value,
            checks.message("f_hint_share"),
        )
    assert len(fitted) == len(wanted), checks.expected_got(
        checks.message("f_calls"),
        len(wanted),
        len(fitted),
        checks.message("f_hint_one_fit"),
    )
    print(checks.message("f_accuracies_ok"))


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
            checks.message("f_features_given"),
            checks.message("f_features_expected"),
            checks.message("f_neither", shape=pool_features.shape),
            checks.message("f_hint_features"),
        )
        count = len(labelled) // 10
        per_class = (
            np.bincount(y_pool[labelled], minlength=10).tolist()
            if len(labelled)
            else []
        )
        assert count in COUNTS and len(np.unique(labelled)) == len(labelled), (
            checks.expected_got(
                checks.message("f_labelled_for", name=name),
                checks.message("f_count_distinct", counts=COUNTS),
                checks.message(
                    "f_rows_distinct",
                    rows=len(labelled),
                    distinct=len(np.unique(labelled)),
                    per_class=per_class,
                ),
                checks.message("f_hint_rows"),
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
            checks.message("f_labelled_for", name=name),
            checks.message("f_rows_of_pick", count=count),
            checks.message(
                "f_rows_per", rows=len(labelled), per_class=per_class
            ),
            checks.message("f_hint_pick"),
        )
        predicted = np.asarray(
            checks.graded_call(classifier.predict, grader_features[name][1])
        )
        held_out = float(np.mean(predicted == y_test))
        got = float(accuracies.get((name, count), np.nan))
        assert abs(got - held_out) < 1e-6, checks.expected_got(
            checks.message("f_accuracy_key", key=f"({name!r}, {count})"),
            checks.message("f_that_classifier", accuracy=f"{held_out:.4f}"),
            f"{got:.4f}",
            checks.message("f_hint_heldout"),
        )
        seen.add((name, count))
    assert seen == set(accuracies), checks.expected_got(
        checks.message("f_entries"),
        sorted(accuracies, key=repr),
        sorted(seen),
        checks.message("f_hint_per"),
    )
    print(checks.message("f_all_ok"))
