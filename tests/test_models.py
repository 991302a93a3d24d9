"""Encoder, decoder and autoencoder: the baseline exactly, the variants consistently."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from cae_ref import build_autoencoder, build_decoder, build_encoder, latent_shape


def test_baseline_has_185217_parameters_and_a_7x7x128_code():
    encoder, decoder = build_encoder(), build_decoder()
    model = build_autoencoder(encoder, decoder)
    assert model.count_params() == 185_217
    assert encoder.count_params() == 92_672 and decoder.count_params() == 92_545
    assert tuple(encoder.output.shape) == (None, 7, 7, 128)
    assert tuple(model.output.shape) == (None, 28, 28, 1)
    assert model.layers[-1].layers[-1].activation.__name__ == "sigmoid"


@pytest.mark.parametrize("latent_dim", [2, 16, 784, 3136])
def test_dense_bottleneck_of_any_size(latent_dim):
    encoder = build_encoder(latent_dim=latent_dim)
    decoder = build_decoder(latent_dim=latent_dim)
    assert tuple(encoder.output.shape) == (None, latent_dim)
    outputs = build_autoencoder(encoder, decoder).predict(np.full((3, 28, 28, 1), 0.5, np.float32), verbose=0)
    assert outputs.shape == (3, 28, 28, 1)
    assert outputs.min() >= 0.0 and outputs.max() <= 1.0


def test_batch_norm_variant_keeps_the_trainable_parameters_and_the_shapes():
    encoder, decoder = build_encoder(batch_norm=True), build_decoder(batch_norm=True)
    model = build_autoencoder(encoder, decoder)
    trainable = sum(int(np.prod(weight.shape)) for weight in model.trainable_weights)
    assert trainable == 185_217
    # BatchNorm's moving mean and variance: 2 x (32 + 64 + 128 + 64 + 32) statistics.
    assert model.count_params() == 185_217 + 640
    assert tuple(encoder.output.shape) == (None, 7, 7, 128)
    assert sum(isinstance(layer, keras.layers.BatchNormalization) for layer in encoder.layers) == 3
    assert sum(isinstance(layer, keras.layers.BatchNormalization) for layer in decoder.layers) == 2


def test_output_layer_stays_float32_under_mixed_precision():
    keras.mixed_precision.set_global_policy("mixed_bfloat16")
    try:
        model = build_autoencoder(build_encoder(batch_norm=True), build_decoder(batch_norm=True))
    finally:
        keras.mixed_precision.set_global_policy("float32")
    outputs = model(np.full((2, 28, 28, 1), 0.5, np.float32))
    assert model.layers[1].layers[1].compute_dtype == "bfloat16"
    assert outputs.dtype == "float32"
    assert float(np.min(outputs)) >= 0.0 and float(np.max(outputs)) <= 1.0


def test_strided_encoder_replaces_pooling_with_the_same_shapes_and_parameters():
    pooled, strided = build_encoder(), build_encoder(downsampling="stride")
    assert not any(isinstance(layer, keras.layers.MaxPooling2D) for layer in strided.layers)
    assert [layer.strides for layer in strided.layers if isinstance(layer, keras.layers.Conv2D)] == [
        (2, 2),
        (2, 2),
        (1, 1),
    ]
    assert tuple(strided.output.shape) == (None, 7, 7, 128)
    assert strided.count_params() == pooled.count_params() == 92_672
    assert build_autoencoder(strided, build_decoder()).count_params() == 185_217
    # with a dense bottleneck and other widths too
    assert tuple(build_encoder((8, 16, 16), latent_dim=4, downsampling="stride").output.shape) == (None, 4)
    with pytest.raises(ValueError, match="downsampling must be one of"):
        build_encoder(downsampling="average")


def test_other_filter_counts_and_depths():
    assert latent_shape((16, 32)) == (14, 14, 32)
    model = build_autoencoder(build_encoder((8, 16, 16)), build_decoder((8, 16, 16)))
    assert tuple(model.output.shape) == (None, 28, 28, 1)
    assert tuple(build_encoder((8, 16, 16)).output.shape) == (None, 7, 7, 16)


def test_invalid_configurations_are_rejected_with_a_reason():
    with pytest.raises(ValueError, match="does not divide evenly"):
        build_encoder((8, 8, 8, 8))  # 28 -> 14 -> 7 -> 3.5
    with pytest.raises(ValueError, match="latent_dim must be a positive integer"):
        build_encoder(latent_dim=0)
    with pytest.raises(ValueError, match="positive integers"):
        build_encoder(())
    with pytest.raises(ValueError, match=r"encoder output \(None, 2\) does not fit decoder input \(None, 7, 7, 128\)"):
        build_autoencoder(build_encoder(latent_dim=2), build_decoder())
