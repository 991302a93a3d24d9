"""Checks of exercise 02 (shapes and the three models), run by ``cae_ref.grader.grade``."""

from __future__ import annotations

from typing import Any

import numpy as np

import cae_ref
from cae_ref.grader import checks


def sample() -> np.ndarray:
    """The notebook's sample batch: the first 8 test images, preprocessed."""
    return cae_ref.preprocess_images(cae_ref.load_fashion_mnist()[1][0][:8])


def test_conv_output_size(conv_output_size: Any) -> None:
    cases = [
        ((28, 3, 1, "same"), 28),
        ((28, 3, 1, "valid"), 26),
        ((28, 2, 2, "valid"), 14),
        ((7, 3, 2, "same"), 4),
        ((14, 3, 2, "valid"), 6),
    ]
    for args, expected in cases:
        got = checks.exact_int(
            checks.graded_call(conv_output_size, *args),
            f"conv_output_size{args}",
        )
        assert got == expected, checks.expected_got(
            f"conv_output_size{args}", expected, got
        )
    print(checks.message("a_cases_ok"))
    print(checks.message("hidden"))


def test_conv_transpose_output_size(conv_transpose_output_size: Any) -> None:
    cases = [
        ((7, 3, 2, "same"), 14),
        ((14, 3, 2, "same"), 28),
        ((7, 3, 2, "valid"), 15),
        ((7, 3, 1, "valid"), 9),
        ((7, 3, 2, "same", 1), 14),
        ((7, 2, 2, "valid"), 14),
    ]
    for args, expected in cases:
        got = checks.exact_int(
            checks.graded_call(conv_transpose_output_size, *args),
            checks.message("size"),
        )
        assert got == expected, checks.expected_got(
            f"conv_transpose_output_size{args}", expected, got
        )
    print(checks.message("a_cases_ok"))
    print(checks.message("hidden"))


def test_build_encoder_shape(build_encoder: Any) -> None:
    model = checks.graded_call(build_encoder)
    out = checks.run_model(model, sample())
    assert out.shape == (8, 7, 7, 128), checks.expected_got(
        checks.message("a_code_shape"),
        (8, 7, 7, 128),
        out.shape,
        checks.encoder_shape_hint(out.shape),
    )
    assert np.isfinite(out).all(), checks.message("a_nan_codes")
    print(checks.message("a_enc_ok"))
    print(checks.message("hidden"))


def test_build_encoder_layers(build_encoder: Any) -> None:
    model = checks.graded_call(build_encoder)
    checks.run_model(model, sample()[:2])
    count = checks.count_conv_layers(model)
    assert count >= 3, checks.expected_got(
        checks.message("a_conv_count"),
        checks.message("a_at_least_3"),
        count,
        checks.message("a_hint_stack"),
    )
    print(checks.message("a_conv_layers", count=count))
    print(checks.message("hidden"))


def decoder_codes() -> np.ndarray:
    rng = np.random.default_rng(0)
    return np.abs(rng.normal(size=(8, 7, 7, 128))).astype(np.float32)


def test_build_decoder_shape(build_decoder: Any) -> None:
    model = checks.graded_call(build_decoder)
    out = checks.run_model(model, decoder_codes())
    assert out.shape == (8, 28, 28, 1), checks.expected_got(
        checks.message("a_image_shape"),
        (8, 28, 28, 1),
        out.shape,
        checks.decoder_shape_hint(out.shape),
    )
    count = checks.count_layers(model)
    assert count >= 3, checks.expected_got(
        checks.message("a_layer_count"), checks.message("a_at_least_3"), count
    )
    print(checks.message("a_dec_ok"))
    print(checks.message("hidden"))


def test_build_decoder_range(build_decoder: Any) -> None:
    rng = np.random.default_rng(1)
    model = checks.graded_call(build_decoder)
    for scale in (1.0, 10.0):
        codes_in = (scale * np.abs(rng.normal(size=(8, 7, 7, 128)))).astype(
            np.float32
        )
        out = checks.run_model(model, codes_in)
        low, high = float(out.min()), float(out.max())
        assert low >= 0.0 and high <= 1.0, checks.expected_got(
            checks.message("a_range", scale=scale),
            checks.message("a_in_unit"),
            f"{low:.3g} to {high:.3g}",
            checks.message("a_hint_sigmoid"),
        )
    print(checks.message("a_range_ok"))
    print(checks.message("hidden"))


def test_build_autoencoder(build_autoencoder: Any) -> None:
    ref_encoder, ref_decoder = cae_ref.build_encoder(), cae_ref.build_decoder()
    model = checks.graded_call(build_autoencoder, ref_encoder, ref_decoder)
    out = checks.run_model(model, sample())
    assert out.shape == (8, 28, 28, 1), checks.expected_got(
        checks.message("a_recon_shape"), (8, 28, 28, 1), out.shape
    )
    print(checks.message("a_ae_ok"))
    print(checks.message("hidden"))
