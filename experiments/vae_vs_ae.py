"""Issue 15, chapter 9's claim at an equal budget: does the VAE reconstruct worse than a plain autoencoder?

The VAE (``cae_ref.vae.build_vae``) and its deterministic twin (the same encoder without the
log-variance head, the same decoder; ``experiments.models.vae_twin_autoencoder``) train with the
same 2-D code, epochs, batch size, optimiser and seeds on the same images. Scored on the test
images: PSNR and SSIM of reconstructions (the VAE decodes its mean code), the summed-BCE
reconstruction term in nats per image for both, the VAE's ELBO, and the two latent spaces side by side.
"""

from __future__ import annotations

import time
from typing import Any

import matplotlib.pyplot as plt
import numpy as np

from cae_ref.data import CLASS_NAMES
from cae_ref.latent import encode_flat
from cae_ref.metrics import image_metrics, reconstruct
from cae_ref.tables import markdown_table, numbers_right
from cae_ref.training import EpochTimer, set_global_seed
from cae_ref.vae import build_vae
from experiments.common import Context
from experiments.figure_style import SMALL_FONT, TITLE_FONT, column_figure, save_column_figure
from experiments.models import vae_twin_config
from experiments.stats import fmt, summarise

NAME = "vae_vs_ae"


def summed_bce(images: np.ndarray, outputs: np.ndarray) -> float:
    """Binary cross-entropy summed over the pixels of each image, averaged over images (nats)."""
    p = np.clip(outputs.astype(np.float64), 1e-7, 1 - 1e-7)
    x = images.astype(np.float64)
    return float(np.mean(-np.sum(x * np.log(p) + (1 - x) * np.log(1 - p), axis=(1, 2, 3))))


def run(ctx: Context) -> dict[str, Any]:
    started = time.time()
    cfg = dict(ctx.settings[NAME])
    _, _, x_test, y_test = ctx.data()
    x_train, _ = ctx.train_data(NAME)
    config = {
        **cfg,
        "train_images": len(x_train),
        "test_images": len(x_test),
        "learning_rate": 1e-3,
        "reconstruction_nats": "BCE summed over the 784 pixels per test image (mean code for the VAE)",
        "elbo": "the VAE's test ELBO, one sample of z per image (nats per image)",
    }
    per_seed: list[dict[str, Any]] = []
    scatter: dict[str, np.ndarray] = {}
    for seed in ctx.seeds:
        ctx.log(f"  vae_vs_ae seed {seed}")
        set_global_seed(seed)
        vae = build_vae(latent_dim=cfg["latent_dim"], seed=seed)
        timer = EpochTimer()
        tic = time.perf_counter()
        vae.fit(x_train, epochs=cfg["epochs"], batch_size=cfg["batch_size"], shuffle=True, verbose=0, callbacks=[timer])
        vae_seconds = time.perf_counter() - tic
        evaluation = vae.evaluate(x_test, batch_size=512, verbose=0, return_dict=True)
        ae, ae_record = ctx.models.train_or_load(vae_twin_config(ctx.settings, seed), x_train)
        vae_out, ae_out = reconstruct(vae, x_test), reconstruct(ae, x_test)
        record = {
            "seed": seed,
            "vae": {
                **image_metrics(x_test, vae_out),
                "reconstruction_nats": summed_bce(x_test, vae_out),
                "test_elbo": -float(evaluation["loss"]),
                "test_kl": float(evaluation["kl"]),
                "parameters": int(vae.count_params()),
                "train_seconds": round(vae_seconds, 2),
            },
            "autoencoder": {
                **image_metrics(x_test, ae_out),
                "reconstruction_nats": summed_bce(x_test, ae_out),
                "parameters": ae_record["parameters"],
                "train_seconds": ae_record["train_seconds"],
            },
        }
        record["psnr_gap_ae_minus_vae"] = record["autoencoder"]["psnr"] - record["vae"]["psnr"]
        ctx.log(f"    PSNR VAE {record['vae']['psnr']:.2f}, autoencoder {record['autoencoder']['psnr']:.2f} dB")
        per_seed.append(record)
        if seed == ctx.seeds[0]:
            count = min(cfg["scatter_points"], len(x_test))
            z_mean, _ = vae.encoder.predict(x_test[:count], batch_size=512, verbose=0)
            scatter = {
                "VAE (mean code)": np.asarray(z_mean),
                "autoencoder": encode_flat(ae.get_layer("encoder"), x_test[:count]),
            }
        summary = summarise(per_seed)
        complete = seed == ctx.seeds[-1]
        figures = _plot_latents(scatter, y_test, ctx.experiment_dir(NAME) / "latents.png") if complete else []
        ctx.write_results(
            NAME,
            config,
            per_seed,
            summary,
            figures,
            started,
            complete=complete,
            extra={"table_markdown": _table(summary)},
        )
    ctx.log("  vae_vs_ae:\n" + _table(summary))
    return {"summary": summary}


def _table(summary: dict[str, Any]) -> str:
    rows = []
    for model in ("vae", "autoencoder"):
        entry = summary[model]
        elbo = fmt(entry["test_elbo"], 1) if "test_elbo" in entry else "—"
        rows.append(
            (
                model,
                f"{int(entry['parameters']['mean']):,}",
                fmt(entry["psnr"], 2),
                fmt(entry["ssim"], 3),
                fmt(entry["reconstruction_nats"], 1),
                elbo,
            )
        )
    headers = ("model", "parameters", "PSNR (dB)", "SSIM", "reconstruction (nats)", "ELBO (nats)")
    return markdown_table(headers, rows, align=numbers_right(6))


def _plot_latents(scatter: dict[str, np.ndarray], labels: np.ndarray, path) -> list[str]:
    fig, axes = column_figure(3.9, ncols=2)
    colours = plt.get_cmap("tab10")
    for axis, (title, points) in zip(axes, scatter.items(), strict=True):
        for class_id, class_name in enumerate(CLASS_NAMES):
            mask = labels[: len(points)] == class_id
            axis.scatter(*points[mask].T, s=4, alpha=0.6, color=colours(class_id), label=class_name)
        axis.set_title(f"{title}:\n2-D code of test images", fontsize=TITLE_FONT)
        axis.set_xlabel("code 1")
        axis.set_ylabel("code 2")
    handles, names = axes[1].get_legend_handles_labels()
    fig.legend(handles, names, markerscale=4, fontsize=SMALL_FONT, loc="outside lower center", ncol=5, frameon=False)
    save_column_figure(fig, path)
    return [path.name]
