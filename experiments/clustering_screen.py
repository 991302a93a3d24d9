"""Issue 15, the clustering screen: would another setting of N2D, or a DEC refinement, reach ACC 0.62?

The ``clustering`` experiment scores on the test set with settings fixed in advance (N2D's
published defaults). Choosing among settings by their test score would tune on test labels, so
this screen never touches the test set: it splits the *training* images once
(``SCREEN_SPLIT_SEED``) into ``validation_size`` images whose labels score, and a disjoint pool
from which the methods are fitted (``fit_size`` images, or ``large_fit_size`` for the variant that
fits on more). The codes are those of the converged width-family models (``dims``), the best
codes of the ``clustering`` experiment; those models were trained without labels.

Variants: k-means; UMAP + Gaussian mixture with each of ``umap_neighbors`` (the first is N2D's
default and the recorded method); the mixture's best of ``gmm_n_init`` starts; UMAP and the
mixture fitted on ``large_fit_size`` images; and a DEC refinement (``cae_ref.dec``) of the encoder (after
its codes were taken) on the ``fit_size`` images. Rule, fixed before the run: a variant would replace the
recorded method only if its mean validation ACC beats the recorded method's by more than the
larger of their standard deviations over seeds; the ``clustering`` experiment would then score it
once on the test set.
"""

from __future__ import annotations

import textwrap
import time
from typing import Any

import numpy as np

from cae_ref.clustering import cluster_scores, gmm_fit_predict, kmeans_fit_predict, umap_embed
from cae_ref.dec import DEC
from cae_ref.latent import encode_flat
from cae_ref.tables import markdown_table, numbers_right
from experiments.common import Context
from experiments.figure_style import SMALL_FONT, TITLE_FONT, column_figure, save_column_figure
from experiments.models import latent_label, load_converged_model
from experiments.stats import fmt, summarise

NAME = "clustering_screen"
SCREEN_SPLIT_SEED = 15
GOAL_ACC = 0.62
RECORDED = "umap_gmm"


def split_training_images(
    count: int, validation_size: int, large_fit_size: int, fit_size: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Disjoint ``validation`` and ``large_fit`` indices of ``range(count)``; ``fit`` is the start of ``large_fit``."""
    if not 0 < fit_size <= large_fit_size or validation_size <= 0:
        raise ValueError(
            f"need 0 < fit_size <= large_fit_size and validation_size > 0, got {fit_size}, {large_fit_size}, "
            f"{validation_size}"
        )
    if validation_size + large_fit_size > count:
        raise ValueError(
            f"validation_size + large_fit_size = {validation_size + large_fit_size} exceeds the {count} training images"
        )
    order = np.random.default_rng(SCREEN_SPLIT_SEED).permutation(count)
    validation, large_fit = order[:validation_size], order[validation_size : validation_size + large_fit_size]
    return validation, large_fit, large_fit[:fit_size]


def variant_descriptions(cfg: dict[str, Any]) -> dict[str, str]:
    """What each variant of the screen does, keyed by the name its scores are recorded under."""
    default, *others = cfg["umap_neighbors"]
    umap = f"UMAP to {cfg['umap_dims']} dims, min_dist 0"
    described = {
        "kmeans": f"k-means on the codes, fitted on {cfg['fit_size']:,} images",
        RECORDED: f"{umap}, {default} neighbours + Gaussian mixture (the clustering experiment's method)",
    }
    described |= {f"umap_gmm_neighbors_{n}": f"{umap}, {n} neighbours + Gaussian mixture" for n in others}
    described |= {
        "umap_gmm_n_init": f"as {RECORDED}, the mixture's best of {cfg['gmm_n_init']} starts",
        "umap_gmm_large_fit": f"as {RECORDED}, UMAP and mixture fitted on {cfg['large_fit_size']:,} images",
        "dec": f"DEC refinement of the encoder (k-means start, at most {cfg['dec_max_passes']} passes) "
        f"on {cfg['fit_size']:,} images",
    }
    return described


def adoptable(summary: dict[str, Any]) -> list[str]:
    """Variants whose mean ACC beats the recorded method's by more than the larger standard deviation."""
    recorded = summary[RECORDED]["acc"]
    return [
        name
        for name, scores in summary.items()
        if name != RECORDED and scores["acc"]["mean"] - recorded["mean"] > max(scores["acc"]["std"], recorded["std"])
    ]


def screen_codes(
    codes_large: np.ndarray, codes_val: np.ndarray, fit_count: int, cfg: dict[str, Any], seed: int
) -> dict[str, np.ndarray]:
    """The clusters of the validation codes under every variant but DEC, keyed by variant name.

    The methods are fitted on the first ``fit_count`` rows of ``codes_large`` (all of them for
    ``umap_gmm_large_fit``); ``codes_val`` is only placed and assigned.
    """
    codes_fit = codes_large[:fit_count]
    default_neighbors, *other_neighbors = cfg["umap_neighbors"]

    def embed(train: np.ndarray, neighbors: int) -> tuple[np.ndarray, np.ndarray]:
        return umap_embed(train, codes_val, seed, cfg["umap_dims"], neighbors)

    clusters = {"kmeans": kmeans_fit_predict(codes_fit, codes_val, seed=seed)}
    fit_embedding, val_embedding = embed(codes_fit, default_neighbors)
    clusters[RECORDED] = gmm_fit_predict(fit_embedding, val_embedding, seed=seed)
    for neighbors in other_neighbors:
        clusters[f"umap_gmm_neighbors_{neighbors}"] = gmm_fit_predict(*embed(codes_fit, neighbors), seed=seed)
    clusters["umap_gmm_n_init"] = gmm_fit_predict(fit_embedding, val_embedding, seed=seed, n_init=cfg["gmm_n_init"])
    clusters["umap_gmm_large_fit"] = gmm_fit_predict(*embed(codes_large, default_neighbors), seed=seed)
    return clusters


def run(ctx: Context) -> dict[str, Any]:
    started = time.time()
    cfg = dict(ctx.settings[NAME])
    x_train, y_train, _, _ = ctx.data()
    validation, large_fit, fit = split_training_images(
        len(x_train), cfg["validation_size"], cfg["large_fit_size"], cfg["fit_size"]
    )
    y_validation = y_train[validation]
    config = {
        **cfg,
        "split_seed": SCREEN_SPLIT_SEED,
        "scored_on": f"{len(validation):,} training images (never the test set)",
        "variants": variant_descriptions(cfg),
        "variant_labels": variant_labels(cfg),
        "rule": "a variant replaces the recorded method only if its mean validation ACC beats it by more than "
        "the larger standard deviation over seeds",
        "goal_acc": GOAL_ACC,
    }
    per_seed: list[dict[str, Any]] = []
    summaries: dict[str, Any] = {}
    for seed in ctx.seeds:
        record: dict[str, Any] = {"seed": seed}
        for dim in cfg["dims"]:
            feature = f"converged_{latent_label(dim)}"
            encoder = load_converged_model(ctx, "width", dim, seed).get_layer("encoder")
            codes_large, codes_val = encode_flat(encoder, x_train[large_fit]), encode_flat(encoder, x_train[validation])
            clusters = screen_codes(codes_large, codes_val, len(fit), cfg, seed)
            tic = time.time()
            dec = DEC(encoder, seed=seed).fit(x_train[fit], max_passes=cfg["dec_max_passes"])
            clusters["dec"] = dec.predict(x_train[validation])
            record[feature] = {name: cluster_scores(y_validation, found) for name, found in clusters.items()}
            record[feature]["dec"]["passes"] = dec.passes
            ctx.log(
                f"  clustering_screen seed {seed} {feature}: "
                + ", ".join(f"{name} {scores['acc']:.3f}" for name, scores in record[feature].items())
                + f" (DEC {dec.passes} passes, {time.time() - tic:.0f} s)"
            )
        per_seed.append(record)
        summaries = summarise(per_seed)
        complete = seed == ctx.seeds[-1]
        figures = (
            _plot(summaries, config["variant_labels"], ctx.experiment_dir(NAME) / "screen.png") if complete else []
        )
        ctx.write_results(
            NAME,
            config,
            per_seed,
            summaries,
            figures,
            started,
            complete=complete,
            extra={
                "adoptable": {feature: adoptable(summary) for feature, summary in summaries.items()},
                "table_markdown": screen_table(summaries, config["variant_labels"]),
            },
        )
    ctx.log("  clustering_screen:\n" + screen_table(summaries, config["variant_labels"]))
    return {"summary": summaries}


def variant_labels(cfg: dict[str, Any]) -> dict[str, str]:
    """Short names of the variants for the table, keyed like ``variant_descriptions``."""
    default, *others = cfg["umap_neighbors"]
    labels = {"kmeans": "k-means", RECORDED: f"UMAP + GMM, {default} neighbours (the recorded method)"}
    labels |= {f"umap_gmm_neighbors_{n}": f"UMAP + GMM, {n} neighbours" for n in others}
    labels |= {
        "umap_gmm_n_init": f"UMAP + GMM, best of {cfg['gmm_n_init']} mixture starts",
        "umap_gmm_large_fit": f"UMAP + GMM, fitted on {cfg['large_fit_size']:,} images",
        "dec": f"DEC refinement (at most {cfg['dec_max_passes']} passes)",
    }
    return labels


def screen_table(summary: dict[str, Any], labels: dict[str, str]) -> str:
    """One row per (codes, variant): its validation ACC / NMI / ARI, mean ± std; ``labels`` names the variants."""
    several = len(summary) > 1
    rows = [
        ((f"{feature}: " if several else "") + labels.get(name, name), fmt(s["acc"]), fmt(s["nmi"]), fmt(s["ari"]))
        for feature, methods in summary.items()
        for name, s in methods.items()
    ]
    rows.append(("goal: mean test ACC (DEC, published)", f"{GOAL_ACC:.3f}", "", ""))
    codes = "" if several else f" ({next(iter(summary), '')} codes)"
    return markdown_table((f"variant{codes}", "ACC", "NMI", "ARI"), rows, align=numbers_right(4))


def _wrap(label: str, width: int = 26) -> str:
    """A variant's label in lines of at most ``width`` characters, a parenthesis on a line of its own."""
    return "\n".join(textwrap.fill(part, width) for part in label.replace(" (", "\n(").split("\n"))


def _plot(summary: dict[str, Any], labels: dict[str, str], path) -> list[str]:
    several = len(summary) > 1
    rows = [
        ((f"{feature}: " if several else "") + labels.get(name, name), s["acc"])
        for feature, methods in summary.items()
        for name, s in methods.items()
    ]
    y = np.arange(len(rows))[::-1]
    fig, axis = column_figure(0.55 * len(rows) + 1.8)
    axis.barh(y, [acc["mean"] for _, acc in rows], xerr=[acc["std"] for _, acc in rows], capsize=3, color="tab:blue")
    axis.axvline(GOAL_ACC, color="grey", linestyle="--", linewidth=1, label=f"DEC, published: {GOAL_ACC}")
    axis.set_yticks(y, [_wrap(label) for label, _ in rows], fontsize=SMALL_FONT)
    axis.set_xlabel("ACC on held-out training images (Hungarian)")
    axis.set_xlim(0, 1)
    feature = next(iter(summary))
    named = "the 8-number code trained to its plateau" if feature == "converged_d8" else f"{feature} codes"
    codes = "" if several else f" on {named}"
    title = f"Clustering screen{codes}, scored on training labels only (mean ± std over seeds)"
    fig.suptitle(textwrap.fill(title, 64), fontsize=TITLE_FONT)
    fig.legend(loc="outside lower center", fontsize=SMALL_FONT)
    axis.grid(axis="x", alpha=0.3)
    save_column_figure(fig, path)
    return [path.name]
