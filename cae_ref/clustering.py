"""Clustering codes without labels: k-means and N2D's UMAP + Gaussian mixture (chapter 7).

N2D (McConville et al., 2019, arXiv 1908.05968) embeds an autoencoder's codes with UMAP and
clusters the embedding with a Gaussian mixture. Here every method is fitted on training
features and then assigns test features, so no test image (and no label) shapes the clusters;
labels only score the result: Hungarian-matched accuracy, NMI and ARI.
"""

from __future__ import annotations

import numpy as np
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score
from sklearn.mixture import GaussianMixture

from cae_ref.latent import cluster_accuracy


def cluster_scores(
    labels: np.ndarray, clusters: np.ndarray
) -> dict[str, float]:
    """Hungarian-matched accuracy (``acc``), normalised mutual information and adjusted Rand index."""
    return {
        "acc": cluster_accuracy(labels, clusters),
        "nmi": float(normalized_mutual_info_score(labels, clusters)),
        "ari": float(adjusted_rand_score(labels, clusters)),
    }


def _rows(features: np.ndarray) -> np.ndarray:
    features = np.asarray(features, dtype=np.float32)
    if features.ndim != 2:
        raise ValueError(
            f"expected features of shape (N, D), got {features.shape}"
        )
    return features


def kmeans_fit_predict(
    train: np.ndarray,
    test: np.ndarray,
    n_clusters: int = 10,
    seed: int = 0,
    pca_dims: int | None = 50,
) -> np.ndarray:
    """Fit PCA (to ``pca_dims`` when wider) and k-means on ``train``; return the clusters of ``test``."""
    train, test = _rows(train), _rows(test)
    if pca_dims is not None and train.shape[1] > pca_dims:
        pca = PCA(n_components=pca_dims, random_state=seed).fit(train)
        train, test = pca.transform(train), pca.transform(test)
    model = KMeans(n_clusters=n_clusters, n_init=10, random_state=seed).fit(
        train
    )
    return model.predict(test)


def umap_embed(
    train: np.ndarray,
    test: np.ndarray,
    seed: int = 0,
    n_components: int = 10,
    n_neighbors: int = 20,
) -> tuple[np.ndarray, np.ndarray]:
    """Fit UMAP (``min_dist=0``, Euclidean) on ``train``; return the embeddings of ``train`` and ``test``.

    The test rows are placed with the fitted UMAP's ``transform``, so they never shape the embedding.
    """
    import umap  # imported here: it pulls in numba, which takes seconds to load

    train, test = _rows(train), _rows(test)
    reducer = umap.UMAP(
        n_components=n_components,
        n_neighbors=min(n_neighbors, len(train) - 1),
        min_dist=0.0,
        metric="euclidean",
        random_state=seed,
        n_jobs=1,  # a fixed random_state runs single-threaded anyway; say so, and keep UMAP's warning away
    )
    return reducer.fit_transform(train), reducer.transform(test)


def gmm_fit_predict(
    train: np.ndarray,
    test: np.ndarray,
    n_clusters: int = 10,
    seed: int = 0,
    n_init: int = 1,
) -> np.ndarray:
    """Fit a full-covariance Gaussian mixture on ``train`` (best of ``n_init`` starts); return ``test``'s components."""
    train, test = _rows(train), _rows(test)
    mixture = GaussianMixture(
        n_components=n_clusters,
        covariance_type="full",
        random_state=seed,
        n_init=n_init,
    )
    return mixture.fit(train).predict(test)


def umap_gmm_fit_predict(
    train: np.ndarray,
    test: np.ndarray,
    n_clusters: int = 10,
    seed: int = 0,
    n_components: int = 10,
    n_neighbors: int = 20,
) -> np.ndarray:
    """N2D: fit UMAP (``min_dist=0``) and a full-covariance Gaussian mixture on ``train``; cluster ``test``.

    N2D's defaults: as many UMAP dimensions as clusters, 20 neighbours, Euclidean distance. The
    test rows are placed with the fitted UMAP's ``transform``, then assigned by the mixture.
    """
    embedded_train, embedded_test = umap_embed(
        train, test, seed, n_components, n_neighbors
    )
    return gmm_fit_predict(embedded_train, embedded_test, n_clusters, seed)


def umap_gmm_fit_all(
    features: np.ndarray,
    n_clusters: int = 10,
    seed: int = 0,
    n_components: int = 10,
    n_neighbors: int = 20,
) -> np.ndarray:
    """N2D as published: UMAP (``min_dist=0``) and a Gaussian mixture fitted on all ``features``; their clusters.

    Unlike :func:`umap_gmm_fit_predict` there is no held-out set: every row shapes the
    embedding and the mixture (the protocol of the published Fashion-MNIST figures).
    """
    import umap

    features = _rows(features)
    reducer = umap.UMAP(
        n_components=n_components,
        n_neighbors=min(n_neighbors, len(features) - 1),
        min_dist=0.0,
        metric="euclidean",
        random_state=seed,
        n_jobs=1,
    )
    embedded = reducer.fit_transform(features)
    return gmm_fit_predict(embedded, embedded, n_clusters, seed)


METHODS = {"kmeans": kmeans_fit_predict, "umap_gmm": umap_gmm_fit_predict}


def best_on_codes(summary: dict[str, dict[str, dict]]) -> tuple[str, str]:
    """The (features, method) of a clustering summary with the highest mean ACC, raw pixels left out.

    ``summary`` maps feature set -> method -> scores, each score holding ``{"mean": ..., "std": ...}``.
    """
    on_codes = [
        (features, method)
        for features, methods in summary.items()
        if features != "pixels"
        for method in methods
    ]
    if not on_codes:
        raise ValueError(
            f"the clustering summary has no code features, only {sorted(summary)}"
        )
    return max(
        on_codes, key=lambda key: summary[key[0]][key[1]]["acc"]["mean"]
    )
