"""Is the latent space organised by class? Projections, probes and clustering (chapter 7).

Every measure takes plain 2-D arrays, so the same call scores the codes and raw pixels.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import linear_sum_assignment
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.manifold import TSNE
from sklearn.metrics import normalized_mutual_info_score
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from cae_ref._tf import keras
from cae_ref.preprocessing import check_unit_images, subset_per_class


def encode_flat(
    encoder: keras.Model, images: np.ndarray, batch_size: int = 512
) -> np.ndarray:
    """Encode images and flatten each code to one row.

    (N, 28, 28, 1) images in, (N, code size) features out.
    """
    images = check_unit_images(images, "images")
    codes = encoder.predict(images, batch_size=batch_size, verbose=0)
    return np.asarray(codes, dtype=np.float32).reshape(len(images), -1)


def flatten_pixels(images: np.ndarray) -> np.ndarray:
    """Return images as rows of pixels, the baseline every code is compared against."""
    return np.asarray(images, dtype=np.float32).reshape(len(images), -1)


def _check_features(
    features: np.ndarray, labels: np.ndarray | None = None
) -> np.ndarray:
    features = np.asarray(features)
    if features.ndim != 2:
        raise ValueError(
            f"expected features of shape (N, D), got {features.shape}; use encode_flat"
        )
    if labels is not None and len(labels) != len(features):
        raise ValueError(
            f"{len(features)} feature rows but {len(labels)} labels"
        )
    return features


def project_pca(
    features: np.ndarray, n_components: int = 2, seed: int = 0
) -> np.ndarray:
    """Project rows onto their first principal components."""
    features = _check_features(features)
    return PCA(n_components=n_components, random_state=seed).fit_transform(
        features
    )


def project_tsne(
    features: np.ndarray,
    seed: int = 0,
    perplexity: float = 30.0,
    pca_dims: int = 50,
) -> np.ndarray:
    """Embed rows in 2-D with t-SNE, after PCA to ``pca_dims`` as is customary for speed."""
    features = _check_features(features)
    if features.shape[1] > pca_dims:
        features = project_pca(features, pca_dims, seed)
    perplexity = min(perplexity, (len(features) - 1) / 3)
    return TSNE(
        n_components=2, perplexity=perplexity, init="pca", random_state=seed
    ).fit_transform(features)


def linear_probe_accuracy(
    train_features: np.ndarray,
    train_labels: np.ndarray,
    test_features: np.ndarray,
    test_labels: np.ndarray,
    labels_per_class: int | None = None,
    seed: int = 0,
    max_iter: int = 1000,
) -> float:
    """Test accuracy of a logistic regression on standardised features.

    With ``labels_per_class``, only that many labelled training rows per
    class are used.
    """
    train_features = _check_features(train_features, train_labels)
    test_features = _check_features(test_features, test_labels)
    if labels_per_class is not None:
        keep = subset_per_class(train_labels, labels_per_class, seed)
        train_features, train_labels = (
            train_features[keep],
            np.asarray(train_labels)[keep],
        )
    probe = make_pipeline(
        StandardScaler(), LogisticRegression(max_iter=max_iter)
    )
    probe.fit(train_features, train_labels)
    return float(probe.score(test_features, test_labels))


def knn_accuracy(
    train_features: np.ndarray,
    train_labels: np.ndarray,
    test_features: np.ndarray,
    test_labels: np.ndarray,
    k: int = 5,
) -> float:
    """Test accuracy of a k-nearest-neighbour classifier (Euclidean distance)."""
    train_features = _check_features(train_features, train_labels)
    test_features = _check_features(test_features, test_labels)
    classifier = KNeighborsClassifier(n_neighbors=k).fit(
        train_features, train_labels
    )
    return float(classifier.score(test_features, test_labels))


def cluster_accuracy(labels: np.ndarray, clusters: np.ndarray) -> float:
    """Accuracy of ``clusters`` after the best one-to-one matching to ``labels`` (Hungarian)."""
    labels, clusters = np.asarray(labels), np.asarray(clusters)
    if labels.shape != clusters.shape or labels.ndim != 1:
        raise ValueError(
            f"labels {labels.shape} and clusters {clusters.shape} must be equal 1-D shapes"
        )
    label_ids, label_index = np.unique(labels, return_inverse=True)
    cluster_ids, cluster_index = np.unique(clusters, return_inverse=True)
    counts = np.zeros((len(cluster_ids), len(label_ids)), dtype=np.int64)
    np.add.at(counts, (cluster_index, label_index), 1)
    rows, cols = linear_sum_assignment(counts, maximize=True)
    return float(counts[rows, cols].sum() / len(labels))


def kmeans_scores(
    features: np.ndarray,
    labels: np.ndarray,
    n_clusters: int = 10,
    seed: int = 0,
) -> dict[str, float]:
    """Cluster rows with k-means and score against labels: Hungarian-matched ACC and NMI."""
    features = _check_features(features, labels)
    clusters = KMeans(
        n_clusters=n_clusters, n_init=10, random_state=seed
    ).fit_predict(features)
    return {
        "acc": cluster_accuracy(labels, clusters),
        "nmi": float(normalized_mutual_info_score(labels, clusters)),
    }
