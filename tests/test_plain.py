"""The plain builders the book shows are the network cae_ref runs (the drift guard of chapter 4)."""

from __future__ import annotations

import numpy as np
import pytest

from cae_ref import checks
from cae_ref._tf import keras
from cae_ref.models import build_autoencoder, build_decoder, build_encoder
from cae_ref.plain import (
    build_plain_autoencoder,
    build_plain_bottleneck,
    build_plain_decoder,
    build_plain_encoder,
    encode_plain,
)


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
