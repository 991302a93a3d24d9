"""Shape formulas agree with real Keras layers; the baseline traces exactly as the report built it."""

from __future__ import annotations

import itertools

import keras
import pytest

from cae_ref import (
    build_autoencoder,
    conv_output_size,
    conv_transpose_output_size,
    format_trace,
    pool_output_size,
    trace_model,
)

SIZES = (1, 2, 5, 7, 8, 14, 28)
KERNELS = (1, 2, 3, 5)
STRIDES = (1, 2, 3)
PADDINGS = ("valid", "same")


def _keras_length(layer: keras.layers.Layer, size: int) -> int:
    return layer.compute_output_shape((None, size, size, 1))[1]


@pytest.mark.parametrize(("kernel", "strides", "padding"), itertools.product(KERNELS, STRIDES, PADDINGS))
def test_conv_and_pool_formulas_match_keras(kernel, strides, padding):
    for size in SIZES:
        conv = keras.layers.Conv2D(1, kernel, strides=strides, padding=padding)
        pool = keras.layers.MaxPooling2D(kernel, strides=strides, padding=padding)
        if padding == "valid" and kernel > size:
            with pytest.raises(ValueError, match="larger than the input"):
                conv_output_size(size, kernel, strides, padding)
            continue
        assert conv_output_size(size, kernel, strides, padding) == _keras_length(conv, size), (size, kernel)
        assert pool_output_size(size, kernel, strides, padding) == _keras_length(pool, size), (size, kernel)


@pytest.mark.parametrize(("kernel", "strides", "padding"), itertools.product(KERNELS, STRIDES, PADDINGS))
def test_conv_transpose_formula_matches_keras(kernel, strides, padding):
    for size, output_padding in itertools.product(SIZES, (None, *range(strides))):
        layer = keras.layers.Conv2DTranspose(1, kernel, strides=strides, padding=padding, output_padding=output_padding)
        expected = _keras_length(layer, size)
        assert conv_transpose_output_size(size, kernel, strides, padding, output_padding) == expected, (
            size,
            output_padding,
        )


def test_conv_with_dilation_matches_keras():
    for size, kernel, dilation in itertools.product((9, 28), (2, 3), (1, 2, 3)):
        layer = keras.layers.Conv2D(1, kernel, padding="valid", dilation_rate=dilation)
        assert conv_output_size(size, kernel, 1, "valid", dilation) == _keras_length(layer, size)


def test_the_classic_mismatch_and_its_fix():
    """7 -> 14 -> 28 needs 'same'; 'valid' with a 3x3 kernel overshoots to 15 and then 31."""
    assert conv_transpose_output_size(7, 3, 2, "same") == 14
    assert conv_transpose_output_size(7, 3, 2, "valid") == 15
    assert conv_transpose_output_size(7, 3, 2, "valid", output_padding=0) == 15
    assert conv_transpose_output_size(7, 3, 2, "same", output_padding=1) == 14
    assert pool_output_size(7) == 3  # 28 -> 14 -> 7 -> 3 cannot come back to 7 by doubling


@pytest.mark.parametrize(
    ("call", "pattern"),
    [
        (lambda: conv_output_size(28, 3, padding="full"), "padding must be 'valid' or 'same'"),
        (lambda: conv_output_size(0, 3), "size must be a positive integer"),
        (lambda: conv_output_size(28, 3, strides=0), "strides must be a positive integer"),
        (lambda: conv_transpose_output_size(7, 3, 2, "same", output_padding=2), r"output_padding must lie in \[0"),
    ],
)
def test_bad_arguments_are_named(call, pattern):
    with pytest.raises(ValueError, match=pattern):
        call()


def test_baseline_trace_has_the_report_shapes_and_parameters():
    rows = trace_model(build_autoencoder())
    assert [(row.layer_type, row.output_shape, row.params) for row in rows] == [
        ("Conv2D", (None, 28, 28, 32), 320),
        ("MaxPooling2D", (None, 14, 14, 32), 0),
        ("Conv2D", (None, 14, 14, 64), 18496),
        ("MaxPooling2D", (None, 7, 7, 64), 0),
        ("Conv2D", (None, 7, 7, 128), 73856),
        ("Conv2DTranspose", (None, 14, 14, 64), 73792),
        ("Conv2DTranspose", (None, 28, 28, 32), 18464),
        ("Conv2D", (None, 28, 28, 1), 289),
    ]
    table = format_trace(rows)
    assert table.splitlines()[-1].endswith("185,217")
    assert "Conv2DTranspose" in table
