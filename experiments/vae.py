"""Experiment 5: the variational autoencoder (the report's named next step).

Test ELBO in nats per image (reconstruction BCE summed over pixels + KL), samples from the
prior, latent interpolation between classes and, for a 2-D code, the decoded latent manifold.
"""

from __future__ import annotations

import time
from typing import Any

import matplotlib.pyplot as plt
import numpy as np

from cae_ref._tf import keras
from cae_ref.data import CLASS_NAMES
from cae_ref.metrics import image_metrics, reconstruct
from cae_ref.plots import plot_image_rows, plot_latent_scatter
from cae_ref.training import EpochTimer, set_global_seed
from cae_ref.vae import build_vae, interpolate, sample_prior
from experiments.common import Context
from experiments.figure_style import FIGURE_WIDTH, TITLE_FONT, column_figure, save_column_figure
from experiments.stats import fmt, summarise

NAME = "vae"
# Pairs of classes to walk between: (start, end) class ids.
INTERPOLATION_PAIRS = ((0, 1), (7, 9), (5, 8), (2, 3))


def run(ctx: Context) -> dict[str, Any]:
    started = time.time()
    cfg = dict(ctx.settings["vae"])
    _, _, x_test, y_test = ctx.data()
    x_train, _ = ctx.train_data(NAME)
    folder = ctx.experiment_dir(NAME)
    config = {
        **cfg,
        "train_images": len(x_train),
        "test_images": len(x_test),
        "learning_rate": 1e-3,
        "elbo": "nats per test image, one sample of z per image; negative ELBO = reconstruction + KL",
    }
    per_seed: list[dict[str, Any]] = []
    figures: list[str] = []
    for seed in ctx.seeds:
        ctx.log(f"  vae seed {seed}")
        set_global_seed(seed)
        vae = build_vae(latent_dim=cfg["latent_dim"], seed=seed)
        timer = EpochTimer()
        tic = time.perf_counter()
        keras.utils.set_random_seed(seed)
        history = vae.fit(
            x_train,
            epochs=cfg["epochs"],
            batch_size=cfg["batch_size"],
            shuffle=True,
            verbose=0,
            callbacks=[timer],
        )
        evaluation = vae.evaluate(x_test, batch_size=512, verbose=0, return_dict=True)
        train_seconds = time.perf_counter() - tic
        metrics = image_metrics(x_test, reconstruct(vae, x_test))
        record = {
            "seed": seed,
            "test_negative_elbo": float(evaluation["loss"]),
            "test_elbo": -float(evaluation["loss"]),
            "test_reconstruction": float(evaluation["reconstruction"]),
            "test_kl": float(evaluation["kl"]),
            "test_mean_code": metrics,
            "parameters": int(vae.count_params()),
            "train_seconds": round(train_seconds, 2),
            "loss_per_epoch": [float(v) for v in history.history["loss"]],
        }
        ctx.log(
            f"    test ELBO {record['test_elbo']:.1f} nats (reconstruction {record['test_reconstruction']:.1f}, "
            f"KL {record['test_kl']:.2f}), PSNR {metrics['psnr']:.2f}"
        )
        per_seed.append(record)
        if seed == ctx.seeds[0]:
            figures += _figures(vae, x_test, y_test, cfg, folder, seed)
        summary = summarise(per_seed)
        ctx.write_results(NAME, config, per_seed, summary, figures, started, complete=seed == ctx.seeds[-1])
    ctx.log(f"  vae: test ELBO {fmt(summary['test_elbo'], 1)} nats")
    return {"summary": summary}


def _grid(images: np.ndarray, rows: int, cols: int, path, title: str) -> None:
    fig, axes = column_figure(FIGURE_WIDTH * rows / cols + 0.4, nrows=rows, ncols=cols, squeeze=False)
    for index, axis in enumerate(axes.flat):
        axis.axis("off")
        if index < len(images):
            axis.imshow(np.asarray(images[index]).reshape(28, 28), cmap="gray", vmin=0, vmax=1)
    fig.suptitle(title, fontsize=TITLE_FONT)
    save_column_figure(fig, path)


def _figures(vae, x_test, y_test, cfg, folder, seed) -> list[str]:
    names = []
    samples = sample_prior(vae.decoder, cfg["num_samples"], seed=seed)
    side = int(np.ceil(np.sqrt(cfg["num_samples"])))
    _grid(samples, side, side, folder / "prior_samples.png", "Samples from the prior N(0, I)")
    names.append("prior_samples.png")
    z_mean, _ = vae.encoder.predict(x_test, batch_size=512, verbose=0)
    steps = 10
    walks = {}
    for start, end in INTERPOLATION_PAIRS:
        a = z_mean[np.flatnonzero(y_test == start)[0]]
        b = z_mean[np.flatnonzero(y_test == end)[0]]
        walks[f"{CLASS_NAMES[start]}\n→ {CLASS_NAMES[end]}"] = interpolate(vae.decoder, a, b, steps=steps)
    fig = plot_image_rows(walks, num_images=steps)
    fig.suptitle("Straight-line interpolation between the codes of two test images")
    fig.tight_layout()
    fig.savefig(folder / "interpolation.png", dpi=120, bbox_inches="tight")
    plt.close(fig)
    names.append("interpolation.png")
    if cfg["latent_dim"] == 2:
        plot_latent_scatter(
            z_mean[:5000],
            y_test[:5000],
            title="VAE latent means, test images",
            axis_labels=("z 1", "z 2"),
            path=folder / "latent_means.png",
        )
        plt.close("all")
        names.append("latent_means.png")
        n = 12
        axis_values = np.linspace(-2.5, 2.5, n, dtype=np.float32)
        codes = np.array([[x, y] for y in axis_values[::-1] for x in axis_values], dtype=np.float32)
        manifold = np.asarray(vae.decoder.predict(codes, verbose=0))
        _grid(manifold, n, n, folder / "manifold.png", "Decoded 2-D latent grid, z in [-2.5, 2.5]²")
        names.append("manifold.png")
    return names
