"""The two profiles: ``quick`` (minutes, for CI and the book's build) and ``full`` (the report's budget).

Budget of the full profile, planned for about 2 hours on the 2-core CPU machine described in
``results/README.md``. One epoch of the baseline CAE over 60,000 images takes about 35 s there
(measured: 1,500 images/s), so the plan counts "baseline epochs" (BE):

==============  ==========================================  =====  ==============================
experiment      training                                    BE     why these epochs
==============  ==========================================  =====  ==============================
baseline        3 seeds x 25 epochs (the report's recipe)   75     must reproduce the report
bottleneck      6 sizes x 3 seeds x 3 epochs                54     the ranking of sizes is stable
                                                                   after 3 epochs; absolute values
                                                                   are below the 25-epoch ones
latent_space    2-D model 3 seeds x 3 epochs (+ baseline)    9*    shared with bottleneck (cache)
denoising       5 noise levels x 3 seeds x 3 epochs          45     denoising converges fast
vae             3 seeds x 10 epochs, smaller model          ~15     ELBO flattens after ~10 epochs
few_label       none (baseline encoders)                      0
==============  ==========================================  =====  ==============================

(*) trained once and reused through the model cache when bottleneck runs with the same settings.
About 190 BE = 110 min of training plus about 15 min of scikit-learn work (probes, k-means, t-SNE).

Measured there, one experiment at a time: 2 h 52 min in all. Baseline 58 min (38-41 s per
epoch on the idle machine, not 35; seed 0 shared the CPU and took 1,472 s), bottleneck 49 min
(the dense models train slower than the baseline), denoising 38 min, vae 20 min (an epoch of
the smaller model costs about one BE, not half), latent_space 5 min, few_label 2 min. The
``wall_seconds`` of each committed ``results.json`` holds these figures.
"""

from __future__ import annotations

import copy
from typing import Any

from cae_ref.budget import REPORT_BUDGET, Budget

SEEDS = [0, 1, 2]
NOISE_LEVELS = [0.1, 0.2, 0.3, 0.4, 0.5]

FULL: dict[str, Any] = {
    "seeds": SEEDS,
    "data": {"train_size": None, "test_size": None},  # None: all 60,000 / 10,000 images
    "baseline": {
        "epochs": REPORT_BUDGET.epochs,
        "batch_size": REPORT_BUDGET.batch_size,
        "learning_rate": 1e-3,
        "loss": "bce",
    },
    "bottleneck": {"latent_dims": [2, 8, 32, 128, 512, None], "epochs": 3, "batch_size": 128},
    "latent_space": {
        "latent2_epochs": 3,
        "probe_train_size": 10_000,
        "probe_test_size": 10_000,
        "labels_per_class": [10, 100],
        "scatter_points": 5_000,
        "tsne_points": 3_000,
        "kmeans_pca_dims": 50,
        "probe_max_iter": 1_000,
    },
    "denoising": {
        "train_noise": NOISE_LEVELS,
        "test_noise": NOISE_LEVELS,
        "epochs": 3,
        "batch_size": 128,
        "filter_tune_images": 1_000,
    },
    "vae": {"latent_dim": 2, "epochs": 10, "batch_size": 128, "num_samples": 64},
    "few_label": {"labels_per_class": [10, 100], "draws": 5, "knn_k": 5, "probe_max_iter": 1_000},
    # Issue 15: the long runs; see "Issue 15: converged answers - how to run" in results/README.md.
    "bottleneck_converged": {
        "latent_dims": [2, 8, 32, 128, 512, None],
        "families": ["width", "matched"],
        "max_epochs": 25,
        "patience": 3,
        "batch_size": 128,
        "val_fraction": REPORT_BUDGET.val_fraction,
        "train_size": None,
    },
    "clustering": {
        "fit_size": 10_000,
        "test_size": 10_000,
        "bottleneck_dims": [8, 32],
        "bottleneck_epochs": 3,
        "converged_dims": [8, 32],
        "umap_dims": 10,
        "umap_neighbors": 20,
        "kmeans_pca_dims": 50,
    },
    "clustering_screen": {
        "dims": [8],
        "validation_size": 10_000,
        "fit_size": 10_000,
        "large_fit_size": 40_000,
        "umap_dims": 10,
        "umap_neighbors": [20, 10, 50],
        "gmm_n_init": 10,
        "dec_max_passes": 30,
    },
    # Issue 29: the published protocol on all 70,000 images; 1 h 57 min measured (results/README.md, "Issue 29").
    "clustering_all_images": {
        "course_dim": 8,
        "course_epochs": 25,
        "course_batch_size": 128,
        "n2d_dims": [500, 500, 2000, 10],
        "n2d_epochs": 100,
        "n2d_batch_size": 256,
        "umap_dims": 10,
        "umap_neighbors": 20,
    },
    "vae_vs_ae": {"latent_dim": 2, "epochs": 10, "batch_size": 128, "scatter_points": 5_000, "train_size": None},
    # Issue 24: anomaly detection, one held-out class at a time: 30 models of 2 epochs on about 8,100 images.
    "anomaly": {"held_out_classes": list(range(10)), "epochs": 2, "batch_size": 128, "train_size": 9_000},
}

# The quick profile's data (drawn by cae_ref.subsets.random_subsets, seed 1234) and baseline training.
QUICK_BUDGET = Budget(train_images=1_000, val_images=0, test_images=300, epochs=2, batch_size=128)

QUICK: dict[str, Any] = {
    "seeds": SEEDS,
    "data": {"train_size": QUICK_BUDGET.train_images, "test_size": QUICK_BUDGET.test_images},
    "baseline": {
        "epochs": QUICK_BUDGET.epochs,
        "batch_size": QUICK_BUDGET.batch_size,
        "learning_rate": 1e-3,
        "loss": "bce",
    },
    "bottleneck": {"latent_dims": [2, 8, 32, 128, 512, None], "epochs": 1, "batch_size": 128},
    "latent_space": {
        "latent2_epochs": 1,
        "probe_train_size": 1_000,
        "probe_test_size": 300,
        "labels_per_class": [10, 100],
        "scatter_points": 300,
        "tsne_points": 200,
        "kmeans_pca_dims": 50,
        "probe_max_iter": 200,
    },
    "denoising": {
        "train_noise": [0.1, 0.3, 0.5],
        "test_noise": NOISE_LEVELS,
        "epochs": 1,
        "batch_size": 128,
        "filter_tune_images": 200,
    },
    "vae": {"latent_dim": 2, "epochs": 1, "batch_size": 128, "num_samples": 16},
    "few_label": {"labels_per_class": [10, 100], "draws": 1, "knn_k": 5, "probe_max_iter": 200},
    "bottleneck_converged": {
        "latent_dims": [8],
        "families": ["width", "matched"],
        "max_epochs": 2,
        "patience": 1,
        "batch_size": 128,
        "val_fraction": 0.2,
        "train_size": 300,
    },
    "clustering": {
        "fit_size": 300,
        "test_size": 200,
        "bottleneck_dims": [],
        "bottleneck_epochs": 1,
        "converged_dims": [8],
        "umap_dims": 5,
        "umap_neighbors": 10,
        "kmeans_pca_dims": 50,
    },
    "clustering_screen": {
        "dims": [8],
        "validation_size": 200,
        "fit_size": 300,
        "large_fit_size": 500,
        "umap_dims": 5,
        "umap_neighbors": [10, 5],
        "gmm_n_init": 2,
        "dec_max_passes": 2,
    },
    "clustering_all_images": {
        "course_dim": 8,
        "course_epochs": 1,
        "course_batch_size": 128,
        "n2d_dims": [50, 50, 200, 5],
        "n2d_epochs": 2,
        "n2d_batch_size": 256,
        "umap_dims": 5,
        "umap_neighbors": 10,
    },
    "vae_vs_ae": {"latent_dim": 2, "epochs": 1, "batch_size": 128, "scatter_points": 200, "train_size": 300},
    "anomaly": {"held_out_classes": [1, 6], "epochs": 1, "batch_size": 128, "train_size": None},
}

PROFILES = {"quick": QUICK, "full": FULL}


def get_profile(name: str) -> dict[str, Any]:
    """Return a deep copy of the named profile's settings."""
    if name not in PROFILES:
        raise ValueError(f"unknown profile {name!r}; choose one of {sorted(PROFILES)}")
    return copy.deepcopy(PROFILES[name])
