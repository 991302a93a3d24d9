"""cae_ref.dec: DEC's soft assignment, its sharpened target, and a refinement that clusters held-out images."""

from __future__ import annotations

import numpy as np
import pytest

from cae_ref._tf import keras
from cae_ref.clustering import cluster_scores
from cae_ref.dec import DEC, SoftAssignment, sharpened_target


def test_soft_assignment_rows_are_distributions_peaked_at_the_nearest_centre() -> None:
    centres = np.array([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]], dtype=np.float32)
    codes = np.array([[0.5, 0.0], [9.0, 1.0], [0.0, 11.0]], dtype=np.float32)
    q = keras.ops.convert_to_numpy(SoftAssignment(centres)(codes))
    assert q.shape == (3, 3)
    np.testing.assert_allclose(q.sum(axis=1), 1.0, rtol=1e-6)
    assert list(q.argmax(axis=1)) == [0, 1, 2]
    assert q[0, 0] > 0.9


def test_sharpened_target_strengthens_confident_rows_and_evens_out_cluster_sizes() -> None:
    q = np.array([[0.9, 0.1], [0.9, 0.1], [0.9, 0.1], [0.52, 0.48], [0.2, 0.8]])
    p = sharpened_target(q)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-6)
    assert p[0, 0] > q[0, 0] and p[4, 1] > q[4, 1]  # confident rows get more confident
    # column 0 holds most of the weight, so it is divided by more: a near-tie tips to the small cluster
    assert p[3, 0] < 0.5 < q[3, 0]


def _two_kinds_of_images(count: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Images bright in the top half (label 0) or the bottom half (label 1), with noise."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 2, count)
    images = rng.uniform(0.0, 0.3, (count, 28, 28, 1)).astype(np.float32)
    for index, label in enumerate(labels):
        rows = slice(0, 14) if label == 0 else slice(14, 28)
        images[index, rows] += 0.6
    return np.clip(images, 0.0, 1.0), labels


def _encoder(seed: int = 0) -> keras.Model:
    keras.utils.set_random_seed(seed)
    inputs = keras.Input((28, 28, 1))
    return keras.Model(inputs, keras.layers.Dense(4)(keras.layers.Flatten()(inputs)), name="encoder")


def test_refinement_clusters_held_out_images_and_counts_its_passes() -> None:
    train, _ = _two_kinds_of_images(256, seed=0)
    test, test_labels = _two_kinds_of_images(128, seed=1)
    dec = DEC(_encoder(), n_clusters=2, seed=0).fit(train, max_passes=3, batch_size=64)
    assert 1 <= dec.passes <= 3
    clusters = dec.predict(test)
    assert clusters.shape == test_labels.shape
    assert cluster_scores(test_labels, clusters)["acc"] > 0.95


def test_predict_before_fit_and_bad_arguments_are_refused() -> None:
    dec = DEC(_encoder(), n_clusters=2)
    images, _ = _two_kinds_of_images(8, seed=0)
    with pytest.raises(RuntimeError, match="fit"):
        dec.predict(images)
    with pytest.raises(ValueError, match="max_passes"):
        dec.fit(images, max_passes=0)
    with pytest.raises(ValueError, match=r"shape \(N, 28, 28, 1\)"):
        dec.fit(images[..., 0])
