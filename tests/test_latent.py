"""Latent measures on tiny inputs whose answers are known, and on real codes against pixels."""

from __future__ import annotations

import numpy as np
import pytest

from cae_ref import (
    build_encoder,
    cluster_accuracy,
    encode_flat,
    flatten_pixels,
    kmeans_scores,
    knn_accuracy,
    linear_probe_accuracy,
    project_pca,
    project_tsne,
)


def test_cluster_accuracy_uses_the_best_matching():
    labels = np.array([0, 0, 1, 1, 2, 2])
    assert cluster_accuracy(labels, np.array([2, 2, 0, 0, 1, 1])) == 1.0  # renamed, still perfect
    assert cluster_accuracy(labels, np.array([1, 1, 1, 0, 0, 0])) == pytest.approx(4 / 6)
    assert cluster_accuracy(labels, np.zeros(6, int)) == pytest.approx(2 / 6)


def test_cluster_accuracy_rejects_mismatched_lengths():
    with pytest.raises(ValueError, match="must be equal 1-D shapes"):
        cluster_accuracy(np.zeros(3), np.zeros(4))


def _blobs(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    centres = np.array([[0, 0], [10, 0], [0, 10]], float)
    labels = np.repeat(np.arange(3), 30)
    return centres[labels] + rng.normal(0, 0.5, (90, 2)), labels


def test_well_separated_blobs_score_perfectly():
    features, labels = _blobs()
    assert knn_accuracy(features, labels, features + 0.01, labels, k=3) == 1.0
    assert linear_probe_accuracy(features, labels, features, labels) == 1.0
    scores = kmeans_scores(features, labels, n_clusters=3)
    assert scores == {"acc": 1.0, "nmi": pytest.approx(1.0)}


def test_knn_on_a_hand_made_line():
    train = np.array([[0.0], [1.0], [10.0], [11.0]])
    labels = np.array([0, 0, 1, 1])
    assert knn_accuracy(train, labels, np.array([[0.4], [10.6], [6.0]]), np.array([0, 1, 0]), k=1) == pytest.approx(
        2 / 3
    )


def test_few_label_probe_uses_only_n_per_class():
    features, labels = _blobs()
    accuracy = linear_probe_accuracy(features, labels, features, labels, labels_per_class=1, seed=0)
    assert accuracy == 1.0
    with pytest.raises(ValueError, match="fewer than 31"):
        linear_probe_accuracy(features, labels, features, labels, labels_per_class=31)


def test_projections_are_2d_and_seeded():
    features, _ = _blobs()
    features = np.hstack([features, np.zeros((90, 3))])
    assert project_pca(features).shape == (90, 2)
    embedding = project_tsne(features, seed=1)
    assert embedding.shape == (90, 2)
    np.testing.assert_allclose(embedding, project_tsne(features, seed=1))


def test_encode_flat_rows_and_pixel_baseline(small_images):
    encoder = build_encoder()
    codes = encode_flat(encoder, small_images["x_test"][:20])
    assert codes.shape == (20, 6272) and codes.dtype == np.float32
    assert flatten_pixels(small_images["x_test"][:20]).shape == (20, 784)
    with pytest.raises(ValueError, match="expected features of shape \\(N, D\\)"):
        knn_accuracy(small_images["x_test"][:20], np.zeros(20), codes, np.zeros(20))


def test_pixel_probe_on_real_data_is_far_above_chance(small_images):
    pixels = flatten_pixels(small_images["x_train"])
    test_pixels = flatten_pixels(small_images["x_test"])
    accuracy = knn_accuracy(pixels, small_images["y_train"], test_pixels, small_images["y_test"])
    assert 0.65 < accuracy < 0.95  # kNN-5 on 2,000 Fashion-MNIST images; chance is 0.1
