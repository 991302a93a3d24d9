"""Issue 15, clustering past the published autoencoder figures: k-means and N2D's UMAP + GMM on codes.

Features: raw pixels, the baseline's 6,272-d codes, the codes of dense-bottleneck models
(the ``bottleneck`` experiment's 3-epoch models, through the model cache) and of the same
architectures trained to their validation plateau (``converged_dims``: the width family of
``bottleneck_converged``, whose models it keeps in the model cache). Every method is fitted on
``fit_size`` training images and scores the ``test_size`` test images it assigns (ACC with the
Hungarian matching, NMI, ARI); no setting was tuned on test labels: the UMAP settings are
N2D's published defaults (as many dimensions as clusters, 20 neighbours, min_dist 0).
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from cae_ref.clustering import cluster_scores, kmeans_fit_predict, umap_gmm_fit_predict
from cae_ref.latent import encode_flat, flatten_pixels
from cae_ref.subsets import PROBE_SEEDS, random_subsets
from cae_ref.tables import markdown_table, numbers_right
from experiments.common import Context
from experiments.figure_style import SMALL_FONT, TITLE_FONT, column_figure, save_column_figure
from experiments.models import latent_label, load_converged_model, trained_baseline, trained_bottleneck
from experiments.stats import fmt, summarise

NAME = "clustering"
# Published figures on Fashion-MNIST (ACC / NMI): DEC-keras README; N2D (arXiv 1908.05968), Table 2.
ANCHORS = {
    "kmeans_pixels": {"acc": 0.47, "nmi": 0.51},
    "autoencoder_kmeans": {"acc": 0.61, "nmi": 0.64},
    "dec": {"acc": 0.62, "nmi": 0.65},
    "n2d": {"acc": 0.672, "nmi": 0.684},
}


def run(ctx: Context) -> dict[str, Any]:
    started = time.time()
    cfg = dict(ctx.settings[NAME])
    x_train, _, x_test, y_test = ctx.data()
    (fit_idx,) = random_subsets(PROBE_SEEDS["train"], (len(x_train), min(cfg["fit_size"], len(x_train))))
    (test_idx,) = random_subsets(PROBE_SEEDS["test"], (len(x_test), min(cfg["test_size"], len(x_test))))
    x_fit, x_score, y_score = x_train[fit_idx], x_test[test_idx], y_test[test_idx]
    config = {
        **cfg,
        "fit_images": len(x_fit),
        "score_images": len(x_score),
        "baseline_epochs": ctx.settings["baseline"]["epochs"],
        "methods": {
            "kmeans": f"PCA to {cfg['kmeans_pca_dims']} dims (when wider) + k-means, fitted on the training codes",
            "umap_gmm": f"N2D: UMAP to {cfg['umap_dims']} dims ({cfg['umap_neighbors']} neighbours, min_dist 0) "
            "+ full-covariance Gaussian mixture, fitted on the training codes; test codes placed by transform",
        },
        "converged_models": "the width family of bottleneck_converged: early stopping on a validation split "
        "of the training images, best epoch's weights",
        "dec_refinement": "not run",
    }
    per_seed: list[dict[str, Any]] = []
    for seed in ctx.seeds:
        ctx.log(f"  clustering seed {seed}")
        features = {"pixels": (flatten_pixels(x_fit), flatten_pixels(x_score))}
        encoder = trained_baseline(ctx, seed)[0].get_layer("encoder")
        features["codes"] = (encode_flat(encoder, x_fit), encode_flat(encoder, x_score))
        for dim in cfg["bottleneck_dims"]:
            model, _ = trained_bottleneck(ctx, dim, ctx.train_data("bottleneck")[0], cfg["bottleneck_epochs"], seed)
            encoder = model.get_layer("encoder")
            features[f"codes_{latent_label(dim)}"] = (encode_flat(encoder, x_fit), encode_flat(encoder, x_score))
        for dim in cfg["converged_dims"]:
            encoder = load_converged_model(ctx, "width", dim, seed).get_layer("encoder")
            features[f"converged_{latent_label(dim)}"] = (encode_flat(encoder, x_fit), encode_flat(encoder, x_score))
        record: dict[str, Any] = {"seed": seed}
        for name, (train, test) in features.items():
            tic = time.time()
            kmeans = kmeans_fit_predict(train, test, seed=seed, pca_dims=cfg["kmeans_pca_dims"])
            n2d = umap_gmm_fit_predict(
                train, test, seed=seed, n_components=cfg["umap_dims"], n_neighbors=cfg["umap_neighbors"]
            )
            record[name] = {"kmeans": cluster_scores(y_score, kmeans), "umap_gmm": cluster_scores(y_score, n2d)}
            ctx.log(
                f"    {name}: k-means ACC {record[name]['kmeans']['acc']:.3f}, "
                f"UMAP+GMM ACC {record[name]['umap_gmm']['acc']:.3f} ({time.time() - tic:.0f} s)"
            )
        per_seed.append(record)
        summary = summarise(per_seed)
        table = _table(summary)
        complete = seed == ctx.seeds[-1]
        figures = _plot(summary, ctx.experiment_dir(NAME) / "clustering.png") if complete else []
        ctx.write_results(
            NAME,
            config,
            per_seed,
            summary,
            figures,
            started,
            complete=complete,
            extra={"anchors": ANCHORS, "table_markdown": table},
        )
    ctx.log("  clustering:\n" + table)
    return {"summary": summary}


def _table(summary: dict[str, Any]) -> str:
    rows = [
        (feature, method, fmt(scores["acc"]), fmt(scores["nmi"]), fmt(scores["ari"]))
        for feature, methods in summary.items()
        for method, scores in methods.items()
    ]
    rows += [("published", name, f"{v['acc']:.3f}", f"{v['nmi']:.3f}", "") for name, v in ANCHORS.items()]
    return markdown_table(("features", "method", "ACC", "NMI", "ARI"), rows, align=numbers_right(5))


# The figure's labels for a reader (the record keeps the short keys).
FEATURE_LABELS = {
    "pixels": "pixels",
    "codes": "baseline\ncodes",
    "codes_d8": "8 numbers\n3 epochs",
    "codes_d32": "32 numbers\n3 epochs",
    "converged_d8": "8 numbers\nto the\nplateau",
    "converged_d32": "32 numbers\nto the\nplateau",
}
METHOD_LABELS = {"kmeans": "k-means", "umap_gmm": "UMAP + Gaussian mixture"}
ANCHOR_LABELS = {"autoencoder_kmeans": "autoencoder + k-means", "dec": "DEC", "n2d": "N2D"}


def _plot(summary: dict[str, Any], path) -> list[str]:
    features = list(summary)
    x = np.arange(len(features))
    fig, axis = column_figure(4.6)
    for offset, method in enumerate(("kmeans", "umap_gmm")):
        means = [summary[f][method]["acc"]["mean"] for f in features]
        stds = [summary[f][method]["acc"]["std"] for f in features]
        axis.bar(x + (offset - 0.5) * 0.4, means, 0.4, yerr=stds, capsize=3, label=METHOD_LABELS[method])
    for name, style in (("autoencoder_kmeans", ":"), ("dec", "--"), ("n2d", "-.")):
        label = f"published {ANCHOR_LABELS[name]}"
        axis.axhline(ANCHORS[name]["acc"], color="grey", linestyle=style, linewidth=1, label=label)
    axis.set_xticks(x, [FEATURE_LABELS.get(f, f) for f in features], fontsize=SMALL_FONT)
    axis.set_ylabel("test ACC (Hungarian)")
    axis.set_ylim(0, 1)
    axis.set_title("Clustering test codes, fitted on training codes\n(mean ± std over seeds)", fontsize=TITLE_FONT)
    fig.legend(loc="outside lower center", ncol=2, fontsize=SMALL_FONT)
    axis.grid(axis="y", alpha=0.3)
    save_column_figure(fig, path)
    return [path.name]
