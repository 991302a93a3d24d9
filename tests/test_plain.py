"""The plain builders the book shows are the network cae_ref runs (the drift guard of chapter 4)."""

from __future__ import annotations

import numpy as np
import pytest

from cae_ref._tf import keras
from cae_ref.grader import checks
from cae_ref.models import build_autoencoder, build_decoder, build_encoder
from cae_ref.noise import add_gaussian_noise
from cae_ref.plain import (
    build_plain_autoencoder,
    build_plain_bottleneck,
    build_plain_decoder,
    build_plain_encoder,
    build_plain_strided_encoder,
    encode_plain,
    fit_plain,
    fit_plain_denoiser,
)
from cae_ref.training import compile_autoencoder, train_autoencoder


def _signature(model: keras.Model) -> list[tuple[str, tuple, int, str | None]]:
    """Type, output shape, parameter count and activation of every layer, nested models unrolled."""
    rows = []
    for layer in checks.iter_layers(model):
        activation = getattr(layer, "activation", None)
        rows.append(
            (
                type(layer).__name__,
                tuple(layer.output.shape[1:]),
                layer.count_params(),
                getattr(activation, "__name__", None),
            )
        )
    return rows


def test_plain_encoder_is_build_encoder():
    assert _signature(build_plain_encoder()) == _signature(build_encoder())


def test_plain_strided_encoder_is_build_encoder_with_strides():
    assert _signature(build_plain_strided_encoder()) == _signature(build_encoder(downsampling="stride"))
    assert _signature(build_plain_strided_encoder()) != _signature(build_plain_encoder())
    plain = build_plain_autoencoder(build_plain_strided_encoder(), build_plain_decoder())
    assert plain.count_params() == 185_217


def test_plain_decoder_is_build_decoder():
    assert _signature(build_plain_decoder()) == _signature(build_decoder())


def test_plain_autoencoder_has_the_reports_185217_parameters():
    plain = build_plain_autoencoder(build_plain_encoder(), build_plain_decoder())
    assert plain.count_params() == build_autoencoder().count_params() == 185_217
    assert _signature(plain) == _signature(build_autoencoder())


@pytest.mark.parametrize("latent_dim", [2, 32])
def test_plain_bottleneck_is_build_encoder_with_latent_dim(latent_dim):
    encoder, decoder = build_plain_bottleneck(latent_dim)
    assert _signature(encoder) == _signature(build_encoder(latent_dim=latent_dim))
    assert _signature(decoder) == _signature(build_decoder(latent_dim=latent_dim))


def test_plain_layer_kinds_are_what_chapter_4_names():
    kinds = [row[0] for row in _signature(build_plain_encoder()) + _signature(build_plain_decoder())]
    encoder_kinds = ["Conv2D", "MaxPooling2D", "Conv2D", "MaxPooling2D", "Conv2D"]
    decoder_kinds = ["Conv2DTranspose", "Conv2DTranspose", "Conv2D"]
    assert kinds == encoder_kinds + decoder_kinds


def test_encode_plain_gives_one_flat_row_per_image():
    images = np.random.default_rng(0).random((5, 28, 28, 1)).astype(np.float32)
    codes = encode_plain(build_plain_encoder(), images)
    assert codes.shape == (5, 7 * 7 * 128)


def _twins() -> tuple[keras.Model, keras.Model]:
    """Two plain autoencoders with the same initial weights."""
    first = build_plain_autoencoder(build_plain_encoder(), build_plain_decoder())
    second = build_plain_autoencoder(build_plain_encoder(), build_plain_decoder())
    second.set_weights(first.get_weights())
    return first, second


def _unit_images(count: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).random((count, 28, 28, 1), dtype=np.float32)


def test_fit_plain_is_the_recipe_that_train_autoencoder_runs():
    """Chapter 5 shows fit_plain and trains with compile_autoencoder + train_autoencoder: same losses."""
    x_train, x_val = _unit_images(16, 0), _unit_images(8, 1)
    shown, run = _twins()
    plain = fit_plain(shown, x_train, x_val, epochs=2, batch_size=16).history  # one batch: order cannot matter
    recipe = train_autoencoder(compile_autoencoder(run), x_train, x_val, epochs=2, batch_size=16, quiet=True).history
    for key in ("loss", "val_loss"):
        np.testing.assert_allclose(plain[key], recipe[key], rtol=1e-5, err_msg=key)
    assert plain["loss"][1] < plain["loss"][0], "two epochs of Adam should lower the loss"


def test_fit_plain_denoiser_is_train_autoencoder_with_clean_targets():
    """Chapter 8 shows fit_plain_denoiser and trains with train_autoencoder(..., y_train=clean): same losses."""
    x_train, x_val = _unit_images(16, 2), _unit_images(8, 3)
    noisy_train, noisy_val = add_gaussian_noise(x_train, 0.3, seed=1), add_gaussian_noise(x_val, 0.3, seed=2)
    shown, run = _twins()
    plain = fit_plain_denoiser(shown, noisy_train, x_train, noisy_val, x_val, epochs=2, batch_size=16).history
    recipe = train_autoencoder(
        compile_autoencoder(run),
        noisy_train,
        noisy_val,
        y_train=x_train,
        y_val=x_val,
        epochs=2,
        batch_size=16,
        quiet=True,
    ).history
    for key in ("loss", "val_loss"):
        np.testing.assert_allclose(plain[key], recipe[key], rtol=1e-5, err_msg=key)
