"""``checks.settled_predict`` (issue 25): batch-norm statistics re-estimated on the training inputs, model untouched.

Exercises 03 and 05 measure the student's trained model with it, so a design with batch normalisation
is not scored on moving averages that a grading budget's few steps left unsettled.
"""

from __future__ import annotations

import numpy as np
import pytest

from cae_ref._tf import keras
from cae_ref.grader import checks

layers = keras.layers
RNG = np.random.default_rng(0)
TRAIN = RNG.normal(3.0, 2.0, (600, 4)).astype(np.float32)
TEST = RNG.normal(3.0, 2.0, (50, 4)).astype(np.float32)


def _normalised(dropout: float = 0.0) -> keras.Model:
    keras.utils.set_random_seed(0)
    return keras.Sequential([keras.Input((4,)), layers.BatchNormalization(), layers.Dropout(dropout), layers.Dense(3)])


def _state(model: keras.Model) -> list[np.ndarray]:
    return [np.array(v.numpy()) for v in model.variables]


def test_a_model_without_batch_normalisation_is_measured_as_by_predict():
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((4,)), layers.Dense(3), layers.Dropout(0.5), layers.Dense(2)])
    assert np.array_equal(checks.settled_predict(model, TEST, TRAIN), checks.predict(model, TEST))


def test_the_statistics_are_those_of_the_training_inputs():
    model = keras.Sequential([keras.Input((4,)), layers.BatchNormalization(epsilon=1e-6)])
    one_batch = TRAIN[:250]  # one batch of 250: mean and variance exactly the batch's
    got = checks.settled_predict(model, TEST, one_batch)
    expected = (TEST - one_batch.mean(axis=0)) / np.sqrt(one_batch.var(axis=0) + 1e-6)
    assert np.allclose(got, expected, atol=1e-4)
    # three batches (250, 250, 100): the mean is the mean over all 600 rows
    centred = checks.settled_predict(model, TRAIN, TRAIN)
    assert np.allclose(centred.mean(axis=0), 0.0, atol=1e-4)
    # the model's own inference mode still uses its unsettled moving statistics (mean 0, variance 1)
    assert np.allclose(checks.predict(model, TEST), TEST / np.sqrt(1 + 1e-6), atol=1e-5)


@pytest.mark.parametrize("dropout", [0.0, 0.5])
def test_the_students_model_is_left_as_it_was(dropout):
    model = _normalised(dropout)
    model.compile(optimizer="adam", loss="mse")
    model.fit(TRAIN, TRAIN[:, :3], epochs=1, batch_size=100, verbose=0)
    before, own = _state(model), checks.predict(model, TEST)
    settled = checks.settled_predict(model, TEST, TRAIN)
    assert not np.allclose(settled, own, atol=1e-3)  # the settled statistics differ from the moving ones
    assert all(np.array_equal(a, b) for a, b in zip(before, _state(model), strict=True))  # seeds included
    assert np.array_equal(checks.predict(model, TEST), own)
    assert model.layers[0].momentum == 0.99
    assert np.array_equal(checks.settled_predict(model, TEST, TRAIN), settled)  # the same twice


def test_a_tampered_model_is_not_measured():
    model = _normalised()
    model.predict = lambda x, **kwargs: x
    with pytest.raises(AssertionError, match="cannot trust"):
        checks.settled_predict(model, TEST, TRAIN)
