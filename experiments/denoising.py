"""Experiment 4: the denoising autoencoder against the noisy input and classical filters.

One denoiser (the baseline architecture, trained noisy -> clean) per training noise level;
each is scored at every test noise level, which gives the matched curve (diagonal) and the
train/test noise-level mismatch (off-diagonal). Gaussian and median filters from SciPy have
their size tuned per noise level on training images (best PSNR), so they get a fair chance.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
from scipy import ndimage

from cae_ref.metrics import image_metrics, psnr, reconstruct
from cae_ref.noise import add_gaussian_noise
from cae_ref.tables import markdown_table
from experiments.common import Context
from experiments.figure_style import SMALL_FONT, TITLE_FONT, column_figure, save_column_figure, save_image_rows
from experiments.models import denoiser_config
from experiments.stats import fmt, summarise

NAME = "denoising"
GAUSSIAN_SIGMAS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0)
MEDIAN_SIZES = (2, 3, 4, 5)
# The TensorFlow autoencoder tutorial's small denoiser (see the issue).
ANCHORS = {"tutorial_noise_0.2": {"psnr": 21.4, "ssim": 0.75}, "tutorial_noise_0.4": {"psnr": 18.5}}
TEST_NOISE_SEED = 777


def level_key(level: float) -> str:
    return f"noise_{level:.1f}"


def gaussian(images: np.ndarray, sigma: float) -> np.ndarray:
    return np.clip(ndimage.gaussian_filter(images, sigma=(0, sigma, sigma, 0)), 0.0, 1.0).astype(np.float32)


def median(images: np.ndarray, size: int) -> np.ndarray:
    return np.clip(ndimage.median_filter(images, size=(1, size, size, 1)), 0.0, 1.0).astype(np.float32)


def tune_filters(clean: np.ndarray, level: float) -> dict[str, float]:
    """Pick the Gaussian sigma and median size with the best PSNR on ``clean`` images at ``level``."""
    noisy = add_gaussian_noise(clean, level, seed=5)
    sigma = max(GAUSSIAN_SIGMAS, key=lambda s: psnr(clean, gaussian(noisy, s)))
    size = max(MEDIAN_SIZES, key=lambda k: psnr(clean, median(noisy, k)))
    return {"gaussian_sigma": float(sigma), "median_size": int(size)}


def run(ctx: Context) -> dict[str, Any]:
    started = time.time()
    cfg = dict(ctx.settings["denoising"])
    _, _, x_test, y_test = ctx.data()
    x_train, _ = ctx.train_data(NAME)
    folder = ctx.experiment_dir(NAME)
    config = {
        **cfg,
        "train_images": len(x_train),
        "test_images": len(x_test),
        "architecture": "baseline CAE (32/64/128), BCE loss, Adam 1e-3, noisy input -> clean target",
        "noise": "x + factor * N(0, 1), clipped to [0, 1]; test noise drawn once (seed 777) per level",
        "filters": f"Gaussian sigma in {GAUSSIAN_SIGMAS}, median size in {MEDIAN_SIZES}, tuned per level on "
        f"{cfg['filter_tune_images']} training images",
    }
    noisy_test = {
        lvl: add_gaussian_noise(x_test, lvl, seed=TEST_NOISE_SEED + round(lvl * 100)) for lvl in cfg["test_noise"]
    }
    # Deterministic baselines: the noisy input itself and the tuned classical filters.
    ctx.log("  denoising: classical filters")
    classical: dict[str, Any] = {}
    tune_set = x_train[: cfg["filter_tune_images"]]
    for lvl in cfg["test_noise"]:
        params = tune_filters(tune_set, lvl)
        classical[level_key(lvl)] = {
            **params,
            "noisy_input": image_metrics(x_test, noisy_test[lvl]),
            "gaussian": image_metrics(x_test, gaussian(noisy_test[lvl], params["gaussian_sigma"])),
            "median": image_metrics(x_test, median(noisy_test[lvl], params["median_size"])),
        }
    per_seed: dict[int, dict[str, Any]] = {seed: {"seed": seed, "matched": {}, "mismatch": {}} for seed in ctx.seeds}
    figures: list[str] = []
    example_level = min(cfg["train_noise"], key=lambda lvl: abs(lvl - 0.3))
    for train_level in cfg["train_noise"]:
        for seed in ctx.seeds:
            ctx.log(f"  denoiser trained at {train_level} seed {seed}")
            noisy_train = add_gaussian_noise(x_train, train_level, seed=1000 + seed)
            model, _ = ctx.models.train_or_load(denoiser_config(ctx.settings, train_level, seed), noisy_train, x_train)
            row = {}
            for lvl in cfg["test_noise"]:
                outputs = reconstruct(model, noisy_test[lvl])
                row[level_key(lvl)] = image_metrics(x_test, outputs)
                if lvl == train_level:
                    per_seed[seed]["matched"][level_key(lvl)] = row[level_key(lvl)]
                if seed == ctx.seeds[0] and lvl == train_level == example_level:
                    params = classical[level_key(lvl)]
                    rows = {
                        "clean": x_test,
                        f"noisy {lvl}": noisy_test[lvl],
                        "Gaussian": gaussian(noisy_test[lvl][:10], params["gaussian_sigma"]),
                        "median": median(noisy_test[lvl][:10], params["median_size"]),
                        "denoiser": outputs,
                    }
                    save_image_rows(rows, y_test, folder / "examples.png")
                    figures.append("examples.png")
            per_seed[seed]["mismatch"][f"train_{train_level:.1f}"] = row
        done = [per_seed[s] for s in ctx.seeds]
        summary = summarise(done)
        complete = train_level == cfg["train_noise"][-1]
        if complete:
            _plot_curves(summary, classical, cfg, folder / "curves.png")
            _plot_mismatch(summary, cfg, folder / "mismatch.png")
            figures += ["curves.png", "mismatch.png"]
        table = _table(summary, classical, cfg)
        ctx.write_results(
            NAME,
            config,
            done,
            summary,
            figures,
            started,
            complete=complete,
            extra={"classical": classical, "anchors": ANCHORS, "table_markdown": table},
        )
    ctx.log("  denoising:\n" + table)
    return {"summary": summary}


def _table(summary: dict[str, Any], classical: dict[str, Any], cfg: dict[str, Any]) -> str:
    rows = []
    for lvl in cfg["test_noise"]:
        key = level_key(lvl)
        c = classical[key]
        cells = [f"{c[m]['psnr']:.2f} / {c[m]['ssim']:.3f}" for m in ("noisy_input", "gaussian", "median")]
        if key in summary.get("matched", {}):
            entry = summary["matched"][key]
            cells.append(f"{fmt(entry['psnr'], 2)} / {fmt(entry['ssim'], 3)}")
        else:
            cells.append("not trained at this level")
        rows.append((f"{lvl:.1f}", *cells))
    headers = ("noise", "noisy input PSNR / SSIM", "Gaussian", "median", "denoiser (matched)")
    return markdown_table(headers, rows, align="right")


def _plot_curves(summary: dict[str, Any], classical: dict[str, Any], cfg: dict[str, Any], path) -> None:
    fig, axes = column_figure(3.9, ncols=2)
    levels = cfg["test_noise"]
    for axis, metric, title in ((axes[0], "psnr", "PSNR (dB)"), (axes[1], "ssim", "SSIM")):
        for method, label in (("noisy_input", "noisy input"), ("gaussian", "Gaussian filter"), ("median", "median")):
            axis.plot(levels, [classical[level_key(lvl)][method][metric] for lvl in levels], marker="s", label=label)
        trained = [lvl for lvl in cfg["train_noise"] if level_key(lvl) in summary["matched"]]
        means = [summary["matched"][level_key(lvl)][metric]["mean"] for lvl in trained]
        stds = [summary["matched"][level_key(lvl)][metric]["std"] for lvl in trained]
        axis.errorbar(trained, means, yerr=stds, marker="o", capsize=3, label="denoising AE (matched)")
        axis.set_xticks(levels, [f"{lvl:.1f}" for lvl in levels], fontsize=SMALL_FONT)
        axis.set_xlabel("test noise factor")
        axis.set_ylabel(title)
        axis.grid(alpha=0.3)
    axes[0].plot([0.2, 0.4], [21.4, 18.5], "k*", markersize=9, label="TF tutorial denoiser")
    axes[1].plot([0.2], [0.75], "k*", markersize=9)
    fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center", ncol=3, fontsize=SMALL_FONT)
    fig.suptitle("Denoising: test PSNR and SSIM against noise\n(denoiser: mean ± std over seeds)", fontsize=TITLE_FONT)
    save_column_figure(fig, path)


def _plot_mismatch(summary: dict[str, Any], cfg: dict[str, Any], path) -> None:
    trains = cfg["train_noise"]
    tests = cfg["test_noise"]
    grid = np.array(
        [[summary["mismatch"][f"train_{t:.1f}"][level_key(s)]["psnr"]["mean"] for s in tests] for t in trains]
    )
    fig, axis = column_figure(0.8 * len(trains) + 1.0)
    image = axis.imshow(grid, cmap="viridis")
    # viridis runs from dark to bright yellow: dark text on the upper half of the scale.
    midpoint = (grid.min() + grid.max()) / 2
    for i in range(len(trains)):
        for j in range(len(tests)):
            colour = "black" if grid[i, j] > midpoint else "white"
            axis.text(j, i, f"{grid[i, j]:.1f}", ha="center", va="center", color=colour, fontsize=SMALL_FONT)
    axis.set_xticks(range(len(tests)), [f"{s:.1f}" for s in tests])
    axis.set_yticks(range(len(trains)), [f"{t:.1f}" for t in trains])
    axis.set_xlabel("test noise factor")
    axis.set_ylabel("training noise factor")
    axis.set_title("Denoiser PSNR (dB): train/test noise mismatch", fontsize=TITLE_FONT)
    fig.colorbar(image, ax=axis)
    save_column_figure(fig, path)
