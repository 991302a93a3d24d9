"""Experiment 6: few-label classification with the encoder as a fixed feature extractor.

With only 10 or 100 labelled training images per class (drawn from all 60,000), a
standardised logistic regression and a kNN classifier are trained on the baseline encoder's
codes and, for comparison, on raw pixels; both are scored on the test images. Each model seed
averages several random draws of the labelled images.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from cae_ref.latent import encode_flat, flatten_pixels, knn_accuracy, linear_probe_accuracy
from cae_ref.preprocessing import preprocess_images, subset_per_class
from cae_ref.tables import markdown_table
from experiments.common import Context
from experiments.figure_style import SMALL_FONT, TITLE_FONT, column_figure, save_column_figure
from experiments.models import trained_baseline
from experiments.stats import fmt, summarise

NAME = "few_label"
CLASSIFIERS = ("logistic_regression", "knn")


def run(ctx: Context) -> dict[str, Any]:
    started = time.time()
    cfg = dict(ctx.settings["few_label"])
    _, _, x_test, y_test = ctx.data()
    pool_images, pool_labels = ctx.full_train_pool()
    folder = ctx.experiment_dir(NAME)
    config = {
        **cfg,
        "baseline_epochs": ctx.settings["baseline"]["epochs"],
        "label_pool": f"all {len(pool_labels):,} training images",
        "test_images": len(x_test),
        "classifiers": {
            "logistic_regression": "StandardScaler + LogisticRegression (cae_ref.linear_probe_accuracy)",
            "knn": f"k-nearest neighbours, k={cfg['knn_k']}, Euclidean",
        },
        "per_seed_value": f"mean over {cfg['draws']} random draws of the labelled images",
    }
    pixels_test = flatten_pixels(x_test)
    per_seed: list[dict[str, Any]] = []
    for seed in ctx.seeds:
        ctx.log(f"  few_label seed {seed}")
        model, _ = trained_baseline(ctx, seed)
        encoder = model.get_layer("encoder")
        codes_test = encode_flat(encoder, x_test)
        record: dict[str, Any] = {"seed": seed}
        draws_record: dict[str, Any] = {}
        for count in cfg["labels_per_class"]:
            scores: dict[str, dict[str, list[float]]] = {
                feature: {name: [] for name in CLASSIFIERS} for feature in ("codes", "pixels")
            }
            for draw in range(cfg["draws"]):
                keep = subset_per_class(pool_labels, count, seed=10_000 * (seed + 1) + 100 * count + draw)
                images = preprocess_images(pool_images[keep])
                labels = pool_labels[keep]
                features = {
                    "codes": (encode_flat(encoder, images), codes_test),
                    "pixels": (flatten_pixels(images), pixels_test),
                }
                for feature, (train, test) in features.items():
                    scores[feature]["logistic_regression"].append(
                        linear_probe_accuracy(train, labels, test, y_test, max_iter=cfg.get("probe_max_iter", 1000))
                    )
                    scores[feature]["knn"].append(knn_accuracy(train, labels, test, y_test, k=cfg["knn_k"]))
            key = f"labels_{count}_per_class"
            record[key] = {f: {c: float(np.mean(v)) for c, v in s.items()} for f, s in scores.items()}
            draws_record[key] = scores
            ctx.log(f"    {count}/class: {record[key]}")
        record["draws"] = draws_record
        per_seed.append(record)
        summary = summarise(per_seed)
        ctx.write_results(
            NAME, config, per_seed, summary, [], started, complete=False, extra={"table_markdown": _table(summary, cfg)}
        )
    _plot(summary, cfg, folder / "accuracy.png")
    table = _table(summary, cfg)
    ctx.write_results(NAME, config, per_seed, summary, ["accuracy.png"], started, extra={"table_markdown": table})
    ctx.log("  few_label:\n" + table)
    return {"summary": summary}


def _table(summary: dict[str, Any], cfg: dict[str, Any]) -> str:
    rows = []
    for count in cfg["labels_per_class"]:
        entry = summary[f"labels_{count}_per_class"]
        rows.append((count, *(fmt(entry[f][c], 3) for c in CLASSIFIERS for f in ("codes", "pixels"))))
    headers = ("labels per class", "logistic regression: codes", "pixels", "kNN: codes", "pixels")
    return markdown_table(headers, rows, align="right")


NAMES = {"logistic_regression": "linear probe", "knn": "kNN-5"}  # the figure's labels for a reader


def _plot(summary: dict[str, Any], cfg: dict[str, Any], path) -> None:
    counts = cfg["labels_per_class"]
    fig, axis = column_figure(3.8)
    for feature, style in (("codes", "-"), ("pixels", "--")):
        for classifier, marker in zip(CLASSIFIERS, ("o", "s"), strict=True):
            means = [summary[f"labels_{c}_per_class"][feature][classifier]["mean"] for c in counts]
            stds = [summary[f"labels_{c}_per_class"][feature][classifier]["std"] for c in counts]
            axis.errorbar(
                counts,
                means,
                yerr=stds,
                linestyle=style,
                marker=marker,
                capsize=3,
                label=f"{NAMES[classifier]}, {feature}",
            )
    axis.set_xscale("log")
    axis.set_xticks(counts, [str(c) for c in counts])
    axis.set_xlabel("labelled training images per class")
    axis.set_ylabel("test accuracy")
    axis.set_title("Few-label classification (mean ± std over seeds)", fontsize=TITLE_FONT)
    axis.grid(alpha=0.3)
    axis.legend(fontsize=SMALL_FONT)
    save_column_figure(fig, path)
