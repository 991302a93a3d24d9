"""The trained models several experiments share, each described by a config for the model cache.

The baseline (the report's CAE and recipe) serves baseline, latent_space and few_label; the
dense-bottleneck autoencoders serve bottleneck and latent_space (its 2-D model); the denoisers
use the baseline architecture; ``matched_filters`` gives each bottleneck size the widths that keep
the baseline's 185,217 parameters (bottleneck_converged), whose converged models (``train_converged``)
the model cache keeps for clustering and clustering_all_images (``load_converged_model``); the VAE's
deterministic twin serves vae_vs_ae.
The settings come from the profile (``experiments.profiles``).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from cae_ref._tf import keras
from cae_ref.metrics import image_metrics, reconstruct
from cae_ref.models import BASELINE_FILTERS, build_autoencoder, build_decoder, build_encoder, latent_shape
from cae_ref.preprocessing import IMAGE_SHAPE
from cae_ref.training import EpochTimer, compile_autoencoder, set_global_seed, train_autoencoder
from cae_ref.vae import VAE_FILTERS
from experiments.model_cache import ModelConfig

if TYPE_CHECKING:
    from experiments.common import Context


BASELINE_PARAMETERS = 185_217  # the report's CAE


def autoencoder(latent_dim: int | None = None, filters: Sequence[int] = BASELINE_FILTERS) -> keras.Model:
    """The baseline CAE (32/64/128, or ``filters``), with a dense bottleneck of ``latent_dim`` numbers when given."""
    filters = tuple(filters)
    return build_autoencoder(
        build_encoder(filters, latent_dim=latent_dim), build_decoder(filters, latent_dim=latent_dim)
    )


def latent_label(latent_dim: int | None) -> str:
    """Name a bottleneck: ``d2``, ``d128``, ... or ``conv`` for the baseline's 7x7x128 feature map."""
    return "conv" if latent_dim is None else f"d{latent_dim}"


def code_size(latent_dim: int | None) -> int:
    """Numbers in one code: ``latent_dim``, or 7*7*128 = 6,272 for the convolutional code."""
    return int(np.prod(latent_shape(latent_dim=latent_dim)))


def baseline_config(settings: dict[str, Any], seed: int) -> ModelConfig:
    """The report's baseline at the profile's budget (``settings["baseline"]``)."""
    cfg = settings["baseline"]
    return ModelConfig(
        name="baseline",
        builder=autoencoder,
        epochs=cfg["epochs"],
        batch_size=cfg["batch_size"],
        seed=seed,
        learning_rate=cfg["learning_rate"],
        loss=cfg["loss"],
    )


def bottleneck_config(settings: dict[str, Any], latent_dim: int | None, epochs: int, seed: int) -> ModelConfig:
    """An autoencoder with a ``latent_dim`` bottleneck, at the bottleneck experiment's batch size."""
    return ModelConfig(
        name=f"ae_{latent_label(latent_dim)}",
        builder=autoencoder,
        builder_args=(("latent_dim", latent_dim),),
        epochs=epochs,
        batch_size=settings["bottleneck"]["batch_size"],
        seed=seed,
    )


def denoiser_config(settings: dict[str, Any], noise: float, seed: int) -> ModelConfig:
    """The baseline architecture trained noisy -> clean at input noise ``noise``."""
    cfg = settings["denoising"]
    return ModelConfig(
        name=f"denoise_{noise:.1f}",
        builder=autoencoder,
        epochs=cfg["epochs"],
        batch_size=cfg["batch_size"],
        seed=seed,
        noise=noise,
    )


def trained_baseline(ctx: Context, seed: int) -> tuple[keras.Model, dict[str, Any]]:
    """The baseline for ``seed``, trained on all of ``ctx.data()``'s training images (or from the cache)."""
    return ctx.models.train_or_load(baseline_config(ctx.settings, seed), ctx.data()[0])


def trained_bottleneck(
    ctx: Context, latent_dim: int | None, x_train: np.ndarray, epochs: int, seed: int
) -> tuple[keras.Model, dict[str, Any]]:
    """The ``latent_dim`` autoencoder trained on ``x_train`` (or from the cache)."""
    return ctx.models.train_or_load(bottleneck_config(ctx.settings, latent_dim, epochs, seed), x_train)


# ---------------------------------------------------------------- parameter-matched widths (issue 15)
PARAMETER_TOLERANCE = 0.05  # a matched model lies within ±5 % of the baseline's parameters


def autoencoder_parameters(filters: Sequence[int], latent_dim: int | None = None) -> int:
    """Parameters of ``autoencoder(latent_dim, filters)`` for three 3x3 conv blocks, by formula (no model built)."""
    f1, f2, f3 = filters
    convs = (9 * f1 + f1) + (9 * f1 * f2 + f2) + (9 * f2 * f3 + f3)  # encoder
    convs += (9 * f3 * f2 + f2) + (9 * f2 * f1 + f1) + (9 * f1 + 1)  # decoder: two transposed convs, output conv
    if latent_dim is None:
        return convs
    flat = 7 * 7 * f3
    return convs + (flat * latent_dim + latent_dim) + (latent_dim * flat + flat)


def matched_filters(
    latent_dim: int | None, target: int = BASELINE_PARAMETERS, tolerance: float = PARAMETER_TOLERANCE
) -> tuple[int, int, int]:
    """Filter widths (32, f2, f3) giving ``latent_dim``'s autoencoder ``target`` ± ``tolerance`` parameters.

    The first block keeps the baseline's 32 filters; among the (f2, f3) in the band the solver
    takes the one closest to the baseline's (64, 128) in log-width, so the conv code keeps the
    baseline itself. ValueError when no width lands in the band.
    """
    best: tuple[float, tuple[int, int, int]] | None = None
    for f2 in range(8, 129):
        for f3 in range(1, 257):
            count = autoencoder_parameters((32, f2, f3), latent_dim)
            if abs(count - target) > tolerance * target:
                continue
            distance = abs(np.log(f2 / 64)) + abs(np.log(f3 / 128)) + abs(count - target) / target
            if best is None or distance < best[0]:
                best = (distance, (32, f2, f3))
    if best is None:
        raise ValueError(f"no widths give latent_dim={latent_dim} {target:,} ± {tolerance:.0%} parameters")
    return best[1]


def matched_config(settings: dict[str, Any], latent_dim: int | None, seed: int) -> ModelConfig:
    """The ``latent_dim`` autoencoder with parameter-matched widths (``matched_filters``)."""
    filters = matched_filters(latent_dim)
    return ModelConfig(
        name=f"matched_{latent_label(latent_dim)}",
        builder=autoencoder,
        builder_args=(("latent_dim", latent_dim), ("filters", filters)),
        batch_size=settings["bottleneck_converged"]["batch_size"],
        seed=seed,
    )


def vae_twin_autoencoder(latent_dim: int = 2) -> keras.Model:
    """A plain autoencoder shaped like ``cae_ref.vae.build_vae``: its encoder without the log-variance head."""
    inputs = keras.Input(shape=IMAGE_SHAPE, name="image")
    x = inputs
    for index, count in enumerate(VAE_FILTERS):
        x = keras.layers.Conv2D(count, 3, activation="relu", padding="same", name=f"conv{index + 1}")(x)
        if index < len(VAE_FILTERS) - 1:
            x = keras.layers.MaxPooling2D(2, padding="same", name=f"pool{index + 1}")(x)
    x = keras.layers.Flatten(name="flatten")(x)
    x = keras.layers.Dense(128, activation="relu", name="hidden")(x)
    code = keras.layers.Dense(latent_dim, name="z_mean")(x)
    encoder = keras.Model(inputs, code, name="encoder")
    return build_autoencoder(encoder, build_decoder(VAE_FILTERS, latent_dim=latent_dim, name="decoder"))


def vae_twin_config(settings: dict[str, Any], seed: int) -> ModelConfig:
    """The VAE's deterministic twin at the ``vae_vs_ae`` experiment's budget (BCE, Adam 1e-3)."""
    cfg = settings["vae_vs_ae"]
    return ModelConfig(
        name=f"vae_twin_d{cfg['latent_dim']}",
        builder=vae_twin_autoencoder,
        builder_args=(("latent_dim", cfg["latent_dim"]),),
        epochs=cfg["epochs"],
        batch_size=cfg["batch_size"],
        seed=seed,
    )


# ---------------------------------------------------------------- converged models (bottleneck_converged)
CONVERGED = "bottleneck_converged"
CONVERGED_VAL_SEED = 0  # the validation split is the same for every model and seed


def run_id(family: str, latent_dim: int | None, seed: int) -> str:
    """``<family>_<size>_s<seed>``, the name of one run's record."""
    return f"{family}_{latent_label(latent_dim)}_s{seed}"


def converged_model_path(cache_dir: Path, family: str, latent_dim: int | None, seed: int) -> Path:
    """Where a run's converged model is kept in the model cache (not committed: up to 26 MB each)."""
    return Path(cache_dir) / CONVERGED / f"{run_id(family, latent_dim, seed)}.keras"


def load_converged_model(ctx: Context, family: str, latent_dim: int | None, seed: int) -> keras.Model:
    """The converged model of one recorded run, from the model cache; a clear error when it was not kept."""
    name = run_id(family, latent_dim, seed)
    record_path = ctx.experiment_dir(CONVERGED) / "runs" / f"{name}.json"
    path = None if ctx.cache_dir is None else converged_model_path(ctx.cache_dir, family, latent_dim, seed)
    if path is None or not path.is_file() or not record_path.is_file():
        raise FileNotFoundError(
            f"no converged model {name}: looked for {path} and its record {record_path}; train it with "
            f"`python -m cae_ref experiments --profile {ctx.profile} --only {CONVERGED}` (with the model cache on)"
        )
    return keras.saving.load_model(path, compile=False)


def train_converged(
    family: str, latent_dim: int | None, seed: int, cfg: dict[str, Any], splits: tuple
) -> tuple[keras.Model, dict[str, Any]]:
    """Train one model to its validation plateau and return it with its record (best epoch's weights)."""
    x_fit, x_val, x_test = splits
    filters = BASELINE_FILTERS if family == "width" else matched_filters(latent_dim)
    set_global_seed(seed)
    model = compile_autoencoder(autoencoder(latent_dim, filters))
    stopper = keras.callbacks.EarlyStopping(monitor="val_loss", patience=cfg["patience"], restore_best_weights=True)
    timer = EpochTimer()
    tic = time.perf_counter()
    history = train_autoencoder(
        model,
        x_fit,
        x_val,
        epochs=cfg["max_epochs"],
        batch_size=cfg["batch_size"],
        seed=seed,
        quiet=True,
        callbacks=[timer, stopper],
    )
    val_loss = [float(v) for v in history.history["val_loss"]]
    best = int(min(range(len(val_loss)), key=val_loss.__getitem__)) + 1
    record = {
        "family": family,
        "latent_dim": latent_dim,
        "seed": seed,
        "filters": list(filters),
        "code_size": code_size(latent_dim),
        "parameters": int(model.count_params()),
        "epochs_run": len(val_loss),
        "epochs_to_converge": best,
        "hit_cap": len(val_loss) == cfg["max_epochs"] and best > cfg["max_epochs"] - cfg["patience"],
        "loss": [float(v) for v in history.history["loss"]],
        "val_loss": val_loss,
        "epoch_seconds": [round(s, 2) for s in timer.seconds],
        "train_seconds": round(time.perf_counter() - tic, 2),
        "test": image_metrics(x_test, reconstruct(model, x_test)),
    }
    return model, record
