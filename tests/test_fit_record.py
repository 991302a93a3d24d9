"""The grader's record of training (issue 25): kept out of the notebook's reach, copied when fit ran.

``checks.graded_training`` keeps each training in ``cae_ref.grader.fit_record``'s audit-hook vault: the rows
fit saw and each epoch's logs, copied by the grader's own callback. A History changed after ``fit``
returned, or a subset of the pairs, is seen; code outside the grader cannot open or fill a record.
"""

from __future__ import annotations

import numpy as np
import pytest

import cae_ref
from cae_ref._tf import keras
from cae_ref.grader import checks, fit_record


@pytest.fixture(scope="module")
def images() -> np.ndarray:
    return cae_ref.preprocess_images(cae_ref.load_fashion_mnist()[1][0][:96])


def _model() -> keras.Model:
    cae_ref.set_global_seed(0)
    return cae_ref.compile_autoencoder(cae_ref.build_autoencoder())


def train_padded(model, x_train, x_val, epochs, batch_size):
    """One epoch on half the pairs, then a History padded to ``epochs`` decreasing epochs."""
    half = len(x_train) // 2
    history = model.fit(x_train[:half], x_train[:half], validation_data=(x_val, x_val), epochs=1, verbose=0)
    history.history = {key: [values[0] * 0.9**i for i in range(epochs)] for key, values in history.history.items()}
    return history


def test_the_grader_keeps_what_fit_saw(images):
    model = _model()
    returned, _ = checks.graded_training(train_padded, model, images[:64], images[64:], 3, 32)
    kept_model, calls, result = checks.last_training("train_padded")
    assert kept_model is model and result is returned
    assert len(returned.history["loss"]) == 3 and len(calls[-1]["epochs"]) == 1  # the grader's own callback
    assert calls[-1]["x"].shape == (32, 784)  # copies of the rows, taken when fit ran
    problem = checks.fitted_on(calls, images[:64], images[:64])
    assert "fit saw 32 of the 64 training pairs" in problem
    assert checks.fitted_on(calls, images[64:], images[64:], validation=True) == ""


def test_a_record_cannot_be_forged(images):
    """Opening a record outside the grader's guarded calls fails, so the checks never read a made-up one."""
    with (
        pytest.raises(AssertionError, match="only the grader records training"),
        fit_record.recording_fit([], "train_padded"),
    ):
        pass
    with pytest.raises(AssertionError, match="only the grader records training"):
        checks._graded(train_padded, (_model(), images[:64], images[64:], 1, 32), {}, [], "train_padded")


def test_no_record_is_a_clear_error():
    with pytest.raises(AssertionError, match="recorded no run of never_trained"):
        checks.last_training("never_trained")


def train_then_fail(model, x_train, x_val, epochs, batch_size):
    """Trains properly, then raises (as a call that reached the answer key does, at its end)."""
    model.fit(x_train, x_train, validation_data=(x_val, x_val), epochs=epochs, verbose=0)
    raise RuntimeError("late error")


def test_a_training_that_raised_is_not_graded(images):
    """Its fit calls are kept, but the checks refuse them: a refused or failing function earns nothing."""
    with pytest.raises(RuntimeError, match="late error"):
        checks.graded_training(train_then_fail, _model(), images[:64], images[64:], 1, 32)
    assert len(checks.trainings("train_then_fail")[-1]["calls"]) == 1
    with pytest.raises(AssertionError, match="train_then_fail did not finish"):
        checks.last_training("train_then_fail")


def test_a_training_that_raised_is_quoted(images):
    """Issue 26: the run cell's traceback says what failed, and the checks quote the error the grader recorded."""
    with pytest.raises(RuntimeError, match="late error") as raised:
        checks.graded_training(train_then_fail, _model(), images[:64], images[64:], 1, 32)
    assert "Your train_then_fail stopped with RuntimeError: late error" in " ".join(raised.value.__notes__)
    assert checks.trainings("train_then_fail")[-1]["error"] == "RuntimeError: late error"
    with pytest.raises(AssertionError, match="did not finish: it stopped with RuntimeError: late error"):
        checks.last_training("train_then_fail")


class LyingError(Exception):
    def __str__(self) -> str:
        raise SystemExit("a student's __str__ must not run in the grader")


def fail_with_lying_error(model, x_train, x_val, epochs, batch_size):
    raise LyingError("what really happened")


def test_the_error_is_read_without_the_students_str(images):
    with pytest.raises(LyingError):
        checks.graded_training(fail_with_lying_error, _model(), images[:64], images[64:], 1, 32)
    assert checks.trainings("fail_with_lying_error")[-1]["error"] == "LyingError: what really happened"


def test_a_library_error_keeps_its_own_message():
    """NumPy's AxisError keeps its message in its own __str__ (its args are numbers): the grader quotes that."""
    from cae_ref.grader.fit_record import described

    with pytest.raises(np.exceptions.AxisError) as raised:
        np.concatenate([np.arange(3)], axis=1)
    assert described(raised.value) == "AxisError: axis 1 is out of bounds for array of dimension 1"
