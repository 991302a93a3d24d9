"""Hidden checks of exercise 03: run at grading only, never installed or returned to students."""

from __future__ import annotations

from typing import Any

import numpy as np

import cae_ref
from cae_ref import checks


def hidden_compile_autoencoder(compile_autoencoder: Any) -> None:
    cae_ref.set_global_seed(0)
    model = checks.graded_call(compile_autoencoder, cae_ref.build_autoencoder())
    batch = cae_ref.preprocess_images(cae_ref.load_fashion_mnist()[1][0][:64])
    losses = [float(np.asarray(checks.quiet_call(model.train_on_batch, batch, batch)).ravel()[0]) for _ in range(15)]
    assert np.isfinite(losses).all(), "the loss is not finite on one batch: check the loss function"
    assert losses[-1] < 0.9 * losses[0], (
        "the loss does not go down when the compiled model trains on one batch: "
        "check the optimiser, its learning rate and the loss"
    )


def hidden_validation_loss() -> None:
    data = checks.grading_data(checks.TRAINING_BUDGET)
    _, fits, returned = checks.last_training("train_autoencoder")
    problem = checks.fitted_on(fits, data["x_val"], data["x_val"], validation=True)
    assert not problem, f"the validation pairs are not (x_val, x_val): {problem}"
    assert fits and returned is fits[-1]["history"] and all("val_loss" in e for e in fits[-1]["epochs"]), (
        "return the History that fit returns, with its validation loss"
    )
