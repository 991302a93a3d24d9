"""Hidden checks of exercise 04: run at grading only, never installed or returned to students."""

from __future__ import annotations

from typing import Any

import numpy as np

import cae_ref
from cae_ref.grader import checks


def _trained() -> tuple[Any, dict[str, np.ndarray]]:
    return checks.last_training("latent_training")[2], checks.grading_data(checks.LATENT_BUDGET)


def hidden_encode(encode: Any) -> None:
    images = _trained()[1]["x_test"][:3]
    small = np.asarray(checks.graded_call(encode, cae_ref.build_encoder(latent_dim=16), images))
    assert small.shape == (3, 16), checks.message("l_h_encode_small")


def hidden_project_2d_other(project_2d: Any) -> None:
    pixels = cae_ref.flatten_pixels(_trained()[1]["x_test"][:60])
    out = np.asarray(checks.graded_call(project_2d, pixels))
    assert out.shape == (60, 2) and np.isfinite(out).all(), checks.message("l_h_project_pixels")


def hidden_separation_honest(separation_score: Any) -> None:
    limit = checks.THRESHOLDS["latent_shuffled_accuracy"]
    encoder, data = _trained()
    shuffled = np.random.default_rng(0).permutation(data["y_train"])
    train = checks.flat_codes(encoder, data["x_train"])
    test = checks.flat_codes(encoder, data["x_test"])
    with checks.quiet():
        cae_ref.knn_accuracy(train[:20], data["y_train"][:20], test[:5], data["y_test"][:5])
    value = float(checks.graded_call(separation_score, train, shuffled, test, data["y_test"]))
    assert value <= limit, checks.message("l_h_shuffled")
