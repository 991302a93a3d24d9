"""Experiment 3 (question 3): is the latent space organised by class?

A model with a true 2-D code is plotted directly (the report printed a 6,272-d code for its
"2-D" plot); the baseline's codes are projected with PCA and t-SNE; linear probes, kNN-5 and
k-means score the codes beside the same measure on raw pixels.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial
from typing import Any

import matplotlib.pyplot as plt
import numpy as np

from cae_ref.latent import (
    encode_flat,
    flatten_pixels,
    kmeans_scores,
    knn_accuracy,
    linear_probe_accuracy,
    project_pca,
    project_tsne,
)
from cae_ref.plots import plot_latent_scatter
from cae_ref.preprocessing import preprocess_images, subset_per_class
from cae_ref.subsets import random_subsets
from cae_ref.tables import markdown_table, numbers_right
from experiments.common import Context
from experiments.figure_style import SMALL_FONT, TITLE_FONT, column_figure, save_column_figure
from experiments.models import trained_baseline, trained_bottleneck
from experiments.stats import fmt, summarise

NAME = "latent_space"
# Published anchors (see the issue): Fashion-MNIST paper Table 3 and the DEC-keras README.
ANCHORS = {
    "logistic_regression_pixels": 0.842,
    "kmeans_pixels_acc": 0.47,
    "kmeans_pixels_nmi": 0.51,
    "autoencoder_kmeans_acc": 0.61,
    "autoencoder_kmeans_nmi": 0.64,
    "dec_acc": 0.62,
    "dec_nmi": 0.65,
}
FEATURES = ("pixels", "codes", "codes_2d")


def probe_indices(count: int, size: int, seed: int) -> np.ndarray:
    """A fixed random subset (same for every model seed) used to fit or score the probes."""
    (indices,) = random_subsets(seed, (count, min(size, count)))
    return indices


def score_features(
    featurize: Callable[[np.ndarray], np.ndarray],
    train: np.ndarray,
    y_train: np.ndarray,
    test: np.ndarray,
    y_test: np.ndarray,
    pool: tuple[np.ndarray, np.ndarray],
    labels_per_class: list[int],
    pca_dims: int,
    seed: int,
    max_iter: int = 1000,
) -> dict[str, Any]:
    """Every measure of one feature set; probes fit on ``train``, everything scored on ``test``.

    The N-labels-per-class probes draw their labelled images from ``pool`` (all 60,000 training
    images, uint8) and turn them into features with ``featurize``.
    """
    scores: dict[str, Any] = {
        "linear_probe_all": linear_probe_accuracy(train, y_train, test, y_test, seed=seed, max_iter=max_iter),
    }
    pool_images, pool_labels = pool
    for count in labels_per_class:
        keep = subset_per_class(pool_labels, count, seed=seed)
        features = featurize(preprocess_images(pool_images[keep]))
        scores[f"linear_probe_{count}_per_class"] = linear_probe_accuracy(
            features, pool_labels[keep], test, y_test, seed=seed, max_iter=max_iter
        )
    scores["knn5"] = knn_accuracy(train, y_train, test, y_test, k=5)
    reduced = project_pca(test, pca_dims, seed) if test.shape[1] > pca_dims else test
    scores["kmeans"] = kmeans_scores(reduced, y_test, seed=seed)
    return scores


def run(ctx: Context) -> dict[str, Any]:
    started = time.time()
    cfg = dict(ctx.settings["latent_space"])
    x_train, y_train, x_test, y_test = ctx.data()
    folder = ctx.experiment_dir(NAME)
    train_idx = probe_indices(len(x_train), cfg["probe_train_size"], 11)
    test_idx = probe_indices(len(x_test), cfg["probe_test_size"], 12)
    xp_train, yp_train = x_train[train_idx], y_train[train_idx]
    xp_test, yp_test = x_test[test_idx], y_test[test_idx]
    config = {
        **cfg,
        "baseline_epochs": ctx.settings["baseline"]["epochs"],
        "baseline_train_images": len(x_train),
        "model_2d_train_images": len(ctx.train_data(NAME)[0]),
        "probe_train_images": len(xp_train),
        "probe_test_images": len(xp_test),
        "features": {
            "pixels": "784 raw pixels in [0, 1]",
            "codes": "the baseline encoder's 7x7x128 code, flattened (6,272 numbers)",
            "codes_2d": "the 2-D code of the dense-bottleneck autoencoder (bottleneck experiment, size 2)",
        },
        "measures": {
            "linear_probe_all": "standardised logistic regression on all probe training images",
            "linear_probe_N_per_class": "the same with N labelled images per class, drawn from all 60,000",
            "knn5": "5-nearest-neighbour accuracy (Euclidean)",
            "kmeans": f"k-means (10 clusters, 10 inits) on the test features after PCA to {cfg['kmeans_pca_dims']}"
            " dimensions (when larger): Hungarian-matched accuracy (acc) and NMI",
            "pixels_kmeans_raw": "k-means on the raw 784 test pixels, as in the published anchors",
        },
    }
    pixels_train, pixels_test = flatten_pixels(xp_train), flatten_pixels(xp_test)
    pool = ctx.full_train_pool()
    per_seed: list[dict[str, Any]] = []
    figures: list[str] = []
    for seed in ctx.seeds:
        ctx.log(f"  latent_space seed {seed}")
        baseline, _ = trained_baseline(ctx, seed)
        encoder = baseline.get_layer("encoder")
        model_2d, _ = trained_bottleneck(ctx, 2, ctx.train_data(NAME)[0], cfg["latent2_epochs"], seed)
        encoder_2d = model_2d.get_layer("encoder")
        featurizers = {
            "pixels": flatten_pixels,
            "codes": partial(encode_flat, encoder),
            "codes_2d": partial(encode_flat, encoder_2d),
        }
        features = {
            "pixels": (pixels_train, pixels_test),
            "codes": (encode_flat(encoder, xp_train), encode_flat(encoder, xp_test)),
            "codes_2d": (encode_flat(encoder_2d, xp_train), encode_flat(encoder_2d, xp_test)),
        }
        record: dict[str, Any] = {"seed": seed}
        for name, (train, test) in features.items():
            tic = time.time()
            record[name] = score_features(
                featurizers[name],
                train,
                yp_train,
                test,
                yp_test,
                pool,
                cfg["labels_per_class"],
                cfg["kmeans_pca_dims"],
                seed,
                cfg.get("probe_max_iter", 1000),
            )
            ctx.log(f"    {name}: {_one_line(record[name])} ({time.time() - tic:.0f} s)")
        record["pixels_kmeans_raw"] = kmeans_scores(pixels_test, yp_test, seed=seed)
        per_seed.append(record)
        if seed == ctx.seeds[0]:
            figures += _figures(ctx, folder, features, yp_test, cfg, seed)
        summary = summarise(per_seed)
        ctx.write_results(
            NAME,
            config,
            per_seed,
            summary,
            figures,
            started,
            complete=seed == ctx.seeds[-1],
            extra={"anchors": ANCHORS, "table_markdown": _table(summary)},
        )
    _plot_bars(summary, folder / "measures.png")
    figures.append("measures.png")
    ctx.write_results(
        NAME, config, per_seed, summary, figures, started, extra={"anchors": ANCHORS, "table_markdown": _table(summary)}
    )
    ctx.log("  latent_space:\n" + _table(summary))
    return {"summary": summary}


def _one_line(scores: dict[str, Any]) -> str:
    parts = []
    for key, value in scores.items():
        if isinstance(value, dict):
            parts.append(f"{key} acc {value['acc']:.3f} nmi {value['nmi']:.3f}")
        else:
            parts.append(f"{key} {value:.3f}")
    return ", ".join(parts)


def _rows(summary: dict[str, Any]) -> list[tuple[str, str]]:
    first = summary[FEATURES[0]]
    rows = []
    for key, value in first.items():
        if isinstance(value, dict) and "mean" in value:
            rows.append((key, key.replace("_", " ")))
        else:
            rows += [(f"{key}.acc", f"{key} ACC"), (f"{key}.nmi", f"{key} NMI")]
    return rows


def _get(entry: dict[str, Any], dotted: str) -> dict[str, Any]:
    for part in dotted.split("."):
        entry = entry[part]
    return entry


def _table(summary: dict[str, Any]) -> str:
    rows = [(title, *(fmt(_get(summary[name], dotted), 3) for name in FEATURES)) for dotted, title in _rows(summary)]
    raw = summary["pixels_kmeans_raw"]
    rows.append(("k-means on raw pixels (no PCA) ACC / NMI", f"{fmt(raw['acc'])} / {fmt(raw['nmi'])}", "", ""))
    headers = ("measure", "pixels", "baseline codes (6,272-d)", "2-D codes")
    return markdown_table(headers, rows, align=numbers_right(4))


def _figures(ctx: Context, folder, features, labels, cfg, seed) -> list[str]:
    names = []
    count = min(cfg["scatter_points"], len(labels))
    plot_latent_scatter(
        features["codes_2d"][1][:count],
        labels[:count],
        title="True 2-D latent space (dense bottleneck of size 2), test images",
        axis_labels=("code 1", "code 2"),
        path=folder / "latent_2d.png",
    )
    names.append("latent_2d.png")
    for name, title in (("codes", "baseline codes (6,272-d)"), ("pixels", "raw pixels")):
        points = project_pca(features[name][1][:count], 2, seed)
        plot_latent_scatter(
            points,
            labels[:count],
            title=f"PCA of {title}",
            axis_labels=("PC 1", "PC 2"),
            path=folder / f"pca_{name}.png",
        )
        names.append(f"pca_{name}.png")
    tsne_count = min(cfg["tsne_points"], len(labels))
    for name, title in (("codes", "baseline codes (6,272-d)"), ("pixels", "raw pixels")):
        tic = time.time()
        points = project_tsne(features[name][1][:tsne_count], seed=seed)
        ctx.log(f"    t-SNE of {name}: {time.time() - tic:.0f} s")
        plot_latent_scatter(
            points,
            labels[:tsne_count],
            title=f"t-SNE of {title}",
            axis_labels=("t-SNE 1", "t-SNE 2"),
            path=folder / f"tsne_{name}.png",
        )
        names.append(f"tsne_{name}.png")
    plt.close("all")
    return names


def _plot_bars(summary: dict[str, Any], path) -> None:
    rows = _rows(summary)
    fig, axis = column_figure(4.4)
    width = 0.27
    x = np.arange(len(rows))
    for offset, name in enumerate(FEATURES):
        means = [_get(summary[name], dotted)["mean"] for dotted, _ in rows]
        stds = [_get(summary[name], dotted)["std"] for dotted, _ in rows]
        label = {"pixels": "pixels", "codes": "baseline codes", "codes_2d": "2-D codes"}.get(name, name)
        axis.bar(x + (offset - 1) * width, means, width, yerr=stds, capsize=2, label=label)
    titles = [title.replace("knn5", "kNN-5").replace("kmeans", "k-means") for _, title in rows]
    titles = [title.replace("probe all", "probe, 10,000 labels") for title in titles]
    axis.set_xticks(x, titles, rotation=30, ha="right", rotation_mode="anchor", fontsize=SMALL_FONT)
    axis.set_ylabel("score")
    axis.set_ylim(0, 1)
    axis.axhline(ANCHORS["logistic_regression_pixels"], color="grey", linestyle=":", linewidth=1)
    axis.set_title(
        "Codes against raw pixels (mean ± std over seeds)\n"
        f"dotted: logistic regression on pixels, {ANCHORS['logistic_regression_pixels']}",
        fontsize=TITLE_FONT,
    )
    axis.legend(fontsize=SMALL_FONT, loc="upper right")
    axis.grid(axis="y", alpha=0.3)
    save_column_figure(fig, path)
