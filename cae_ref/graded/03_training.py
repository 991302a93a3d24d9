"""Checks of exercise 03 (compile and train), run by ``cae_ref.grader.grade``.

The training is read from the grader's record (``checks.last_training``): the model ``fit``
trained, copies of the rows it fitted on and the logs of every epoch, copied by the grader's own
callback as the epoch ended; never from the notebook's variables.
"""

from __future__ import annotations

from typing import Any

import numpy as np

import cae_ref
from cae_ref import checks

HIDDEN = "graded after submission; the visible checks above do not cover this"
LABEL = "train_autoencoder"


def test_compile_autoencoder(compile_autoencoder: Any) -> None:
    cae_ref.set_global_seed(0)
    model = checks.graded_call(
        compile_autoencoder, cae_ref.build_autoencoder()
    )
    assert model is not None, (
        "compile_autoencoder returned None: end with `return model`"
    )
    assert getattr(model, "optimizer", None) is not None, (
        "the model is not compiled: call model.compile(...)"
    )
    print("the model is compiled")
    print(HIDDEN)


def history_problem(
    fits: list[dict[str, Any]], returned: Any, epochs: int, validation: str
) -> str:
    """Why the recorded training does not show a complete History; "" when it does."""
    if not fits or returned is not fits[-1]["history"]:
        return (
            "train_autoencoder must call model.fit on the model it is given "
            "and return the History that fit returns"
        )
    seen = fits[-1][
        "epochs"
    ]  # copied by the grader's callback as each epoch ended
    if len(seen) != epochs:
        return checks.expected_got(
            "number of epochs fit ran",
            epochs,
            len(seen),
            "pass epochs=epochs to fit",
        )
    if not all("val_loss" in logs for logs in seen):
        return f"no validation loss in the epochs fit ran: pass {validation} to fit"
    if not np.isfinite([logs.get("loss", np.nan) for logs in seen]).all():
        return "the training loss is not finite: check the loss and the learning rate"
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
    print("history is complete")


def test_heldout_mse() -> None:
    limit = checks.THRESHOLDS["training_mse"]
    data = checks.grading_data(checks.TRAINING_BUDGET)
    x_train, x_test = data["x_train"], data["x_test"]
    model, fits, _ = checks.last_training(LABEL)
    problem = checks.fitted_on(fits, x_train, x_train)
    assert not problem, checks.expected_got(
        "training pairs", "(x_train, x_train)", problem
    )
    # settled_predict: batch-norm statistics re-estimated on the handed-over
    # training images first (grading/calibration.md, "Batch normalisation")
    restored = checks.settled_predict(model, x_test, x_train)
    mse = float(np.mean((restored - x_test) ** 2))
    print(f"held-out MSE {mse:.4f} (must be at most {limit})")
    assert mse <= limit, checks.expected_got(
        "held-out MSE",
        f"at most {limit}",
        f"{mse:.4f}",
        "does the loss go down? Check the optimiser and its learning rate, that the target is "
        "x_train itself, and that you train on x_train (not x_val) for all epochs",
    )


def test_validation_loss() -> None:
    print(HIDDEN)
