"""The student's own autoencoder for exercises 3 to 6, or the course's when theirs is broken.

Exercises 3 to 5 train the encoder and decoder that students built in exercise 2 and paste in;
exercise 6 trains the dense-bottleneck models students build there. One bug must not cost every
later point: a broken model is replaced by the course's, with a note that names the problem.
Nothing is written to stderr (nbgrader scores such a cell 0).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

from cae_ref import models
from cae_ref._tf import keras
from cae_ref.grader.checks import quiet, to_numpy
from cae_ref.grader.messages import message
from cae_ref.training import set_global_seed

IMAGE_SHAPE = (28, 28, 1)
CODE_SHAPE = (7, 7, 128)


class OwnModel(NamedTuple):
    """The model a notebook trains: the autoencoder, its encoder and decoder, and where they came from."""

    autoencoder: keras.Model
    encoder: keras.Model
    decoder: keras.Model
    used_fallback: bool
    message: str


class ModelProblem(Exception):
    """What is wrong with a pasted model, in words a student can act on."""


def _why(error: Exception) -> str:
    """The exception's type and the first line of its message (Keras' messages run long)."""
    return f"{type(error).__name__}: {(str(error).strip().splitlines() or [''])[0]}"


def _build(builder: Callable[..., Any], name: str, *args: Any) -> keras.Model:
    """Call ``builder`` quietly; it must return a Keras model."""
    try:
        with quiet():
            model = builder(*args)
    except NotImplementedError as error:
        raise ModelProblem(message("s_not_written", name=name)) from error
    except Exception as error:
        raise ModelProblem(
            message("s_raised", name=name, error=_why(error))
        ) from error
    if not isinstance(model, keras.Model):
        raise ModelProblem(
            message("s_not_model", name=name, type=type(model).__name__)
        )
    return model


def _run(
    model: keras.Model, inputs: np.ndarray, what: str, shape: tuple[int, ...]
) -> np.ndarray:
    """Apply ``model`` quietly and check that the output has ``shape`` and is finite."""
    try:
        with quiet():
            outputs = to_numpy(model(inputs, training=False))
    except Exception as error:
        raise ModelProblem(
            message(
                "s_fails_on", what=what, shape=inputs.shape, error=_why(error)
            )
        ) from error
    if outputs.shape != shape:
        raise ModelProblem(
            message(
                "s_maps",
                what=what,
                inputs=inputs.shape,
                outputs=outputs.shape,
                shape=shape,
            )
        )
    if not np.isfinite(outputs).all():
        raise ModelProblem(message("s_nan", what=what))
    return outputs


# Codes far from those of real images: an unbounded output layer (ReLU, linear, softplus) leaves [0, 1]
# on them whatever its initial weights, where a sigmoid (or a clip to [0, 1]) cannot (issue 25).
PROBE_SCALE = 100.0


def _check_range(
    decoder: keras.Model, pixels: np.ndarray, code_shape: tuple[int, ...]
) -> None:
    """Fail unless the decoder's outputs lie in [0, 1] on ``pixels`` and on large random codes of both signs.

    Untrained outputs on real codes can lie in [0, 1] by luck (a ReLU output often does): the probe
    codes, ``PROBE_SCALE`` times standard normal, push any unbounded activation out of the range.
    """
    probe = PROBE_SCALE * np.random.default_rng(1).standard_normal(
        (8, *code_shape)
    ).astype(np.float32)
    try:
        with quiet():
            far = to_numpy(decoder(probe, training=False))
    except Exception as error:
        raise ModelProblem(
            message(
                "s_fails_on",
                what=message("s_your_decoder"),
                shape=probe.shape,
                error=_why(error),
            )
        ) from error
    for outputs in (pixels, far):
        if np.any(outputs < 0.0) or np.any(outputs > 1.0):
            raise ModelProblem(message("s_range"))


def _chain(encoder: keras.Model, decoder: keras.Model) -> keras.Model:
    """Join encoder and decoder into one model (functional, Sequential or subclassed parts)."""
    with quiet():
        images = keras.Input(shape=IMAGE_SHAPE)
        return keras.Model(
            images, decoder(encoder(images)), name="autoencoder"
        )


def own_autoencoder(
    build_encoder: Callable[[], Any],
    build_decoder: Callable[[], Any],
    build_autoencoder: Callable[[Any, Any], Any] | None = None,
    seed: int | None = None,
) -> OwnModel:
    """Build the student's autoencoder when it meets the specification, else the course's.

    Encoder (N, 28, 28, 1) -> (N, 7, 7, 128), decoder back to (N, 28, 28, 1) in [0, 1], and the optional
    ``build_autoencoder(encoder, decoder)`` chaining the two. A broken encoder or decoder gives the course's
    whole model, a broken ``build_autoencoder`` only its way of joining them. ``seed`` is set before building.
    """
    if seed is not None:
        set_global_seed(seed)
    images = np.random.default_rng(0).random(
        (4, *IMAGE_SHAPE), dtype=np.float32
    )
    try:
        encoder = _build(build_encoder, "build_encoder")
        codes = _run(
            encoder,
            images,
            message("s_your_encoder"),
            (len(images), *CODE_SHAPE),
        )
        decoder = _build(build_decoder, "build_decoder")
        pixels = _run(
            decoder,
            codes,
            message("s_your_decoder"),
            (len(images), *IMAGE_SHAPE),
        )
        _check_range(decoder, pixels, CODE_SHAPE)
    except ModelProblem as problem:  # the course's model, seeded as the student's would have been
        if seed is not None:
            set_global_seed(seed)
        with quiet():
            encoder, decoder = models.build_encoder(), models.build_decoder()
        return OwnModel(
            _chain(encoder, decoder),
            encoder,
            decoder,
            True,
            message("s_fallback", problem=problem),
        )
    autoencoder, fallback, note = None, False, message("s_own")
    if build_autoencoder is not None:
        try:
            autoencoder = _build(
                build_autoencoder, "build_autoencoder", encoder, decoder
            )
            joined = _run(
                autoencoder,
                images,
                message("s_your_autoencoder"),
                (len(images), *IMAGE_SHAPE),
            )
            if not np.allclose(joined, pixels, atol=1e-4):
                raise ModelProblem(message("s_not_chained"))
            note = message("s_own_all")
        except ModelProblem as problem:
            autoencoder, fallback = None, True
            note = message("s_joined", problem=problem)
    autoencoder = (
        _chain(encoder, decoder) if autoencoder is None else autoencoder
    )
    return OwnModel(autoencoder, encoder, decoder, fallback, note)


def own_bottleneck(
    build_encoder: Callable[[int], Any],
    build_decoder: Callable[[int], Any],
    latent_dim: int,
    seed: int | None = None,
) -> OwnModel:
    """Build the student's dense-bottleneck autoencoder of ``latent_dim`` numbers (exercise 6), else the course's.

    Encoder (N, 28, 28, 1) -> (N, latent_dim), decoder back to (N, 28, 28, 1) in [0, 1]; a broken one gives
    the course's ``models.build_encoder(latent_dim=...)`` and ``build_decoder(latent_dim=...)``.
    """
    if seed is not None:
        set_global_seed(seed)
    images = np.random.default_rng(0).random(
        (4, *IMAGE_SHAPE), dtype=np.float32
    )
    try:
        encoder = _build(build_encoder, "build_bottleneck_encoder", latent_dim)
        codes = _run(
            encoder,
            images,
            message("s_your_encoder"),
            (len(images), latent_dim),
        )
        decoder = _build(build_decoder, "build_bottleneck_decoder", latent_dim)
        pixels = _run(
            decoder,
            codes,
            message("s_your_decoder"),
            (len(images), *IMAGE_SHAPE),
        )
        _check_range(decoder, pixels, (latent_dim,))
    except ModelProblem as problem:
        if seed is not None:
            set_global_seed(seed)
        with quiet():
            encoder, decoder = (
                models.build_encoder(latent_dim=latent_dim),
                models.build_decoder(latent_dim=latent_dim),
            )
        note = message(
            "s_size_fallback", latent_dim=latent_dim, problem=problem
        )
        return OwnModel(_chain(encoder, decoder), encoder, decoder, True, note)
    note = message("s_size_own", latent_dim=latent_dim)
    return OwnModel(_chain(encoder, decoder), encoder, decoder, False, note)
