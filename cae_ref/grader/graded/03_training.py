"""Checks of exercise 03 (compile and train), run by ``cae_ref.grader.grade``.

The training is read from the grader's record (``checks.last_training``): the model ``fit``
trained, copies of the rows it fitted on and the logs of every epoch, copied by the grader's own
callback as the epoch ended; never from the notebook's variables.
"""

from __future__ import annotations

from typing import Any

import numpy as np

import cae_ref
from cae_ref.grader import checks

LABEL = "train_autoencoder"


def test_compile_autoencoder(compile_autoencoder: Any) -> None:
    cae_ref.set_global_seed(0)
    model = checks.graded_call(
        compile_autoencoder, cae_ref.build_autoencoder()
    )
    assert model is not None, checks.message("t_compiled_none")
    assert getattr(model, "optimizer", None) is not None, checks.message(
        "t_not_compiled"
    )
    print(checks.message("t_compiled_ok"))
    print(checks.message("hidden"))


def history_problem(
    fits: list[dict[str, Any]], returned: Any, epochs: int, validation: str
) -> str:
    """Why the recorded training does not show a complete History; "" when it does."""
    if not fits or returned is not fits[-1]["history"]:
        return checks.message("t_fit_return", function="train_autoencoder")
    seen = fits[-1][
        "epochs"
    ]  # copied by the grader's callback as each epoch ended
    if len(seen) != epochs:
        return checks.expected_got(
            checks.message("t_epochs"),
            epochs,
            len(seen),
            checks.message("t_hint_epochs"),
        )
    if not all("val_loss" in logs for logs in seen):
        return checks.message("t_no_val_loss", validation=validation)
    if not np.isfinite([logs.get("loss", np.nan) for logs in seen]).all():
        return checks.message("t_loss_not_finite")
    return ""


def test_train_history() -> None:
    _, fits, returned = checks.last_training(LABEL)
    problem = history_problem(
        fits,
        returned,
        checks.TRAINING_BUDGET.epochs,
        "validation_data=(x_val, x_val)",
    )
    assert not problem, problem
    print(checks.message("t_history_ok"))


def test_heldout_mse() -> None:
    limit = checks.THRESHOLDS["training_mse"]
    data = checks.grading_data(checks.TRAINING_BUDGET)
    x_train, x_test = data["x_train"], data["x_test"]
    model, fits, _ = checks.last_training(LABEL)
    problem = checks.fitted_on(fits, x_train, x_train)
    assert not problem, checks.expected_got(
        checks.message("training_pairs"), "(x_train, x_train)", problem
    )
    # settled_predict: batch-norm statistics re-estimated on the handed-over
    # training images first (grading/calibration.md, "Batch normalisation")
    restored = checks.settled_predict(model, x_test, x_train)
    mse = float(np.mean((restored - x_test) ** 2))
    print(checks.message("t_mse_print", mse=f"{mse:.4f}", limit=limit))
    assert mse <= limit, checks.expected_got(
        checks.message("t_mse"),
        checks.message("at_most", limit=limit),
        f"{mse:.4f}",
        checks.message("t_hint_mse"),
    )


def test_validation_loss() -> None:
    print(checks.message("hidden"))
