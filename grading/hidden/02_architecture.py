"""Hidden checks of exercise 02: run at grading only, never installed or returned to students."""

from __future__ import annotations

from typing import Any

import numpy as np

import cae_ref
from cae_ref.grader import checks


def _sample() -> np.ndarray:
    return cae_ref.preprocess_images(cae_ref.load_fashion_mnist()[1][0][:8])


def hidden_conv_output_size(conv_output_size: Any) -> None:
    for size in range(1, 33):
        for kernel in range(1, 6):
            for stride in range(1, 4):
                for padding in ("valid", "same"):
                    if padding == "valid" and kernel > size:
                        continue
                    expected = cae_ref.conv_output_size(size, kernel, stride, padding)
                    got = checks.exact_int(
                        checks.graded_call(conv_output_size, size, kernel, stride, padding), checks.message("size")
                    )
                    assert got == expected, checks.message("h_conv_wrong", padding=repr(padding))
    try:
        checks.graded_call(conv_output_size, 2, 3, 1, "valid")
    except ValueError:
        pass
    else:
        raise AssertionError(checks.message("h_conv_valueerror"))


def hidden_conv_transpose_output_size(conv_transpose_output_size: Any) -> None:
    for size in range(1, 17):
        for kernel in range(1, 6):
            for stride in range(1, 4):
                for padding in ("valid", "same"):
                    for output_padding in (None, *range(stride)):
                        args = (size, kernel, stride, padding, output_padding)
                        expected = cae_ref.conv_transpose_output_size(*args)
                        got = checks.exact_int(
                            checks.graded_call(conv_transpose_output_size, *args), checks.message("size")
                        )
                        assert got == expected, checks.message(
                            "h_transpose_wrong", padding=repr(padding), output_padding=repr(output_padding)
                        )


def hidden_build_encoder_shape(build_encoder: Any) -> None:
    single = checks.run_model(checks.graded_call(build_encoder), _sample()[:1])
    assert single.shape == (1, 7, 7, 128), checks.message("h_enc_one")


def hidden_build_encoder_layers(build_encoder: Any) -> None:
    model = checks.graded_call(build_encoder)
    other = checks.graded_call(build_encoder)
    assert other is not model, checks.message("h_enc_new")


def hidden_build_decoder_shape(build_decoder: Any) -> None:
    codes_in = np.abs(np.random.default_rng(0).normal(size=(8, 7, 7, 128))).astype(np.float32)
    single = checks.run_model(checks.graded_call(build_decoder), codes_in[:1])
    assert single.shape == (1, 28, 28, 1), checks.message("h_dec_one")


def hidden_build_decoder_range(build_decoder: Any) -> None:
    rng = np.random.default_rng(1)
    for _ in (1.0, 10.0):  # the same draws as the visible check, then large codes
        rng.normal(size=(8, 7, 7, 128))
    model = checks.graded_call(build_decoder)
    codes_in = (100.0 * rng.normal(size=(4, 7, 7, 128))).astype(np.float32)
    out = checks.run_model(model, codes_in)
    assert np.isfinite(out).all() and out.min() >= 0.0 and out.max() <= 1.0, checks.message("h_dec_range")


def hidden_build_autoencoder(build_autoencoder: Any) -> None:
    x_sample = _sample()
    ref_encoder, ref_decoder = cae_ref.build_encoder(), cae_ref.build_decoder()
    out = checks.run_model(checks.graded_call(build_autoencoder, ref_encoder, ref_decoder), x_sample)
    chained = checks.run_model(ref_decoder, checks.run_model(ref_encoder, x_sample))
    assert np.allclose(out, chained, atol=1e-5), checks.message("h_ae_chain")
    small_encoder, small_decoder = cae_ref.build_encoder(latent_dim=16), cae_ref.build_decoder(latent_dim=16)
    small = checks.run_model(checks.graded_call(build_autoencoder, small_encoder, small_decoder), x_sample)
    assert small.shape == (8, 28, 28, 1), checks.message("h_ae_small")
