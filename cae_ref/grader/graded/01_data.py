"""Checks of exercise 01 (preprocessing), run by ``cae_ref.grader.grade`` in the grader's namespace."""

from __future__ import annotations

from typing import Any

import numpy as np

import cae_ref
from cae_ref.grader import checks


def raw_images() -> tuple[np.ndarray, np.ndarray]:
    """The uint8 training and test images of Fashion-MNIST."""
    (x_train_raw, _), (x_test_raw, _) = cae_ref.load_fashion_mnist()
    return x_train_raw, x_test_raw


def test_preprocess_shape(preprocess: Any) -> None:
    raw = raw_images()[0][:50].copy()
    out = np.asarray(checks.graded_call(preprocess, raw))
    assert out.shape == (50, 28, 28, 1), checks.expected_got(
        checks.message("d_shape_50"),
        (50, 28, 28, 1),
        out.shape,
        checks.message("d_hint_axis"),
    )
    assert out.dtype == np.float32, checks.expected_got(
        "dtype",
        "float32",
        out.dtype,
        checks.message("d_hint_float"),
    )
    print(checks.message("d_shape_ok"))


def test_preprocess_range(preprocess: Any) -> None:
    probe = np.zeros((2, 28, 28), dtype=np.uint8)
    probe[1] = 255
    out = np.asarray(
        checks.graded_call(preprocess, probe), dtype=np.float64
    ).reshape(2, -1)
    low, high = float(out[0].max()), float(out[1].min())
    hint = (
        checks.message("d_hint_255")
        if high > 1.5
        else checks.message("d_hint_256")
        if 0.99 < high < 1.0
        else ""
    )
    assert abs(low) < 1e-6, checks.expected_got(
        checks.message("d_pixel", value=0), 0.0, low
    )
    assert abs(high - 1.0) < 1e-6, checks.expected_got(
        checks.message("d_pixel", value=255), 1.0, high, hint
    )
    print(checks.message("d_range_ok"))


def test_preprocess_reference(preprocess: Any) -> None:
    x_test_raw = raw_images()[1]
    raw = x_test_raw[:200].copy()
    out = np.asarray(checks.graded_call(preprocess, raw))
    assert np.array_equal(raw, x_test_raw[:200]), checks.message("d_modified")
    assert out.shape == (200, 28, 28, 1), checks.expected_got(
        checks.message("shape"), (200, 28, 28, 1), out.shape
    )
    print(checks.message("visible_passed"))
    print(checks.message("hidden"))
