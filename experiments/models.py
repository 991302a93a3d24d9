"""The trained models several experiments share, each described by a config for the model cache.

The baseline (the report's CAE and recipe) serves baseline, latent_space and few_label; the
dense-bottleneck autoencoders serve bottleneck and latent_space (its 2-D model); the denoisers
use the baseline architecture. The settings come from the profile (``experiments.profiles``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from cae_ref._tf import keras
from cae_ref.models import build_autoencoder, build_decoder, build_encoder, latent_shape
from experiments.model_cache import ModelConfig

if TYPE_CHECKING:
    from experiments.common import Context


def autoencoder(latent_dim: int | None = None) -> keras.Model:
    """The baseline CAE (32/64/128), with a dense bottleneck of ``latent_dim`` numbers when given."""
    return build_autoencoder(build_encoder(latent_dim=latent_dim), build_decoder(latent_dim=latent_dim))


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
