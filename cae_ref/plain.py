"""The report's network and recipe written out plainly: the code the book shows (chapters 4 to 8).

``cae_ref.models`` builds the same network through loops and options (filters, a dense
bottleneck, batch norm) for the experiments. A learner needs the plain version: one Keras 3
functional-API line per layer, with the shape after it. ``tests/test_plain.py`` checks that
``models.build_encoder()`` and ``models.build_decoder()`` with default arguments equal these
layer for layer, so what the pages show is what the package runs.
"""

from __future__ import annotations

import numpy as np

from cae_ref._tf import keras

layers = keras.layers


def build_plain_encoder() -> keras.Model:
    """The report's encoder: 3x3 ReLU convolutions, 2x2 max pooling.

    Chapter 4 explains it. The comment above each layer gives the shape of
    its input and of its output (height x width x channels).
    """
    inputs = keras.Input(shape=(28, 28, 1))
    # 28x28x1 -> 28x28x32
    x = layers.Conv2D(32, 3, activation="relu", padding="same")(inputs)
    # 28x28x32 -> 14x14x32
    x = layers.MaxPooling2D(2, padding="same")(x)
    # 14x14x32 -> 14x14x64
    x = layers.Conv2D(64, 3, activation="relu", padding="same")(x)
    # 14x14x64 -> 7x7x64
    x = layers.MaxPooling2D(2, padding="same")(x)
    # 7x7x64 -> 7x7x128: the code
    code = layers.Conv2D(128, 3, activation="relu", padding="same")(x)
    return keras.Model(inputs, code, name="encoder")


def build_plain_strided_encoder() -> keras.Model:
    """The encoder with stride-2 convolutions, no pooling (chapter 4)."""
    images = keras.Input(shape=(28, 28, 1))
    x = images  # 28x28x1
    # a 3x3 kernel at every second pixel: 28x28x1 -> 14x14x32
    x = layers.Conv2D(32, 3, strides=2, activation="relu", padding="same")(x)
    # 14x14x32 -> 7x7x64
    x = layers.Conv2D(64, 3, strides=2, activation="relu", padding="same")(x)
    # 7x7x64 -> 7x7x128, the code (stride 1: no downsampling)
    code = layers.Conv2D(128, 3, activation="relu", padding="same")(x)
    return keras.Model(images, code, name="encoder")


def build_plain_decoder() -> keras.Model:
    """The report's decoder: stride-2 transposed convolutions, a sigmoid.

    Chapter 4 explains it. The comment above each layer gives the shape of
    its input and of its output (height x width x channels).
    """
    code = keras.Input(shape=(7, 7, 128))
    # 7x7x128 -> 14x14x64
    x = layers.Conv2DTranspose(
        64, 3, strides=2, activation="relu", padding="same"
    )(code)
    # 14x14x64 -> 28x28x32
    x = layers.Conv2DTranspose(
        32, 3, strides=2, activation="relu", padding="same"
    )(x)
    # 28x28x32 -> 28x28x1, each pixel in [0, 1]
    pixels = layers.Conv2D(1, 3, activation="sigmoid", padding="same")(x)
    return keras.Model(code, pixels, name="decoder")


def build_plain_autoencoder(
    encoder: keras.Model, decoder: keras.Model
) -> keras.Model:
    """Chain an encoder and a decoder: images in, images out (chapter 4)."""
    images = keras.Input(shape=(28, 28, 1))  # 28x28x1
    code = encoder(images)  # 7x7x128
    reconstruction = decoder(code)  # 28x28x1
    return keras.Model(images, reconstruction, name="autoencoder")


def build_plain_bottleneck(latent_dim: int) -> tuple[keras.Model, keras.Model]:
    """The report's encoder and decoder around a dense code (chapter 6).

    The code is a vector of ``latent_dim`` numbers.
    """
    encoder_body = build_plain_encoder()  # 28x28x1 -> 7x7x128
    images = keras.Input(shape=(28, 28, 1))
    x = layers.Flatten()(encoder_body(images))  # 6272
    code = layers.Dense(latent_dim)(x)  # latent_dim
    encoder = keras.Model(images, code, name="encoder")

    decoder_body = build_plain_decoder()  # 7x7x128 -> 28x28x1
    code_in = keras.Input(shape=(latent_dim,))  # latent_dim
    x = layers.Dense(7 * 7 * 128, activation="relu")(code_in)  # 6272
    x = layers.Reshape((7, 7, 128))(x)  # 7x7x128
    decoder = keras.Model(code_in, decoder_body(x), name="decoder")
    return encoder, decoder


def fit_plain(
    model: keras.Model,
    x_train: np.ndarray,
    x_val: np.ndarray,
    epochs: int = 25,
    batch_size: int = 128,
) -> keras.callbacks.History:
    """The report's recipe (chapter 5): Adam, BCE, x as its own target."""
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=1e-3),
        loss="binary_crossentropy",
    )
    return model.fit(
        x_train,
        x_train,  # the target is the input itself
        validation_data=(x_val, x_val),
        epochs=epochs,
        batch_size=batch_size,
        shuffle=True,
    )


def fit_plain_denoiser(
    model: keras.Model,
    x_train_noisy: np.ndarray,
    x_train: np.ndarray,
    x_val_noisy: np.ndarray,
    x_val: np.ndarray,
    epochs: int = 10,
    batch_size: int = 128,
) -> keras.callbacks.History:
    """Train a denoiser (chapter 8): noisy images in, clean images out."""
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=1e-3),
        loss="binary_crossentropy",
    )
    return model.fit(
        x_train_noisy,
        x_train,  # clean targets, not the noisy inputs
        validation_data=(x_val_noisy, x_val),
        epochs=epochs,
        batch_size=batch_size,
        shuffle=True,
    )


def encode_plain(encoder: keras.Model, images: np.ndarray) -> np.ndarray:
    """Codes of ``images``, one flat row per image: (N, code size) (chapter 7)."""
    codes = encoder.predict(
        images, batch_size=512, verbose=0
    )  # (N, 7, 7, 128)
    return codes.reshape(len(images), -1)  # (N, 6272)
