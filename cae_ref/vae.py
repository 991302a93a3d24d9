"""A variational autoencoder: the report's named next step (chapter 9).

The encoder outputs a mean and a log-variance per latent dimension; a code is sampled
with the reparameterisation trick ``z = mean + exp(log_var / 2) * eps``; the loss is the
negative ELBO = reconstruction BCE summed over pixels + KL(q(z|x) || N(0, I)).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from cae_ref._tf import keras, tf
from cae_ref.models import build_decoder
from cae_ref.preprocessing import IMAGE_SHAPE

layers = keras.layers
ops = keras.ops

VAE_FILTERS: tuple[int, ...] = (32, 64, 64)


@keras.saving.register_keras_serializable(package="cae_ref")
class Sampling(layers.Layer):
    """Draw ``z = mean + exp(log_var / 2) * eps`` with ``eps ~ N(0, I)``.

    ``eps`` comes from a seeded generator, so a run can be repeated.
    """

    def __init__(self, seed: int = 0, **kwargs) -> None:
        super().__init__(**kwargs)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, inputs):
        mean, log_var = inputs
        eps = keras.random.normal(ops.shape(mean), seed=self.seed_generator)
        return mean + ops.exp(0.5 * log_var) * eps

    def get_config(self) -> dict:
        return {**super().get_config(), "seed": self.seed}


def build_vae_encoder(
    latent_dim: int = 2,
    filters: Sequence[int] = VAE_FILTERS,
    name: str = "vae_encoder",
) -> keras.Model:
    """A convolutional encoder with two heads, ``z_mean`` and ``z_log_var``.

    Each head is a dense layer of ``latent_dim`` numbers (chapter 9).
    """
    inputs = keras.Input(shape=IMAGE_SHAPE, name="image")
    x = inputs
    for index, count in enumerate(filters):
        x = layers.Conv2D(
            count,
            3,
            activation="relu",
            padding="same",
            name=f"conv{index + 1}",
        )(x)
        if index < len(filters) - 1:
            x = layers.MaxPooling2D(
                2, padding="same", name=f"pool{index + 1}"
            )(x)
    x = layers.Flatten(name="flatten")(x)
    x = layers.Dense(128, activation="relu", name="hidden")(x)
    z_mean = layers.Dense(latent_dim, name="z_mean")(x)
    z_log_var = layers.Dense(latent_dim, name="z_log_var")(x)
    return keras.Model(inputs, [z_mean, z_log_var], name=name)


def kl_divergence(z_mean, z_log_var):
    """KL(N(mean, exp(log_var)) || N(0, I)) per example.

    The closed form for two Gaussians, summed over the latent dimensions.
    """
    terms = 1.0 + z_log_var - ops.square(z_mean) - ops.exp(z_log_var)
    return -0.5 * ops.sum(terms, axis=-1)


def reconstruction_loss(images, reconstructions):
    """Binary cross-entropy summed over the 784 pixels, per example."""
    # binary_crossentropy averages over the last axis, the one channel only
    bce = keras.losses.binary_crossentropy(images, reconstructions)
    return ops.sum(bce, axis=(1, 2))


@keras.saving.register_keras_serializable(package="cae_ref")
class VariationalAutoencoder(keras.Model):
    """Encoder, sampler and decoder, trained on the negative ELBO.

    ``call`` reconstructs images from their code means.
    """

    def __init__(
        self,
        encoder: keras.Model,
        decoder: keras.Model,
        seed: int = 0,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.encoder = encoder
        self.decoder = decoder
        self.sampler = Sampling(seed, name="sampling")
        self.loss_tracker = keras.metrics.Mean(name="loss")
        self.reconstruction_tracker = keras.metrics.Mean(name="reconstruction")
        self.kl_tracker = keras.metrics.Mean(name="kl")
        # encoder and decoder are functional models, built on creation
        self.built = True

    @property
    def metrics(self) -> list:
        return [
            self.loss_tracker,
            self.reconstruction_tracker,
            self.kl_tracker,
        ]

    def call(self, inputs, training: bool = False):
        z_mean, z_log_var = self.encoder(inputs, training=training)
        code = self.sampler([z_mean, z_log_var]) if training else z_mean
        return self.decoder(code, training=training)

    def elbo_terms(self, images, training: bool):
        """The batch means of the negative ELBO and of its two terms."""
        z_mean, z_log_var = self.encoder(images, training=training)
        reconstructions = self.decoder(
            self.sampler([z_mean, z_log_var]), training=training
        )
        reconstruction = ops.mean(reconstruction_loss(images, reconstructions))
        kl = ops.mean(kl_divergence(z_mean, z_log_var))
        return reconstruction + kl, reconstruction, kl

    def record_losses(self, total, reconstruction, kl) -> dict:
        """Add a batch's losses to the running means that ``fit`` prints."""
        self.loss_tracker.update_state(total)
        self.reconstruction_tracker.update_state(reconstruction)
        self.kl_tracker.update_state(kl)
        return {metric.name: metric.result() for metric in self.metrics}

    def train_step(self, data):
        images = data[0] if isinstance(data, tuple) else data
        with tf.GradientTape() as tape:
            total, reconstruction, kl = self.elbo_terms(images, training=True)
        gradients = tape.gradient(total, self.trainable_weights)
        self.optimizer.apply_gradients(
            zip(gradients, self.trainable_weights, strict=True)
        )
        return self.record_losses(total, reconstruction, kl)

    def test_step(self, data):
        images = data[0] if isinstance(data, tuple) else data
        return self.record_losses(*self.elbo_terms(images, training=False))

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "encoder": keras.saving.serialize_keras_object(self.encoder),
            "decoder": keras.saving.serialize_keras_object(self.decoder),
            "seed": self.sampler.seed,
        }

    @classmethod
    def from_config(cls, config: dict) -> VariationalAutoencoder:
        config["encoder"] = keras.saving.deserialize_keras_object(
            config["encoder"]
        )
        config["decoder"] = keras.saving.deserialize_keras_object(
            config["decoder"]
        )
        return cls(**config)


def build_vae(
    latent_dim: int = 2, seed: int = 0, learning_rate: float = 1e-3
) -> VariationalAutoencoder:
    """Build and compile a VAE with a ``latent_dim``-wide Gaussian code."""
    encoder = build_vae_encoder(latent_dim)
    decoder = build_decoder(
        VAE_FILTERS, latent_dim=latent_dim, name="vae_decoder"
    )
    vae = VariationalAutoencoder(encoder, decoder, seed=seed, name="vae")
    vae.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate))
    return vae


def sample_prior(
    decoder: keras.Model, num_samples: int, seed: int = 0
) -> np.ndarray:
    """Decode ``num_samples`` codes drawn from the prior N(0, I)."""
    latent_dim = decoder.input.shape[-1]
    codes = (
        np.random.default_rng(seed)
        .standard_normal((num_samples, latent_dim))
        .astype(np.float32)
    )
    return np.asarray(decoder.predict(codes, verbose=0))


def interpolate(
    decoder: keras.Model, start: np.ndarray, end: np.ndarray, steps: int = 10
) -> np.ndarray:
    """Decode ``steps`` codes on the straight line from ``start`` to ``end``."""
    weights = np.linspace(0.0, 1.0, steps, dtype=np.float32)[:, None]
    codes = (1.0 - weights) * np.asarray(start, np.float32)[
        None
    ] + weights * np.asarray(end, np.float32)[None]
    return np.asarray(decoder.predict(codes, verbose=0))
