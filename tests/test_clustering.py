"""cae_ref.clustering: fit on training rows, assign test rows, score with ACC / NMI / ARI (synthetic blobs)."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.datasets import make_blobs

from cae_ref.clustering import best_on_codes, cluster_scores, kmeans_fit_predict, umap_gmm_fit_predict


def _blobs(seed: int = 0, dims: int = 20):
    features, labels = make_blobs(n_samples=900, centers=5, n_features=dims, cluster_std=1.0, random_state=seed)
    return features[:600], labels[:600], features[600:], labels[600:]


def test_scores_are_invariant_to_renaming_clusters_and_punish_mixing() -> None:
    labels = np.array([0, 0, 1, 1, 2, 2])
    assert cluster_scores(labels, np.array([2, 2, 0, 0, 1, 1])) == pytest.approx({"acc": 1.0, "nmi": 1.0, "ari": 1.0})
    mixed = cluster_scores(labels, np.array([0, 1, 0, 1, 0, 1]))
    assert mixed["acc"] == pytest.approx(1 / 3) and mixed["nmi"] < 0.3 and mixed["ari"] < 0.0


# UMAP's first call compiles numba code: 10-30 s on 2 cores, hence slow.
@pytest.mark.parametrize("method", [kmeans_fit_predict, pytest.param(umap_gmm_fit_predict, marks=pytest.mark.slow)])
def test_separated_blobs_are_recovered_on_held_out_rows(method) -> None:
    x_train, _, x_test, y_test = _blobs()
    clusters = method(x_train, x_test, n_clusters=5, seed=0)
    assert clusters.shape == y_test.shape
    scores = cluster_scores(y_test, clusters)
    assert scores["acc"] > 0.95 and scores["ari"] > 0.9, scores


@pytest.mark.slow
def test_umap_gmm_is_fitted_on_the_training_rows_only() -> None:
    """Test rows are assigned, not fitted: the same training rows give the same cluster for a test row."""
    x_train, _, x_test, _ = _blobs()
    alone = umap_gmm_fit_predict(x_train, x_test[:50], n_clusters=5, seed=0)
    together = umap_gmm_fit_predict(x_train, x_test, n_clusters=5, seed=0)
    assert np.array_equal(alone, together[:50])


def test_wrong_shapes_are_refused() -> None:
    with pytest.raises(ValueError, match="shape"):
        kmeans_fit_predict(np.zeros((10, 2, 2)), np.zeros((5, 4)))


def _scores(acc: float) -> dict:
    return {"acc": {"mean": acc, "std": 0.0}}


def test_best_on_codes_picks_the_highest_mean_acc_and_never_pixels():
    summary = {
        "pixels": {"kmeans": _scores(0.9)},
        "codes_baseline": {"kmeans": _scores(0.5), "umap_gmm": _scores(0.58)},
        "codes_d32": {"umap_gmm": _scores(0.59)},
    }
    assert best_on_codes(summary) == ("codes_d32", "umap_gmm")


def test_best_on_codes_without_codes_is_a_clear_error():
    with pytest.raises(ValueError, match="no code features, only \\['pixels'\\]"):
        best_on_codes({"pixels": {"kmeans": _scores(0.5)}})
