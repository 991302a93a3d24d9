"""Experiment 2 (question 2): how reconstruction quality depends on the size of the code."""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from cae_ref.metrics import image_metrics, reconstruct
from cae_ref.tables import markdown_table
from experiments.common import Context
from experiments.figure_style import TITLE_FONT, column_figure, save_column_figure, save_image_rows
from experiments.models import code_size, latent_label, trained_bottleneck
from experiments.stats import fmt, summarise

NAME = "bottleneck"


def run(ctx: Context) -> dict[str, Any]:
    started = time.time()
    cfg = dict(ctx.settings["bottleneck"])
    _, _, x_test, y_test = ctx.data()
    x_train, _ = ctx.train_data(NAME)
    folder = ctx.experiment_dir(NAME)
    dims = cfg["latent_dims"]
    labels = [latent_label(d) for d in dims]
    config = {
        **cfg,
        "code_sizes": [code_size(d) for d in dims],
        "labels": labels,
        "train_images": len(x_train),
        "test_images": len(x_test),
        "note": "dense bottleneck (Flatten + Dense) for integer sizes; 'conv' is the baseline's 7x7x128 code",
    }
    per_seed: dict[int, dict[str, Any]] = {seed: {"seed": seed, "sizes": {}} for seed in ctx.seeds}
    grid_rows: dict[str, np.ndarray] = {"original": x_test[:10]}
    figures: list[str] = []
    for latent_dim, label in zip(dims, labels, strict=True):
        for seed in ctx.seeds:
            ctx.log(f"  bottleneck {label} seed {seed}")
            model, record = trained_bottleneck(ctx, latent_dim, x_train, cfg["epochs"], seed)
            outputs = reconstruct(model, x_test)
            metrics = image_metrics(x_test, outputs)
            per_seed[seed]["sizes"][label] = {
                "code_size": code_size(latent_dim),
                "parameters": record["parameters"],
                "train_seconds": record["train_seconds"],
                **metrics,
            }
            if seed == ctx.seeds[0]:
                name = f"reconstructions_{label}.png"
                save_image_rows({"original": x_test, "reconstruction": outputs}, y_test, folder / name)
                figures.append(name)
                grid_rows[f"{code_size(latent_dim)}-d"] = outputs[:10]
        done = [per_seed[s] for s in ctx.seeds]
        summary = summarise(done)
        complete = label == labels[-1]
        table = _table(summary, labels)
        if complete:
            save_image_rows(grid_rows, y_test[:10], folder / "reconstruction_grid.png")
            _plot_curve(summary, labels, folder / "curve.png")
            figures += ["reconstruction_grid.png", "curve.png"]
            (folder / "table.md").write_text(table + "\n")
            figures_and_table = [*figures, "table.md"]
        else:
            figures_and_table = list(figures)
        ctx.write_results(
            NAME, config, done, summary, figures_and_table, started, complete=complete, extra={"table_markdown": table}
        )
    ctx.log("  bottleneck:\n" + table)
    return {"summary": summary}


def _table(summary: dict[str, Any], labels: list[str]) -> str:
    sizes = summary.get("sizes", {})
    rows = [
        (
            f"{int(entry['code_size']['mean']):,}",
            f"{int(entry['parameters']['mean']):,}",
            fmt(entry["mse"], 5),
            fmt(entry["psnr"], 2),
            fmt(entry["ssim"], 3),
        )
        for entry in (sizes[label] for label in labels if label in sizes)
    ]
    return markdown_table(("code size", "parameters", "MSE", "PSNR (dB)", "SSIM"), rows, align="right")


def _plot_curve(summary: dict[str, Any], labels: list[str], path) -> None:
    """MSE, PSNR and SSIM against code size, three panels stacked to fit the book's column."""
    sizes = summary["sizes"]
    x = [sizes[label]["code_size"]["mean"] for label in labels]
    fig, axes = column_figure(5.6, nrows=3, sharex=True)
    for axis, (metric, title) in zip(axes, (("mse", "MSE"), ("psnr", "PSNR (dB)"), ("ssim", "SSIM")), strict=True):
        means = [sizes[label][metric]["mean"] for label in labels]
        stds = [sizes[label][metric]["std"] for label in labels]
        axis.errorbar(x, means, yerr=stds, marker="o", capsize=3)
        axis.set_xscale("log")
        axis.set_ylabel(title)
        axis.grid(alpha=0.3, which="both")
    ticks = sorted({int(value) for value in x})
    axes[-1].minorticks_off()
    axes[-1].set_xticks(ticks, [f"{tick:,}" for tick in ticks])
    axes[-1].set_xlabel("code size (numbers, log scale)")
    fig.suptitle("Test reconstruction quality against code size\n(mean ± std over seeds)", fontsize=TITLE_FONT)
    save_column_figure(fig, path)
