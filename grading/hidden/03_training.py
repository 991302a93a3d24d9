"""Hidden checks of exercise 03: run at grading only, never installed or returned to students."""

from __future__ import annotations

from typing import Any

import numpy as np

import cae_ref
from cae_ref.grader import checks


def hidden_compile_autoencoder(compile_autoencoder: Any) -> None:
    cae_ref.set_global_seed(0)
    model = checks.graded_call(compile_autoencoder, cae_ref.build_autoencoder())
    batch = cae_ref.preprocess_images(cae_ref.load_fashion_mnist()[1][0][:64])
    losses = [float(np.asarray(checks.quiet_call(model.train_on_batch, batch, batch)).ravel()[0]) for _ in range(15)]
    assert np.isfinite(losses).all(), checks.message("t_h_loss_not_finite")
    assert losses[-1] < 0.9 * losses[0], checks.message("t_h_loss_flat")


def hidden_validation_loss() -> None:
    data = checks.grading_data(checks.TRAINING_BUDGET)
    _, fits, returned = checks.last_training("train_autoencoder")
    problem = checks.fitted_on(fits, data["x_val"], data["x_val"], validation=True)
    assert not problem, checks.message("t_h_val_pairs", pairs="(x_val, x_val)", problem=problem)
    assert fits and returned is fits[-1]["history"] and all("val_loss" in e for e in fits[-1]["epochs"]), (
        checks.message("t_h_history_val")
    )
