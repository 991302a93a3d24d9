"""Anomaly detection by reconstruction error, one held-out class at a time (the book's page "Anomaly detection").

For each class in turn the baseline CAE (185,217 parameters, BCE, Adam 1e-3) trains on a fixed
random subset of the training images with that class removed, so it sees only the nine other
("normal") classes. Every test image is then scored by its reconstruction error (mean squared
error per image, ``cae_ref.anomaly.reconstruction_errors``), and the ROC AUC of that score for
"is the held-out class" is computed with scikit-learn (``cae_ref.anomaly.anomaly_auc``). An AUC
of 1 means every held-out image has a larger error than every normal one; 0.5 means chance.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import numpy as np

from cae_ref.anomaly import anomaly_auc, anomaly_mask, reconstruction_errors
from cae_ref.data import CLASS_NAMES
from cae_ref.metrics import reconstruct
from cae_ref.tables import markdown_table, numbers_right
from experiments.common import Context
from experiments.figure_style import DPI, FIGURE_WIDTH
from experiments.model_cache import ModelConfig
from experiments.models import autoencoder
from experiments.stats import fmt, summarise

NAME = "anomaly"
EXAMPLES = 6  # held-out test images shown per class in examples.png


def class_key(class_id: int) -> str:
    return f"class_{class_id}"


def anomaly_config(settings: dict[str, Any], held_out: int, seed: int) -> ModelConfig:
    """The baseline CAE trained without class ``held_out`` (the cache key also digests its images)."""
    cfg = settings[NAME]
    return ModelConfig(
        name=f"anomaly_without_{held_out}",
        builder=autoencoder,
        epochs=cfg["epochs"],
        batch_size=cfg["batch_size"],
        seed=seed,
    )


def run(ctx: Context) -> dict[str, Any]:
    started = time.time()
    cfg = dict(ctx.settings[NAME])
    _, _, x_test, y_test = ctx.data()
    x_pool, y_pool = ctx.train_data(NAME)
    config = {
        **cfg,
        "train_pool_images": len(x_pool),
        "test_images": len(x_test),
        "architecture": "baseline CAE (32/64/128, 185,217 parameters), BCE loss, Adam 1e-3",
        "protocol": "one model per held-out class and seed, trained on the pool without that class; "
        "every test image scored, the held-out class is the anomaly",
        "score": "mean squared error between a test image and its reconstruction",
        "auc": "sklearn.metrics.roc_auc_score(is_held_out_class, error)",
    }
    per_seed: list[dict[str, Any]] = []
    errors_seed0: dict[int, np.ndarray] = {}
    examples: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
    for seed in ctx.seeds:
        record: dict[str, Any] = {"seed": seed, "classes": {}}
        for held_out in cfg["held_out_classes"]:
            train_mask = ~anomaly_mask(y_pool, [held_out])
            truth = anomaly_mask(y_test, [held_out])
            model, fit = ctx.models.train_or_load(anomaly_config(ctx.settings, held_out, seed), x_pool[train_mask])
            errors = reconstruction_errors(model, x_test)
            entry = {
                "auc": anomaly_auc(errors, truth),
                "error_normal": float(errors[~truth].mean()),
                "error_anomaly": float(errors[truth].mean()),
                "train_images": int(train_mask.sum()),
                "train_seconds": fit["train_seconds"],
            }
            record["classes"][class_key(held_out)] = entry
            ctx.log(f"  anomaly seed {seed} held out {CLASS_NAMES[held_out]}: AUC {entry['auc']:.3f}")
            if seed == ctx.seeds[0]:
                errors_seed0[held_out] = errors
                shown = x_test[truth][:EXAMPLES]
                examples[held_out] = (shown, reconstruct(model, shown), errors[truth][:EXAMPLES])
        aucs = [c["auc"] for c in record["classes"].values()]
        record["mean_auc"] = float(np.mean(aucs))
        per_seed.append(record)
        summary = summarise(per_seed)
        complete = seed == ctx.seeds[-1]
        figures: list[str] = []
        if complete:
            folder = ctx.experiment_dir(NAME)
            ranked = sorted(cfg["held_out_classes"], key=lambda c: summary["classes"][class_key(c)]["auc"]["mean"])
            hardest, easiest = ranked[0], ranked[-1]
            _plot_auc(summary, cfg["held_out_classes"], folder / "auc_by_class.png")
            _plot_histograms(errors_seed0, y_test, (easiest, hardest), folder / "errors.png")
            _plot_examples(examples, (easiest, hardest), folder / "examples.png")
            figures = ["auc_by_class.png", "errors.png", "examples.png"]
        ctx.write_results(
            NAME,
            config,
            per_seed,
            summary,
            figures,
            started,
            complete=complete,
            extra={"class_names": list(CLASS_NAMES), "table_markdown": _table(summary, cfg["held_out_classes"])},
        )
    ctx.log("  anomaly:\n" + _table(summary, cfg["held_out_classes"]))
    return {"summary": summary}


def _table(summary: dict[str, Any], classes: list[int]) -> str:
    rows = []
    for class_id in classes:
        entry = summary["classes"][class_key(class_id)]
        rows.append(
            (
                CLASS_NAMES[class_id],
                fmt(entry["auc"], 3),
                f"{entry['error_normal']['mean']:.4f}",
                f"{entry['error_anomaly']['mean']:.4f}",
            )
        )
    rows.append(("mean over classes", fmt(summary["mean_auc"], 3), "", ""))
    headers = ("held-out class", "ROC AUC", "error, normal", "error, held out")
    return markdown_table(headers, rows, align=numbers_right(4))


def _plot_auc(summary: dict[str, Any], classes: list[int], path: Path) -> None:
    means = [summary["classes"][class_key(c)]["auc"]["mean"] for c in classes]
    stds = [summary["classes"][class_key(c)]["auc"]["std"] for c in classes]
    fig, axis = plt.subplots(figsize=(FIGURE_WIDTH, 0.32 * len(classes) + 1.2))
    positions = np.arange(len(classes))
    axis.barh(positions, means, xerr=stds, color="tab:blue", capsize=3)
    axis.axvline(0.5, color="k", linestyle="--", linewidth=1, label="chance (0.5)")
    axis.set_yticks(positions, [CLASS_NAMES[c] for c in classes], fontsize=9)
    axis.invert_yaxis()
    axis.set_xlim(0.0, 1.0)
    axis.set_xlabel("ROC AUC (mean ± std over seeds)", fontsize=9)
    axis.set_title("Held-out class as the anomaly", fontsize=10)
    axis.legend(fontsize=9, loc="lower right")
    axis.tick_params(labelsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=DPI, bbox_inches="tight")
    plt.close(fig)


def _plot_histograms(errors: dict[int, np.ndarray], labels: np.ndarray, classes: tuple[int, ...], path: Path) -> None:
    fig, axes = plt.subplots(1, len(classes), figsize=(FIGURE_WIDTH, 2.6), squeeze=False)
    for axis, class_id in zip(axes[0], classes, strict=True):
        values = errors[class_id]
        truth = labels == class_id
        bins = np.linspace(0.0, float(np.quantile(values, 0.995)), 40)
        axis.hist(values[~truth], bins=bins, density=True, alpha=0.6, label="normal")
        axis.hist(values[truth], bins=bins, density=True, alpha=0.6, label="held out")
        axis.set_title(f"held out: {CLASS_NAMES[class_id]}", fontsize=10)
        axis.set_xlabel("reconstruction error (MSE)", fontsize=9)
        axis.tick_params(labelsize=9)
        axis.set_yticks([])
    axes[0][0].set_ylabel("share of images", fontsize=9)
    axes[0][0].legend(fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=DPI, bbox_inches="tight")
    plt.close(fig)


def _plot_examples(
    examples: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]], classes: tuple[int, ...], path: Path
) -> None:
    count = min(len(examples[c][0]) for c in classes)
    fig, axes = plt.subplots(2 * len(classes), count, figsize=(FIGURE_WIDTH, 2.1 * len(classes)), squeeze=False)
    for block, class_id in enumerate(classes):
        images, outputs, errors = examples[class_id]
        for col in range(count):
            top, bottom = axes[2 * block, col], axes[2 * block + 1, col]
            top.imshow(images[col].reshape(28, 28), cmap="gray", vmin=0, vmax=1)
            bottom.imshow(outputs[col].reshape(28, 28), cmap="gray", vmin=0, vmax=1)
            bottom.set_title(f"MSE {errors[col]:.3f}", fontsize=9)
            for axis in (top, bottom):
                axis.set_xticks([])
                axis.set_yticks([])
        axes[2 * block, 0].set_ylabel(CLASS_NAMES[class_id], fontsize=9)
        axes[2 * block + 1, 0].set_ylabel("rebuilt", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=DPI, bbox_inches="tight")
    plt.close(fig)
