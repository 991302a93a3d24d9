"""Checks of exercise 06 (dense bottlenecks of several sizes), run by ``cae_ref.grader.grade``.

The trained models and the returned PSNRs are read from the grader's record of the run cell's
guarded call of ``psnr_by_size`` (``checks.graded_kept``), never from the notebook's variables.
"""

from __future__ import annotations

from typing import Any

import numpy as np

import cae_ref
from cae_ref._tf import keras
from cae_ref.grader import checks

SIZES = checks.BOTTLENECK_SIZES


def x_test() -> np.ndarray:
    return checks.grading_data(checks.BOTTLENECK_BUDGET)["x_test"]


def trained() -> tuple[dict[int, Any], Any]:
    """latent_dim -> the model fit trained for it, and what psnr_by_size returned (the grader's record)."""
    found = checks.trainings("psnr_by_size")
    if not found:
        raise AssertionError(checks.message("b_no_run"))
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
        hint = checks.message(
            "b_hint_feature_map" if len(got) == 4 else "b_hint_units"
        )
        assert got == (5, latent_dim), checks.expected_got(
            checks.message("b_encoder_output", latent_dim=latent_dim),
            (5, latent_dim),
            got,
            hint,
        )
    print(checks.message("b_encoder_ok"))


def test_build_bottleneck_encoder_linear(
    build_bottleneck_encoder: Any,
) -> None:
    encoder = checks.graded_call(build_bottleneck_encoder, max(SIZES))
    codes = checks.run_model(encoder, x_test()[:50])
    assert codes.min() < 0.0, checks.expected_got(
        checks.message("b_smallest"),
        checks.message("b_negative"),
        f"{codes.min():.4f}",
        checks.message("b_hint_linear"),
    )
    print(checks.message("b_linear_ok"))


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
                    checks.message("b_decoder_for", latent_dim=latent_dim),
                    checks.message("b_accept", shape=codes.shape),
                    f"{type(error).__name__}: {str(error).splitlines()[0][:200] if str(error) else ''}",
                    checks.message("b_hint_input"),
                )
            ) from None
        assert got == (5, 28, 28, 1), checks.expected_got(
            checks.message("b_decoder_output", latent_dim=latent_dim),
            (5, 28, 28, 1),
            got,
            checks.message("b_hint_decoder")
            if len(got) == 4
            else checks.decoder_shape_hint(got),
        )
    print(checks.message("b_decoder_ok"))


def test_build_bottleneck_decoder_range(build_bottleneck_decoder: Any) -> None:
    decoder = checks.graded_call(build_bottleneck_decoder, SIZES[0])
    codes = 20 * np.random.default_rng(1).normal(size=(16, SIZES[0])).astype(
        np.float32
    )
    pixels = checks.run_model(decoder, codes)
    assert pixels.min() >= 0.0 and pixels.max() <= 1.0, checks.expected_got(
        checks.message("b_range"),
        "[0, 1]",
        f"{pixels.min():.3f} to {pixels.max():.3f}",
        checks.message("b_hint_sigmoid"),
    )
    print(checks.message("b_range_ok"))


def test_bottleneck_any_size() -> None:
    print(checks.message("hidden"))


def test_psnr_by_size() -> None:
    _, result = trained()
    assert type(result) is dict, checks.expected_got(
        checks.message("b_return_type"), "dict", type(result).__name__
    )
    keys = sorted(result, key=repr)
    assert keys == sorted(SIZES, key=repr), checks.expected_got(
        checks.message("b_keys"),
        sorted(SIZES),
        keys,
        checks.message("b_hint_keys"),
    )
    for latent_dim, value in result.items():
        number = float(value)
        assert np.isfinite(number) and 5.0 < number < 40.0, (
            checks.expected_got(
                checks.message("b_psnr_for", latent_dim=latent_dim),
                checks.message("b_plausible"),
                number,
                checks.message("b_hint_psnr"),
            )
        )
    print(checks.message("b_psnr_ok"))


def test_psnr_by_size_honest() -> None:
    print(checks.message("hidden"))


def test_bottleneck_gain() -> None:
    limit = checks.THRESHOLDS["bottleneck_gain_db"]
    models, _ = trained()
    small, large = min(SIZES), max(SIZES)
    assert small in models and large in models, checks.expected_got(
        checks.message("b_sizes"),
        sorted(SIZES),
        sorted(models),
        checks.message("b_hint_sizes"),
    )
    images = x_test()
    restored = {d: checks.predict(models[d], images) for d in (small, large)}
    with checks.quiet():
        measured = {
            d: cae_ref.psnr(images, restored[d]) for d in (small, large)
        }
    gain = measured[large] - measured[small]
    print(
        checks.message(
            "b_gain_print",
            small_psnr=f"{measured[small]:.2f}",
            small=small,
            large_psnr=f"{measured[large]:.2f}",
            large=large,
            gain=f"{gain:.2f}",
            limit=limit,
        )
    )
    assert gain >= limit, checks.expected_got(
        checks.message("b_gain", small=small, large=large),
        checks.message("at_least", limit=f"{limit} dB"),
        f"{gain:.2f} dB",
        checks.message("b_hint_gain"),
    )
