"""own_autoencoder uses a student's valid model and falls back, with a note, when it is broken."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from cae_ref._tf import keras
from cae_ref.grader import checks
from cae_ref.grader.student_model import own_autoencoder
from cae_ref.models import build_autoencoder, build_decoder, build_encoder
from cae_ref.plain import build_plain_decoder, build_plain_encoder

layers = keras.layers
IMAGES = np.random.default_rng(1).random((3, 28, 28, 1), dtype=np.float32)


def sequential_encoder() -> keras.Model:
    """A valid design other than the course's: Sequential with stride-2 convolutions."""
    return keras.Sequential(
        [
            keras.Input(shape=(28, 28, 1)),
            layers.Conv2D(16, 3, strides=2, padding="same", activation="relu"),
            layers.Conv2D(128, 3, strides=2, padding="same", activation="relu"),
        ]
    )


def upsampling_decoder() -> keras.Model:
    """A valid design other than the course's: UpSampling2D and a sigmoid output."""
    return keras.Sequential(
        [
            keras.Input(shape=(7, 7, 128)),
            layers.UpSampling2D(4),
            layers.Conv2D(1, 3, padding="same", activation="sigmoid"),
        ]
    )


def no_pooling_encoder() -> keras.Model:
    """A typical mistake: no downsampling, the code stays 28x28."""
    return keras.Sequential([keras.Input(shape=(28, 28, 1)), layers.Conv2D(128, 3, padding="same")])


def linear_decoder() -> keras.Model:
    """A typical mistake: the right shape, but a linear (unbounded) output."""
    return keras.Sequential(
        [
            keras.Input(shape=(7, 7, 128)),
            layers.UpSampling2D(4),
            layers.Conv2D(1, 3, padding="same", bias_initializer="ones"),
        ]
    )


def relu_output_decoder() -> keras.Model:
    """A typical mistake (issue 25): the course's decoder with a ReLU output, unbounded above."""
    codes = keras.Input(shape=(7, 7, 128))
    x = layers.Conv2DTranspose(64, 3, strides=2, activation="relu", padding="same")(codes)
    x = layers.Conv2DTranspose(32, 3, strides=2, activation="relu", padding="same")(x)
    return keras.Model(codes, layers.Conv2D(1, 3, activation="relu", padding="same")(x))


def clipped_decoder() -> keras.Model:
    """Valid: a ReLU output clipped to [0, 1] (bounded whatever its weights)."""
    codes = keras.Input(shape=(7, 7, 128))
    x = layers.UpSampling2D(4)(codes)
    return keras.Model(codes, layers.ReLU(max_value=1.0)(layers.Conv2D(1, 3, padding="same")(x)))


def not_written():
    raise NotImplementedError()


def test_a_valid_own_model_is_used_and_trains():
    own = own_autoencoder(sequential_encoder, upsampling_decoder)
    assert not own.used_fallback and "your own" in own.message.lower()
    assert checks.count_conv_layers(own.encoder) == 2  # the student's layers, not the course's three
    assert isinstance(own.decoder.layers[0], layers.UpSampling2D)
    codes = checks.run_model(own.encoder, IMAGES)
    joined = checks.run_model(own.autoencoder, IMAGES)
    assert codes.shape == (3, 7, 7, 128)
    assert np.allclose(joined, checks.run_model(own.decoder, codes), atol=1e-5)
    own.autoencoder.compile(optimizer="adam", loss="binary_crossentropy")
    own.autoencoder.fit(IMAGES, IMAGES, epochs=1, verbose=0)  # the parts are trained through the joined model
    assert not np.allclose(checks.run_model(own.encoder, IMAGES), codes)


def test_the_students_build_autoencoder_is_used_when_it_chains():
    own = own_autoencoder(build_plain_encoder, build_plain_decoder, lambda e, d: build_autoencoder(e, d, name="mine"))
    assert not own.used_fallback and own.autoencoder.name == "mine"
    assert "autoencoder" in own.message


@pytest.mark.parametrize(
    ("encoder", "decoder", "problem"),
    [
        (no_pooling_encoder, build_plain_decoder, "(4, 28, 28, 128), expected (4, 7, 7, 128)"),
        (build_plain_encoder, linear_decoder, "leave [0, 1]"),
        (build_plain_encoder, relu_output_decoder, "leave [0, 1]"),
        (not_written, build_plain_decoder, "build_encoder is not written yet"),
        (build_plain_encoder, lambda: 1 / 0, "build_decoder raised ZeroDivisionError"),
        (build_plain_encoder, lambda: "decoder", "build_decoder returned str, not a Keras model"),
    ],
)
def test_a_broken_model_falls_back_to_the_course_model_with_a_note(encoder, decoder, problem):
    own = own_autoencoder(encoder, decoder)
    assert own.used_fallback
    assert problem in own.message and "course's model" in own.message
    assert checks.count_conv_layers(own.encoder) == 3 and own.encoder.name == "encoder"
    assert checks.run_model(own.autoencoder, IMAGES).shape == (3, 28, 28, 1)


@pytest.mark.parametrize("seed", range(8))
def test_a_relu_output_never_passes_by_luck(seed):
    """Untrained ReLU outputs on real codes may lie in [0, 1]; the large probe codes push them out."""
    from cae_ref.grader.student_model import PROBE_SCALE

    keras.utils.set_random_seed(seed)
    decoder = relu_output_decoder()
    codes = checks.run_model(build_plain_encoder(), IMAGES)
    probe = PROBE_SCALE * np.random.default_rng(1).standard_normal((8, 7, 7, 128)).astype(np.float32)
    assert checks.run_model(decoder, probe).max() > 1.0
    assert own_autoencoder(build_plain_encoder, relu_output_decoder, seed=seed).used_fallback
    assert checks.run_model(decoder, codes).min() >= 0.0  # what the old check saw: no value below 0


def test_a_bounded_output_of_another_kind_is_kept():
    assert not own_autoencoder(sequential_encoder, clipped_decoder, seed=0).used_fallback


def test_the_fallback_has_the_course_models_seeded_weights():
    own = own_autoencoder(no_pooling_encoder, build_plain_decoder, seed=3)
    keras.utils.set_random_seed(3)
    reference = build_autoencoder(build_encoder(), build_decoder())
    assert np.allclose(checks.run_model(own.autoencoder, IMAGES), checks.run_model(reference, IMAGES), atol=1e-6)


def test_the_same_seed_builds_the_same_own_model():
    first = own_autoencoder(sequential_encoder, upsampling_decoder, seed=0)
    second = own_autoencoder(sequential_encoder, upsampling_decoder, seed=0)
    assert np.array_equal(checks.run_model(first.autoencoder, IMAGES), checks.run_model(second.autoencoder, IMAGES))


def test_a_build_autoencoder_that_ignores_its_arguments_keeps_the_students_parts():
    own = own_autoencoder(sequential_encoder, upsampling_decoder, lambda e, d: build_autoencoder())
    assert own.used_fallback and "does not run the given encoder" in own.message
    assert checks.count_conv_layers(own.encoder) == 2 and own.autoencoder.layers[1] is own.encoder


def test_nothing_reaches_stderr():
    code = (
        "import sys; from cae_ref.grader.student_model import own_autoencoder\n"
        "def broken():\n    print('oops', file=sys.stderr); raise ValueError('bad')\n"
        "own = own_autoencoder(broken, broken)\nprint(own.used_fallback)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("True")
    assert result.stderr == "", result.stderr


def test_own_bottleneck_uses_a_valid_model_of_any_size():
    """Exercise 06: the student's dense-bottleneck builders of that size, joined into one model."""
    from cae_ref.grader.student_model import own_bottleneck

    def encoder(latent_dim: int) -> keras.Model:
        return keras.Sequential([keras.Input(shape=(28, 28, 1)), layers.Flatten(), layers.Dense(latent_dim)])

    def decoder(latent_dim: int) -> keras.Model:
        return keras.Sequential(
            [keras.Input(shape=(latent_dim,)), layers.Dense(784, activation="sigmoid"), layers.Reshape((28, 28, 1))]
        )

    own = own_bottleneck(encoder, decoder, 5, seed=0)
    assert not own.used_fallback and "your own" in own.message
    assert checks.run_model(own.encoder, IMAGES).shape == (3, 5)
    assert checks.run_model(own.autoencoder, IMAGES).shape == (3, 28, 28, 1)


@pytest.mark.parametrize(
    ("size_of_code", "problem"),
    [(lambda latent_dim: 7, "maps (4, 28, 28, 1) to (4, 7)"), (lambda latent_dim: latent_dim, "leave [0, 1]")],
)
def test_own_bottleneck_falls_back_to_the_course_model_of_that_size(size_of_code, problem):
    from cae_ref.grader.student_model import own_bottleneck

    def encoder(latent_dim: int) -> keras.Model:
        return keras.Sequential(
            [keras.Input(shape=(28, 28, 1)), layers.Flatten(), layers.Dense(size_of_code(latent_dim))]
        )

    def linear_decoder(latent_dim: int) -> keras.Model:
        return keras.Sequential([keras.Input(shape=(latent_dim,)), layers.Dense(784), layers.Reshape((28, 28, 1))])

    own = own_bottleneck(encoder, linear_decoder, 3, seed=0)
    assert own.used_fallback and problem in own.message and "latent_dim=3" in own.message
    assert checks.run_model(own.encoder, IMAGES).shape == (3, 3)
    assert [layer.name for layer in own.encoder.layers][-1] == "code"  # cae_ref.models.build_encoder(latent_dim=3)
