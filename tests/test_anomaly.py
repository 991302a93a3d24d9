"""Anomaly detection by reconstruction error (cae_ref.anomaly, the book page "Anomaly detection")."""

from __future__ import annotations

import numpy as np
import pytest

from cae_ref._tf import keras
from cae_ref.anomaly import anomaly_auc, anomaly_mask, reconstruction_errors


def _images(count: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).random((count, 28, 28, 1)).astype(np.float32)


def _constant_model(value: float) -> keras.Model:
    """A 'model' that returns every pixel as ``value``: its error is known in closed form."""
    inputs = keras.Input(shape=(28, 28, 1))
    outputs = keras.layers.Lambda(lambda x: x * 0.0 + value)(inputs)
    return keras.Model(inputs, outputs)


# ------------------------------------------------------------------ reconstruction_errors
def test_a_perfect_reconstruction_has_zero_error():
    identity = keras.Sequential([keras.Input(shape=(28, 28, 1)), keras.layers.Identity()])
    errors = reconstruction_errors(identity, _images(5))
    assert errors.shape == (5,)
    np.testing.assert_allclose(errors, 0.0, atol=1e-7)


def test_errors_are_the_mean_squared_error_per_image():
    images = _images(4)
    errors = reconstruction_errors(_constant_model(0.0), images)
    np.testing.assert_allclose(errors, np.mean(images**2, axis=(1, 2, 3)), rtol=1e-5)
    assert errors[0] != errors[1], "each image gets its own error, not the batch mean"


def test_errors_reject_raw_pixels_and_wrong_shapes():
    model = _constant_model(0.0)
    with pytest.raises(TypeError, match="preprocess_images"):
        reconstruction_errors(model, np.zeros((2, 28, 28, 1), dtype=np.uint8))
    with pytest.raises(ValueError, match=r"\(N, 28, 28, 1\)"):
        reconstruction_errors(model, np.zeros((2, 28, 28), dtype=np.float32))


def test_errors_reject_a_model_of_another_output_shape():
    inputs = keras.Input(shape=(28, 28, 1))
    flat = keras.Model(inputs, keras.layers.Flatten()(inputs))
    with pytest.raises(ValueError, match="the model returned"):
        reconstruction_errors(flat, _images(2))


# ------------------------------------------------------------------ anomaly_mask
def test_mask_marks_the_held_out_classes():
    labels = np.array([0, 1, 2, 1, 9, 8], dtype=np.uint8)
    assert anomaly_mask(labels, [1]).tolist() == [False, True, False, True, False, False]
    assert anomaly_mask(labels, (8, 9)).tolist() == [False, False, False, False, True, True]


@pytest.mark.parametrize("classes", [[], [10], [-1], list(range(10))])
def test_mask_rejects_impossible_class_lists(classes):
    with pytest.raises(ValueError, match="class"):
        anomaly_mask(np.array([0, 1, 2]), classes)


def test_mask_rejects_labels_that_are_not_class_ids():
    with pytest.raises(ValueError, match="1-D array of class ids"):
        anomaly_mask(np.array([0.0, 1.0]), [1])
    with pytest.raises(ValueError, match="1-D array of class ids"):
        anomaly_mask(np.array([[0, 1]]), [1])


# ------------------------------------------------------------------ anomaly_auc
def test_a_perfect_separator_scores_one_and_its_reverse_zero():
    truth = np.array([False] * 50 + [True] * 50)
    errors = np.linspace(0.0, 1.0, 100)
    assert anomaly_auc(errors, truth) == 1.0
    assert anomaly_auc(-errors, truth) == 0.0


def test_a_score_unrelated_to_the_truth_scores_about_one_half():
    rng = np.random.default_rng(0)
    truth = rng.permutation(np.array([False] * 5_000 + [True] * 5_000))
    auc = anomaly_auc(rng.random(10_000), truth)
    assert abs(auc - 0.5) < 0.02, auc


def test_auc_counts_pairs():
    # anomalies 0.3 and 0.9 against normals 0.1, 0.5: 3 of the 4 pairs are ordered right
    assert anomaly_auc(np.array([0.1, 0.5, 0.3, 0.9]), np.array([False, False, True, True])) == 0.75


def test_auc_rejects_bad_input():
    truth = np.array([False, True, False])
    with pytest.raises(ValueError, match="same length"):
        anomaly_auc(np.zeros(4), truth)
    with pytest.raises(ValueError, match="booleans"):
        anomaly_auc(np.zeros(3), np.array([0, 1, 0]))
    with pytest.raises(ValueError, match="both normal and anomalous"):
        anomaly_auc(np.zeros(3), np.zeros(3, dtype=bool))
    with pytest.raises(ValueError, match="finite"):
        anomaly_auc(np.array([0.1, np.nan, 0.2]), truth)
