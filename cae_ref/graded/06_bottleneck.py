"""Checks of exercise 06 (dense bottlenecks of several sizes), run by ``cae_ref.grader.grade``.

The trained models and the returned PSNRs are read from the grader's record of the run cell's
guarded call of ``psnr_by_size`` (``checks.graded_kept``), never from the notebook's variables.
"""

from __future__ import annotations

from typing import Any

import numpy as np

import cae_ref
from cae_ref import checks
from cae_ref._tf import keras

HIDDEN = "graded after submission; the visible checks above do not cover this"
SIZES = checks.BOTTLENECK_SIZES


def x_test() -> np.ndarray:
    return checks.grading_data(checks.BOTTLENECK_BUDGET)["x_test"]


def trained() -> tuple[dict[int, Any], Any]:
    """latent_dim -> the model fit trained for it, and what psnr_by_size returned (the grader's record)."""
    found = checks.trainings("psnr_by_size")
    if not found:
        raise AssertionError(
            "the grader recorded no run of psnr_by_size: run the notebook's cells in order, "
            "and read the error of the cell that compares the sizes"
        )
    models: dict[int, Any] = {}
    images = x_test()[:2]
    for call in found[-1]["calls"]:
        model = call["model"]
        encoder = next(
            (
                layer
                for layer in model.layers
                if isinstance(layer, keras.Model)
            ),
            None,
        )
        if encoder is not None and model not in models.values():
            models[
                int(checks.predict(encoder, images).reshape(2, -1).shape[1])
            ] = model
    if not found[-1]["finished"]:
        raise AssertionError(checks.not_finished("psnr_by_size", found[-1]))
    return models, found[-1]["result"]


def test_build_bottleneck_encoder_shape(build_bottleneck_encoder: Any) -> None:
    images = x_test()[:5]
    for latent_dim in SIZES:
        encoder = checks.graded_call(build_bottleneck_encoder, latent_dim)
        got = checks.run_model(encoder, images).shape
        if len(got) == 4:
            hint = "the code is still a feature map: end the encoder with Flatten() and Dense(latent_dim)"
        else:
            hint = "the last layer must have latent_dim units: Dense(latent_dim), not a fixed number"
        assert got == (5, latent_dim), checks.expected_got(
            f"encoder output for latent_dim={latent_dim}",
            (5, latent_dim),
            got,
            hint,
        )
    print("the encoder gives codes of latent_dim numbers")


def test_build_bottleneck_encoder_linear(
    build_bottleneck_encoder: Any,
) -> None:
    encoder = checks.graded_call(build_bottleneck_encoder, max(SIZES))
    codes = checks.run_model(encoder, x_test()[:50])
    assert codes.min() < 0.0, checks.expected_got(
        "smallest number in 50 codes",
        "some negative numbers (a linear code)",
        f"{codes.min():.4f}",
        "leave Dense(latent_dim) without activation: relu, sigmoid or softmax squeeze the code, and a "
        "squeezed code holds less (softmax turns 2 numbers into 1)",
    )
    print("the code is linear")


def test_build_bottleneck_decoder_shape(build_bottleneck_decoder: Any) -> None:
    rng = np.random.default_rng(0)
    for latent_dim in SIZES:
        decoder = checks.graded_call(build_bottleneck_decoder, latent_dim)
        codes = rng.normal(size=(5, latent_dim)).astype(np.float32)
        try:
            got = checks.run_model(decoder, codes).shape
        except Exception as error:
            raise AssertionError(
                checks.expected_got(
                    f"decoder for latent_dim={latent_dim}",
                    f"to accept codes of shape {codes.shape}",
                    f"{type(error).__name__}: {str(error).splitlines()[0][:200] if str(error) else ''}",
                    "the decoder's input must be keras.Input(shape=(latent_dim,)), not a fixed size",
                )
            ) from None
        assert got == (5, 28, 28, 1), checks.expected_got(
            f"decoder output for latent_dim={latent_dim}",
            (5, 28, 28, 1),
            got,
            "start with keras.Input(shape=(latent_dim,)), Dense(7 * 7 * 128) and Reshape((7, 7, 128)), "
            "then upsample twice and end with Conv2D(1, ...)"
            if len(got) == 4
            else checks.decoder_shape_hint(got),
        )
    print("the decoder gives 28x28x1 images")


def test_build_bottleneck_decoder_range(build_bottleneck_decoder: Any) -> None:
    decoder = checks.graded_call(build_bottleneck_decoder, SIZES[0])
    codes = 20 * np.random.default_rng(1).normal(size=(16, SIZES[0])).astype(
        np.float32
    )
    pixels = checks.run_model(decoder, codes)
    assert pixels.min() >= 0.0 and pixels.max() <= 1.0, checks.expected_got(
        "decoder output range",
        "[0, 1]",
        f"{pixels.min():.3f} to {pixels.max():.3f}",
        "give the last layer activation='sigmoid'",
    )
    print("pixels in [0, 1]")


def test_bottleneck_any_size() -> None:
    print(HIDDEN)


def test_psnr_by_size() -> None:
    _, result = trained()
    assert type(result) is dict, checks.expected_got(
        "return type", "dict", type(result).__name__
    )
    keys = sorted(result, key=repr)
    assert keys == sorted(SIZES, key=repr), checks.expected_got(
        "keys",
        sorted(SIZES),
        keys,
        "one entry per latent_dim, keyed by the size itself",
    )
    for latent_dim, value in result.items():
        number = float(value)
        assert np.isfinite(number) and 5.0 < number < 40.0, (
            checks.expected_got(
                f"PSNR for latent_dim={latent_dim}",
                "a value between 5 and 40 dB",
                number,
                "10 * log10(1 / MSE) with pixels in [0, 1] (peak 1, not 255), averaged over the images",
            )
        )
    print("one plausible PSNR per size")


def test_psnr_by_size_honest() -> None:
    print(HIDDEN)


def test_bottleneck_gain() -> None:
    limit = checks.THRESHOLDS["bottleneck_gain_db"]
    models, _ = trained()
    small, large = min(SIZES), max(SIZES)
    assert small in models and large in models, checks.expected_got(
        "sizes trained",
        sorted(SIZES),
        sorted(models),
        "train one model per size with make_autoencoder",
    )
    images = x_test()
    restored = {d: checks.predict(models[d], images) for d in (small, large)}
    with checks.quiet():
        measured = {
            d: cae_ref.psnr(images, restored[d]) for d in (small, large)
        }
    gain = measured[large] - measured[small]
    print(
        f"PSNR {measured[small]:.2f} dB at latent_dim={small}, {measured[large]:.2f} dB at {large}: "
        f"gain {gain:.2f} dB (must be at least {limit} dB)"
    )
    assert gain >= limit, checks.expected_got(
        f"PSNR gain from latent_dim={small} to {large}",
        f"at least {limit} dB",
        f"{gain:.2f} dB",
        "compile each model (Adam, binary cross-entropy) and fit it on (x_train, x_train) for the given "
        "epochs; a code squeezed by an activation (relu, softmax, sigmoid) on the Dense(latent_dim) layer "
        "holds less",
    )
