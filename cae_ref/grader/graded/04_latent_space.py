"""Checks of exercise 04 (codes, 2-D view, separation), run by ``cae_ref.grader.grade``.

The encoder is the one the notebook's run cell trained, read from the grader's record
(``checks.last_training("latent_training")``); the data are the grader's own.
"""

from __future__ import annotations

from typing import Any

import numpy as np

import cae_ref
from cae_ref.grader import checks


def trained() -> tuple[Any, dict[str, np.ndarray]]:
    """The trained encoder and the grading data."""
    encoder = checks.last_training("latent_training")[2]
    return encoder, checks.grading_data(checks.LATENT_BUDGET)


def test_encode(encode: Any) -> None:
    encoder, data = trained()
    images = data["x_test"][:100]
    codes_out = np.asarray(checks.graded_call(encode, encoder, images))
    assert codes_out.shape == (100, 7 * 7 * 128), checks.expected_got(
        checks.message("l_encode_shape"),
        (100, 6272),
        codes_out.shape,
        checks.message("l_hint_flatten"),
    )
    expected = checks.flat_codes(encoder, images)
    assert np.allclose(codes_out, expected, atol=1e-4), checks.message(
        "l_not_codes"
    )
    print(checks.message("l_codes_ok"))
    print(checks.message("hidden"))


def test_project_2d(project_2d: Any) -> None:
    encoder, data = trained()
    test_features = checks.flat_codes(encoder, data["x_test"][:200])
    out = np.asarray(checks.graded_call(project_2d, test_features))
    assert out.shape == (200, 2), checks.expected_got(
        checks.message("l_project_shape"), (200, 2), out.shape
    )
    assert np.isfinite(out).all(), checks.message("l_project_nan")
    assert (out.std(axis=0) > 0).all(), checks.message("l_project_constant")
    print(checks.message("l_project_ok"))


def test_project_2d_other(project_2d: Any) -> None:
    print(checks.message("hidden"))


def reference_codes(
    encoder: Any, data: dict[str, np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    """The grader's codes of the training and test rows; scikit-learn's native libraries loaded quietly."""
    train, test = (
        checks.flat_codes(encoder, data["x_train"]),
        checks.flat_codes(encoder, data["x_test"]),
    )
    with checks.quiet():  # scikit-learn loads its native libraries on first use: here, not in the graded call
        cae_ref.knn_accuracy(
            train[:20], data["y_train"][:20], test[:5], data["y_test"][:5]
        )
    return train, test


def test_separation_score(separation_score: Any) -> None:
    limit = checks.THRESHOLDS["latent_accuracy"]
    encoder, data = trained()
    reference_train, reference_test = reference_codes(encoder, data)
    value = float(
        checks.graded_call(
            separation_score,
            reference_train,
            data["y_train"],
            reference_test,
            data["y_test"],
        )
    )
    print(checks.message("l_score_print", value=f"{value:.3f}", limit=limit))
    assert 0.0 <= value <= 1.0, checks.expected_got(
        checks.message("l_score"), checks.message("l_accuracy"), value
    )
    assert value >= limit, checks.expected_got(
        checks.message("l_separation"),
        checks.message("at_least", limit=limit),
        f"{value:.3f}",
        checks.message("l_hint_accuracy"),
    )


def test_separation_honest(separation_score: Any) -> None:
    print(checks.message("hidden"))
